/**
 * The byte prefilter `eachAnchor` against a plain reference written from its contract: every anchor that
 * starts in [from, to) and fits before dataEnd is reported (`api_key=` only needs its `_` before dataEnd), with the byte before a community word read only at
 * or after dataStart. The reference searches each whole anchor with `indexOf`; the prefilter proposes single
 * bytes (the WebAssembly SIMD filter, or the memchr passes where it cannot run) and compares backwards — the two
 * must report the same anchors on every region, in the buffers a scanner reads into (`prefilterBuffer`, searched
 * in place) and in any other (copied into the filter's memory a megabyte at a time).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isCloudKeyEnd } from '../src/detect-cloud.js';
import { ANCHORS, CLOUD_KEY_LENGTH, eachAnchor, prefilterBuffer, type AnchorKind, type Region } from '../src/index.js';
import { useSimdFilter } from '../src/content/prefilter.js';

function reference(region: Region): Array<[AnchorKind, number]> {
  const { buf, from, to, dataStart, dataEnd, binary } = region;
  const hits: Array<[AnchorKind, number]> = [];
  const text = buf.toString('latin1');
  const fits = (at: number, length: number) => at >= from && at < to && at + length <= dataEnd;
  const underscore: Array<[AnchorKind, number]> = [];
  for (let at = text.indexOf(ANCHORS.cloud); at !== -1; at = text.indexOf(ANCHORS.cloud, at + 1)) {
    const end = at + CLOUD_KEY_LENGTH;
    const body = text.slice(at + 3, end);
    // the right boundary: not a word character in text; in binary content, where the hex ends (isCloudKeyEnd)
    const ends =
      end === dataEnd ||
      isCloudKeyEnd(text.charCodeAt(end), end + 1 < dataEnd ? text.charCodeAt(end + 1) : undefined, binary);
    if (fits(at, CLOUD_KEY_LENGTH) && /^[0-9a-f]{64}$/.test(body) && ends) underscore.push(['cloud', at]);
  }
  if (!binary) {
    for (let at = text.indexOf(ANCHORS.url); at !== -1; at = text.indexOf(ANCHORS.url, at + 1)) {
      // as built: the underscore must lie before dataEnd; `key=` is compared within the buffer
      if (at >= from && at < to && at + 3 < dataEnd && at + ANCHORS.url.length <= buf.length)
        underscore.push(['url', at]);
    }
  }
  hits.push(...underscore);
  if (binary) return hits;
  for (const word of ANCHORS.community) {
    for (let at = text.indexOf(word); at !== -1; at = text.indexOf(word, at + 1)) {
      if (fits(at, word.length) && at > dataStart && /[sS]/.test(text[at - 1]!)) hits.push(['community', at - 1]);
    }
  }
  return sorted(hits);
}

/** Anchors come in no particular order: compared by position. */
function sorted(hits: Array<[AnchorKind, number]>): Array<[AnchorKind, number]> {
  return hits.sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

function anchors(region: Region): Array<[AnchorKind, number]> {
  const hits: Array<[AnchorKind, number]> = [];
  eachAnchor(region, (kind, at) => void hits.push([kind, at]));
  return sorted(hits);
}

/** A scanner's read buffer holding `bytes` at `offset` (and other bytes around them). */
function inScanBuffer(bytes: Buffer, offset: number): Buffer {
  const buf = prefilterBuffer(offset + bytes.length + 100);
  buf.fill(0x5f); // underscores around the data: stale bytes the search must not report
  bytes.copy(buf, offset);
  return buf.subarray(offset, offset + bytes.length);
}

const PIECES = [
  's',
  'S',
  't',
  'T',
  '_',
  'a',
  'g',
  'G',
  'x',
  ' ',
  '\n',
  'tatalog',
  'TATALOG',
  'statalog',
  'STATALOG',
  'api_key=',
  'api_',
  'st_',
  'st_' + 'ab12'.repeat(16),
  'key=',
];

describe('eachAnchor', () => {
  it('reports exactly the anchors a whole-word search finds, for any region of any text', () => {
    for (const simd of [true, false]) {
      useSimdFilter(simd);
      try {
        propertyHolds();
      } finally {
        useSimdFilter(true);
      }
    }
  });

  it('finds anchors across the megabyte chunks of a large buffer, and in a scan buffer searched in place', () => {
    // anchors on both sides of every chunk edge, at every alignment the 32-byte steps can meet
    const parts: string[] = [];
    const want: Array<[AnchorKind, number]> = [];
    let length = 0;
    const key = `st_${'0123456789abcdef'.repeat(4)}`;
    for (let edge = 1 << 20; edge < 3 << 20; edge += 1 << 20) {
      for (const [kind, text, offset] of [
        ['cloud', key, 0],
        ['url', 'api_key=x', 0],
        ['community', 'Statalog', 0],
        ['community', 'STATALOG', 0],
      ] as const) {
        for (let delta = -10; delta <= 3; delta++) {
          const at = edge + delta * 7 - text.length + 40 * want.length;
          if (at < length) continue;
          parts.push('x'.repeat(at - length), text, ' ');
          want.push([kind, at + offset]);
          length = at + text.length + 1;
        }
      }
    }
    parts.push('x'.repeat(100));
    const bytes = Buffer.from(parts.join(''), 'latin1');
    const region = (buf: Buffer): Region => ({
      buf,
      from: 0,
      to: buf.length,
      dataStart: 0,
      dataEnd: buf.length,
      binary: false,
    });
    expect(anchors(region(bytes))).toEqual(sorted(want));
    expect(anchors(region(inScanBuffer(bytes, 5)))).toEqual(sorted(want));
  });

  function propertyHolds(): void {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...PIECES), { maxLength: 60 }),
        fc.nat(),
        fc.nat(),
        fc.nat(),
        fc.nat(),
        fc.boolean(),
        (pieces, a, b, c, d, binary) => {
          const buf = Buffer.from(pieces.join(''), 'latin1');
          const n = buf.length + 1;
          const [dataStart, dataEnd] = [a % n, b % n].sort((x, y) => x - y) as [number, number];
          const span = dataEnd - dataStart + 1;
          const [from, to] = [dataStart + (c % span), dataStart + (d % span)].sort((x, y) => x - y) as [number, number];
          const region: Region = { buf, from, to, dataStart, dataEnd, binary };
          expect(anchors(region)).toEqual(reference(region));
          // the same bytes in a scan buffer, where the filter reads them in place
          expect(anchors({ ...region, buf: inScanBuffer(buf, a % 40) })).toEqual(reference(region));
        },
      ),
      { numRuns: 3000 },
    );
  }

  it('stops at the first anchor for which found returns true', () => {
    const buf = Buffer.from('STATALOG x statalog y Statalog', 'latin1');
    const seen: number[] = [];
    eachAnchor(
      { buf, from: 0, to: buf.length, dataStart: 0, dataEnd: buf.length, binary: false },
      (_kind, at) => (seen.push(at), true),
    );
    expect(seen).toHaveLength(1);
    expect([0, 11, 21]).toContain(seen[0]);
  });
});
