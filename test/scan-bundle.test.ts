// The bundled program (scripts/bundle-scan.mjs → packages/scan/dist/bundle/): the bin runs it only while it is
// newer than both packages' tsc builds, and the bundle itself behaves as the tsc output does where it resolves
// files relative to itself (its version from package.json, the file-scanning worker threads, the hook's bin path).
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanEnv } from './helpers/env.js';
import { cloudKey } from './helpers/keys.js';
import { REPO_ROOT, SCAN_BIN } from './helpers/paths.js';
import { runProcess } from './helpers/process.js';
import { TempTree } from './helpers/tmp.js';

const SCAN_DIR = join(REPO_ROOT, 'packages/scan');
const BUNDLE_CLI = join(SCAN_DIR, 'dist/bundle/cli.js');

describe('bin/statalog-scan.js chooses between the bundle and the tsc build', () => {
  const tree = new TempTree('statalog-bundle-bin-');
  afterAll(() => tree.cleanup());

  // a copy of the real bin in the same layout, with stand-ins that say which of them ran
  tree.write('packages/scan/package.json', JSON.stringify({ type: 'module' }));
  mkdirSync(tree.path('packages/scan/bin'), { recursive: true });
  copyFileSync(SCAN_BIN, tree.path('packages/scan/bin/statalog-scan.js'));
  tree.write('packages/scan/dist/cli.js', "console.log('tsc build', process.argv.slice(2).join(' '));\n");
  const run = () =>
    runProcess(process.execPath, [tree.path('packages/scan/bin/statalog-scan.js'), '--staged'], {
      cwd: tree.dir,
      env: cleanEnv(),
    });
  const at = (rel: string, seconds: number) => {
    if (!existsSync(tree.path(rel))) tree.write(rel, '');
    utimesSync(tree.path(rel), seconds, seconds);
  };

  it('runs dist/cli.js when there is no bundle', async () => {
    const result = await run();
    expect(result).toMatchObject({ code: 0, stdout: 'tsc build --staged\n' });
  });

  it('runs the bundle when it is newer than both tsc builds, and also where no .tsbuildinfo exists (a published package)', async () => {
    tree.write('packages/scan/dist/bundle/cli.js', "console.log('bundle', process.argv.slice(2).join(' '));\n");
    expect(await run()).toMatchObject({ code: 0, stdout: 'bundle --staged\n' });
    at('packages/scan/dist/.tsbuildinfo', 1_000);
    at('packages/core/dist/.tsbuildinfo', 1_000);
    at('packages/scan/dist/bundle/cli.js', 2_000);
    expect(await run()).toMatchObject({ code: 0, stdout: 'bundle --staged\n' });
  });

  it.each(['scan', 'core'])('runs dist/cli.js once a tsc build of %s is newer than the bundle', async (pkg) => {
    at('packages/scan/dist/.tsbuildinfo', 1_000);
    at('packages/core/dist/.tsbuildinfo', 1_000);
    at('packages/scan/dist/bundle/cli.js', 2_000);
    at(`packages/${pkg}/dist/.tsbuildinfo`, 3_000);
    expect(await run()).toMatchObject({ code: 0, stdout: 'tsc build --staged\n' });
  });
});

describe('the bundle', () => {
  const tree = new TempTree('statalog-bundle-');
  afterAll(() => tree.cleanup());
  const bundle = (args: string[], env: Record<string, string> = {}) =>
    runProcess(process.execPath, [BUNDLE_CLI, ...args], { cwd: tree.dir, env: cleanEnv(env) });

  it('is built, and newer than the tsc builds it was made from (npm test builds it; else `npm run bundle`)', () => {
    expect(
      existsSync(BUNDLE_CLI),
      'packages/scan/dist/bundle/cli.js is missing: run `npm run bundle` after `npx tsc -b`',
    ).toBe(true);
    const built = statSync(BUNDLE_CLI).mtimeMs;
    for (const info of ['packages/scan/dist/.tsbuildinfo', 'packages/core/dist/.tsbuildinfo']) {
      expect(
        statSync(join(REPO_ROOT, info)).mtimeMs,
        `${info} is newer than the bundle: run \`npm run bundle\``,
      ).toBeLessThanOrEqual(built);
    }
  });

  it('prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(join(SCAN_DIR, 'package.json'), 'utf8')) as { version: string };
    expect(await bundle(['--version'])).toMatchObject({ code: 0, stdout: `${version}\n` });
  });

  it('scans with its worker threads and finds the key', async () => {
    const key = cloudKey();
    for (let i = 0; i < 400; i++) tree.write(`src/m${i}.ts`, `export const v${i} = ${i};\n`.repeat(20));
    tree.write('src/leak.ts', `const k = '${key}';\n`);
    // threads start for 2,000 files, or when asked: a worker file the bundle cannot find fails the scan
    const result = await bundle(['--no-ignore', '--format', 'json', 'src'], { STATALOG_SCAN_THREADS: '2' });
    expect(result.code, result.stderr).toBe(1);
    const report = JSON.parse(result.stdout) as {
      findings: { file: string; ruleId: string }[];
      stats: { files: number };
    };
    expect(report.findings.map((f) => f.file)).toEqual(['src/leak.ts']);
    expect(report.stats.files).toBe(401);
    expect(result.stdout).not.toContain(key);
  });

  it('installs a hook that runs this package’s bin', async () => {
    tree.git('init', '-q');
    const result = await bundle(['install-hook']);
    expect(result.code, result.stderr).toBe(0);
    const hook = readFileSync(tree.path('.git/hooks/pre-commit'), 'utf8');
    expect(hook).toContain(SCAN_BIN);
  });
});
