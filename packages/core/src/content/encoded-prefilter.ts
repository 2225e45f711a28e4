/**
 * The prefilter for encoded content. The byte prefilter (prefilter.ts) knows the rules' literal anchors; a
 * base64 `.env` or a percent-encoded redirect URL holds none of them, so without this check such content would
 * be dropped before anything is decoded. An ENCODED ANCHOR is one of:
 *
 * - a NEEDLE: the base64 characters that a word determines on its own (its neighbours change the others),
 *   at each of the three byte alignments a word can take — of `STATALOG`, `_API_KEY` and `api_key` (which
 *   `api_key=`, `api_key:` and `statalog_api_key` hold), of `statalog`/`Statalog` at the two alignments where
 *   its `tatalog` encodes the same way, and at the third of what follows it in a URL or a .NET name
 *   (`statalog.com`, `Statalog__ApiKey`, `Statalog:ApiKey`); and `st_` + hex where `st_` straddles groups;
 * - base64 of hex (a Cloud key `st_` + 64 hex, at any alignment): four or more 4-character groups in a row
 *   that each encode three hex digits — a shape random base64 takes about once in 10^11 places;
 * - `key%` in any case: a name ending in `key` followed by a percent escape — `api_key%3D`, `api_key%253D`
 *   (twice encoded), `api%5Fkey%3D`, `STATALOG_API_KEY%3D`, `STATALOG_API_KEY%22%3A%22` (encoded JSON).
 *   `statalog` and `st_` survive percent-encoding unchanged, so their rules read such text as it is.
 *
 * Decoding (decode.ts) applies the same test to each run: a run is decoded only when it holds an encoded
 * anchor, so this prefilter is exact — content it drops holds nothing any door would decode.
 *
 * Speed (measured on the benchmark trees; docs/benchmarks.md): every file is searched, so each pass and each
 * stop counts. `Buffer.indexOf` of a whole needle runs `memchr` on its first byte, and those (`c`, `Y`, `d`,
 * `a`…) are frequent: the needles one by one cost more than the rest of a tree scan. So every anchor is found
 * through a PIVOT byte it holds, and the pivots are upper-case letters rare in text and code — `V`, `X`, `Y`,
 * `Z` — plus `%`: five `memchr` passes, each stop compared byte by byte. (`F` and `R`, which the full
 * `statalog` and `st_` needles need, stop at every `INFO`, `ERROR` and `FROM`: a log of 8 MB cost 20 % more
 * to scan with them.)
 */
import type { Region } from './prefilter.js';

/** A needle: the stable base64 characters of a word at one alignment, found through the byte at `pivot`. */
export interface Needle {
  text: string;
  bytes: Buffer;
  pivot: number;
}

/** Pivot bytes for the needles; every needle holds at least one. */
const PIVOTS = ['V', 'X', 'Y'] as const;

/** Words whose base64 forms at all three alignments are needles. */
const WORDS = ['STATALOG', '_API_KEY', 'api_key'] as const;

/** The base64 characters of `word` placed `offset` bytes into a 3-byte group that do not depend on its neighbours. */
export function stableBase64(word: string, offset: number): string {
  const padded = Buffer.concat([Buffer.alloc(offset), Buffer.from(word, 'latin1')]);
  const encoded = padded.toString('base64');
  const firstFullGroup = offset === 0 ? 0 : 1; // the group holding the padding is not determined
  const fullGroups = Math.floor(padded.length / 3);
  return encoded.slice(firstFullGroup * 4, fullGroups * 4);
}

function needleTexts(): string[] {
  const texts = new Set<string>();
  for (const word of WORDS) for (let offset = 0; offset < 3; offset++) texts.add(stableBase64(word, offset));
  // `api_key` then `=` or `:` (any byte below 0x40): one more stable character at alignment 1
  texts.delete(stableBase64('api_key', 1));
  texts.add(stableBase64('api_key=', 1).slice(0, -1));
  // `statalog` and `Statalog` at alignments 1 and 2 (`tatalog` encodes the same); at alignment 0 only letters
  // a memchr stops at too often are determined, so what follows the word there: `statalog.com`,
  // `Statalog__ApiKey`, `Statalog:ApiKey` (an `_api_key` or `_API_KEY` after it is a needle of its own)
  for (const offset of [1, 2]) texts.add(stableBase64('statalog', offset));
  for (const tail of ['og.com', 'og__Ap', 'og:Api']) texts.add(stableBase64(tail, 0));
  // `st_` at alignment 1 (`N0X`, then `z` or `2` as the first hex digit is a letter or a digit); at 0 and 2
  // the key is found as base64 of hex
  texts.add('N0Xz');
  texts.add('N0X2');
  return [...texts];
}

/** Every needle, with its pivot: the first of PIVOTS it holds. */
export const ENCODED_NEEDLES: readonly Needle[] = needleTexts().map((text) => {
  const pivotChar = PIVOTS.find((p) => text.includes(p));
  if (pivotChar === undefined) throw new Error(`@statalog/core: encoded anchor ${text} holds no pivot`);
  return { text, bytes: Buffer.from(text, 'latin1'), pivot: text.indexOf(pivotChar) };
});

/** Needles by pivot byte. */
const BY_PIVOT: ReadonlyArray<{ byte: number; needles: readonly Needle[] }> = PIVOTS.map((p) => ({
  byte: p.charCodeAt(0),
  needles: ENCODED_NEEDLES.filter((n) => n.text[n.pivot] === p),
}));

/** Groups of base64-of-hex in a row that make an anchor: 12 hex digits. */
const HEX_RUN_GROUPS = 4;
/** The longest anchor: how far past `to` an anchor that starts before `to` may reach. */
const LONGEST = Math.max(...ENCODED_NEEDLES.map((n) => n.text.length), HEX_RUN_GROUPS * 4);
const PERCENT = 0x25;
const Y = 0x59;
const Z = 0x5a;

/**
 * True when the 4 characters at `i` encode three hex digits (`0-9a-f`): the first is `M`, `N`, `O` (a digit)
 * or `Y`, `Z` (a letter); the second mixes the first digit's low bits with the second's high ones; the third
 * the second's low bits with the third's top two (0 or 1); the fourth is the third digit's low six bits.
 */
function isHexGroup(at: (k: number) => number, i: number): boolean {
  const c0 = at(i);
  if (!(c0 === 0x4d || c0 === 0x4e || c0 === 0x4f || c0 === Y || c0 === Z)) return false;
  const c1 = at(i + 1); // D G T W j m z 2
  if (!(c1 === 0x44 || c1 === 0x47 || c1 === 0x54 || c1 === 0x57 || c1 === 0x6a || c1 === 0x6d || c1 === 0x7a || c1 === 0x32)) return false;
  const c2 = at(i + 2); // A-Z a-n: values 0-39
  if (!((c2 >= 0x41 && c2 <= 0x5a) || (c2 >= 0x61 && c2 <= 0x6e))) return false;
  const c3 = at(i + 3); // h-m (a-f), w-z 0-5 (0-9)
  return (c3 >= 0x68 && c3 <= 0x6d) || (c3 >= 0x77 && c3 <= 0x7a) || (c3 >= 0x30 && c3 <= 0x35);
}

/**
 * For a `Y` or `Z` at `j`: the start of a run of at least four base64-of-hex groups that holds it as a
 * group's first character, or -1. Groups are counted backwards and forwards from `j`, within [lo, hi).
 */
function hexRunAt(at: (k: number) => number, j: number, lo: number, hi: number): number {
  if (j + 4 > hi || !isHexGroup(at, j)) return -1;
  let start = j;
  let groups = 1;
  while (start - 4 >= lo && groups < HEX_RUN_GROUPS && isHexGroup(at, start - 4)) {
    start -= 4;
    groups++;
  }
  for (let k = j + 4; groups < HEX_RUN_GROUPS && k + 4 <= hi && isHexGroup(at, k); k += 4) groups++;
  return groups >= HEX_RUN_GROUPS ? start : -1;
}

/**
 * Calls `found(at)` for every encoded anchor starting in [from, to) (a needle's first byte, the first group
 * of a base64-of-hex run, or the `k` of `key%`), pivot by pivot — not in order; stops early when `found`
 * returns true.
 */
export function eachEncodedAnchor(region: Region, found: (at: number) => boolean | void): void {
  const { buf, from, to, dataStart, dataEnd } = region;
  const end = Math.min(dataEnd, to + LONGEST);
  const view = buf.subarray(0, end);
  const byteAt = (k: number): number => buf[k]!;
  for (const { byte, needles } of BY_PIVOT) {
    for (let j = view.indexOf(byte, from); j !== -1; j = view.indexOf(byte, j + 1)) {
      for (const n of needles) {
        const at = j - n.pivot;
        if (at < from || at >= to || at < dataStart || at + n.bytes.length > end) continue;
        if (matchesAt(buf, at, n.bytes) && found(at)) return;
      }
      if (byte === Y && hexAnchor(byteAt, j, region, end, found)) return;
    }
  }
  for (let j = view.indexOf(Z, from); j !== -1; j = view.indexOf(Z, j + 1)) if (hexAnchor(byteAt, j, region, end, found)) return;
  // `key%`: the `%` is searched, the name before it compared
  for (let j = view.indexOf(PERCENT, Math.max(from + 3, dataStart + 3)); j !== -1; j = view.indexOf(PERCENT, j + 1)) {
    const at = j - 3;
    if (at >= to) break;
    if ((buf[at]! | 0x20) === 0x6b && (buf[at + 1]! | 0x20) === 0x65 && (buf[at + 2]! | 0x20) === 0x79 && found(at)) return;
  }
}

/** A base64-of-hex anchor through the `Y` or `Z` at `j`; true when `found` asked to stop. */
function hexAnchor(byteAt: (k: number) => number, j: number, region: Region, end: number, found: (at: number) => boolean | void): boolean {
  const start = hexRunAt(byteAt, j, region.dataStart, end);
  return start !== -1 && start >= region.from && start < region.to && found(start) === true;
}

function matchesAt(buf: Buffer, at: number, bytes: Buffer): boolean {
  for (let k = 0; k < bytes.length; k++) if (buf[at + k] !== bytes[k]) return false;
  return true;
}

/** True when the bytes hold an encoded anchor: decoding them may find a secret. */
export function mayHoldEncodedSecret(bytes: Uint8Array): boolean {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let any = false;
  eachEncodedAnchor({ buf, from: 0, to: buf.length, dataStart: 0, dataEnd: buf.length, binary: false }, () => (any = true));
  return any;
}

/**
 * The offsets of the encoded anchors in `text` (a string: decoded content, a window, a diff hunk), in
 * increasing order without repeats — the same anchors `eachEncodedAnchor` finds in bytes.
 */
export function encodedAnchorsIn(text: string, from = 0, to = text.length): number[] {
  const found: number[] = [];
  const end = Math.min(text.length, to + LONGEST);
  const at = (k: number): number => text.charCodeAt(k);
  const hex = (j: number): void => {
    const start = hexRunAt(at, j, 0, end);
    if (start !== -1 && start >= from && start < to) found.push(start);
  };
  for (const { byte, needles } of BY_PIVOT) {
    const pivot = String.fromCharCode(byte);
    for (let j = text.indexOf(pivot, from); j !== -1 && j < end; j = text.indexOf(pivot, j + 1)) {
      for (const n of needles) {
        const s = j - n.pivot;
        if (s >= from && s < to && s + n.text.length <= end && text.startsWith(n.text, s)) found.push(s);
      }
      if (byte === Y) hex(j);
    }
  }
  for (let j = text.indexOf('Z', from); j !== -1 && j < end; j = text.indexOf('Z', j + 1)) hex(j);
  for (let j = text.indexOf('%', from + 3); j !== -1 && j - 3 < to; j = text.indexOf('%', j + 1)) {
    const s = j - 3;
    if ((at(s) | 0x20) === 0x6b && (at(s + 1) | 0x20) === 0x65 && (at(s + 2) | 0x20) === 0x79) found.push(s);
  }
  found.sort((a, b) => a - b);
  return found.filter((v, i) => i === 0 || v !== found[i - 1]);
}
