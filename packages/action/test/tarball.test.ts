import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { readTarball } from '../src/tarball.js';

// a real archive from git archive, the program behind GitHub's tarball endpoint
let dir: string;
const env = {
  ...process.env,
  HOME: tmpdir(),
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'A',
  GIT_AUTHOR_EMAIL: 'a@x.test',
  GIT_COMMITTER_NAME: 'A',
  GIT_COMMITTER_EMAIL: 'a@x.test',
};
const long = `${'a-rather-long-directory-name/'.repeat(8)}file-with-a-long-name-too.txt`;
const unicode = 'dossier/éèà 文件.txt';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'statalog-tar-'));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, env });
  git('init', '-q');
  for (const [path, content] of [
    [long, 'deep\n'],
    [unicode, 'unicode\n'],
    ['bin/blob.dat', '\u0000\u0001binary'],
    ['empty.txt', ''],
  ] as const) {
    execFileSync('mkdir', ['-p', join(dir, path, '..')]);
    execFileSync('sh', ['-c', 'cat > "$1"', 'sh', join(dir, path)], { input: content });
  }
  execFileSync('ln', ['-s', 'empty.txt', join(dir, 'link')]);
  git('add', '-A');
  git('commit', '-q', '-m', 'x');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('reads every regular file of a git archive, long and non-ASCII paths included; links and directories are not files', () => {
  const gz = execFileSync('git', ['archive', '--format=tar.gz', '--prefix=acme-shop-abc1234/', 'HEAD'], {
    cwd: dir,
    env,
  });
  const files = readTarball(gz);
  const byPath = new Map(files.map((f) => [f.path, Buffer.from(f.data).toString('utf8')]));
  expect([...byPath.keys()].sort()).toEqual(['bin/blob.dat', 'dossier/éèà 文件.txt', long, 'empty.txt'].sort());
  expect(byPath.get(long)).toBe('deep\n');
  expect(byPath.get(unicode)).toBe('unicode\n');
  expect(byPath.get('empty.txt')).toBe('');
});
