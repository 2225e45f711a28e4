#!/usr/bin/env node
// Bundles the statalog-scan program (after `tsc -b`) into packages/scan/dist/bundle/: one ES module per entry
// (cli.js, scan-worker.js for the file-scanning threads, credit-worker.js for the commit scan's second thread)
// plus shared chunks, code-split at every `import()` so the modes, formatters and verifier still load only when
// used. Why: the pre-commit hook's cost is mostly Node start-up, and `--staged` otherwise resolves, reads and
// compiles ~50 small modules of packages/scan and packages/core; bundled it loads a handful (docs/benchmarks.md
// has the measurements).
//
// Input is the tsc output (dist/*.js), so the bundle holds exactly the code the tests of dist run. The two
// CommonJS dependencies (ignore, picocolors) stay external: cjs.ts loads them with require() at run time. The
// version `--version` and SARIF report is package.json's, written in here (cli.ts reads STATALOG_SCAN_VERSION).
// bin/statalog-scan.js runs the bundle only while it is newer than both packages' last tsc build, so a `tsc -b`
// without this step can never leave the program running stale code.
//
// Run by the root `prepare` and `build` scripts; `node scripts/bundle-scan.mjs` alone after `tsc -b`.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'packages', 'scan', 'dist');
const outdir = join(dist, 'bundle');

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  // installed without dev dependencies: the program runs from dist/ as tsc built it (slower start, same code)
  console.warn('bundle-scan: esbuild is not installed; statalog-scan runs unbundled');
  process.exit(0);
}
if (!existsSync(join(dist, 'cli.js'))) {
  console.error('bundle-scan: packages/scan/dist/cli.js is missing; run tsc -b first');
  process.exit(2);
}

const { version } = JSON.parse(readFileSync(join(root, 'packages', 'scan', 'package.json'), 'utf8'));
// Paths the sources resolve against import.meta.url need no rewriting: files/pool.ts starts './scan-worker.js',
// git/added-credit.ts './credit-worker.js', and git/install-hook.ts names '../../bin/statalog-scan.js': all resolve
// the same from dist/bundle/ (both workers are entry points there; dist/bundle is as deep as dist/git).

rmSync(outdir, { recursive: true, force: true });
await esbuild.build({
  // verify.js: the network verifier as a file of its own name, so that "loaded only with --verify" can be seen
  // (test/verify-cli.test.ts); its import() from cli.js loads this entry
  entryPoints: {
    cli: join(dist, 'cli.js'),
    'scan-worker': join(dist, 'files', 'scan-worker.js'),
    'credit-worker': join(dist, 'git', 'credit-worker.js'),
    verify: join(dist, 'verify', 'verify-findings.js'),
  },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  chunkNames: 'chunk-[hash]',
  external: ['ignore', 'picocolors'],
  define: { STATALOG_SCAN_VERSION: JSON.stringify(version) },
  legalComments: 'none',
  logLevel: 'warning',
});
