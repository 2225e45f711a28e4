/**
 * Hardening, the files users write: a config or baseline that is empty, not JSON, the wrong shape, huge,
 * or not a file at all (a FIFO, a symlink to /dev/zero — a pull request can commit such a symlink) ends the
 * run with exit 2 and ONE line naming the file and the problem, never quoting the content, never hanging.
 */
import { spawnSync } from 'node:child_process';
import { symlinkSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hasTerminalControls, MB, runMeasured, unexpectedCommands } from './helpers/hostile.js';
import { cloudKey } from './helpers/keys.js';
import { TempTree } from './helpers/tmp.js';

let tree: TempTree;
beforeEach(() => {
  tree = new TempTree('statalog-config-');
  tree.write('src/app.ts', 'export {};\n');
});
afterEach(() => tree.cleanup());

/** Exit 2, one line `statalog-scan: <file>: <problem>`, no hang, nothing of the key in the content. */
async function expectOneLine(args: string[], file: string, problem: RegExp, content = ''): Promise<void> {
  const run = await runMeasured(args, { cwd: tree.dir, deadlineMs: 30_000 });
  expect(run.killed, 'the scan hung').toBe(false);
  expect(run.code).toBe(2);
  expect(run.stdout).toBe('');
  const lines = run.stderr.trimEnd().split('\n');
  expect(lines, run.stderr).toHaveLength(1);
  expect(lines[0]!.startsWith(`statalog-scan: ${file}: `), lines[0]).toBe(true);
  expect(lines[0]!.slice(`statalog-scan: ${file}: `.length)).toMatch(problem);
  expect(hasTerminalControls(run.stderr)).toBe(false);
  expect(unexpectedCommands(run.stderr)).toEqual([]);
  // never a piece of the key written in the content (a config can sit next to a secret)
  if (content.includes(key))
    for (let i = 0; i + 12 <= key.length; i += 6) expect(run.stderr).not.toContain(key.slice(i, i + 12));
  expect(run.peakRss).toBeLessThan(300 * MB);
}

const key = cloudKey();
const CASES: Array<[string, string, RegExp]> = [
  ['empty', '', /^is empty/],
  ['blank', ' \n\t\n', /^is empty/],
  ['not JSON', `ignorePaths: ["${key}"]`, /^is not valid JSON/],
  ['truncated JSON', `{"ignorePaths": ["${key}"`, /^is not valid JSON/],
  ['an array', `["${key}"]`, /must hold .*object, not an array/],
  ['a string', `"${key}"`, /must hold .*object, not a string/],
  ['null', 'null', /must hold .*object, not null/],
  ['a NUL byte', `{"ignorePaths": ["a\0${key}"]}`, /./],
  ['UTF-16', Buffer.from(`\ufeff{"ignorePaths": ["${key}"]}`, 'utf16le').toString('latin1'), /./],
];

describe('config files', () => {
  it.each(CASES)('%s: exit 2, one line naming the file', async (_, content) => {
    writeFileSync(
      tree.path('.statalog-scan.json'),
      Buffer.from(content, content.includes('\ufeff') ? 'utf8' : 'latin1'),
    );
    await expectOneLine([], '.statalog-scan.json', /./, content);
  });

  it('the wrong shape: each problem named, the value never quoted', async () => {
    for (const [content, problem] of [
      [`{"ignorePaths": "${key}"}`, /"ignorePaths" must be an array of strings, not a string/],
      [`{"ignorePaths": [1]}`, /"ignorePaths"\[0\] must be a non-empty string, not a number/],
      [
        `{"allowedFingerprints": [{"k": "${key}"}]}`,
        /"allowedFingerprints"\[0\] must be a non-empty string, not an object/,
      ],
      [`{"${key}": true}`, /^unknown setting/],
      [`{"selfHostedHosts": [["${key}"]]}`, /"selfHostedHosts"\[0\]/],
    ] as const) {
      tree.write('.statalog-scan.json', content);
      await expectOneLine([], '.statalog-scan.json', problem, content);
    }
  });

  it('huge: refused by its size before it is read', async () => {
    const big = `{"ignorePaths": [${`"${'a'.repeat(60)}",`.repeat(400_000)}"x"]}`;
    tree.write('big.json', big);
    await expectOneLine(['--config', 'big.json'], 'big.json', /^too large \(\d+ bytes; the limit is \d+\)$/);
  });

  it('a FIFO, a symlink to /dev/zero, a directory: refused at once, never read', async () => {
    expect(spawnSync('mkfifo', [tree.path('.statalog-scan.json')]).status).toBe(0);
    await expectOneLine([], '.statalog-scan.json', /^is not a regular file$/);
    tree.cleanup();
    tree = new TempTree('statalog-config-');
    symlinkSync('/dev/zero', tree.path('.statalog-scan.json'));
    await expectOneLine([], '.statalog-scan.json', /^is not a regular file$/);
    tree.write('conf/x', '');
    await expectOneLine(['--config', 'conf'], 'conf', /^is a directory, not a file$/);
  });
});

describe('baseline files', () => {
  it.each(CASES)('%s: exit 2, one line naming the file', async (_, content) => {
    writeFileSync(tree.path('baseline.json'), Buffer.from(content, content.includes('\ufeff') ? 'utf8' : 'latin1'));
    await expectOneLine(['--baseline', 'baseline.json'], 'baseline.json', /./, content);
  });

  it('the wrong shape, a FIFO and /dev/zero', async () => {
    for (const [content, problem] of [
      ['{}', /not a statalog-scan baseline/],
      ['{"version": 1}', /"entries" must be an array, not missing/],
      [`{"version": 1, "entries": "${key}"}`, /"entries" must be an array, not a string/],
      [`{"version": 1, "entries": [{"file": "${key}"}]}`, /entries\[0\]/],
    ] as const) {
      tree.write('baseline.json', content);
      await expectOneLine(['--baseline', 'baseline.json'], 'baseline.json', problem, content);
    }
    expect(spawnSync('mkfifo', [tree.path('fifo.json')]).status).toBe(0);
    await expectOneLine(['--baseline', 'fifo.json'], 'fifo.json', /^is not a regular file$/);
    symlinkSync('/dev/zero', tree.path('zero.json'));
    await expectOneLine(['--baseline', 'zero.json'], 'zero.json', /^is not a regular file$/);
  });
});
