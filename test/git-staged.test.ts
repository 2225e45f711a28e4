/**
 * `statalog-scan --staged` on real repositories: the index (not the work tree), added lines only, staged line
 * numbers, before the first commit, renames, copies, binary blobs, multi-line patterns, and config, baseline
 * and `statalog:allow` exactly as in file scans. Every run checks that no key reaches stdout or stderr.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TempRepo } from './helpers/git.js';
import { cloudKey, communityValue, expectNoSecrets, masked } from './helpers/keys.js';
import { jsonFindings, parseReport } from './helpers/report.js';

let repo: TempRepo;
let secrets: string[];
beforeEach(() => {
  repo = TempRepo.create();
  secrets = [];
});
afterEach(() => repo.cleanup());

function key(): string {
  const k = cloudKey();
  secrets.push(k);
  return k;
}

async function staged(...extra: string[]) {
  const result = await repo.scan(['--staged', '--format', 'json', ...extra]);
  expectNoSecrets(result, secrets);
  return result;
}

describe('--staged', () => {
  it('while concluding a merge: what the other side brings is not added, a key typed in the resolution is', async () => {
    repo.write('shared.env', 'MODE=base\n');
    repo.commit('base');
    repo.git('checkout', '-q', '-b', 'other');
    const theirs = key();
    repo.write('shared.env', 'MODE=other\n');
    repo.write('other.env', `STATALOG_TOKEN=${theirs}\n`);
    repo.commit('other');
    repo.git('checkout', '-q', 'main');
    repo.write('shared.env', 'MODE=main\n');
    repo.commit('main');
    expect(repo.tryGit('merge', '-q', 'other').code).not.toBe(0);
    const typed = key();
    repo.write('shared.env', `MODE=merged\nSTATALOG_TOKEN=${typed}\n`);
    repo.git('add', '-A');
    const result = await staged();
    expect(result.code).toBe(1);
    expect(jsonFindings(result).map((f) => [f.file, f.line, f.masked])).toEqual([['shared.env', 2, masked(typed)]]);
  });

  it('reports a key in the very first commit of a repository, at its staged line', async () => {
    const k = key();
    repo.write('config/app.env', `# settings\nDEBUG=1\nSTATALOG_TOKEN=${k}\n`);
    repo.git('add', '.');
    const result = await staged();
    expect(result.code).toBe(1);
    expect(jsonFindings(result)).toEqual([
      expect.objectContaining({ ruleId: 'cloud-key', file: 'config/app.env', line: 3, column: 16, masked: masked(k) }),
    ]);
    expect(jsonFindings(result)[0]!.commit).toBeUndefined();
    expect(parseReport(result.stdout).stats.gitMode).toBe('staged');
  });

  it('reads the index, not the work tree', async () => {
    repo.write('README.md', 'hello\n');
    repo.commit('first');
    const stagedKey = key();
    const diskOnlyKey = key();
    // staged: the key on line 2; then the work-tree copy loses the key and gains lines above it
    repo.write('app.js', `export const a = 1;\nconst token = '${stagedKey}';\n`);
    repo.git('add', 'app.js');
    repo.write(
      'app.js',
      `// one\n// two\n// three\nexport const a = 1;\nconst token = process.env.STATALOG_API_KEY;\n`,
    );
    // only on disk: a tracked file modified but not staged
    repo.write('README.md', `hello\nkey: ${diskOnlyKey}\n`);
    const result = await staged();
    expect(result.code).toBe(1);
    const findings = jsonFindings(result);
    expect(findings.map((f) => [f.file, f.line, f.masked])).toEqual([['app.js', 2, masked(stagedKey)]]);
  });

  it('is clean when nothing is staged, and when a key is staged for deletion', async () => {
    repo.write('old.env', `KEY=${key()}\n`);
    repo.commit('a key that is already in history');
    expect((await staged()).code).toBe(0);
    repo.git('rm', '-q', 'old.env');
    const result = await staged();
    expect(result.code).toBe(0);
    expect(jsonFindings(result)).toEqual([]);
  });

  it('reports only added lines: a committed key is not reported again when another line changes', async () => {
    const old = key();
    repo.write('settings.yml', `a: 1\nkey: ${old}\nb: 2\n`);
    repo.commit('old key');
    const fresh = key();
    repo.write('settings.yml', `a: 1\nkey: ${old}\nb: 3\nsecond: ${fresh}\n`);
    repo.git('add', '.');
    const result = await staged();
    expect(jsonFindings(result).map((f) => [f.line, f.masked])).toEqual([[4, masked(fresh)]]);
  });

  it('follows renames (nothing added by the move) and reports keys added to renamed and copied files', async () => {
    const old = key();
    repo.write('src/a.ts', `// a\nexport const key = '${old}';\n${'export const filler = 1;\n'.repeat(20)}`);
    repo.commit('a key in a file');
    repo.git('mv', 'src/a.ts', 'src/b.ts');
    expect((await staged()).code).toBe(0);

    const added = key();
    repo.write(
      'src/b.ts',
      `// a\nexport const key = '${old}';\n${'export const filler = 1;\n'.repeat(20)}export const other = '${added}';\n`,
    );
    repo.write('src/copy.ts', `// a\nexport const key = '${old}';\n`);
    repo.git('add', '-A');
    const findings = jsonFindings(await staged());
    expect(findings.map((f) => [f.file, f.line, f.masked])).toEqual([
      ['src/b.ts', 23, masked(added)],
      // a copy puts the key in one more place: it is a new file as far as this scan is concerned
      ['src/copy.ts', 2, masked(old)],
    ]);
  });

  it('searches binary blobs for cloud keys only', async () => {
    const k = key();
    const community = communityValue();
    secrets.push(community);
    repo.write(
      'assets/blob.bin',
      Buffer.concat([Buffer.from([0, 1, 2, 0]), Buffer.from(`xx ${k} yy\nSTATALOG_API_KEY=${community}\n`)]),
    );
    repo.git('add', '.');
    const findings = jsonFindings(await staged());
    expect(findings.map((f) => [f.file, f.ruleId, f.masked])).toEqual([['assets/blob.bin', 'cloud-key', masked(k)]]);
    const text = await repo.scan(['--staged']);
    expect(text.stdout).toMatch(/1 binary/);
  });

  it('sees multi-line patterns whose other half was committed earlier (Kubernetes name/value)', async () => {
    repo.write('deploy.yaml', 'env:\n  - name: STATALOG_API_KEY\n    value: ""\n');
    repo.commit('empty value');
    const value = communityValue();
    secrets.push(value);
    repo.write('deploy.yaml', `env:\n  - name: STATALOG_API_KEY\n    value: "${value}"\n`);
    repo.git('add', '.');
    const findings = jsonFindings(await staged());
    expect(findings.map((f) => [f.ruleId, f.line])).toEqual([['community-key', 3]]);
  });

  it('credits the change that makes a key detectable, even when the value line itself did not change', async () => {
    const value = communityValue();
    secrets.push(value);
    repo.write('deploy.yaml', `env:\n  - name: OTHER_TOKEN\n    value: "${value}"\n`);
    repo.commit('a value under another name');
    repo.write('deploy.yaml', `env:\n  - name: STATALOG_API_KEY\n    value: "${value}"\n`);
    repo.git('add', '.');
    const findings = jsonFindings(await staged());
    expect(findings.map((f) => [f.ruleId, f.line])).toEqual([['community-key', 3]]);
  });

  it('applies statalog:allow, the config and a baseline exactly as file scans do', async () => {
    const allowed = key();
    const ignored = key();
    const baselined = key();
    const reported = key();
    repo.write('.statalog-scan.json', JSON.stringify({ ignorePaths: ['fixtures/**'] }));
    repo.write('test/keys.ts', `export const revoked = '${allowed}'; // statalog:allow\n`);
    repo.write('fixtures/leak.env', `KEY=${ignored}\n`);
    repo.write('legacy.env', `KEY=${baselined}\n`);
    repo.git('add', '.');
    // accept what is there now, the file-scan way
    const written = await repo.scan(['.', '--write-baseline', 'baseline.json']);
    expect(written.code).toBe(0);
    repo.write('new.env', `KEY=${reported}\n`);
    repo.git('add', '.');
    const result = await staged('--baseline', 'baseline.json');
    expect(jsonFindings(result).map((f) => [f.file, f.masked])).toEqual([['new.env', masked(reported)]]);
    expect(parseReport(result.stdout).baseline?.baselined).toBe(1);
  });

  it('blocks with a message naming file, line and masked key, and saying how to fix it', async () => {
    const k = key();
    repo.write(
      'src/client.js',
      `const a = 1;\nfetch('https://app.statalog.com/api/v1/stats', { headers: { Authorization: 'Bearer ${k}' } });\n`,
    );
    repo.git('add', '.');
    const result = await repo.scan(['--staged']);
    expectNoSecrets(result, secrets);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('src/client.js');
    expect(result.stdout).toMatch(new RegExp(`2:\\d+\\s+cloud-key\\s+${masked(k)}`));
    expect(result.stdout).toContain('Commit blocked');
    expect(result.stdout).toContain('read it from the environment');
    expect(result.stdout).toContain('git restore --staged -- src/client.js');
    expect(result.stdout).toContain('statalog:allow');
  });

  it('fails with exit 2 and one line outside a repository', async () => {
    const result = await repo.scan(['--staged'], { cwd: repo.base });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/not inside a git work tree/);
  });
});
