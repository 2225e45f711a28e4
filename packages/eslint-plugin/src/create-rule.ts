import type { ESLintUtils, TSESLint } from '@typescript-eslint/utils';
// the subpath, not the package root: the root loads ESLint's Linter and typescript-eslint's scope manager (≈0.4 s)
import { RuleCreator } from '@typescript-eslint/utils/eslint-utils';
import { ALLOW_MARKER, isAllowedAt } from '@statalog/core';
import { PACKAGE } from './package-info.js';

/** What the plugin adds to `meta.docs`: the configs a rule belongs to. */
export interface StatalogRuleDocs {
  description: string;
  /** In `recommended` (and so in `strict`), or only in `strict`. */
  recommended: boolean;
  requiresTypeChecking?: false;
}

const { name: packageName, version } = PACKAGE;

/**
 * The rule docs of the installed version, at the release tag changesets creates (`@statalog/eslint-plugin@0.1.0`):
 * an editor's "show documentation" link then describes the rule the user runs, not a later one on main.
 */
export const DOCS_BASE = `https://github.com/statalog/key-guard/blob/${packageName}@${version}/packages/eslint-plugin/docs/rules/`;

const createNamedRule = RuleCreator<StatalogRuleDocs>((name) => `${DOCS_BASE}${name}.md`);

/**
 * `ESLintUtils.RuleCreator` with the docs URL, plus one guard: a config without `files` also applies to files
 * of other languages (JSON, CSS, Markdown through their ESLint plugins); the rules read JavaScript syntax
 * trees only and stay silent on anything else.
 */
export function createRule<Options extends readonly unknown[], MessageIds extends string>(
  rule: Readonly<ESLintUtils.RuleWithMetaAndName<Options, MessageIds, StatalogRuleDocs>>,
) {
  return createNamedRule<Options, MessageIds>({
    ...rule,
    create: (context, options) => (isJavaScriptTree(context.sourceCode.ast) ? rule.create(context, options) : {}),
  });
}

function isJavaScriptTree(ast: unknown): boolean {
  const program = ast as { type?: unknown; body?: unknown } | undefined;
  return program?.type === 'Program' && Array.isArray(program.body);
}

/**
 * `statalog:allow` on a line silences every rule on it, the same marker the scanner honours (so one comment
 * serves both tools). Returns a cheap predicate: files without the marker never look at lines.
 */
export function allowedAt(sourceCode: Readonly<TSESLint.SourceCode>): (index: number) => boolean {
  const text = sourceCode.text;
  if (!text.includes(ALLOW_MARKER)) return () => false;
  return (index) => isAllowedAt(text, index);
}
