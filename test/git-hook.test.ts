/**
 * `statalog-scan install-hook` driven by real `git commit`s: it blocks a commit that adds a key (also with
 * `git commit -a`, where git hands the hook a temporary index), lets clean commits through, keeps and runs an
 * existing hook, installs where core.hooksPath points, and uninstalls exactly what it added.
 */
import { readFileSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TempRepo } from './helpers/git.js';
import { cloudKey, expectNoSecrets, masked } from './helpers/keys.js';

let repo: TempRepo;
let secrets: string[];
beforeEach(() => {
  repo = TempRepo.create();
  secrets = [];
  repo.write('README.md', 'hello\n');
  repo.commit('first');
});
afterEach(() => repo.cleanup());

function key(): string {
  const k = cloudKey();
  secrets.push(k);
  return k;
}

const hookFile = () => join(repo.dir, '.git/hooks/pre-commit');

describe('install-hook', () => {
  it('blocks a commit that adds a key, naming file, line and masked key; lets a clean commit through', async () => {
    const installed = await repo.scan(['install-hook']);
    expect(installed.code).toBe(0);
    expect(installed.stdout).toContain('installed the pre-commit hook');
    expect(statSync(hookFile()).mode & 0o111).not.toBe(0);

    const k = key();
    repo.write('src/settings.py', `DEBUG = True\nSTATALOG_API_KEY = "${k}"\n`);
    repo.git('add', '.');
    const blocked = repo.tryGit('commit', '-m', 'add settings');
    expectNoSecrets(blocked, secrets);
    expect(blocked.code).not.toBe(0);
    const output = blocked.stdout + blocked.stderr;
    expect(output).toContain('src/settings.py');
    expect(output).toMatch(new RegExp(`2:\\d+\\s+cloud-key\\s+${masked(k)}`));
    expect(output).toContain('git restore --staged -- src/settings.py');
    expect(output).toContain('statalog:allow');
    expect(repo.git('rev-list', '--count', 'HEAD').trim()).toBe('1');

    repo.write('src/settings.py', 'import os\nDEBUG = True\nSTATALOG_API_KEY = os.environ["STATALOG_API_KEY"]\n');
    repo.git('add', '.');
    expect(repo.tryGit('commit', '-q', '-m', 'add settings').code).toBe(0);
  });

  it('scans the temporary index of git commit -a', async () => {
    await repo.scan(['install-hook']);
    repo.write('README.md', `hello\ntoken ${key()}\n`);
    const blocked = repo.tryGit('commit', '-a', '-m', 'readme');
    expectNoSecrets(blocked, secrets);
    expect(blocked.code).not.toBe(0);
    expect(blocked.stdout + blocked.stderr).toContain('README.md');
  });

  it('keeps an existing hook, runs it first, and puts it back byte for byte on uninstall', async () => {
    const original = '#!/bin/sh\necho "previous hook ran" >> "$(git rev-parse --git-dir)/ran.txt"\nexit 0\n';
    repo.writeExecutable('.git/hooks/pre-commit', original);
    const installed = await repo.scan(['install-hook']);
    expect(installed.stdout).toContain('kept the existing pre-commit hook');

    repo.write('a.txt', 'clean\n');
    repo.git('add', '.');
    expect(repo.tryGit('commit', '-q', '-m', 'clean').code).toBe(0);
    expect(readFileSync(join(repo.dir, '.git/ran.txt'), 'utf8')).toBe('previous hook ran\n');

    repo.write('b.env', `KEY=${key()}\n`);
    repo.git('add', '.');
    const blocked = repo.tryGit('commit', '-q', '-m', 'key');
    expect(blocked.code).not.toBe(0);
    expect(readFileSync(join(repo.dir, '.git/ran.txt'), 'utf8')).toBe('previous hook ran\nprevious hook ran\n');

    // installing again updates our lines in place, it does not chain itself
    expect((await repo.scan(['install-hook'])).stdout).toContain('updated');
    expect(readFileSync(hookFile(), 'utf8').match(/>>> statalog-scan/g)).toHaveLength(1);

    const removed = await repo.scan(['uninstall-hook']);
    expect(removed.code).toBe(0);
    expect(readFileSync(hookFile(), 'utf8')).toBe(original);
    expect(statSync(hookFile()).mode & 0o777).toBe(0o755);
    expect(existsSync(join(repo.dir, '.git/hooks/pre-commit.statalog-previous'))).toBe(false);
  });

  it('a failing previous hook still blocks the commit', async () => {
    repo.writeExecutable('.git/hooks/pre-commit', '#!/bin/sh\necho "lint failed" >&2\nexit 3\n');
    await repo.scan(['install-hook']);
    repo.write('a.txt', 'clean\n');
    repo.git('add', '.');
    const result = repo.tryGit('commit', '-q', '-m', 'clean');
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('lint failed');
  });

  it("in a husky repository, refuses to write into husky's hooks and names the line to add to .husky/pre-commit", async () => {
    for (const hooksPath of ['.husky/_', '.husky']) {
      repo.write('.husky/_/pre-commit', '#!/usr/bin/env sh\n. "$(dirname "$0")/h"\n');
      repo.write('.husky/pre-commit', 'npm test\n');
      repo.git('config', 'core.hooksPath', hooksPath);
      const refused = await repo.scan(['install-hook']);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(
        /^statalog-scan: install-hook: this repository uses husky \(core\.hooksPath is .*\.husky(\/_)?\); not writing into husky's hooks\. Add this line to .*\.husky\/pre-commit instead: node_modules\/\.bin\/statalog-scan --staged\n$/,
      );
      // nothing written or moved
      expect(readFileSync(join(repo.dir, '.husky/_/pre-commit'), 'utf8')).toBe(
        '#!/usr/bin/env sh\n. "$(dirname "$0")/h"\n',
      );
      expect(readFileSync(join(repo.dir, '.husky/pre-commit'), 'utf8')).toBe('npm test\n');
      expect(existsSync(join(repo.dir, '.husky/_/pre-commit.statalog-previous'))).toBe(false);
    }
  });

  it('installs where core.hooksPath points, and removes only its own lines', async () => {
    repo.git('config', 'core.hooksPath', '.githooks');
    const installed = await repo.scan(['install-hook'], { cwd: join(repo.dir) });
    expect(installed.code).toBe(0);
    const file = join(repo.dir, '.githooks/pre-commit');
    expect(existsSync(file)).toBe(true);
    expect(existsSync(hookFile())).toBe(false);

    repo.write('c.env', `KEY=${key()}\n`);
    repo.git('add', 'c.env');
    expect(repo.tryGit('commit', '-q', '-m', 'key').code).not.toBe(0);

    // someone added their own line below ours: uninstall leaves it
    repo.write('.githooks/pre-commit', `${readFileSync(file, 'utf8')}echo mine\n`);
    const removed = await repo.scan(['install-hook', '--uninstall']);
    expect(removed.stdout).toContain('the rest of it was left as it is');
    expect(readFileSync(file, 'utf8')).toBe('#!/bin/sh\necho mine\n');
    expect((await repo.scan(['uninstall-hook'])).stdout).toContain('nothing to remove');
  });

  it('rejects unknown arguments and works only inside a repository', async () => {
    expect((await repo.scan(['install-hook', '--force'])).code).toBe(2);
    expect((await repo.scan(['install-hook', 'extra'])).code).toBe(2);
    const outside = await repo.scan(['install-hook'], { cwd: repo.base });
    expect(outside.code).toBe(2);
    expect(outside.stderr).toMatch(/not inside a git repository/);
  });
});
