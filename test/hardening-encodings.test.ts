/**
 * Hardening, encodings: NUL bytes, invalid UTF-8, UTF-16 LE/BE with and without a byte-order mark, CR-only
 * line ends, an empty file, a file that is nothing but a key. Each finding's line and UTF-16 column is
 * checked against the text read back independently (`textAt`), and in both reading paths: whole-buffer
 * files and files larger than the 4 MiB read buffer (streamed).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloudKey, communityValue } from './helpers/keys.js';
import { scanJson } from './helpers/scan.js';
import { TempTree } from './helpers/tmp.js';

let tree: TempTree;
beforeAll(() => {
  tree = new TempTree('statalog-encodings-');
});
afterAll(() => tree.cleanup());

const mask = (key: string): string => `st_${key.slice(3, 7)}…${key.slice(-4)}`;

function utf16(text: string, bigEndian: boolean, bom: boolean): Buffer {
  const le = Buffer.from(`${bom ? '\ufeff' : ''}${text}`, 'utf16le');
  return bigEndian ? le.swap16() : le;
}

/** Positions of `[file, line, column, masked]`, as the scanner reports them. */
async function positions(file: string): Promise<Array<[number, number, string]>> {
  const { report, code } = await scanJson(['--no-ignore', file], { cwd: tree.dir });
  expect(code, JSON.stringify(report.stats)).toBeLessThan(2);
  return report.findings.map((f) => [f.line, f.column, f.masked]);
}

describe('every encoding gets the right line and column', () => {
  const key = cloudKey();
  const body = `// first line\n\tconst ключ = "${key}"; // 🔑\n`; // the key on line 2 at column 16

  it.each([
    ['UTF-16 LE with BOM', 'le-bom.js', () => utf16(body, false, true)],
    ['UTF-16 BE with BOM', 'be-bom.js', () => utf16(body, true, true)],
    ['UTF-16 LE without BOM', 'le.js', () => utf16(body, false, false)],
    ['UTF-16 BE without BOM', 'be.js', () => utf16(body, true, false)],
  ])('%s', async (_, file, content) => {
    tree.write(file, content());
    expect(await positions(file)).toEqual([[2, 16, mask(key)]]);
  });

  it('UTF-16 without BOM and larger than the read buffer (streamed)', async () => {
    const filler = 'filler line of text\n'.repeat(120_000); // 2.4 MB of text, 4.8 MB as UTF-16
    tree.write('big-le.txt', utf16(`${filler}${body}`, false, false));
    expect(await positions('big-le.txt')).toEqual([[120_002, 16, mask(key)]]);
  });

  it('a binary file that only looks like UTF-16 (a table of small 16-bit numbers) still has its cloud key found', async () => {
    const table = Buffer.alloc(6000);
    for (let i = 0; i < table.length; i += 2) table[i] = 0x41 + (i % 40); // little-endian values below 256, no line ends
    tree.write('table.bin', Buffer.concat([table, Buffer.from(`\n${key}\n`), table]));
    expect(await positions('table.bin')).toEqual([[2, 1, mask(key)]]);
  });

  it('NUL bytes in the middle of text: a binary file, searched for cloud keys, lines still counted', async () => {
    tree.write('nul.txt', Buffer.concat([Buffer.from('one\ntwo\0three\n'), Buffer.from(`x = ${key}\n`)]));
    expect(await positions('nul.txt')).toEqual([[3, 5, mask(key)]]);
    // past the 8 KiB sniff window a NUL does not make the file binary: every rule applies
    const value = communityValue();
    tree.write(
      'late-nul.env',
      Buffer.concat([Buffer.from(`${'#'.repeat(9000)}\n\0\n`), Buffer.from(`STATALOG_API_KEY=${value}\n`)]),
    );
    const { report } = await scanJson(['late-nul.env'], { cwd: tree.dir });
    expect(report.findings.map((f) => [f.ruleId, f.line, f.column])).toEqual([['community-key', 3, 18]]);
  });

  it('invalid UTF-8 before the key on its line: columns count one UTF-16 unit per replaced byte', async () => {
    tree.write(
      'invalid.txt',
      Buffer.concat([
        Buffer.from([0x61, 0xc3, 0x28, 0xff, 0x0a]),
        Buffer.from([0xfe, 0xed]),
        Buffer.from(`é"${key}"\n`),
      ]),
    );
    expect(await positions('invalid.txt')).toEqual([[2, 5, mask(key)]]);
  });

  it('CR-only line ends (classic Mac), CRLF, and a mix', async () => {
    tree.write('cr.txt', `a\rb\r\rk = "${key}"\r`);
    expect(await positions('cr.txt')).toEqual([[4, 6, mask(key)]]);
    tree.write('mixed.txt', `a\r\nb\rc\n\r\nk = "${key}"`);
    expect(await positions('mixed.txt')).toEqual([[5, 6, mask(key)]]);
  });

  it('an empty file, a file of one newline, and a file that is only a key with no newline', async () => {
    tree.write('empty.txt', '');
    tree.write('newline.txt', '\n');
    tree.write('only-key.txt', key);
    tree.write('only-bom.txt', Buffer.from([0xef, 0xbb, 0xbf]));
    tree.write('only-utf16-bom.txt', Buffer.from([0xff, 0xfe]));
    const value = communityValue();
    tree.write('only-env.env', `STATALOG_API_KEY=${value}`);
    const { report, code } = await scanJson(['--no-ignore', '.'], { cwd: tree.dir });
    const found = report.findings
      .filter((f) => /^(empty|newline|only-)/.test(f.file))
      .map((f) => [f.file, f.line, f.column, f.endColumn]);
    expect(found).toEqual([
      ['only-env.env', 1, 18, 18 + value.length],
      ['only-key.txt', 1, 1, 68],
    ]);
    expect(code).toBe(1);
    expect(report.stats.skippedFiles).toEqual([]);
  });
});
