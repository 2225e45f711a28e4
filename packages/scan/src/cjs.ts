/**
 * `ignore`, a CommonJS dependency, loaded with `require()` when first needed. Imported from ESM instead, it would
 * cost every start-up its load and Node's analysis of a CommonJS module's exports (cjs-module-lexer), and
 * statalog-scan has to start fast (it runs in pre-commit hooks). (picocolors, the other one, is imported: the
 * bundle inlines it.)
 */
import { createRequire } from 'node:module';
import type { Ignore, Options as IgnoreOptions } from 'ignore';

const require = createRequire(import.meta.url);

type IgnoreFactory = (options?: IgnoreOptions) => Ignore;
let ignoreFactory: IgnoreFactory | undefined;

/** `ignore()`, loaded on the first call: a `--staged` run whose config has no ignorePaths never needs it. */
export function ignore(options?: IgnoreOptions): Ignore {
  ignoreFactory ??= require('ignore') as IgnoreFactory;
  return ignoreFactory(options);
}
