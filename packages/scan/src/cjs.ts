/**
 * The two CommonJS dependencies, loaded with `require()`. Imported from ESM instead, each costs tens of
 * milliseconds at start-up: Node analyses a CommonJS module's exports (cjs-module-lexer) before an ESM
 * import can bind them, and statalog-scan has to start fast (it runs in pre-commit hooks).
 */
import { createRequire } from 'node:module';
import type { Ignore, Options as IgnoreOptions } from 'ignore';
import type picocolors from 'picocolors';

const require = createRequire(import.meta.url);

export const ignore = require('ignore') as (options?: IgnoreOptions) => Ignore;

export function loadPicocolors(): typeof picocolors {
  return require('picocolors') as typeof picocolors;
}
