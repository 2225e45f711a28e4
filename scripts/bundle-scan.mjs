#!/usr/bin/env node
// Bundles the statalog-scan program (after `tsc -b`) into packages/scan/dist/bundle/ without shared chunks: cli.js
// (the program), core.js (the engine), verify.js, and one file per worker thread (scan-worker.js for the file scan,
// credit-worker.js for the commit scan's second thread). Why: the pre-commit hook's cost is mostly Node start-up,
// and every ES module costs a resolve, an asynchronous read, a compile and a link, one after the other along each
// `import()`: ~50 modules unbundled, 23 as code-split chunks, two now (cli.js and core.js; docs/benchmarks.md has
// the measurements). The `import()`s of the modes and formatters stay lazy inside cli.js: esbuild runs a module's
// top level when it is first imported, and V8 compiles a function when it first runs.
//
// The verifier is the code that sends keys over the network: cli.js imports verify.js only with `--verify`
// (test/verify-cli.test.ts watches that it is not loaded otherwise). Both import core.js, so there is one engine:
// a finding's secret lives in core's own memory (finding.ts), not in the finding. The worker threads have an
// isolate each and nothing to share: core is inside their file.
//
// Input is the tsc output (dist/*.js), so the bundle holds exactly the code the tests of dist run. `ignore` stays
// external (cjs.ts loads it with require() when a run needs it); picocolors is inlined (no require of its own). The
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
/** cli.js's `import()` of the verifier becomes an import of the verify.js entry next to it. */
const verifierApart = {
  name: 'verifier-apart',
  setup(build) {
    build.onResolve({ filter: /[/\\]verify[/\\]verify-findings\.js$/ }, (args) =>
      args.kind === 'dynamic-import' ? { path: './verify.js', external: true } : undefined,
    );
  },
};
/** `@statalog/core` and its subpath entries (re-exported by its index) become the core.js entry next to it. */
const sharedCore = {
  name: 'shared-core',
  setup(build) {
    build.onResolve({ filter: /^@statalog\/core(\/.*)?$/ }, () => ({ path: './core.js', external: true }));
  },
};
const entries = {
  cli: [join(dist, 'cli.js'), [verifierApart, sharedCore]],
  verify: [join(dist, 'verify', 'verify-findings.js'), [sharedCore]],
  core: [join(root, 'packages', 'core', 'dist', 'index.js'), []],
  'scan-worker': [join(dist, 'files', 'scan-worker.js'), []],
  'credit-worker': [join(dist, 'git', 'credit-worker.js'), []],
};
for (const [name, [entry, plugins]] of Object.entries(entries)) {
  await esbuild.build({
    entryPoints: { [name]: entry },
    outdir,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    external: ['ignore'],
    define: { STATALOG_SCAN_VERSION: JSON.stringify(version) },
    legalComments: 'none',
    logLevel: 'warning',
    plugins,
  });
}
