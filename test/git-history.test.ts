/**
 * `--range` and `--history` on real repositories: each commit's added lines (add-then-remove is found),
 * merges (a branch's key is credited to the branch commit, a key written while resolving the merge to the
 * merge), renames, binary and deleted files, one finding per secret and file with its oldest commit, and the
 * cases that cannot be scanned completely (unknown or all-zero base, shallow clones) — exit 2 unless
 * --allow-partial. Every run checks that no key reaches stdout or stderr.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TempRepo } from './helpers/git.js';
import { cloudKey, expectNoSecrets, masked } from './helpers/keys.js';
import { jsonFindings, parseReport, type JsonFinding } from './helpers/report.js';

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

async function scan(...args: string[]) {
  const result = await repo.scan([...args, '--format', 'json']);
  expectNoSecrets(result, secrets);
  return result;
}

/**
 * Findings of `--history`, checked to be the same when step 2 must judge every blob itself (a memory budget
 * of 0 for blobs kept unjudged: the path a history full of Statalog mentions takes) and when every pair is
 * credited on the second thread (the path of a long history).
 */
async function historyFindings(): Promise<JsonFinding[]> {
  const findings = jsonFindings(await scan('--history'));
  const paths: Array<Record<string, string>> = [
    { STATALOG_HISTORY_KEEP_BYTES: '0' },
    { STATALOG_HISTORY_CREDIT_THREAD: '1' },
  ];
  for (const env of paths) {
    const other = await repo.scan(['--history', '--format', 'json'], { env });
    expectNoSecrets(other, secrets);
    expect(jsonFindings(other)).toEqual(findings);
  }
  return findings;
}

const brief = (f: JsonFinding) => ({
  file: f.file,
  masked: f.masked,
  commit: f.commit,
  presentAtHead: f.presentAtHead,
  occurrences: f.occurrences,
});

describe('--range', () => {
  it('finds a key added in one commit and removed in the next, credited to the commit that added it', async () => {
    repo.write('app.js', 'export const a = 1;\n');
    const base = repo.commit('base');
    const k = key();
    repo.write('app.js', `export const a = 1;\nconst token = '${k}';\n`);
    const added = repo.commit('oops');
    repo.write('app.js', 'export const a = 1;\nconst token = process.env.STATALOG_API_KEY;\n');
    repo.commit('remove it');

    for (const range of [`${base}..HEAD`, `${base}..`, base]) {
      const result = await scan('--range', range);
      expect(result.code).toBe(1);
      const findings = jsonFindings(result);
      expect(findings.map(brief)).toEqual([
        { file: 'app.js', masked: masked(k), commit: added, presentAtHead: false, occurrences: 1 },
      ]);
      expect(findings[0]).toMatchObject({
        line: 2,
        author: 'Ana Tester <ana@example.test>',
        date: '2024-05-01T12:00:00+00:00',
      });
      expect(parseReport(result.stdout).stats).toMatchObject({ commits: 2, gitMode: 'range' });
    }
    // the base itself is outside the range
    expect((await scan('--range', `${added}..HEAD`)).code).toBe(0);
  });

  it('says what to do: revoke a key that is only in history, remove and revoke one still in HEAD', async () => {
    repo.write('README.md', 'x\n');
    const base = repo.commit('base');
    const gone = key();
    const kept = key();
    repo.write('a.env', `KEY=${gone}\n`);
    repo.write('b.env', `KEY=${kept}\n`);
    repo.commit('two keys');
    repo.remove('a.env');
    repo.commit('remove one');
    const result = await repo.scan(['--range', `${base}..HEAD`]);
    expectNoSecrets(result, secrets);
    expect(result.stdout).toMatch(/Still in HEAD \(1\).*remove the key from the file AND revoke it/);
    expect(result.stdout).toMatch(/Only in history \(1\).*revoke it — deleting the line does not help/);
    expect(result.stdout).toContain(`b.env:1 ${masked(kept)}`);
    expect(result.stdout).toContain(`a.env:1 ${masked(gone)}`);
    expect(result.stdout).toContain('Account → API Keys → Revoke');
  });

  it('refuses what it cannot resolve with exit 2: an unknown base, the all-zero sha, A...B', async () => {
    repo.write('a.env', `KEY=${key()}\n`);
    repo.commit('one');
    const unknown = await scan('--range', `${'1'.repeat(40)}..HEAD`);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/is not a commit in this repository.*nothing was scanned/);
    const zero = await scan('--range', `${'0'.repeat(40)}..HEAD`);
    expect(zero.code).toBe(2);
    expect(zero.stderr).toMatch(/all-zero sha/);
    expect(zero.stderr).toMatch(/--allow-partial/);
    expect((await scan('--range', 'HEAD...HEAD')).code).toBe(2);
    expect((await scan('--range', 'HEAD..nope')).stderr).toMatch(/nope is not a commit/);
    for (const r of [unknown, zero]) expect(r.stderr.trim().split('\n')).toHaveLength(1);

    // --allow-partial: scan everything reachable from the tip instead, and say so
    const partial = await scan('--range', `${'0'.repeat(40)}..HEAD`, '--allow-partial');
    expect(partial.code).toBe(1);
    expect(partial.stderr).toMatch(/partial scan: .*scanned every commit reachable from HEAD/);
    expect(parseReport(partial.stdout).stats.partial).toHaveLength(1);
  });
});

describe('--history', () => {
  it('credits a merged branch key to its branch commit, and a key written during a merge to the merge', async () => {
    repo.write('shared.txt', 'one\ntwo\nthree\n');
    repo.commit('base');
    repo.git('checkout', '-q', '-b', 'feature');
    const branchKey = key();
    repo.write('feature.env', `KEY=${branchKey}\n`);
    const branchCommit = repo.commit('feature adds a key');
    repo.write('shared.txt', 'one\ntwo (feature)\nthree\n');
    repo.commit('feature edits shared');
    repo.git('checkout', '-q', 'main');
    repo.write('shared.txt', 'one\ntwo (main)\nthree\n');
    repo.commit('main edits shared');
    // a conflicting merge, resolved by hand with a key nobody had before
    const mergeKey = key();
    expect(() => repo.git('merge', '-q', 'feature', '-m', 'merge')).toThrow();
    repo.write('shared.txt', `one\ntwo (both)\nkey: ${mergeKey}\nthree\n`);
    repo.git('add', 'shared.txt');
    repo.git('commit', '-q', '--no-edit', '--no-verify');
    const mergeCommit = repo.head();

    const result = await scan('--history');
    expect(result.code).toBe(1);
    expect(jsonFindings(result).map(brief)).toEqual([
      { file: 'feature.env', masked: masked(branchKey), commit: branchCommit, presentAtHead: true, occurrences: 1 },
      { file: 'shared.txt', masked: masked(mergeKey), commit: mergeCommit, presentAtHead: true, occurrences: 1 },
    ]);
    expect(await historyFindings()).toEqual(jsonFindings(result));
    // from after the branch commit on, only the key written during the merge is new
    const merged = await scan('--range', `${branchCommit}..HEAD`);
    expect(jsonFindings(merged).map((f) => f.commit)).toEqual([mergeCommit]);
  });

  it('is one finding per key and file: the oldest commit and how many commits added it', async () => {
    const k = key();
    repo.write('a.env', `KEY=${k}\n`);
    const first = repo.commit('add');
    repo.write('a.env', 'KEY=\n');
    repo.commit('remove');
    repo.write('a.env', `KEY=${k}\n`);
    repo.commit('add again');
    repo.write('b.env', `OTHER=${k}\n`);
    repo.commit('same key elsewhere');
    const findings = await historyFindings();
    expect(findings.map(brief)).toEqual([
      { file: 'a.env', masked: masked(k), commit: first, presentAtHead: true, occurrences: 2 },
      { file: 'b.env', masked: masked(k), commit: repo.head(), presentAtHead: true, occurrences: 1 },
    ]);
  });

  it('does not credit a rename with the key it moves', async () => {
    const k = key();
    repo.write('config/old.yml', `a: 1\nkey: ${k}\n${'filler: x\n'.repeat(10)}`);
    const added = repo.commit('add');
    repo.git('mv', 'config/old.yml', 'config/new.yml');
    repo.commit('rename');
    repo.write('config/new.yml', `a: 2\nkey: ${k}\n${'filler: x\n'.repeat(10)}`);
    repo.commit('edit the renamed file');
    const findings = jsonFindings(await scan('--history'));
    expect(findings.map(brief)).toEqual([
      { file: 'config/old.yml', masked: masked(k), commit: added, presentAtHead: true, occurrences: 1 },
    ]);
  });

  it('credits a key in a binary file to the commit that made it a key, when the version before held its bytes inside a word', async () => {
    const k = key();
    // text where the key's bytes touch a word character: not a key, though the bytes are there (and the word
    // statalog, so the prefilter keeps this version for a closer look)
    repo.write('data.bin', `statalog notes\nprefix_x${k}x\n`);
    repo.commit('not a key yet');
    // binary now (a NUL up front), and the left boundary is relaxed there: a key
    repo.write('data.bin', Buffer.concat([Buffer.from([0x00, 0x01]), Buffer.from(`${k}\n`)]));
    const made = repo.commit('binary with the key');
    const findings = await historyFindings();
    expect(findings.map(brief)).toEqual([
      { file: 'data.bin', masked: masked(k), commit: made, presentAtHead: true, occurrences: 1 },
    ]);
  });

  it('finds keys in deleted files and in binary files, on every branch, and applies config and allow comments', async () => {
    const deleted = key();
    const binary = key();
    const otherBranch = key();
    const allowed = key();
    const ignored = key();
    repo.write('.statalog-scan.json', JSON.stringify({ ignorePaths: ['vendor/**'] }));
    repo.write('tmp/debug.log', `GET https://app.statalog.com/api/v1/stats?api_key=${deleted}&site_id=ST-A1B2C3\n`);
    repo.write('img/logo.png', Buffer.concat([Buffer.from([0x89, 0x50, 0, 0]), Buffer.from(binary)]));
    repo.write('test/fake.ts', `export const revoked = '${allowed}'; // statalog:allow\n`);
    repo.write('vendor/lib.js', `const k = '${ignored}';\n`);
    const first = repo.commit('assets');
    repo.remove('tmp/debug.log');
    repo.commit('remove the log');
    repo.git('checkout', '-q', '-b', 'experiment');
    repo.write('exp.env', `KEY=${otherBranch}\n`);
    const onBranch = repo.commit('experiment');
    repo.git('checkout', '-q', 'main');

    const findings = await historyFindings();
    expect(findings.map((f) => [f.file, f.ruleId, f.masked, f.commit, f.presentAtHead])).toEqual([
      // presentAtHead is about HEAD (main), where the branch's key is not
      ['exp.env', 'cloud-key', masked(otherBranch), onBranch, false],
      ['img/logo.png', 'cloud-key', masked(binary), first, true],
      ['tmp/debug.log', 'url-key', masked(deleted), first, false],
    ]);
  });

  it('refuses a shallow clone with exit 2, and scans what is there with --allow-partial', async () => {
    const old = key();
    repo.write('a.env', `KEY=${old}\n`);
    repo.commit('old key');
    repo.write('a.env', 'KEY=\n');
    repo.commit('removed');
    const current = key();
    repo.write('b.env', `KEY=${current}\n`);
    repo.commit('current key');
    const clone = repo.sibling('shallow');
    repo.git('clone', '-q', '--depth', '1', `file://${repo.dir}`, clone.dir);
    const run = async (...args: string[]) => {
      const r = await clone.scan([...args, '--format', 'json']);
      expectNoSecrets(r, secrets);
      return r;
    };

    const refused = await run('--history');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/shallow clone.*git fetch --unshallow.*--allow-partial/);
    expect(refused.stdout).toBe('');

    const partial = await run('--history', '--allow-partial');
    expect(partial.code).toBe(1);
    expect(partial.stderr).toMatch(/partial scan: this is a shallow clone/);
    // the boundary commit's files count as added by it; the key removed before it was never fetched
    expect(jsonFindings(partial).map((f) => [f.file, f.masked])).toEqual([['b.env', masked(current)]]);

    const range = await run('--range', 'HEAD~1..HEAD');
    expect(range.code).toBe(2);
    expect(range.stderr).toMatch(/not in this shallow clone.*fetch-depth: 0/);
  });

  it('refuses a range that runs past the shallow boundary', async () => {
    repo.write('a.txt', '1\n');
    repo.commit('1');
    repo.git('branch', 'old');
    for (const n of [2, 3, 4]) {
      repo.write('a.txt', `${n}\n`);
      repo.commit(String(n));
    }
    const clone = repo.sibling('shallow');
    repo.git('clone', '-q', '--depth', '1', '--no-single-branch', `file://${repo.dir}`, clone.dir);
    const refused = await clone.scan(['--range', 'origin/old..HEAD']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/shallow clone stops inside the range/);
    const partial = await clone.scan(['--range', 'origin/old..HEAD', '--allow-partial']);
    expect(partial.code).toBe(0);
    expect(partial.stderr).toMatch(/partial scan: this shallow clone stops inside the range/);
  });
});
