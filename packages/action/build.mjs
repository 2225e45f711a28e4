// Builds the action's one committed bundle, dist/index.js, with esbuild.
//
// Deterministic on purpose (the check-dist workflow and test rebuild it and compare bytes):
// - absWorkingDir is this package's directory, whatever the caller's cwd, so the `// path` comments esbuild
//   writes between modules are the same relative paths everywhere; no timestamps are emitted;
// - the workspace packages (@statalog/core, @statalog/scan) are bundled from their TypeScript sources, not
//   from their dist/ folders, so the bundle depends only on committed sources and the locked node_modules,
//   not on whether or when `tsc -b` ran;
// - no source map: the bundle is unminified and readable, and a map would double the committed size;
// - legalComments 'eof' keeps every licence comment of the bundled packages, gathered at the end of the file;
// - the action's version (SARIF, the User-Agent) is this package.json's, written in as STATALOG_ACTION_VERSION, so
//   the bundle rebuilt after `changeset version` reports the version it is released as.
//
// Usage: node build.mjs [--outfile <path>]   (default dist/index.js)
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const at = args.indexOf('--outfile');
const outfile = at >= 0 && args[at + 1] ? resolve(args[at + 1]) : join(here, 'dist', 'index.js');
const { version } = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8'));

await build({
  absWorkingDir: here,
  entryPoints: ['src/index.ts'],
  outfile,
  bundle: true,
  platform: 'node',
  // runs.using is node24; node20 keeps the bundle working on runners and GHES versions that still use it
  target: 'node20',
  format: 'esm',
  // the packages' source folders: '@statalog/core' is src/index.ts and '@statalog/core/user-error' src/user-error.ts,
  // one module either way (only the few pieces of @statalog/scan the action uses are kept: tree shaking drops the rest)
  alias: { '@statalog/core': join(here, '..', 'core', 'src'), '@statalog/scan': join(here, '..', 'scan', 'src') },
  define: { STATALOG_ACTION_VERSION: JSON.stringify(version) },
  // CommonJS dependencies (tunnel, undici via @actions/http-client) call require() for Node built-ins,
  // which an ES module does not have: give them one.
  banner: {
    js: "import { createRequire as __statalogCreateRequire } from 'node:module';\nconst require = __statalogCreateRequire(import.meta.url);",
  },
  legalComments: 'eof',
  sourcemap: false,
  minify: false,
  treeShaking: true,
  logLevel: 'warning',
});
