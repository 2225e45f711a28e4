/**
 * Hardening, size: a sparse file past 4 GiB and a 50 MB single line are scanned in bounded memory, with
 * exact line and column numbers, reading each byte at most twice (the second pass only counts lines up to
 * the last finding). Memory is the child's peak resident set (VmHWM) and reading is its `rchar`, both from
 * /proc — resource bounds, not timings. How long these take is measured in bench/hardening.bench.mjs.
 */
import { closeSync, openSync, writeSync, ftruncateSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GB, MB, runMeasured } from './helpers/hostile.js';
import { cloudKey, communityValue } from './helpers/keys.js';
import type { JsonReport } from './helpers/report.js';
import { TempTree } from './helpers/tmp.js';

/** The documented bound: the scanner holds one 4 MiB buffer per thread whatever the input. */
const MEMORY_BOUND = 300 * MB;

let tree: TempTree;
beforeAll(() => {
  tree = new TempTree('statalog-big-');
});
afterAll(() => tree.cleanup());

function writeAt(fd: number, offset: number, text: string): void {
  writeSync(fd, Buffer.from(text), 0, Buffer.byteLength(text), offset);
}

describe('a sparse file larger than 4 GiB', () => {
  it(
    'finds keys on both sides of the 4 GiB mark, with their lines, in bounded memory, reading it at most twice',
    { timeout: 300_000 },
    async () => {
      const size = 4 * GB + 512 * MB;
      const keys = [cloudKey(), cloudKey()];
      const fd = openSync(tree.path('disk.img'), 'w');
      try {
        ftruncateSync(fd, size); // holes read as NUL bytes: a binary file, searched for cloud keys
        writeAt(fd, 0, 'header\n\n');
        writeAt(fd, 1 * GB, `\nkey one: ${keys[0]}\n`); // line 4
        writeAt(fd, 4 * GB + 100, `\n\n\tkey two = ${keys[1]}\n`); // lines 5, 6, then the key on line 7
      } finally {
        closeSync(fd);
      }
      const run = await runMeasured(['--format', 'json', 'disk.img'], { cwd: tree.dir, deadlineMs: 280_000 });
      expect(run.killed).toBe(false);
      expect(run.code).toBe(1);
      const report = JSON.parse(run.stdout) as JsonReport;
      expect(report.findings.map((f) => [f.line, f.column, f.masked])).toEqual([
        [4, 10, `st_${keys[0]!.slice(3, 7)}…${keys[0]!.slice(-4)}`],
        [7, 12, `st_${keys[1]!.slice(3, 7)}…${keys[1]!.slice(-4)}`],
      ]);
      expect(report.stats).toMatchObject({ files: 1, bytes: size, binary: 1 });
      expect(run.peakRss).toBeLessThan(MEMORY_BOUND);
      // every byte read once, and again up to the last finding to count lines: never more
      expect(run.readBytes).toBeGreaterThan(size);
      expect(run.readBytes).toBeLessThan(2 * size + 64 * MB);
    },
  );
});

describe('a 50 MB single line', () => {
  it(
    'finds a key in the middle and one at the end with exact columns, in bounded memory',
    { timeout: 120_000 },
    async () => {
      const length = 50 * MB;
      const middle = cloudKey();
      const community = communityValue();
      const line = Buffer.alloc(length, 'a');
      const atMiddle = 25 * MB + 7;
      line.write(`,"${middle}",`, atMiddle);
      const tail = `;STATALOG_API_KEY=${community}`;
      line.write(tail, length - tail.length);
      tree.write('bundle.min.env', Buffer.concat([Buffer.from('// minified\n'), line]));
      const run = await runMeasured(['--format', 'json', 'bundle.min.env'], { cwd: tree.dir, deadlineMs: 110_000 });
      expect(run.killed).toBe(false);
      expect(run.code).toBe(1);
      const report = JSON.parse(run.stdout) as JsonReport;
      expect(report.findings.map((f) => [f.ruleId, f.line, f.column])).toEqual([
        ['cloud-key', 2, atMiddle + 3],
        ['community-key', 2, length - community.length + 1],
      ]);
      expect(run.peakRss).toBeLessThan(MEMORY_BOUND);
    },
  );

  it(
    'reads a line dense with anchors (st_, api_key=, statalog) in bounded memory, and finds the one real key',
    { timeout: 180_000 },
    async () => {
      const key = cloudKey();
      const unit = 'st_ api_key= statalog_key STATALOG_API_KEY ';
      const text = `${unit.repeat(Math.floor((12 * MB) / unit.length))}"${key}"`;
      tree.write('anchors.txt', text);
      const run = await runMeasured(['--format', 'json', 'anchors.txt'], { cwd: tree.dir, deadlineMs: 170_000 });
      expect(run.killed).toBe(false);
      const report = JSON.parse(run.stdout) as JsonReport;
      expect(report.findings.map((f) => [f.line, f.column])).toEqual([[1, text.length - key.length]]);
      expect(run.peakRss).toBeLessThan(MEMORY_BOUND);
    },
  );
});
