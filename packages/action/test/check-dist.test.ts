/**
 * The committed bundle is exactly what its sources build (what .github/workflows/check-dist.yml checks too),
 * the build is deterministic, and the bundle starts on the Node running the tests.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';

const PACKAGE = fileURLToPath(new URL('..', import.meta.url));
const COMMITTED = join(PACKAGE, 'dist', 'index.js');
let dir: string;
let first: Buffer;
let second: Buffer;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'statalog-check-dist-'));
  // from another cwd on purpose: the output must not depend on where the build is started
  execFileSync(process.execPath, [join(PACKAGE, 'build.mjs'), '--outfile', join(dir, 'a', 'index.js')], { cwd: dir });
  execFileSync(process.execPath, [join(PACKAGE, 'build.mjs'), '--outfile', join(dir, 'b', 'index.js')], {
    cwd: tmpdir(),
  });
  first = readFileSync(join(dir, 'a', 'index.js'));
  second = readFileSync(join(dir, 'b', 'index.js'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('two builds are byte for byte the same, and hold no absolute path', () => {
  expect(first.equals(second)).toBe(true);
  const text = first.toString('utf8');
  expect(text).not.toContain(PACKAGE);
  expect(text).not.toContain(tmpdir());
  expect(text).not.toMatch(/sourceMappingURL/);
});

test('the committed dist/index.js is the bundle its sources build (else: npm run build --workspace @statalog/action)', () => {
  const committed = readFileSync(COMMITTED);
  if (!committed.equals(first)) {
    const a = committed.toString('utf8').split('\n');
    const b = first.toString('utf8').split('\n');
    const line = a.findIndex((l, i) => l !== b[i]);
    expect.fail(
      `packages/action/dist/index.js is stale: first difference at line ${line + 1}; run npm run build --workspace @statalog/action and commit dist/index.js`,
    );
  }
});

test('the bundle runs on this Node: outside a workflow it stops with one line and exit code 2', () => {
  const result = spawnSync(process.execPath, [COMMITTED], {
    env: { PATH: process.env.PATH, 'INPUT_GITHUB-TOKEN': 'x' },
    encoding: 'utf8',
  });
  expect(result.status).toBe(2);
  expect(result.stdout.trim()).toBe(
    '::error::statalog-scan: GITHUB_EVENT_NAME is not set: this action runs inside a GitHub Actions workflow',
  );
  expect(result.stderr).toBe('');
});
