/**
 * Hardening, files mode: whatever the tree holds, the scan ends, reads only regular files, follows no
 * symlink it was not given, and lists every entry it did not read — with exit 2 when one of them should
 * have been read ("could not look" is never "clean"). Every run has a kill timer: a scan that opened a FIFO
 * for a blocking read would hang, and fails the test instead.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanEnv } from './helpers/env.js';
import { NON_UTF8_NAME, NON_UTF8_SHOWN, runMeasured } from './helpers/hostile.js';
import { cloudKey, communityValue } from './helpers/keys.js';
import type { JsonReport } from './helpers/report.js';
import { scan, scanJson } from './helpers/scan.js';
import { TempTree } from './helpers/tmp.js';

let tree: TempTree;
let servers: Server[] = [];
beforeEach(() => {
  tree = new TempTree('statalog-hardening-');
});
afterEach(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  servers = [];
  tree.cleanup();
});

/** Runs the scan with a deadline; a kill means something blocked. */
async function scanOrFail(
  args: string[],
  cwd = tree.dir,
): Promise<{ code: number | null; report: JsonReport; stderr: string }> {
  const run = await runMeasured(['--format', 'json', ...args], { cwd, deadlineMs: 30_000 });
  expect(run.killed, 'the scan blocked and was killed').toBe(false);
  return { code: run.code, report: JSON.parse(run.stdout) as JsonReport, stderr: run.stderr };
}

async function listenOn(path: string): Promise<void> {
  const server = createServer();
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(path, resolve));
}

const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined;

describe('special files', () => {
  it(
    'FIFOs, sockets and character devices in the tree are skipped and counted, never opened',
    { timeout: 60_000 },
    async () => {
      const key = cloudKey();
      tree.write('app/leak.ts', `export const k = "${key}";\n`);
      expect(spawnSync('mkfifo', [tree.path('app/pipe.env')]).status).toBe(0);
      await listenOn(tree.path('app/daemon.sock'));
      // a /dev/null and a /dev/zero of our own (root may mknod; elsewhere the case is simply not built)
      const devices = ['null 1 3', 'zero 1 5'].filter((d) => {
        const [name, major, minor] = d.split(' ') as [string, string, string];
        return spawnSync('mknod', [tree.path(`app/${name}.dev`), 'c', major, minor]).status === 0;
      });
      const { code, report, stderr } = await scanOrFail(['--no-ignore', '.']);
      expect(code).toBe(1);
      expect(report.findings.map((f) => f.file)).toEqual(['app/leak.ts']);
      expect(report.stats.skippedFiles).toEqual(
        [
          { file: 'app/daemon.sock', reason: 'not a regular file', error: false },
          ...devices.map((d) => ({ file: `app/${d.split(' ')[0]}.dev`, reason: 'not a regular file', error: false })),
          { file: 'app/pipe.env', reason: 'not a regular file', error: false },
        ].sort((a, b) => (a.file < b.file ? -1 : 1)),
      );
      expect(report.stats.skipped).toBe(report.stats.skippedFiles.length);
      expect(stderr).toBe('');
    },
  );

  it(
    'a FIFO with a writer that never writes, named on the command line and inside a git work tree: no hang',
    { timeout: 60_000 },
    async () => {
      tree.git('init', '-q');
      tree.write('a.ts', 'export {};\n');
      const fifo = tree.path('held.fifo');
      expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
      // a writer holds the FIFO open and writes nothing: a blocking read would wait forever
      const writer = spawn('sh', ['-c', 'exec 3>"$0"; sleep 60', fifo], { stdio: 'ignore' });
      try {
        const named = await scanOrFail(['held.fifo', 'a.ts']);
        expect(named.code).toBe(0);
        expect(named.report.stats.skippedFiles).toEqual([
          { file: 'held.fifo', reason: 'not a regular file', error: false },
        ]);
        // git lists only files, symlinks and submodules: in a work tree the FIFO is not even listed
        const listed = await scanOrFail([]);
        expect(listed.code).toBe(0);
        expect(listed.report.stats.files).toBe(1);
        const walked = await scanOrFail(['--no-ignore', '.']);
        expect(walked.code).toBe(0);
        expect(walked.report.stats.skippedFiles).toEqual([
          { file: 'held.fifo', reason: 'not a regular file', error: false },
        ]);
      } finally {
        writer.kill('SIGKILL');
      }
    },
  );
});

describe('symbolic links are never followed inside the tree', () => {
  it('broken links, loops, and links to files and directories outside the root: skipped, counted, not an error', async () => {
    const outside = new TempTree('statalog-outside-');
    try {
      const outsideKey = cloudKey();
      outside.write('secret.env', `STATALOG_API_KEY=${outsideKey}\n`);
      tree.write('root/ok.ts', 'export {};\n');
      symlinkSync('does/not/exist', tree.path('root/broken'));
      symlinkSync('loop-b', tree.path('root/loop-a'));
      symlinkSync('loop-a', tree.path('root/loop-b'));
      symlinkSync('.', tree.path('root/self'));
      symlinkSync(outside.path('secret.env'), tree.path('root/outside-file.env'));
      symlinkSync(outside.dir, tree.path('root/outside-dir'));
      symlinkSync('/dev/zero', tree.path('root/zero.env'));
      const { code, report } = await scanOrFail(['--no-ignore', 'root']);
      expect(code).toBe(0);
      expect(report.findings).toEqual([]);
      expect(report.stats.files).toBe(1);
      expect(report.stats.skippedFiles).toEqual(
        ['broken', 'loop-a', 'loop-b', 'outside-dir', 'outside-file.env', 'self', 'zero.env'].map((n) => ({
          file: `root/${n}`,
          reason: 'symbolic link (not followed)',
          error: false,
        })),
      );
      // the same tree in a git work tree (git lists symlinks as entries of their own)
      tree.git('init', '-q');
      const git = await scanOrFail(['root']);
      expect(git.code).toBe(0);
      expect(git.report.findings).toEqual([]);
      expect(git.report.stats.skippedFiles.map((s) => s.file)).toEqual([
        'root/broken',
        'root/loop-a',
        'root/loop-b',
        'root/outside-dir',
        'root/outside-file.env',
        'root/self',
        'root/zero.env',
      ]);
    } finally {
      outside.cleanup();
    }
  });

  it('a symlink named on the command line is followed (the user asked for it); one to a device is skipped', async () => {
    const key = cloudKey();
    tree.write('real/keys.env', `STATALOG_API_KEY=${key.slice(3)}\n`);
    symlinkSync('real', tree.path('named'));
    symlinkSync('/dev/zero', tree.path('zero'));
    const { code, report } = await scanOrFail(['named', 'zero']);
    expect(code).toBe(1);
    expect(report.findings.map((f) => f.file)).toEqual(['named/keys.env']);
    expect(report.stats.skippedFiles).toEqual([{ file: 'zero', reason: 'not a regular file', error: false }]);
  });
});

describe('entries that cannot be read', () => {
  it.skipIf(!asNobody)(
    'a directory that cannot be listed: named in the stats and on stderr, exit 2 without findings, 1 with',
    async () => {
      tree.write('open/a.ts', 'export {};\n');
      tree.write('closed/inner.env', `STATALOG_API_KEY=${communityValue()}\n`);
      chmodSync(tree.path('closed'), 0o000);
      chmodSync(tree.dir, 0o755);
      // root lists anything: the scan runs as nobody
      const { code, report, stderr } = await scanJson(['--no-ignore', '.'], { cwd: tree.dir, user: asNobody! });
      expect(code).toBe(2);
      expect(report.stats.skippedFiles).toEqual([
        { file: 'closed', reason: 'directory cannot be listed (EACCES)', error: true },
      ]);
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr).toMatch(/^statalog-scan: closed: directory cannot be listed \(EACCES\)/);
      // the text summary counts it, and does not call the run clean
      const text = await scan(['--no-ignore', '.'], { cwd: tree.dir, user: asNobody! });
      expect(text.code).toBe(2);
      expect(text.stdout).toMatch(/1 skipped \(1 unreadable\)/);
      expect(text.stdout).not.toMatch(/✔/);
      // findings still exit 1
      tree.write('open/leak.ts', `export const k = "${cloudKey()}";\n`);
      const withFinding = await scanJson(['--no-ignore', '.'], { cwd: tree.dir, user: asNobody! });
      expect(withFinding.code).toBe(1);
      expect(withFinding.report.stats.skippedFiles).toHaveLength(1);
    },
  );

  it('a path whose parent is a file (ENOTDIR) is a one-line usage error naming it', async () => {
    tree.write('file.txt', 'x\n');
    const { code, stderr } = await scan(['file.txt/below'], { cwd: tree.dir });
    expect(code).toBe(2);
    expect(stderr).toMatch(/^statalog-scan: file\.txt\/below: no such file or directory\n$/);
  });

  it('a tracked file deleted from the work tree (listed by git, gone when read) is no error and no finding', async () => {
    tree.git('init', '-q');
    tree.write('kept.ts', 'export {};\n');
    tree.write('deleted.env', `STATALOG_API_KEY=${communityValue()}\n`);
    tree.git('add', '.');
    rmSync(tree.path('deleted.env'));
    const { code, report } = await scanOrFail([]);
    expect(code).toBe(0);
    expect(report.findings).toEqual([]);
    expect(report.stats.files).toBe(1);
    expect(report.stats.skippedFiles).toEqual([]);
  });

  it(
    'files rewritten, truncated and deleted while they are scanned: the scan always ends with a sane report',
    { timeout: 120_000 },
    async () => {
      const keys = Array.from({ length: 8 }, cloudKey);
      const big = 6 * 1024 * 1024; // past the 4 MiB read buffer: streamed, then read again for line numbers
      const contentOf = (i: number): string =>
        `${'x'.repeat(i % 2 === 0 ? 100 : big)}\nexport const k = "${keys[i]}";\n`;
      keys.forEach((_, i) => tree.write(`churn/${i}.ts`, contentOf(i)));
      tree.write('contents.json', JSON.stringify(keys.map((_, i) => contentOf(i))));
      // a separate process churns the files as fast as it can for the whole run
      const churn = spawn(
        process.execPath,
        [
          '-e',
          `const fs = require('fs'); const dir = process.argv[1]; const c = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
         for (let n = 0; ; n++) { const i = n % c.length; const p = dir + '/' + i + '.ts';
           try { if (n % 3 === 0) fs.truncateSync(p, n % 7 * 1000); else if (n % 3 === 1) fs.rmSync(p, { force: true }); else fs.writeFileSync(p, c[i]); } catch {} }`,
          tree.path('churn'),
          tree.path('contents.json'),
        ],
        { stdio: 'ignore' },
      );
      try {
        for (let run = 0; run < 12; run++) {
          const { code, report } = await scanOrFail(['--no-ignore', 'churn']);
          // 2 only when a file changed under the scan, and then it is named as such
          const incomplete = report.stats.skippedFiles.filter((s: { error: boolean }) => s.error);
          expect(incomplete.every((s: { reason: string }) => s.reason === 'changed while it was being read')).toBe(
            true,
          );
          expect(code).toBe(report.findings.length > 0 ? 1 : incomplete.length > 0 ? 2 : 0);
          for (const f of report.findings) {
            expect(f.line).toBeGreaterThanOrEqual(1);
            expect(f.column).toBeGreaterThanOrEqual(1);
            expect(keys.some((k) => f.masked === `st_${k.slice(3, 7)}…${k.slice(-4)}`)).toBe(true);
          }
        }
      } finally {
        churn.kill('SIGKILL');
      }
    },
  );
});

describe('git work trees with unusual entries', () => {
  it('a submodule that is not checked out (a plain clone) is an empty directory: scanned quickly, no error', async () => {
    const sub = new TempTree('statalog-sub-');
    try {
      sub.git('init', '-q');
      sub.write('inner.env', `STATALOG_API_KEY=${communityValue()}\n`);
      sub.git('add', '.');
      sub.git('commit', '-q', '-m', 'sub');
      tree.git('init', '-q');
      tree.write('top.ts', 'export {};\n');
      tree.git('-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', sub.dir, 'libs/sub');
      tree.git('commit', '-q', '-m', 'with a submodule');
      // what a clone without --recurse-submodules has: the gitlink, an empty directory
      const clone = new TempTree('statalog-clone-');
      try {
        rmSync(clone.dir, { recursive: true });
        spawnSync('git', ['clone', '-q', tree.dir, clone.dir], { env: cleanEnv() });
        const { code, report, stderr } = await scanOrFail([], clone.dir);
        expect(stderr).toBe('');
        expect(code).toBe(0);
        expect(report.stats.skippedFiles.filter((s) => s.error)).toEqual([]);
        // the checked-out submodule is scanned as a tree of its own
        const full = await scanOrFail([]);
        expect(full.code).toBe(1);
        expect(full.report.findings.map((f) => f.file)).toEqual(['libs/sub/inner.env']);
      } finally {
        clone.cleanup();
      }
    } finally {
      sub.cleanup();
    }
  });

  it('a file whose name is not UTF-8 is read, found and shown with U+FFFD, outside git and inside', async () => {
    const key = cloudKey();
    mkdirSync(tree.path('src'));
    writeFileSync(
      Buffer.concat([Buffer.from(`${tree.path('src')}/`), NON_UTF8_NAME]),
      `STATALOG_API_KEY=${key.slice(3)}\n`,
    );
    const walked = await scanOrFail(['--no-ignore', '.']);
    expect(walked.code).toBe(1);
    expect(walked.report.findings.map((f) => [f.file, f.line, f.column])).toEqual([[`src/${NON_UTF8_SHOWN}`, 1, 18]]);
    tree.git('init', '-q');
    const untracked = await scanOrFail([]);
    expect(untracked.report.findings.map((f) => f.file)).toEqual([`src/${NON_UTF8_SHOWN}`]);
    tree.git('add', '.');
    const tracked = await scanOrFail([]);
    expect(tracked.code).toBe(1);
    expect(tracked.report.findings.map((f) => f.file)).toEqual([`src/${NON_UTF8_SHOWN}`]);
    // the same name through --staged: one finding, the same file name, so baselines match across modes
    const staged = await scanOrFail(['--staged']);
    expect(staged.report.findings.map((f) => f.file)).toEqual([`src/${NON_UTF8_SHOWN}`]);
    expect(staged.report.findings[0]!.fingerprint).toBe(tracked.report.findings[0]!.fingerprint);
  });
});
