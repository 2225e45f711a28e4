// The project lints itself: typescript-eslint's strict type-checked rules, and its own ESLint plugin's `strict`
// config (dogfood: the workspace build, so the rules as this branch has them). Formatting is Prettier's job
// (.prettierrc.json), not ESLint's. Each rule turned off below says why.
import js from '@eslint/js';
import statalog from '@statalog/eslint-plugin';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// What a template literal may interpolate: numbers (counts, lines, exit codes) besides strings; `undefined`,
// booleans and objects print as `undefined`, `false` and `[object Object]`
const TEMPLATE_VALUES = {
  allowNumber: true,
  allowAny: false,
  allowBoolean: false,
  allowNullish: false,
  allowRegExp: false,
  allowNever: false,
};

export default defineConfig([
  globalIgnores(['**/dist/', 'packages/action/build/', 'fixtures/', '.bench/', 'coverage/']),

  {
    name: 'statalog/all',
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    languageOptions: { globals: globals.node },
    extends: [js.configs.recommended],
    rules: {
      // matching control characters is the job of the output escaping and of the tests that check it
      'no-control-regex': 'off',
    },
  },

  {
    name: 'statalog/typescript',
    files: ['**/*.ts'],
    extends: [tseslint.configs.strictTypeChecked, statalog.configs.strict],
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['vitest.config.ts'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // noUncheckedIndexedAccess types every indexed read `T | undefined`; `!` after a bounds check says it is known
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/restrict-template-expressions': ['error', TEMPLATE_VALUES],
      // `(x) => out.push(x)` callbacks and `return send(res, 404)` to end a void handler early; a void call used as
      // a value anywhere else is still reported
      '@typescript-eslint/no-confusing-void-expression': [
        'error',
        { ignoreArrowShorthand: true, ignoreVoidReturningFunctions: true },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },

  {
    name: 'statalog/eslint-plugin',
    files: ['packages/eslint-plugin/src/**/*.ts'],
    rules: {
      // rules compare `node.type` with the ESTree names as strings: they also walk espree, Vue and Svelte trees,
      // and the AST_NODE_TYPES enum would load @typescript-eslint/types at run time for the same strings
      '@typescript-eslint/no-unsafe-enum-comparison': 'off',
    },
  },

  {
    name: 'statalog/tests',
    files: ['test/**/*.ts', 'packages/*/test/**/*.ts'],
    rules: {
      // vitest's asymmetric matchers (`expect.stringContaining(…)`) are typed `any`
      '@typescript-eslint/no-unsafe-assignment': 'off',
      // tests index the arrays they have just built (`keys[0]`): an `undefined` there fails the test anyway
      '@typescript-eslint/restrict-template-expressions': ['error', { ...TEMPLATE_VALUES, allowNullish: true }],
      // the URLs with `api_key=` and `http://` in tests are the inputs the detectors are tested on
      '@statalog/no-key-in-url': 'off',
      '@statalog/require-https': 'off',
    },
  },
]);
