/**
 * The two CommonJS dependencies, loaded with `require()`. Imported from ESM instead, each costs tens of
 * milliseconds at start-up: Node analyses a CommonJS module's exports (cjs-module-lexer) before an ESM
 * import can bind them, and statalog-scan has to start fast (it runs in pre-commit hooks).
 */
import { createRequire } from 'node:module';
import type { Ignore, Options as IgnoreOptions } from 'ignore';
import type picocolors from 'picocolors';

const require = createRequire(import.meta.url);

type IgnoreFactory = (options?: IgnoreOptions) => Ignore;
let ignoreFactory: IgnoreFactory | undefined;

/** `ignore()`, loaded on the first call: a `--staged` run whose config has no ignorePaths never needs it. */
export function ignore(options?: IgnoreOptions): Ignore {
  ignoreFactory ??= require('ignore') as IgnoreFactory;
  return ignoreFactory(options);
}

export function loadPicocolors(): typeof picocolors {
  return require('picocolors') as typeof picocolors;
}
