/**
 * The prefilter for encoded content. The byte prefilter (prefilter.ts) knows the rules' literal anchors; a
 * base64 `.env` or a percent-encoded redirect URL holds none of them, so without this check such content would
 * be dropped before anything is decoded. An ENCODED ANCHOR is:
 *
 * - the base64 spelling of `statalog`/`Statalog` (their common `tatalog` part), `STATALOG`, `_API_KEY`,
 *   `api_key=` and `st_` + hex — each at the three byte alignments a word can take in base64, and only the
 *   characters fully determined by the word (its neighbours change the others);
 * - `key%` in any case: a name ending in `key` followed by a percent escape — `api_key%3D`, `api_key%253D`
 *   (twice encoded), `api%5Fkey%3D`, `STATALOG_API_KEY%3D`, `STATALOG_API_KEY%22%3A%22` (encoded JSON).
 *   `statalog` and `st_` survive percent-encoding unchanged, so percent-encoded content naming them is
 *   already read by the plain anchors' rules.
 *
 * Decoding (decode.ts) applies the same test to each run: a run is decoded only when it holds an encoded
 * anchor, so this prefilter is exact — content it drops holds nothing any door would decode.
 *
 * Speed: `Buffer.indexOf` of a multi-byte needle runs `memchr` on the needle's first byte, and the first
 * bytes here (`c`, `Y`, `d`, `a`…) are frequent: searching the 17 needles one by one cost more than the rest of
 * a tree scan (measured: +1.3 s on the 340 MB synthetic benchmark tree). Instead each needle is found through
 * one PIVOT byte it contains, chosen among upper-case letters that are rare in source code — `V`, `X`, `F`
 * and `R` cover every needle — plus `%`: five `memchr` passes, each needle compared byte by byte around the
 * pivots it owns.
 */
import type { Region } from './prefilter.js';

/** A needle: the stable base64 characters of a word at one alignment, found through the byte at `pivot`. */
interface Needle {
  text: string;
  bytes: Buffer;
  pivot: number;
}

/** Pivot bytes, rarest first where it matters; every needle holds at least one of them. */
const PIVOTS = ['V', 'X', 'F', 'R'] as const;

/** Words whose base64 forms are anchors (see the module comment); `tatalog` stands for `statalog`/`Statalog`. */
const WORDS = ['statalog', 'STATALOG', '_API_KEY', 'api_key='] as const;

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
  for (const word of WORDS) {
    for (let offset = 0; offset < 3; offset++) texts.add(stableBase64(word, offset));
  }
  // `statalog` and `Statalog` differ in their first character at alignment 0 (`c3Rh…`, `U3Rh…`): keep the rest
  texts.delete(stableBase64('statalog', 0));
  texts.add(stableBase64('statalog', 0).slice(1));
  // `st_` + hex: `c3Rf` at alignment 0; `N0X` + `z`/`2` at 1 and `zdF` + `8`/`9` at 2 (the character after
  // depends on the hex digit that follows, which is one of two kinds: 0-9 or a-f)
  for (const text of ['c3Rf', 'N0Xz', 'N0X2', 'zdF8', 'zdF9']) texts.add(text);
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
})).filter((g) => g.needles.length > 0);

/** The longest needle: how far past `to` a needle that starts before `to` may reach. */
const LONGEST = Math.max(...ENCODED_NEEDLES.map((n) => n.text.length), 4);
const PERCENT = 0x25;

/**
 * Calls `found(at)` for every encoded anchor starting in [from, to) (a base64 needle's first byte, or the `k`
 * of `key%`), pivot by pivot — not in order; stops early when `found` returns true.
 */
export function eachEncodedAnchor(region: Region, found: (at: number) => boolean | void): void {
  const { buf, from, to, dataStart, dataEnd } = region;
  const end = Math.min(dataEnd, to + LONGEST);
  const view = buf.subarray(0, end);
  for (const { byte, needles } of BY_PIVOT) {
    for (let j = view.indexOf(byte, from); j !== -1; j = view.indexOf(byte, j + 1)) {
      for (const n of needles) {
        const at = j - n.pivot;
        if (at < from || at >= to || at < dataStart || at + n.bytes.length > end) continue;
        if (matchesAt(buf, at, n.bytes) && found(at)) return;
      }
    }
  }
  // `key%`: the `%` is searched, the name before it compared
  for (let j = view.indexOf(PERCENT, Math.max(from + 3, dataStart + 3)); j !== -1; j = view.indexOf(PERCENT, j + 1)) {
    const at = j - 3;
    if (at >= to) break;
    if ((buf[at]! | 0x20) === 0x6b && (buf[at + 1]! | 0x20) === 0x65 && (buf[at + 2]! | 0x20) === 0x79 && found(at)) return;
  }
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
 * increasing order — the same anchors `eachEncodedAnchor` finds in bytes.
 */
export function encodedAnchorsIn(text: string, from = 0, to = text.length): number[] {
  const found: number[] = [];
  const end = Math.min(text.length, to + LONGEST);
  for (const { byte, needles } of BY_PIVOT) {
    const pivot = String.fromCharCode(byte);
    for (let j = text.indexOf(pivot, from); j !== -1 && j < end; j = text.indexOf(pivot, j + 1)) {
      for (const n of needles) {
        const at = j - n.pivot;
        if (at >= from && at < to && at + n.text.length <= end && text.startsWith(n.text, at)) found.push(at);
      }
    }
  }
  for (let j = text.indexOf('%', from + 3); j !== -1 && j - 3 < to; j = text.indexOf('%', j + 1)) {
    const at = j - 3;
    if ((text.charCodeAt(at) | 0x20) === 0x6b && (text.charCodeAt(at + 1) | 0x20) === 0x65 && (text.charCodeAt(at + 2) | 0x20) === 0x79) found.push(at);
  }
  return found.sort((a, b) => a - b);
}
