/**
 * Keys in compiled code: a Java class file's constant pool and a Python `.pyc` store a string after its
 * length, and a key's length (67) is the byte `C`; the byte after the key is the next entry's type code,
 * often a letter (`N` for None in a `.pyc`). In binary content those bytes are not letters glued to the key —
 * in text they are. Checked through `scanContent` (what every door runs) and the byte prefilter.
 */
import { describe, expect, it } from 'vitest';
import { mayHoldSecret } from '../src/content/prefilter.js';
import { scanContent } from '../src/index.js';
import { cloudKey } from './support.js';

const bin = (...parts: Array<string | number[]>): Buffer =>
  Buffer.concat([
    Buffer.from([0, 0, 0, 0]),
    ...parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))),
  ]);
const found = (bytes: Buffer): string[] => scanContent(bytes, 'x.bin').matches.map((m) => m.secret);

describe('length-prefixed keys in binary content', () => {
  it('a Java constant pool entry: tag 1, u2 length 67 (00 43), the key, the next tag', () => {
    const key = cloudKey();
    const bytes = bin([0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 0x41, 0, 0x12, 0x01, 0x00, 0x43], key, [0x07, 0x00, 0x02]);
    expect(mayHoldSecret(bytes, true)).toBe(true);
    expect(found(bytes)).toEqual([key]);
  });

  it('a .pyc short ASCII string (z/Z, with or without the reference flag), followed by N (None)', () => {
    for (const type of [0x7a, 0x5a, 0xfa, 0xda]) {
      const key = cloudKey();
      expect(found(bin([0xe3, 0, 0, type, 0x43], key, 'N)\x01'))).toEqual([key]);
    }
  });

  it('still rejected in binary: a longer hex run (the right boundary stays exact; anything may come before)', () => {
    const key = cloudKey();
    expect(found(bin([0x01, 0x00, 0x43], `${key}a0`))).toEqual([]);
    expect(found(bin([0x01, 0x00, 0x43], `${key}7`))).toEqual([]);
    expect(found(bin('xyC', key, [0]))).toHaveLength(1); // a length prefix or the previous column may touch it
  });

  it('in text the same bytes are letters of one word: not a key', () => {
    const key = cloudKey();
    expect(scanContent(Buffer.from(`const x = "zC${key}";\n`), 'a.ts').matches).toEqual([]);
    expect(scanContent(Buffer.from(`const x = "${key}N";\n`), 'a.ts').matches).toEqual([]);
  });
});
