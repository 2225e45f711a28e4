#!/usr/bin/env node
// `npm run bench [name]`: runs every bench/*.bench.mjs (or the one named: `npm run bench files`), one after the
// other — benchmarks running side by side would measure each other.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadLine } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv[2];
const all = readdirSync(here)
  .filter((f) => f.endsWith('.bench.mjs'))
  .sort();
const selected = wanted ? all.filter((f) => f === wanted || f === `${wanted}.bench.mjs`) : all;
if (selected.length === 0) {
  console.error(
    `bench: no benchmark named ${JSON.stringify(wanted)} (have: ${all.map((f) => f.replace('.bench.mjs', '')).join(', ')})`,
  );
  process.exit(2);
}
if (!existsSync(join(here, '..', 'packages', 'scan', 'dist', 'cli.js'))) {
  console.error('bench: build first (npx tsc -b)');
  process.exit(2);
}

// the bin runs the bundle only while it is newer than both tsc builds (packages/scan/bin/statalog-scan.js)
const mtime = (rel) => (existsSync(join(here, '..', rel)) ? statSync(join(here, '..', rel)).mtimeMs : undefined);
const bundle = mtime('packages/scan/dist/bundle/cli.js');
if (
  bundle === undefined ||
  ['packages/scan/dist/.tsbuildinfo', 'packages/core/dist/.tsbuildinfo'].some((f) => mtime(f) > bundle)
) {
  console.log(
    'bench: note: the bundle is missing or older than the tsc build, so statalog-scan runs unbundled (npm run bundle)',
  );
}

// NODE_EXTRA_CA_CERTS makes every Node process read and parse a CA bundle before it runs a line of code: 36 ms a
// start on the bench machine (a sandbox behind a TLS proxy), against `node -e 0`'s 25 ms without it. That is the
// machine's cost, not statalog-scan's, and it would flatter the --staged ratio (both sides pay it) and weigh on the
// ripgrep ones (only one side does). Benchmarks run without it; --keep-ca-certs measures the environment as it is.
const args = process.argv.slice(3);
const env = { ...process.env };
if (env.NODE_EXTRA_CA_CERTS !== undefined && !args.includes('--keep-ca-certs')) {
  delete env.NODE_EXTRA_CA_CERTS;
  console.log('bench: NODE_EXTRA_CA_CERTS is set here: every benchmark runs without it (--keep-ca-certs keeps it)');
}

let failed = 0;
for (const file of selected) {
  console.log(`\n=== ${file} === load average (1, 5, 15 min) at the start: ${loadLine()}`);
  const result = spawnSync(process.execPath, [join(here, file), ...args], { stdio: 'inherit', env });
  if (result.status !== 0) {
    failed++;
    console.error(`bench: ${file} exited with ${result.status ?? result.signal}`);
  }
  console.log(
    `=== ${file} === load average at the end: ${loadLine()} (2 cores: above 1, the figures shared the machine)`,
  );
}
process.exit(failed > 0 ? 1 : 0);
