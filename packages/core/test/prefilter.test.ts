/**
 * The byte prefilter `eachAnchor` against a plain reference written from its contract: every anchor that
 * starts in [from, to) and fits before dataEnd is reported (`api_key=` only needs its `_` before dataEnd), with the byte before a community word read only at
 * or after dataStart. The reference searches each whole anchor with `indexOf`; the prefilter searches single
 * bytes (`_`, and each community word's last byte) and compares backwards — the two must agree on every region,
 * in the same order.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isCloudKeyEnd } from '../src/detect-cloud.js';
import { ANCHORS, CLOUD_KEY_LENGTH, eachAnchor, type AnchorKind, type Region } from '../src/index.js';

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
    const ends = end === dataEnd || isCloudKeyEnd(text.charCodeAt(end), end + 1 < dataEnd ? text.charCodeAt(end + 1) : undefined, binary);
    if (fits(at, CLOUD_KEY_LENGTH) && /^[0-9a-f]{64}$/.test(body) && ends) underscore.push(['cloud', at]);
  }
  if (!binary) {
    for (let at = text.indexOf(ANCHORS.url); at !== -1; at = text.indexOf(ANCHORS.url, at + 1)) {
      // as built: the underscore must lie before dataEnd; `key=` is compared within the buffer
      if (at >= from && at < to && at + 3 < dataEnd && at + ANCHORS.url.length <= buf.length) underscore.push(['url', at]);
    }
  }
  // the prefilter reports `_`-anchored hits in the order of their underscores
  hits.push(...underscore.sort((a, b) => a[1] + (a[0] === 'cloud' ? 2 : 3) - (b[1] + (b[0] === 'cloud' ? 2 : 3))));
  if (binary) return hits;
  for (const word of ANCHORS.community) {
    for (let at = text.indexOf(word); at !== -1; at = text.indexOf(word, at + 1)) {
      if (fits(at, word.length) && at > dataStart && /[sS]/.test(text[at - 1]!)) hits.push(['community', at - 1]);
    }
  }
  return hits;
}

const PIECES = ['s', 'S', 't', 'T', '_', 'a', 'g', 'G', 'x', ' ', '\n', 'tatalog', 'TATALOG', 'statalog', 'STATALOG', 'api_key=', 'api_', 'st_', 'st_' + 'ab12'.repeat(16), 'key='];

describe('eachAnchor', () => {
  it('reports exactly the anchors a whole-word search finds, for any region of any text', () => {
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
          const hits: Array<[AnchorKind, number]> = [];
          eachAnchor(region, (kind, at) => void hits.push([kind, at]));
          expect(hits).toEqual(reference(region));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('stops at the first anchor for which found returns true', () => {
    const buf = Buffer.from('STATALOG x statalog y Statalog', 'latin1');
    const seen: number[] = [];
    eachAnchor({ buf, from: 0, to: buf.length, dataStart: 0, dataEnd: buf.length, binary: false }, (_kind, at) => (seen.push(at), true));
    expect(seen).toEqual([11]);
  });
});
