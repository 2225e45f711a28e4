import {
  findVariable as findVariableUntyped,
  getStaticValue as getStaticValueUntyped,
} from '@eslint-community/eslint-utils';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';

/**
 * The two scope helpers the rules use, from @eslint-community/eslint-utils itself rather than through
 * `@typescript-eslint/utils/ast-utils`, which wraps the same functions but loads typescript-eslint's AST type
 * tables with them: that is most of the plugin's import time. Typed for typescript-eslint's AST here.
 */
export const findVariable = findVariableUntyped as unknown as (
  initialScope: TSESLint.Scope.Scope,
  nameOrNode: string | TSESTree.Identifier,
) => TSESLint.Scope.Variable | null;

export const getStaticValue = getStaticValueUntyped as unknown as (
  node: TSESTree.Node,
  initialScope?: TSESLint.Scope.Scope,
) => { value: unknown } | null;
