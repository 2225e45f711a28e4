/**
 * Output details, through the built CLI:
 * - a stale baseline entry's `masked` value comes from the baseline file as written: in `--format github` its
 *   control characters are shown as escapes, never sent raw to the log;
 * - the `--staged` advice `git restore --staged -- <file>` ends the options before the path, so a file named
 *   `-p.env` is a path, not an option.
 * (The action's masks, `GH-42` / `owner/repo#1` in its summary and comment: test/hardening-action.test.ts;
 * a history scan that stops on `git log`: test/hardening-git-isolation.test.ts.)
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TempRepo } from './helpers/git.js';
import { hasTerminalControls } from './helpers/hostile.js';
import { cloudKey } from './helpers/keys.js';
import { scan } from './helpers/scan.js';
import { TempTree } from './helpers/tmp.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

describe('--format github', () => {
  it('a stale baseline entry with an escape sequence in its masked value: shown escaped', async () => {
    const tree = new TempTree('statalog-output-details-');
    cleanups.push(() => tree.cleanup());
    tree.write('app.env', 'STATALOG_API_KEY=\n');
    const baseline = {
      version: 1,
      entries: [
        {
          ruleId: 'cloud-key',
          file: 'app.env',
          secretHash: '0123456789abcdef',
          masked: 'st_\u001b]0;owned\u0007\u001b[2Jx…abcd',
        },
      ],
    };
    writeFileSync(join(tree.dir, 'baseline.json'), JSON.stringify(baseline));
    const result = await scan(['--format', 'github', '--baseline', 'baseline.json', 'app.env'], { cwd: tree.dir });
    expect(result.code).toBe(0);
    const warning = result.stdout.split('\n').find((l) => l.startsWith('::warning '));
    expect(warning).toContain('Stale baseline entry');
    expect(hasTerminalControls(result.stdout)).toBe(false);
    expect(warning).toContain('st_\\x1b]0;owned\\x07\\x1b[2Jx…abcd');
  });
});

describe('--staged advice', () => {
  it('git restore --staged -- <file>: the file cannot be read as an option', async () => {
    const r = TempRepo.create();
    cleanups.push(() => r.cleanup());
    r.write('README.md', '# app\n');
    r.commit('base');
    r.write('-p.env', `STATALOG_API_KEY=${cloudKey()}\n`);
    r.git('add', '--', '-p.env');
    const result = await r.scan(['--staged']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('git restore --staged -- -p.env');
    expect(result.stdout).not.toMatch(/git restore --staged (?!-- )/);
  });
});
