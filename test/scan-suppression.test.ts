/**
 * Suppression through the built binary: `statalog:allow`, the config file (allowed fingerprints, ignored
 * paths, self-hosted hosts) and baselines (write, apply, stale entries).
 */
import { rmSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cloudKey, communityValue, leakedSecrets } from './helpers/keys.js';
import { scan, scanJson } from './helpers/scan.js';
import { TempTree } from './helpers/tmp.js';

let tree: TempTree;
beforeEach(() => {
  tree = new TempTree();
});
afterEach(() => tree.cleanup());

describe('statalog:allow', () => {
  it('suppresses a finding on its own line, in any comment syntax, and nowhere else', async () => {
    const keys = Array.from({ length: 5 }, cloudKey);
    tree.write('a.ts', `const a = "${keys[0]}"; // statalog:allow\nconst b = "${keys[1]}";\n`);
    tree.write('b.py', `A = "${keys[2]}"  # statalog:allow test value\n`);
    tree.write('c.html', `<meta content="${keys[3]}"> <!-- statalog:allow -->\n`);
    tree.write('d.sql', `-- statalog:allow\nINSERT INTO k VALUES ('${keys[4]}');\n`);
    const { code, report } = await scanJson([], { cwd: tree.dir });
    expect(code).toBe(1);
    expect(report.findings.map((f) => `${f.file}:${f.line}`)).toEqual(['a.ts:2', 'd.sql:2']);
  });
});

describe('config file', () => {
  it('allowedFingerprints accepts a finding by full fingerprint or, in any file, by secret hash', async () => {
    const [a, b, c] = [communityValue(), communityValue(), communityValue()];
    tree.write('one.env', `STATALOG_API_KEY=${a}\n`);
    tree.write('two.env', `STATALOG_API_KEY=${b}\n`);
    tree.write('three.env', `STATALOG_API_KEY=${c}\n`);
    tree.write('sub/four.env', `STATALOG_API_KEY=${b}\n`);
    const first = await scanJson([], { cwd: tree.dir });
    expect(first.report.findings).toHaveLength(4);
    const byFile = new Map(first.report.findings.map((f) => [f.file, f]));
    const hashOfB = byFile.get('two.env')!.fingerprint.split(':').at(-1)!;
    tree.write(
      '.statalog-scan.json',
      JSON.stringify({ allowedFingerprints: [byFile.get('one.env')!.fingerprint, hashOfB] }),
    );
    const second = await scanJson([], { cwd: tree.dir });
    expect(second.code).toBe(1);
    expect(second.report.findings.map((f) => f.file)).toEqual(['three.env']);
  });

  it('is found at the git top level from a subdirectory; its fingerprints and globs are relative to it', async () => {
    tree.git('init', '-q');
    const [a, b] = [communityValue(), communityValue()];
    tree.write('app/one.env', `STATALOG_API_KEY=${a}\n`);
    tree.write('app/generated/two.env', `STATALOG_API_KEY=${b}\n`);
    const first = await scanJson(['app'], { cwd: tree.dir });
    const one = first.report.findings.find((f) => f.file === 'app/one.env')!;
    tree.write(
      '.statalog-scan.json',
      JSON.stringify({ ignorePaths: ['app/generated/'], allowedFingerprints: [one.fingerprint] }),
    );
    const fromSub = await scanJson([], { cwd: tree.path('app') });
    expect(fromSub.code).toBe(0);
    expect(fromSub.report.findings).toEqual([]);
    expect(fromSub.report.stats.files).toBe(1);
  });

  it('ignorePaths skips matching paths, except a path named on the command line (and what is under it)', async () => {
    const keys = [communityValue(), communityValue(), communityValue()];
    tree.write('.statalog-scan.json', JSON.stringify({ ignorePaths: ['vendor/**', '*.log'] }));
    tree.write('vendor/lib/config.env', `STATALOG_API_KEY=${keys[0]}\n`);
    tree.write('vendor/lib/debug.log', `STATALOG_API_KEY=${keys[1]}\n`);
    tree.write('src/app.env', `STATALOG_API_KEY=${keys[2]}\n`);
    const all = await scanJson(['.'], { cwd: tree.dir });
    expect(all.report.findings.map((f) => f.file)).toEqual(['src/app.env']);
    const named = await scanJson(['vendor/lib'], { cwd: tree.dir });
    // vendor/** excluded the named path itself, so it does not apply; *.log matches inside it, so it does
    expect(named.report.findings.map((f) => f.file)).toEqual(['vendor/lib/config.env']);
    const file = await scanJson(['vendor/lib/debug.log'], { cwd: tree.dir });
    expect(file.report.findings.map((f) => f.file)).toEqual(['vendor/lib/debug.log']);
  });

  it('selfHostedHosts: api_key= URLs to a configured host are reported, to other hosts not', async () => {
    const value = communityValue();
    tree.write('report.sh', `curl "https://stats.example.com/anything?api_key=${value}"\n`);
    expect((await scanJson([], { cwd: tree.dir })).report.findings).toEqual([]);
    tree.write('.statalog-scan.json', JSON.stringify({ selfHostedHosts: ['https://stats.example.com/'] }));
    const { code, report } = await scanJson([], { cwd: tree.dir });
    expect(code).toBe(1);
    expect(report.findings).toMatchObject([{ ruleId: 'url-key', file: 'report.sh', line: 1, column: 50 }]);
  });
});

describe('baseline', () => {
  it('records findings, reports only new ones, survives edits, and lists entries that match nothing', async () => {
    const [k1, k2, k3, k4] = [cloudKey(), cloudKey(), cloudKey(), cloudKey()];
    tree.write('src/a.ts', `const a = "${k1}";\n`);
    tree.write('src/b.ts', `const b = "${k2}";\n`);

    const write = await scan(['--write-baseline', 'baseline.json', 'src'], { cwd: tree.dir });
    expect(write.code).toBe(0);
    expect(write.stderr).toBe('statalog-scan: wrote 2 baseline entries to baseline.json\n');
    const baseline = JSON.parse(tree.read('baseline.json')) as { version: number; entries: Array<{ file: string }> };
    expect(baseline.version).toBe(1);
    expect(baseline.entries.map((e) => e.file)).toEqual(['src/a.ts', 'src/b.ts']);
    expect(leakedSecrets(tree.read('baseline.json'), [k1, k2])).toEqual([]);

    let run = await scanJson(['--baseline', 'baseline.json', 'src'], { cwd: tree.dir });
    expect(run.code).toBe(0);
    expect(run.report.findings).toEqual([]);
    expect(run.report.baseline).toEqual({ baselined: 2, stale: [] });

    // an edit that moves the key keeps it baselined; a new key in a new file is reported
    tree.write('src/a.ts', `// moved down\n\nexport const a = "${k1}";\n`);
    tree.write('src/c.ts', `const c = "${k3}";\n`);
    run = await scanJson(['--baseline', 'baseline.json', 'src'], { cwd: tree.dir });
    expect(run.code).toBe(1);
    expect(run.report.findings.map((f) => f.file)).toEqual(['src/c.ts']);

    // a different secret on the baselined line is new; the old entry no longer matches anything
    tree.write('src/b.ts', `const b = "${k4}";\n`);
    rmSync(tree.path('src/c.ts'));
    run = await scanJson(['--baseline', 'baseline.json', 'src'], { cwd: tree.dir });
    expect(run.code).toBe(1);
    expect(run.report.findings.map((f) => f.file)).toEqual(['src/b.ts']);
    expect(run.report.baseline!.baselined).toBe(1);
    expect(run.report.baseline!.stale).toMatchObject([{ ruleId: 'cloud-key', file: 'src/b.ts' }]);

    const text = await scan(['--baseline', 'baseline.json', 'src'], { cwd: tree.dir });
    expect(text.stdout).toContain('Baseline entries that no longer match anything');
    expect(text.stdout).toMatch(/ {2}src\/b\.ts {2}cloud-key {2}st_[0-9a-f]{4}…[0-9a-f]{4}/);
    expect(leakedSecrets(text.stdout + text.stderr, [k1, k2, k3, k4])).toEqual([]);
  });

  it('an entry for a file outside the scanned paths is not stale', async () => {
    const [k1, k2] = [cloudKey(), cloudKey()];
    tree.write('a/x.ts', `const x = "${k1}";\n`);
    tree.write('b/y.ts', `const y = "${k2}";\n`);
    await scan(['--write-baseline', 'baseline.json'], { cwd: tree.dir });
    const { code, report } = await scanJson(['--baseline', 'baseline.json', 'a'], { cwd: tree.dir });
    expect(code).toBe(0);
    expect(report.baseline).toEqual({ baselined: 1, stale: [] });
  });

  it('refreshing a baseline of one directory keeps the entries of the others', async () => {
    const [k1, k2, k3] = [cloudKey(), cloudKey(), cloudKey()];
    tree.write('a/x.ts', `const x = "${k1}";\n`);
    tree.write('b/y.ts', `const y = "${k2}";\n`);
    await scan(['--write-baseline', 'baseline.json'], { cwd: tree.dir });
    tree.write('a/x.ts', `const x = "${k3}";\n`);
    const refresh = await scan(['--baseline', 'baseline.json', '--write-baseline', 'baseline.json', 'a'], {
      cwd: tree.dir,
    });
    expect(refresh.code).toBe(0);
    const { entries } = JSON.parse(tree.read('baseline.json')) as { entries: Array<{ file: string; masked: string }> };
    expect(entries.map((e) => `${e.file} ${e.masked}`)).toEqual([
      `a/x.ts st_${k3.slice(3, 7)}…${k3.slice(-4)}`,
      `b/y.ts st_${k2.slice(3, 7)}…${k2.slice(-4)}`,
    ]);
  });

  it('a baseline that is not one is an error naming the file', async () => {
    writeFileSync(tree.path('baseline.json'), JSON.stringify({ entries: [] }));
    const result = await scan(['--baseline', 'baseline.json'], { cwd: tree.dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^statalog-scan: baseline\.json: is not a statalog-scan baseline/);
  });
});
