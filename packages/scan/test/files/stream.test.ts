/**
 * The streamed path (files larger than the read buffer: chunks, carried tails, windows around anchors) must
 * find what core finds in the whole text. Property test: random files of short lines — ASCII and multi-byte
 * filler, every line-end style — with keys, names, URLs and sections planted at random places, scanned by a
 * FileScanner with a small buffer (so every file crosses many chunk edges), compared with core's scanText.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mask, scanText } from '@statalog/core';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { FileScanner, MIN_BUFFER_SIZE } from '../../src/files/scan-file.js';

const dir = mkdtempSync(join(tmpdir(), 'statalog-stream-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const hex = (bytes: number): string => randomBytes(bytes).toString('hex');

/** Lines that hold (or look like they hold) a secret; values made at run time. */
const planted = fc.constantFrom(
  () => `const key = "st_${hex(32)}";`,
  () => `token=st_${hex(32)} and more`,
  () => `STATALOG_API_KEY=${hex(32)}`,
  () => `export STATALOG_API_KEY="${hex(16)}" # prod`,
  () => `curl "https://app.statalog.com/api/v1/stats?site_id=ST-A1B2C3&api_key=st_${hex(32)}"`,
  () => `GET /api/v1/pages?site_id=9&api_key=${hex(24)} HTTP/1.1`,
  () => `statalog:\n  url: https://stats.example.com\n  api_key: ${hex(20)}`,
  () => `[statalog]\nkey = "${hex(20)}"`,
  () => `        - name: STATALOG_API_KEY\n          value: "${hex(32)}"`,
  () => `const allowed = "st_${hex(32)}"; // statalog:allow`,
  () => `list_items = test_${hex(32)}`,
  () => `STATALOG_API_KEY=\${STATALOG_API_KEY}`,
  // far from their anchors: a section whose key comes 1,500 characters after its header, a URL whose
  // api_key= comes 1,800 characters after its path — what the windows' look-back and look-ahead are for
  () =>
    `statalog:\n${Array.from({ length: 25 }, (_, i) => `  option_${i}: value number ${i} for the dashboard`).join('\n')}\n  api_key: ${hex(20)}`,
  () =>
    `10.0.0.1 - - "GET /api/v1/stats?site_id=1${'&period=7d&limit=100'.repeat(90)}&api_key=${hex(24)} HTTP/1.1" 200`,
  // as far as core's URL rule reads (URL_SPAN): the host 15 KB before api_key=, and just past it
  () =>
    `<a href="https://app.statalog.com/api/v1/stats?site_id=1${'&period=7d&limit=100'.repeat(750)}&api_key=${hex(24)}">`,
  () => `<a href="https://app.statalog.com/api/v1/stats?x=1${'&period=7d&limit=100'.repeat(900)}&api_key=${hex(24)}">`,
);
const filler = fc.constantFrom(
  'function render(items) { return items.map((x) => x.first_name); }',
  'Grüße aus Zürich — naïve café ☕ 😀 données',
  'SELECT first_name, last_name FROM users WHERE id = 42;',
  '    # a comment about the analytics API and its keys',
  '',
  '{"integrity": "sha512-abc", "resolved": "https://registry.example.org/x.tgz"}',
  'x'.repeat(700),
);
const lineEnd = fc.constantFrom('\n', '\r\n', '\r');
const line = fc.oneof({ weight: 3, arbitrary: filler }, { weight: 1, arbitrary: planted.map((make) => make()) });
/** Without any `statalog` word, whose windows reach 12 KiB ahead and would cover for a short look-back. */
const farLine = fc.oneof(
  { weight: 3, arbitrary: filler },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(
        () =>
          `10.0.0.1 - - "GET /api/v1/stats?site_id=1${'&period=7d&limit=100'.repeat(90)}&api_key=${hex(24)} HTTP/1.1" 200`,
        () =>
          `<a href="https://app.statalog.com/api/v1/stats?site_id=1${'&period=7d&limit=100'.repeat(750)}&api_key=${hex(24)}">`,
        () => `const key = "st_${hex(32)}";`,
      )
      .map((make) => make()),
  },
);

function assertSameAsCore(lines: Array<[string, string]>, scanner: FileScanner, name: string): void {
  const text = lines.map(([l, e]) => l + e).join('');
  expect(Buffer.byteLength(text)).toBeGreaterThan(3 * MIN_BUFFER_SIZE); // streamed, many chunk edges
  const file = join(dir, name);
  writeFileSync(file, text);
  const outcome = scanner.scan(file, 'f.txt');
  rmSync(file);
  expect(outcome.kind).toBe('scanned');
  if (outcome.kind !== 'scanned') return;
  // inline allows are listed (flagged), not dropped, by the pipeline; core's scanText flags them the same way
  const flag = (allowed: boolean | undefined) => (allowed ? ' allowed' : '');
  const expected = scanText(text, 'f.txt', { reportAllowed: true }).map(
    (f) => `${f.line}:${f.column} ${f.ruleId} ${f.masked}${flag(f.inlineAllowed)}`,
  );
  const actual = outcome.hits.map((h) => `${h.line}:${h.column} ${h.ruleId} ${mask(h.secret)}${flag(h.allowed)}`);
  expect(actual).toEqual(expected);
}

describe('streamed scan = core on the whole text', () => {
  it('finds the same secrets at the same lines and columns across chunk edges', () => {
    const scanner = new FileScanner({}, MIN_BUFFER_SIZE);
    let n = 0;
    fc.assert(
      fc.property(fc.array(fc.tuple(line, lineEnd), { minLength: 6000, maxLength: 12000 }), (lines) =>
        assertSameAsCore(lines, scanner, `f${n++}.txt`),
      ),
      { numRuns: 25, endOnFailure: true },
    );
  });

  it('keeps enough of the previous chunk for matches whose context starts far before their anchor', () => {
    const scanner = new FileScanner({}, MIN_BUFFER_SIZE);
    let n = 0;
    fc.assert(
      fc.property(fc.array(fc.tuple(farLine, lineEnd), { minLength: 5000, maxLength: 9000 }), (lines) =>
        assertSameAsCore(lines, scanner, `g${n++}.txt`),
      ),
      { numRuns: 15, endOnFailure: true },
    );
  });

  it('a URL whose api_key= sits 15 KB along its line is found in a big file as in a small one', () => {
    const url = `https://app.statalog.com/api/v1/stats?site_id=1${'&period=7d&limit=100'.repeat(750)}&api_key=${hex(24)}`;
    const small = `x\n<a href="${url}">\n`;
    const big = `${'filler line of a big log file\n'.repeat(200_000)}<a href="${url}">\n`;
    const scanner = new FileScanner({});
    for (const [name, text] of [
      ['small.html', small],
      ['big.html', big],
    ] as const) {
      const file = join(dir, name);
      writeFileSync(file, text);
      const outcome = scanner.scan(file, name);
      rmSync(file);
      expect(outcome.kind === 'scanned' && outcome.hits.map((h) => h.ruleId)).toEqual(['url-key']);
    }
    expect(Buffer.byteLength(big)).toBeGreaterThan(4 * 1024 * 1024);
  });

  it('a file that fits in the buffer is scanned whole: the same result as core', () => {
    const scanner = new FileScanner({});
    const text = [
      `const a = "st_${hex(32)}";`,
      'statalog:',
      `  api_key: ${hex(20)}`,
      `x STATALOG_API_KEY=${hex(32)}`,
    ].join('\r\n');
    const file = join(dir, 'small.env');
    writeFileSync(file, text);
    const outcome = scanner.scan(file, 'f.txt');
    const expected = scanText(text, 'small.env', { reportAllowed: true });
    expect(outcome.kind === 'scanned' && outcome.hits.map((h) => [h.ruleId, h.line, h.column])).toEqual(
      expected.map((f) => [f.ruleId, f.line, f.column]),
    );
    expect(expected).toHaveLength(3);
  });
});
