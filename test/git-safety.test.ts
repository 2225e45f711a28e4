/**
 * Scanned repositories are not trusted: nothing they hold may make the scanner run a program (textconv
 * filters and diff drivers named in .gitattributes, an fsmonitor hook), and file names with spaces, quotes,
 * newlines or non-ASCII characters come through exactly (no git quoting) and are printed escaped.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TempRepo } from './helpers/git.js';
import { cloudKey, expectNoSecrets, masked } from './helpers/keys.js';
import { jsonFindings } from './helpers/report.js';

let repo: TempRepo;
beforeEach(() => {
  repo = TempRepo.create();
});
afterEach(() => repo.cleanup());

describe('git scans and untrusted repositories', () => {
  it('never runs a textconv filter, an external diff driver or an fsmonitor hook', async () => {
    const k = cloudKey();
    const other = cloudKey();
    repo.write('.gitattributes', '* diff=evil\n');
    repo.write('a.env', 'x=1\n');
    const base = repo.commit('base');
    repo.write('a.env', `x=1\nkey=${k}\n`);
    repo.commit('key');
    repo.write('b.env', `other=${other}\n`);
    repo.git('add', '.');
    // only now the traps: the test's own git commands above would have sprung the fsmonitor one
    const marker = join(repo.base, 'ran');
    const script = join(repo.base, 'evil.sh');
    repo.writeExecutable('../evil.sh', `#!/bin/sh\ntouch ${JSON.stringify(marker)}\ncat "$@" 2>/dev/null\n`);
    repo.git('config', 'diff.evil.textconv', script);
    repo.git('config', 'diff.evil.command', script);
    repo.git('config', 'diff.external', script);
    repo.git('config', 'core.fsmonitor', script);

    for (const args of [['--staged'], ['--range', `${base}..HEAD`], ['--history']]) {
      const result = await repo.scan([...args, '--format', 'json']);
      expectNoSecrets(result, [k, other]);
      expect(result.code, args.join(' ')).toBe(1);
    }
    expect(existsSync(marker)).toBe(false);
    // and the traps are real: a plain `git diff` springs them
    repo.tryGit('diff', '--cached');
    expect(existsSync(marker)).toBe(true);
  });

  it('reports odd file names exactly in JSON and escaped on a terminal', async () => {
    const k = cloudKey();
    const name = 'dir with space/naïve "quoted"\nline.env';
    repo.write(name, `KEY=${k}\n`);
    repo.git('add', '.');
    const staged = await repo.scan(['--staged', '--format', 'json']);
    expect(jsonFindings(staged).map((f) => [f.file, f.masked])).toEqual([[name, masked(k)]]);
    repo.commit('odd name');
    const history = await repo.scan(['--history', '--format', 'json']);
    expect(jsonFindings(history).map((f) => [f.file, f.presentAtHead])).toEqual([[name, true]]);
    const text = await repo.scan(['--history']);
    expectNoSecrets(text, [k]);
    expect(text.stdout).toContain('dir with space/naïve "quoted"\\x0aline.env');
  });
});
