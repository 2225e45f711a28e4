#!/usr/bin/env node
// Bundles @statalog/eslint-plugin (after `tsc -b`) into packages/eslint-plugin/dist/bundle/index.js, the package's
// entry point: the plugin's own modules and @statalog/core in one file. Why: ESLint imports the plugin on every run
// — an editor's lint on save, lint-staged, a one-file `eslint file.js` — and tsc's output is ~60 ES modules (the
// plugin's and core's), each resolved, read, compiled and linked one after the other: 62-81 ms to import against
// 30-38 ms bundled (docs/benchmarks.md). The dependencies and peer dependencies (typescript-eslint's utils, eslint,
// the Vue and Svelte parsers) stay imports: the user's installed copies, shared with the rest of their config.
//
// Input is the tsc output, so the bundle holds exactly the code the tests of dist run; test/plugin-bundle.test.ts
// checks that it is newer than both packages' tsc builds (a `tsc -b` alone leaves it stale: `npm run bundle`).
// The package's name and version are written in (src/package-info.ts reads STATALOG_PLUGIN_PACKAGE).
//
// Run by the root `prepare`, `build` and `test` scripts, after scripts/bundle-scan.mjs.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkgDir = join(root, 'packages', 'eslint-plugin');
const outdir = join(pkgDir, 'dist', 'bundle');

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  console.error('bundle-plugin: esbuild is not installed (a dev dependency); the plugin package needs its bundle');
  process.exit(2);
}
if (!existsSync(join(pkgDir, 'dist', 'index.js'))) {
  console.error('bundle-plugin: packages/eslint-plugin/dist/index.js is missing; run tsc -b first');
  process.exit(2);
}

const manifest = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
const external = [...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {})]
  .filter((name) => name !== '@statalog/core')
  .flatMap((name) => [name, `${name}/*`]);

rmSync(outdir, { recursive: true, force: true });
await esbuild.build({
  entryPoints: { index: join(pkgDir, 'dist', 'index.js') },
  outdir,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  external,
  define: { STATALOG_PLUGIN_PACKAGE: JSON.stringify({ name: manifest.name, version: manifest.version }) },
  legalComments: 'none',
  logLevel: 'warning',
});
