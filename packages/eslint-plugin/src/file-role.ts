import { isAbsolute, relative, sep } from 'node:path';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import type { Shared } from './settings.js';

/** Where a module runs, and the reason the plugin believes so (quoted in messages). */
export type FileRole =
  | { side: 'client'; reason: string }
  | { side: 'server'; reason: string }
  | { side: 'unknown' };

type AnyContext = Readonly<TSESLint.RuleContext<string, readonly unknown[]>>;

/**
 * A module's side, strongest evidence first: its directive prologue (`'use client'`, `'use server'`), then the
 * server file patterns, then the client file patterns, then (opt-in) browser globals in its ESLint config.
 */
export function fileRole(context: AnyContext, shared: Shared): FileRole {
  const directive = moduleDirective(context.sourceCode.ast);
  if (directive === 'use client') return { side: 'client', reason: "the module starts with 'use client'" };
  if (directive === 'use server') return { side: 'server', reason: "the module starts with 'use server'" };
  const path = lintedPath(context);
  if (path !== undefined) {
    if (shared.isServerPath(path)) return { side: 'server', reason: 'a server file pattern matches it' };
    if (shared.isClientPath(path)) return { side: 'client', reason: `its path ${path} matches a client file pattern` };
  }
  if (shared.browserGlobals && declaresBrowserGlobals(context)) {
    return { side: 'client', reason: 'its ESLint config declares browser globals' };
  }
  return { side: 'unknown' };
}

/** `'use client'` / `'use server'` when the directive prologue holds one of them. */
export function moduleDirective(program: TSESTree.Program): 'use client' | 'use server' | undefined {
  for (const statement of program.body) {
    if (statement.type !== 'ExpressionStatement' || statement.directive === undefined) return undefined;
    const value = statement.expression.type === 'Literal' ? statement.expression.value : undefined;
    if (value === 'use client' || value === 'use server') return value;
  }
  return undefined;
}

/** The linted file relative to ESLint's working directory, with `/` separators; undefined for stdin text. */
export function lintedPath(context: AnyContext): string | undefined {
  const filename = context.filename;
  if (filename === '' || filename === '<input>' || filename === '<text>') return undefined;
  let path = isAbsolute(filename) ? relative(context.cwd, filename) : filename;
  // outside the working directory: match the path from its root, so `**/client/**` still applies
  if (path.startsWith('..')) path = filename.replace(/^[A-Za-z]:/, '').replace(/^[\\/]+/, '');
  return sep === '/' ? path : path.split(sep).join('/');
}

function declaresBrowserGlobals(context: AnyContext): boolean {
  const globals = (context.languageOptions as { globals?: Record<string, unknown> } | undefined)?.globals;
  return globals !== undefined && ('window' in globals || 'document' in globals);
}
