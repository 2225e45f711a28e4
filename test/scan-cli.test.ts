/**
 * The command line through the built binary: exit codes 0/1/2, one-line errors that name the option or file,
 * --help/--version/--quiet/--output, and files that cannot be read.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { DOC_EXAMPLE_KEY } from '@statalog/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cloudKey, communityValue } from './helpers/keys.js';
import { REPO_ROOT } from './helpers/paths.js';
import { parseReport } from './helpers/report.js';
import { scan, scanJson } from './helpers/scan.js';
import { TempTree } from './helpers/tmp.js';

let tree: TempTree;
beforeEach(() => {
  tree = new TempTree();
});
afterEach(() => tree.cleanup());

function mkfifo(path: string): void {
  expect(spawnSync('mkfifo', [path]).status).toBe(0);
}

/** stderr holds exactly one line, starting with the program name. */
function expectOneLineError(stderr: string, ...mentions: string[]): void {
  const lines = stderr.trimEnd().split('\n');
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^statalog-scan: /);
  for (const m of mentions) expect(lines[0]).toContain(m);
}

describe('exit codes', () => {
  it('0 and a one-line all-clear when nothing is found', async () => {
    tree.write('src/app.ts', 'export const key = process.env.STATALOG_API_KEY;\n');
    const result = await scan([], { cwd: tree.dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^✔ No Statalog keys found \(1 file, \d+ B\) in \d+ ms\n$/);
    expect(result.stderr).toBe('');
  });

  it('1 when a key is found', async () => {
    tree.write('config.env', `STATALOG_API_KEY=${communityValue()}\n`);
    const result = await scan(['config.env'], { cwd: tree.dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('config.env\n  1:18  community-key');
  });

  it('2 for a path that does not exist, naming it', async () => {
    const result = await scan(['no/such/dir'], { cwd: tree.dir });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expectOneLineError(result.stderr, 'no/such/dir', 'no such file or directory');
  });

  it('2 for an unknown option, a bad value or a missing value, naming the option', async () => {
    const cases: Array<[string[], string]> = [
      [['--bogus'], '--bogus'],
      [['-x'], '-x'],
      [['--format', 'xml'], '--format'],
      [['--format'], '--format'],
      [['--fail-on', 'sometimes'], '--fail-on'],
      [['--quiet=yes'], '--quiet'],
      [['--output', '--quiet'], '--output'],
      [['--staged', 'src'], '--staged'],
      [['--staged', '--history'], '--history'],
    ];
    for (const [args, option] of cases) {
      const result = await scan(args, { cwd: tree.dir });
      expect(result.code, args.join(' ')).toBe(2);
      expectOneLineError(result.stderr, option);
    }
  });

  it('2 for a config file that does not parse or holds an unknown setting, naming the file', async () => {
    tree.write('.statalog-scan.json', '{ "ignorePaths": [ "a", }');
    let result = await scan([], { cwd: tree.dir });
    expect(result.code).toBe(2);
    expectOneLineError(result.stderr, '.statalog-scan.json', 'not valid JSON');

    tree.write('.statalog-scan.json', JSON.stringify({ ignorePath: ['x'] }));
    result = await scan([], { cwd: tree.dir });
    expect(result.code).toBe(2);
    expectOneLineError(result.stderr, '.statalog-scan.json', 'ignorePath');

    tree.write('other.json', JSON.stringify({ selfHostedHosts: 'stats.example.com' }));
    result = await scan(['--config', 'other.json'], { cwd: tree.dir });
    expect(result.code).toBe(2);
    expectOneLineError(result.stderr, 'other.json', 'selfHostedHosts');
  });

  it('2 for a --config or --baseline that does not exist, and for an --output that cannot be written', async () => {
    for (const args of [
      ['--config', 'missing.json'],
      ['--baseline', 'missing.json'],
    ]) {
      const result = await scan(args, { cwd: tree.dir });
      expect(result.code).toBe(2);
      expectOneLineError(result.stderr, 'missing.json', 'not found');
    }
    const result = await scan(['--output', 'no/dir/report.json'], { cwd: tree.dir });
    expect(result.code).toBe(2);
    expectOneLineError(result.stderr, 'no/dir/report.json', 'cannot be written');
  });

  it('a config error never quotes the file (it may sit next to a secret)', async () => {
    const key = cloudKey();
    tree.write('.statalog-scan.json', `{ "ignorePaths": ["${key}" }`);
    const result = await scan([], { cwd: tree.dir });
    expect(result.code).toBe(2);
    expect(result.stderr).not.toContain(key);
  });
});

describe('files that are not scanned', () => {
  it('a file that cannot be read is listed on stderr and in the stats, and the exit code is 2 without findings', async () => {
    tree.write('ok.ts', 'export const ok = 1;\n');
    const locked = tree.write('locked.env', `STATALOG_API_KEY=${communityValue()}\n`);
    chmodSync(locked, 0o000);
    chmodSync(tree.dir, 0o755);
    // root reads anything: run the scan as an unprivileged user then
    const user = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined;
    const { code, report, stderr } = await scanJson(['--no-ignore', '.'], { cwd: tree.dir, ...(user ? { user } : {}) });
    expect(code).toBe(2);
    expect(report.findings).toEqual([]);
    expect(report.stats.files).toBe(1);
    expect(report.stats.skipped).toBe(1);
    expect(report.stats.skippedFiles).toEqual([
      { file: 'locked.env', reason: 'cannot be opened (EACCES)', error: true },
    ]);
    expectOneLineError(stderr, 'locked.env: cannot be opened (EACCES); not scanned');
  });

  it('a directory that cannot be listed is reported the same way', async () => {
    tree.write('ok.ts', 'export const ok = 1;\n');
    tree.write('private/a.ts', 'export const a = 1;\n');
    chmodSync(tree.path('private'), 0o000);
    chmodSync(tree.dir, 0o755);
    const user = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined;
    const { code, report, stderr } = await scanJson(['--no-ignore', '.'], { cwd: tree.dir, ...(user ? { user } : {}) });
    chmodSync(tree.path('private'), 0o755);
    expect(code).toBe(2);
    expect(report.stats.skippedFiles).toEqual([
      { file: 'private', reason: 'directory cannot be listed (EACCES)', error: true },
    ]);
    expectOneLineError(stderr, 'private: directory cannot be listed (EACCES); not scanned');
  });

  it('a file name that is not valid UTF-8 is read by its bytes and shown with U+FFFD, not lost (walk and git listing)', async () => {
    writeFileSync(
      Buffer.concat([Buffer.from(`${tree.dir}/bad`), Buffer.from([0xff]), Buffer.from('.env')]),
      `STATALOG_API_KEY=${communityValue()}\n`,
    );
    tree.write('good.txt', 'fine\n');
    for (const args of [['--no-ignore'], []]) {
      if (args.length === 0) tree.git('init', '-q');
      const { code, report } = await scanJson(args, { cwd: tree.dir });
      expect(code).toBe(1);
      expect(report.findings.map((f) => f.file)).toEqual(['bad\ufffd.env']);
      expect(report.stats.skippedFiles).toEqual([]);
    }
  });

  it('findings still exit 1 when another file could not be read', async () => {
    tree.write('leak.ts', `const k = "${cloudKey()}";\n`);
    chmodSync(tree.write('locked.txt', 'x'), 0o000);
    chmodSync(tree.dir, 0o755);
    const user = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined;
    const result = await scan(['--no-ignore', '.'], { cwd: tree.dir, ...(user ? { user } : {}) });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('locked.txt: cannot be opened (EACCES); not scanned');
  });

  it('symlinks, FIFOs and sockets are skipped and counted, never opened; not an error', async () => {
    const key = cloudKey();
    tree.write('real/leak.ts', `const k = "${key}";\n`);
    symlinkSync('real/leak.ts', tree.path('link.ts'));
    symlinkSync('real', tree.path('linkdir'));
    mkfifo(tree.path('pipe'));
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(tree.path('sock'), resolve));
    const { code, report } = await scanJson(['--no-ignore', '.'], { cwd: tree.dir });
    server.close();
    expect(code).toBe(1);
    expect(report.findings.map((f) => f.file)).toEqual(['real/leak.ts']); // once, through no link
    expect(report.stats.skippedFiles).toEqual([
      { file: 'link.ts', reason: 'symbolic link (not followed)', error: false },
      { file: 'linkdir', reason: 'symbolic link (not followed)', error: false },
      { file: 'pipe', reason: 'not a regular file', error: false },
      { file: 'sock', reason: 'not a regular file', error: false },
    ]);
  });

  it('a FIFO named on the command line is skipped, not read (no hang)', async () => {
    mkfifo(tree.path('pipe'));
    const { code, report } = await scanJson(['pipe'], { cwd: tree.dir });
    expect(code).toBe(0);
    expect(report.stats.skippedFiles).toEqual([{ file: 'pipe', reason: 'not a regular file', error: false }]);
  });
});

describe('options', () => {
  it('--help prints the usage and exits 0; --version prints the package version', async () => {
    const help = await scan(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: statalog-scan/);
    for (const option of [
      '--format',
      '--output',
      '--config',
      '--baseline',
      '--write-baseline',
      '--no-ignore',
      '--include-examples',
      '--quiet',
    ])
      expect(help.stdout).toContain(option);
    const version = await scan(['--version']);
    expect(version.code).toBe(0);
    const pkg = JSON.parse(readFileSync(`${REPO_ROOT}/packages/scan/package.json`, 'utf8')) as { version: string };
    expect(version.stdout).toBe(`${pkg.version}\n`);
  });

  it('--quiet prints nothing when nothing is found, and only the findings otherwise', async () => {
    tree.write('a.ts', 'export {};\n');
    const clean = await scan(['--quiet'], { cwd: tree.dir });
    expect(clean).toEqual({ code: 0, stdout: '', stderr: '' });
    tree.write('b.env', `STATALOG_API_KEY=${communityValue()}\n`);
    const found = await scan(['--quiet'], { cwd: tree.dir });
    expect(found.code).toBe(1);
    expect(found.stdout).toMatch(/^b\.env\n {2}1:18 {2}community-key .+\n$/);
  });

  it('--output writes the report to a file and nothing to stdout', async () => {
    tree.write('b.env', `STATALOG_API_KEY=${communityValue()}\n`);
    const result = await scan(['--format', 'json', '--output', 'out/../report.json'], { cwd: tree.dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(parseReport(tree.read('report.json')).findings[0]?.file).toBe('b.env');
  });

  it('--include-examples reports the documentation example key, which is quiet otherwise', async () => {
    tree.write('docs.md', `Example: \`${DOC_EXAMPLE_KEY}\`\n`);
    const quiet = await scanJson([], { cwd: tree.dir });
    expect(quiet.code).toBe(0);
    const loud = await scanJson(['--include-examples'], { cwd: tree.dir });
    expect(loud.code).toBe(1);
    expect(loud.report.findings).toMatchObject([
      { ruleId: 'cloud-key', file: 'docs.md', line: 1, column: 11, masked: 'st_a3f8…f6a8' },
    ]);
  });

  it('json: the documented schema, files relative to the current directory with /', async () => {
    tree.write('deep/dir/app.py', `STATALOG_API_KEY = "${communityValue()}"\n`);
    const { report } = await scanJson(['deep'], { cwd: tree.dir });
    expect(Object.keys(report)).toEqual(['schemaVersion', 'findings', 'stats', 'allowed']);
    expect(report.schemaVersion).toBe(1);
    expect(Object.keys(report.findings[0]!)).toEqual([
      'ruleId',
      'file',
      'line',
      'column',
      'endColumn',
      'masked',
      'fingerprint',
      'message',
    ]);
    expect(report.findings[0]).toMatchObject({ file: 'deep/dir/app.py', line: 1, column: 21, endColumn: 85 });
    expect(Object.keys(report.stats)).toEqual([
      'files',
      'bytes',
      'binary',
      'skipped',
      'durationMs',
      'allowed',
      'allowedBy',
      'skippedFiles',
    ]);
    const fromBelow = await scanJson(['../..'], { cwd: tree.path('deep/dir') });
    expect(fromBelow.report.findings[0]!.file).toBe('../../deep/dir/app.py');
  });

  it('github: a file name cannot inject a workflow command', async () => {
    tree.write('evil,name::x%0A.env', `STATALOG_API_KEY=${communityValue()}\n`);
    const result = await scan(['--format', 'github'], { cwd: tree.dir });
    expect(result.code).toBe(1);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^::error file=evil%2Cname%3A%3Ax%250A\.env,line=1,col=18,endColumn=82,title=Statalog Community API key::/,
    );
  });

  it('text: a file name with control characters is printed escaped', async () => {
    tree.write('esc\u001b[31mred.env', `STATALOG_API_KEY=${communityValue()}\n`);
    const result = await scan([], { cwd: tree.dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('esc\\x1b[31mred.env');
    expect(result.stdout).not.toContain('\u001b');
  });
});
