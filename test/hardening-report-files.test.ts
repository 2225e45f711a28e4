/**
 * Report files are never written through a symbolic link or into a special file:
 * `--output`, `--write-baseline` and the action's `sarif-file`. A checkout (a pull request's files) can put a
 * link at the path, pointing outside it; the report would overwrite that file with partly attacker-chosen
 * content. Each is refused with exit 2 and one line naming the path; the link's target is untouched; a
 * regular file at the path is replaced (through a temporary file renamed over it).
 */
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pushEvent, ZERO_SHA } from './helpers/action-events.js';
import { annotations, removeWorkspace, runAction } from './helpers/action-runner.js';
import { cloudKey } from './helpers/keys.js';
import { parseSarif } from './helpers/report.js';
import { scan } from './helpers/scan.js';
import { tempDir } from './helpers/tmp.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A tree with one key, and a victim file outside it that a link in the tree points to. */
function setup(): { tree: string; victim: string; key: string } {
  const base = tempDir('statalog-report-files-');
  dirs.push(base);
  const tree = join(base, 'tree');
  mkdirSync(tree);
  const key = cloudKey();
  writeFileSync(join(tree, 'app.env'), `STATALOG_API_KEY=${key}\n`);
  const victim = join(base, 'victim.txt');
  writeFileSync(victim, 'precious\n');
  return { tree, victim, key };
}

function expectOneLine(stderr: string, pattern: RegExp): void {
  const lines = stderr.trimEnd().split('\n');
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
}

describe('the CLI', () => {
  it('--output through a symbolic link: refused, exit 2, the target untouched', async () => {
    const { tree, victim } = setup();
    symlinkSync(victim, join(tree, 'report.json'));
    const result = await scan(['--format', 'json', '--output', 'report.json', 'app.env'], { cwd: tree });
    expect(result.code).toBe(2);
    expectOneLine(result.stderr, /^statalog-scan: report\.json: is a symbolic link/);
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(lstatSync(join(tree, 'report.json')).isSymbolicLink()).toBe(true);
  });

  it('--output naming a FIFO: refused at once (a write would block forever)', async () => {
    const { tree } = setup();
    execFileSync('mkfifo', [join(tree, 'report.json')]);
    const result = await scan(['--output', 'report.json', 'app.env'], { cwd: tree });
    expect(result.code).toBe(2);
    expectOneLine(result.stderr, /^statalog-scan: report\.json: exists and is not a regular file/);
  }, 20_000);

  it('--write-baseline through a symbolic link: refused, exit 2, the target untouched', async () => {
    const { tree, victim } = setup();
    symlinkSync(victim, join(tree, '.statalog-baseline.json'));
    const result = await scan(['--write-baseline', '.statalog-baseline.json', '.'], { cwd: tree });
    expect(result.code).toBe(2);
    expectOneLine(result.stderr, /^statalog-scan: \.statalog-baseline\.json: is a symbolic link/);
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
  });

  it('a regular file is replaced whole, and no temporary file is left behind', async () => {
    const { tree, key } = setup();
    writeFileSync(join(tree, 'report.json'), 'x'.repeat(100_000));
    const result = await scan(['--format', 'json', '--output', 'report.json', 'app.env'], { cwd: tree });
    expect(result.code).toBe(1);
    const report = JSON.parse(readFileSync(join(tree, 'report.json'), 'utf8')) as { findings: unknown[] };
    expect(report.findings).toHaveLength(1);
    const baseline = await scan(['--write-baseline', 'baseline.json', 'app.env'], { cwd: tree });
    expect(baseline.code).toBe(0);
    expect(readFileSync(join(tree, 'baseline.json'), 'utf8')).not.toContain(key);
    expect(readdirSync(tree).sort()).toEqual(['app.env', 'baseline.json', 'report.json']);
  });
});

describe('the action', () => {
  const nothingToScan = pushEvent({
    ref: 'refs/heads/old-topic',
    before: 'a'.repeat(40),
    after: ZERO_SHA,
    deleted: true,
  });

  it('sarif-file through a symbolic link in the workspace: refused, exit 2, the target untouched', async () => {
    const { victim } = setup();
    const run = await runAction({
      apiUrl: 'http://127.0.0.1:9',
      eventName: 'push',
      payload: nothingToScan,
      inputs: { 'github-token': 'ghs_unused', 'sarif-file': 'statalog.sarif' },
      prepare: (workspace) => symlinkSync(victim, join(workspace, 'statalog.sarif')),
    });
    try {
      expect(run.code).toBe(2);
      expect(annotations(run, 'error')).toEqual([expect.stringMatching(/statalog\.sarif: is a symbolic link/)]);
      expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    } finally {
      removeWorkspace(run);
    }
  });

  it('sarif-file under a linked directory in the workspace: refused, nothing written outside', async () => {
    const { victim } = setup();
    const outside = join(victim, '..', 'outside');
    mkdirSync(outside);
    const run = await runAction({
      apiUrl: 'http://127.0.0.1:9',
      eventName: 'push',
      payload: nothingToScan,
      inputs: { 'github-token': 'ghs_unused', 'sarif-file': 'out/statalog.sarif' },
      prepare: (workspace) => symlinkSync(outside, join(workspace, 'out')),
    });
    try {
      expect(run.code).toBe(2);
      expect(annotations(run, 'error')).toEqual([
        expect.stringMatching(/out\/statalog\.sarif: out is a symbolic link/),
      ]);
      expect(readdirSync(outside)).toEqual([]);
    } finally {
      removeWorkspace(run);
    }
  });

  it('a regular sarif-file is written', async () => {
    const run = await runAction({
      apiUrl: 'http://127.0.0.1:9',
      eventName: 'push',
      payload: nothingToScan,
      inputs: { 'github-token': 'ghs_unused', 'sarif-file': 'out/statalog.sarif' },
    });
    try {
      expect(run.code).toBe(0);
      expect(existsSync(run.outputs['sarif-file']!)).toBe(true);
      expect(parseSarif(readFileSync(run.outputs['sarif-file']!, 'utf8')).version).toBe('2.1.0');
    } finally {
      removeWorkspace(run);
    }
  });
});
