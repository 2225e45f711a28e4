/**
 * Hardening, git: the repository shapes CI and developers really have — a detached HEAD, an empty
 * repository, submodules (checked out and not), a linked worktree, a `.git` file (`--separate-git-dir`),
 * either `core.quotePath`, non-UTF-8 commit messages, authors and paths, a range with a missing object —
 * through --staged, --range and --history. Either the scan is right, or it exits 2 with one line that says
 * what is missing; never a silent "clean".
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TempRepo } from './helpers/git.js';
import { hasTerminalControls, NON_UTF8_NAME, NON_UTF8_SHOWN, unexpectedCommands } from './helpers/hostile.js';
import { cloudKey, masked } from './helpers/keys.js';
import type { RunResult } from './helpers/process.js';
import { jsonFindings, parseReport } from './helpers/report.js';

const repos: TempRepo[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) r.cleanup();
});

function repo(name?: string): TempRepo {
  const r = TempRepo.create(name);
  repos.push(r);
  return r;
}

function expectOneLineError(run: RunResult, pattern: RegExp): void {
  expect(run.code).toBe(2);
  const lines = run.stderr.trimEnd().split('\n');
  expect(lines, run.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
}

describe('repository shapes', () => {
  it('an empty repository: --staged and --history are clean, --range names what does not exist', async () => {
    const r = repo();
    const staged = await r.scan(['--staged']);
    expect(staged.code).toBe(0);
    const history = await r.scan(['--history', '--format', 'json']);
    expect(history.code).toBe(0);
    expect(parseReport(history.stdout).stats.commits).toBe(0);
    expectOneLineError(
      await r.scan(['--range', 'HEAD~1..HEAD']),
      /^statalog-scan: --range HEAD~1\.\.HEAD: HEAD is not a commit in this repository/,
    );
    // the very first commit's staged key is found
    const key = cloudKey();
    r.write('first.ts', `export const k = "${key}";\n`);
    r.git('add', '.');
    const first = await r.scan(['--staged', '--format', 'json']);
    expect(first.code).toBe(1);
    expect(jsonFindings(first).map((f) => [f.file, f.masked])).toEqual([['first.ts', masked(key)]]);
  });

  it('a detached HEAD: --history sees every branch; --range and --staged work from it', async () => {
    const r = repo();
    r.commit('base');
    const key = cloudKey();
    r.write('a.ts', `export const k = "${key}";\n`);
    const added = r.commit('add a key');
    r.git('checkout', '-q', '--detach', 'HEAD~1');
    const history = await r.scan(['--history', '--format', 'json']);
    expect(history.code).toBe(1);
    // presence is judged against HEAD, which is detached before the key
    expect(jsonFindings(history)).toMatchObject([{ file: 'a.ts', commit: added, presentAtHead: false }]);
    const range = await r.scan(['--range', `HEAD..${added}`, '--format', 'json']);
    expect(jsonFindings(range).map((f) => f.commit)).toEqual([added]);
    r.write('b.ts', `export const k = "${key}";\n`);
    r.git('add', 'b.ts');
    const staged = await r.scan(['--staged', '--format', 'json']);
    expect(jsonFindings(staged).map((f) => f.file)).toEqual(['b.ts']);
  });

  it('a linked worktree and a repository whose .git is a file: every mode works from inside them', async () => {
    const r = repo();
    r.commit('base');
    const key = cloudKey();
    const tree = join(r.base, 'wt');
    r.git('worktree', 'add', '-q', '-b', 'side', tree);
    const wt = r.sibling('wt');
    wt.write('w.env', `STATALOG_API_KEY=${key.slice(3)}\n`);
    wt.git('add', 'w.env');
    expect(jsonFindings(await wt.scan(['--staged', '--format', 'json'])).map((f) => f.file)).toEqual(['w.env']);
    expect(jsonFindings(await wt.scan(['--format', 'json'])).map((f) => f.file)).toEqual(['w.env']);
    wt.git('commit', '-q', '-m', 'side key');
    expect(jsonFindings(await wt.scan(['--range', 'main..side', '--format', 'json'])).map((f) => f.file)).toEqual([
      'w.env',
    ]);
    expect(jsonFindings(await r.scan(['--history', '--format', 'json'])).map((f) => f.file)).toEqual(['w.env']);

    const separate = r.sibling('separate');
    r.git('init', '-q', '-b', 'main', '--separate-git-dir', join(r.base, 'separate.git'), separate.dir);
    separate.write('s.ts', `export const k = "${key}";\n`);
    separate.git('add', '.');
    expect(jsonFindings(await separate.scan(['--staged', '--format', 'json'])).map((f) => f.file)).toEqual(['s.ts']);
    separate.commit('s');
    expect(jsonFindings(await separate.scan(['--history', '--format', 'json'])).map((f) => f.file)).toEqual(['s.ts']);
    expect(jsonFindings(await separate.scan(['--format', 'json'])).map((f) => f.file)).toEqual(['s.ts']);
  });

  it('submodules: the files scan enters a checked-out one; git modes see the gitlink, not its content, and say nothing false', async () => {
    const sub = repo('sub');
    const inner = cloudKey();
    sub.write('inner.ts', `export const k = "${inner}";\n`);
    sub.commit('sub');
    const top = sub.sibling('top');
    mkdirSync(top.dir);
    top.git('init', '-q', '-b', 'main');
    top.commit('base');
    top.git('-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', sub.dir, 'libs/sub');
    top.commit('add the submodule');
    const files = await top.scan(['--format', 'json']);
    expect(jsonFindings(files).map((f) => f.file)).toEqual(['libs/sub/inner.ts']);
    // a submodule's history is its own repository: scan it there (the superproject records only a sha)
    const history = await top.scan(['--history', '--format', 'json']);
    expect(history.code).toBe(0);
    expect(jsonFindings(await sub.scan(['--history', '--format', 'json'])).map((f) => f.file)).toEqual(['inner.ts']);
    // a clone without --recurse-submodules: an empty directory where the submodule would be
    const clone = sub.sibling('clone');
    top.git('clone', '-q', top.dir, clone.dir);
    const cloned = await clone.scan(['--format', 'json']);
    expect(cloned.code).toBe(0);
    expect(cloned.stderr).toBe('');
  });
});

describe('names and encodings in git', () => {
  it('core.quotePath true or false, a non-UTF-8 path, author and message: the same findings, printable, no runner command', async () => {
    const r = repo();
    r.commit('base');
    const key = cloudKey();
    const names = [
      'dir with space/a.ts',
      'ünïcödé/b.ts',
      'tab\there.ts',
      'new\nline.ts',
      '::error::forged.ts',
      '##[add-mask]x.ts',
    ];
    for (const n of names) r.write(n, `export const k = "${key}";\n`);
    writeFileSync(Buffer.concat([Buffer.from(`${r.dir}/raw-`), NON_UTF8_NAME]), `export const k = "${key}";\n`);
    const expected = [...names, `raw-${NON_UTF8_SHOWN}`].sort();
    r.git('add', '-A');
    const byQuotePath: Record<string, string[]> = {};
    for (const quotePath of ['true', 'false']) {
      r.git('config', 'core.quotePath', quotePath);
      const staged = await r.scan(['--staged', '--format', 'json']);
      byQuotePath[quotePath] = jsonFindings(staged)
        .map((f) => f.file)
        .sort();
      const text = await r.scan(['--staged']);
      expect(hasTerminalControls(text.stdout)).toBe(false);
      expect(unexpectedCommands(text.stdout)).toEqual([]);
      expect(unexpectedCommands(text.stderr)).toEqual([]);
    }
    expect(byQuotePath.true).toEqual(expected);
    expect(byQuotePath.false).toEqual(expected);

    // a commit whose message and author are not UTF-8 (latin-1, as old tools wrote them)
    r.git('-c', 'i18n.commitEncoding=ISO-8859-1', 'commit', '-q', '--no-verify', '-m', 'caf\u00e9');
    const raw = r.git('cat-file', 'commit', 'HEAD');
    expect(raw).toContain('encoding ISO-8859-1');
    r.git(
      'commit',
      '-q',
      '--allow-empty',
      '--no-verify',
      '--author',
      'M\u00fcller \u001b[31m<m@example.test>',
      '-m',
      'later',
    );
    for (const mode of [['--history'], ['--range', 'HEAD~2..HEAD']]) {
      const json = await r.scan([...mode, '--format', 'json']);
      expect(json.code).toBe(1);
      expect(
        jsonFindings(json)
          .map((f) => f.file)
          .sort(),
      ).toEqual(expected);
      const text = await r.scan(mode);
      expect(hasTerminalControls(text.stdout)).toBe(false);
      expect(unexpectedCommands(text.stdout)).toEqual([]);
      const github = await r.scan([...mode, '--format', 'github']);
      expect(
        github.stdout
          .trimEnd()
          .split('\n')
          .every((l) => l.startsWith('::error file=')),
      ).toBe(true);
      expect(unexpectedCommands(github.stderr)).toEqual([]);
    }
  });
});

describe('missing objects', () => {
  it('a blob, a tree or a commit missing from a range: exit 2 with one line that names it', async () => {
    const r = repo();
    r.commit('base');
    const key = cloudKey();
    r.write('a.ts', `export const k = "${key}";\n`);
    const added = r.commit('key');
    r.write('b.ts', 'export {};\n');
    r.commit('after');
    const objectPath = (sha: string): string => join(r.dir, '.git/objects', sha.slice(0, 2), sha.slice(2));
    const blob = r.git('rev-parse', `${added}:a.ts`).trim();
    rmSync(objectPath(blob));
    const missingBlob = await r.scan(['--range', 'HEAD~2..HEAD', '--format', 'json']);
    expect(missingBlob.code).toBe(2);
    expect(parseReport(missingBlob.stdout).stats.skippedFiles).toEqual([
      expect.objectContaining({ file: 'a.ts', error: true }),
    ]);
    expect(missingBlob.stderr).toMatch(new RegExp(`^statalog-scan: a\\.ts: .*${blob.slice(0, 12)}.*missing`));
    const tree = r.git('rev-parse', `${added}^{tree}`).trim();
    rmSync(objectPath(tree));
    expectOneLineError(await r.scan(['--range', 'HEAD~2..HEAD']), /^statalog-scan: --range HEAD~2\.\.HEAD: .*tree/);
    rmSync(objectPath(added));
    expectOneLineError(
      await r.scan(['--history']),
      /^statalog-scan: --history: .*(could not read|missing|bad object)/i,
    );
    expectOneLineError(
      await r.scan(['--range', `${added}..HEAD`]),
      /^statalog-scan: --range [0-9a-f]{40}\.\.HEAD: .*not a commit/,
    );
  });
});
