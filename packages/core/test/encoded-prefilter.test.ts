/**
 * The prefilter for encoded content: bytes that hold a base64 or percent-encoded Statalog anchor reach the
 * decoder, at every byte alignment and in both base64 alphabets, and the usual base64 of a code base — lockfile
 * hashes, images, JWTs, source maps, minified code — does not. The byte search (files) and the string search
 * (decoded text, windows, diff hunks) find the same anchors, so every door decodes the same runs.
 */
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  detect,
  eachEncodedAnchor,
  ENCODED_NEEDLES,
  encodedAnchorsIn,
  mayHoldEncodedSecret,
  stableBase64,
} from '../src/index.js';
import { cloudKey, hexKey } from './support.js';

const b64 = (text: string) => Buffer.from(text).toString('base64');
const b64url = (text: string) => Buffer.from(text).toString('base64url');
const pct = (text: string) => encodeURIComponent(text);
const holds = (text: string) => mayHoldEncodedSecret(Buffer.from(text));

/** A deterministic byte stream (mulberry32): decoys must not depend on luck. */
function seededBytes(seed: number, n: number): Buffer {
  let a = seed >>> 0;
  const out = Buffer.alloc(n);
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = (t ^ (t >>> 14)) & 0xff;
  }
  return out;
}

describe('encoded anchors are found at every alignment', () => {
  const bodies = (): Array<[string, string]> => [
    ['.env', `STATALOG_API_KEY=${hexKey()}\n`],
    ['YAML section', `statalog:\n  api_key: ${hexKey()}\n`],
    ['.NET', `Statalog__ApiKey=${hexKey()}\n`],
    ['Cloud URL', `https://app.statalog.com/api/v1/stats?api_key=${cloudKey()}`],
    [
      'self-hosted URL (api_key= alone)',
      `https://stats.example.com/api/v1/stats?site_id=ST-A1B2C3&api_key=${hexKey()}`,
    ],
    ['a Cloud key in JSON', `{"token":"${cloudKey()}"}`],
  ];

  it.each([0, 1, 2, 3, 4, 5])('after %i bytes, standard and URL-safe alphabets: found, decoded, reported', (pad) => {
    for (const [name, body] of bodies()) {
      const plain = `${'\n'.repeat(pad)}${body}`;
      for (const encoded of [b64(plain), b64url(plain)]) {
        expect(holds(`x: ${encoded}\n`), `${name} at ${pad}`).toBe(true);
        const found = detect(`x: ${encoded}\n`, { decode: true, selfHostedHosts: ['stats.example.com'] });
        expect(
          found.map((m) => m.encoding),
          `${name} at ${pad}`,
        ).toEqual(['base64']);
      }
    }
  });

  it('a Cloud key base64-encoded on its own starts with c3Rf', () => {
    const encoded = b64(cloudKey());
    expect(encoded.startsWith('c3Rf')).toBe(true);
    expect(holds(encoded)).toBe(true);
  });

  it('percent forms: key% in any case, once or twice encoded', () => {
    const key = hexKey();
    for (const text of [
      `next=${pct(`https://stats.example.com/api/v1/stats?site_id=ST-A1B2C3&api_key=${key}`)}`,
      `next=${pct(pct(`https://stats.example.com/api/v1/stats?site_id=ST-A1B2C3&api_key=${key}`))}`,
      `body=STATALOG_API_KEY%3D${key}`,
      `body=api%5Fkey%3D${key}`,
      `data=${pct(JSON.stringify({ STATALOG_API_KEY: key }))}`,
    ]) {
      expect(holds(text), text.slice(0, 40)).toBe(true);
    }
    expect(holds('api_key=plain&x=%20')).toBe(false);
  });
});

describe('decoys hold no encoded anchor', () => {
  it('lockfile integrity hashes, an image, JWTs, UUIDs and hashes, a source map, minified code', () => {
    const rand = (seed: number, n: number) => seededBytes(seed, n);
    const lockfile = Array.from(
      { length: 300 },
      (_, i) =>
        `      "integrity": "sha512-${rand(i + 1, 64).toString('base64')}",\n      "resolved": "https://registry.npmjs.org/pkg-${i}/-/pkg-${i}-1.0.0.tgz",`,
    ).join('\n');
    const image = `<img src="data:image/png;base64,${rand(7, 12_000).toString('base64')}">`;
    const jwts = Array.from({ length: 50 }, (_, i) =>
      [
        b64url('{"alg":"RS256","typ":"JWT"}'),
        b64url(`{"sub":"user-${i}","iat":${1_700_000_000 + i},"scope":"read"}`),
        rand(100 + i, 256).toString('base64url'),
      ].join('.'),
    ).join('\n');
    const ids = Array.from(
      { length: 500 },
      (_, i) => `${rand(1000 + i, 16).toString('hex')} ${rand(2000 + i, 20).toString('hex')}`,
    ).join('\n');
    const map = JSON.stringify({
      version: 3,
      sources: ['src/index.ts'],
      mappings: 'AAAA,SAASA,EAAE,CAAC;AACZ,OAAO,CAAC,GAAG,CAAC,aAAa,CAAC,CAAC;'.repeat(300),
    });
    const minified =
      `!function(e){var t={};function n(r){if(t[r])return t[r].exports;var o=t[r]={i:r,l:!1,exports:{}};return e[r].call(o.exports,o,o.exports,n),o.l=!0,o.exports}}([]);`.repeat(
        50,
      );
    for (const [name, text] of Object.entries({ lockfile, image, jwts, ids, map, minified }))
      expect(holds(text), name).toBe(false);
  });

  it('a %key% template placeholder, and base64 of one byte repeated (a compiled module inlined as base64)', () => {
    const templates = 'Cannot bind to `%key%` (%component%): use `bind:%key%={value}`, not `%KEY%`.';
    // `FhYW…` is 0x16 repeated; read from its third character it is `YWFh…`, base64 of `aaa…` (hex digits)
    const padding = `const wasm = "AGFzbQEAAAAB${b64('\x16'.repeat(600))}AAEC";`;
    for (const [name, text] of Object.entries({ templates, padding })) {
      expect(holds(text), name).toBe(false);
      expect(encodedAnchorsIn(text), name).toEqual([]);
    }
    // the same shapes with a real escape, or with varying hex digits, still are anchors
    expect(holds('`%key%3D`')).toBe(true);
    expect(holds(`"${b64(randomBytes(30).toString('hex'))}"`)).toBe(true);
  });
});

describe('how the anchors are searched', () => {
  it('every needle is found through one of two rare pivot bytes, and they are the stable base64 of the words', () => {
    const pivots = new Set(ENCODED_NEEDLES.map((n) => n.text[n.pivot]));
    expect([...pivots].sort()).toEqual(['V', 'Y']);
    const texts = ENCODED_NEEDLES.map((n) => n.text);
    for (const word of ['STATALOG', '_API_KEY', 'api_key='])
      for (let o = 0; o < 3; o++) expect(texts.some((t) => stableBase64(word, o).startsWith(t))).toBe(true);
    for (const word of ['statalog', 'Statalog']) for (const o of [1, 2]) expect(texts).toContain(stableBase64(word, o));
  });

  it('base64 of hex at any alignment is an anchor (a Cloud key on its own); 48 hex digits, not a commit id', () => {
    for (let pad = 0; pad < 3; pad++)
      expect(holds(`k: ${b64(`${'#'.repeat(pad)}${cloudKey().slice(3)}`)}`), String(pad)).toBe(true);
    expect(holds(`k: ${b64('c0ffee'.repeat(8))} `)).toBe(true); // 48 hex digits: sixteen groups
    expect(holds(`k: ${b64('c0ffee'.repeat(7) + 'c0f')} `)).toBe(false); // 45: fifteen
    // a GitHub node id: base64 of `Commit:` and a 40-digit sha
    expect(holds(`"node_id": "${b64(`Commit:${randomBytes(20).toString('hex')}`)}"`)).toBe(false);
  });

  it('statalog at the alignment whose needle is not searched is found through what follows it', () => {
    for (const body of [`https://app.statalog.com/x`, `Statalog:ApiKey=x`, `statalog_api_key=x`, `STATALOG_KEY=x`]) {
      for (let pad = 0; pad < 3; pad++) expect(holds(b64(`${'\n'.repeat(pad)}${body}`)), `${body} ${pad}`).toBe(true);
    }
  });

  it('the byte search and the string search find the same anchors in any region', () => {
    const piece = fc.oneof(
      fc.constantFrom(
        ...ENCODED_NEEDLES.map((n) => n.text),
        'key%',
        'KEY%3D',
        'V',
        'Y',
        'Z',
        '%',
        'ke',
        'y%',
        b64('c0ffee'.repeat(9)),
        'YWFh',
        'MDEy',
      ),
      fc.string({ maxLength: 6 }).map((s) => s.replace(/[^\x20-\x7e]/g, 'a')),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), fc.nat(), fc.nat(), (pieces, a, b) => {
        const text = pieces.join('');
        const from = text.length === 0 ? 0 : a % (text.length + 1);
        const to = from + (text.length === 0 ? 0 : b % (text.length - from + 1));
        const buf = Buffer.from(text, 'latin1');
        const bytes: number[] = [];
        eachEncodedAnchor(
          { buf, from, to, dataStart: 0, dataEnd: buf.length, binary: false },
          (at) => void bytes.push(at),
        );
        expect([...new Set(bytes)].sort((x, y) => x - y)).toEqual(encodedAnchorsIn(text, from, to));
        // and each is a real anchor starting in the region
        for (const at of bytes) expect(at >= from && at < to).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('anchors across the 64 KiB blocks the byte search works in are found once each', () => {
    const pieces = [...ENCODED_NEEDLES.map((n) => n.text), 'api_key%3D', b64('c0ffeec0ffeec0ffee')];
    const parts: string[] = [];
    let length = 0;
    for (let i = 0; length < 300_000; i++) {
      const piece = pieces[i % pieces.length]!;
      // place each piece so that it starts a few bytes before, at or after a multiple of 64 KiB
      const target = Math.ceil((length + 1) / 65_536) * 65_536 + ((i % 7) - 3) * 3;
      const filler = Math.max(1, target - length);
      parts.push('.'.repeat(filler), piece);
      length += filler + piece.length;
    }
    const text = parts.join('');
    const buf = Buffer.from(text, 'latin1');
    const bytes: number[] = [];
    eachEncodedAnchor(
      { buf, from: 0, to: buf.length, dataStart: 0, dataEnd: buf.length, binary: false },
      (at) => void bytes.push(at),
    );
    expect([...new Set(bytes)].sort((x, y) => x - y)).toEqual(encodedAnchorsIn(text));
    expect(bytes.length).toBeGreaterThan(4);
  });

  it('the region’s data bounds are respected: an anchor cut by dataEnd is not reported', () => {
    const text = `xx ${stableBase64('STATALOG', 0)} yy`;
    const buf = Buffer.from(text);
    const at = text.indexOf('U1RB');
    const found: number[] = [];
    eachEncodedAnchor(
      { buf, from: 0, to: buf.length, dataStart: 0, dataEnd: at + 5, binary: false },
      (i) => void found.push(i),
    );
    expect(found).toEqual([]);
    eachEncodedAnchor(
      { buf, from: 0, to: at + 1, dataStart: 0, dataEnd: buf.length, binary: false },
      (i) => void found.push(i),
    );
    expect(found).toEqual([at]);
  });
});
