/**
 * The prefilter for encoded content. The byte prefilter (prefilter.ts) knows the rules' literal anchors; a
 * base64 `.env` or a percent-encoded redirect URL holds none of them, so without this check such content would
 * be dropped before anything is decoded. An ENCODED ANCHOR is one of:
 *
 * - a NEEDLE: the base64 characters that a word determines on its own (its neighbours change the others),
 *   at each of the three byte alignments a word can take — of `STATALOG`, `_API_KEY` and `api_key` (which
 *   `api_key=`, `api_key:` and `statalog_api_key` hold); of `statalog`/`Statalog` at the two alignments where
 *   its `tatalog` encodes the same way, and at the third of what follows it in a URL or a .NET name
 *   (`statalog.com`, `Statalog:ApiKey`);
 * - base64 of hex (a Cloud key `st_` + 64 hex, at any alignment): sixteen 4-character groups in a row that
 *   each encode three hex digits — a shape random base64 never takes (each group does one time in 700) —
 *   and that are not one group repeated: base64 of a run of one byte (`FhYWFhYW…`, the padding of a
 *   compiled WebAssembly module inlined as base64) reads as `aaa` groups at one alignment, and no key is;
 * - `key%XX` in any case: a name ending in `key` followed by a percent escape (two hex digits) —
 *   `api_key%3D`, `api_key%253D` (twice encoded), `api%5Fkey%3D`, `STATALOG_API_KEY%3D`,
 *   `STATALOG_API_KEY%22%3A%22` (encoded JSON); not a `%key%` template placeholder, which decodes to nothing.
 *   `statalog` and `st_` survive percent-encoding unchanged, so their rules read such text as it is.
 *
 * Decoding (decode.ts) applies the same test to each run: a run is decoded only when it holds an encoded
 * anchor, so this prefilter is exact — content it drops holds nothing any door would decode.
 *
 * Speed (docs/benchmarks.md): every file is searched, so each pass over its bytes and each stop counts.
 * `Buffer.indexOf` of a whole needle runs `memchr` on its first byte, and those (`c`, `Y`, `d`, `a`…) are
 * frequent: the needles one by one cost more than the rest of a tree scan. So every anchor is found through
 * a PIVOT byte, an upper-case letter rare in text and code: `V` and `Y` for the needles, `V`, `Y` and `Z` for
 * base64 of hex, then `%` — four `memchr` passes, each stop settled by a table look-up and a few compares.
 * Needles through `X`, `F` or `R` (the full `statalog` and `st_` ones need them) cost a pass each, and `F`
 * and `R` stop at every `INFO`, `ERROR` and `FROM` of a log: they were measured and left out.
 */
import type { Region } from './prefilter.js';

/** What a `found` callback returns: true stops the search; most callers return nothing and never stop. */
// eslint-disable-next-line @typescript-eslint/no-invalid-void-type -- a callback that returns nothing must fit
type StopEarly = boolean | void;

/** A needle: the stable base64 characters of a word at one alignment, found through the byte at `pivot`. */
export interface Needle {
  text: string;
  bytes: Buffer;
  pivot: number;
}

/** Pivot bytes for the needles; every needle holds at least one. */
const PIVOTS = ['V', 'Y'] as const;

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
  // `Statalog:ApiKey` (an `_api_key` or `_API_KEY` after it is a needle of its own). A Cloud key (`st_` + hex)
  // is found as base64 of hex, at any alignment
  for (const offset of [1, 2]) texts.add(stableBase64('statalog', offset));
  for (const tail of ['og.com', 'og:ApiKey']) texts.add(stableBase64(tail, 0));
  return [...texts];
}

/** Every needle, with its pivot: the first of PIVOTS it holds. */
export const ENCODED_NEEDLES: readonly Needle[] = needleTexts().map((text) => {
  const pivotChar = PIVOTS.find((p) => text.includes(p));
  if (pivotChar === undefined) throw new Error(`@statalog/core: encoded anchor ${text} holds no pivot`);
  return { text, bytes: Buffer.from(text, 'latin1'), pivot: text.indexOf(pivotChar) };
});

/**
 * One `memchr` pass per pivot byte: the needles holding it, by the byte that follows the pivot in them (most
 * stops are settled by one table look-up), and where in a base64-of-hex group the byte can sit: first (`Y`
 * and `Z` encode a letter a-f) or third (`V`), or -1. With all three, a Cloud key's twenty-odd groups hold
 * one of them but about once in 30,000 keys.
 */
interface Pass {
  byte: number;
  /** By the byte after the pivot (a dense table of 256: V8 keeps its loads fast). */
  next: ReadonlyArray<readonly Needle[]>;
  hexAt: number;
}

const NO_NEEDLES: readonly Needle[] = [];

const PASSES: readonly Pass[] = [...PIVOTS, 'Z', '%'].map((p) => {
  const next: Array<readonly Needle[]> = Array.from({ length: 256 }, () => NO_NEEDLES);
  for (const n of ENCODED_NEEDLES) {
    if (n.text[n.pivot] !== p) continue;
    const after = n.text.charCodeAt(n.pivot + 1); // every needle goes on past its pivot
    next[after] = [...next[after]!, n];
  }
  return { byte: p.charCodeAt(0), next, hexAt: p === 'V' ? 2 : 0 };
});
if (ENCODED_NEEDLES.some((n) => n.pivot + 1 >= n.text.length))
  throw new Error('@statalog/core: an encoded anchor ends with its pivot');

/**
 * Groups of base64-of-hex in a row that make an anchor: 48 hex digits. A Cloud key's 64 fill at least 20 at
 * any alignment; a 40-digit commit id (GitHub's node ids are base64 of `Commit:<sha>`) fills 13.
 */
const HEX_RUN_GROUPS = 16;
/** The longest anchor: how far past `to` an anchor that starts before `to` may reach. */
const LONGEST = Math.max(...ENCODED_NEEDLES.map((n) => n.text.length), HEX_RUN_GROUPS * 4);
const PERCENT = 0x25;
const Y = 0x59;
const Z = 0x5a;

/**
 * True when the 4 characters at `i` encode three hex digits (`0-9a-f`): the first is `M`, `N`, `O` (a digit)
 * or `Y`, `Z` (a letter); the second mixes the first digit's low bits with the second's high ones (`D G T W j
 * m z 2`); the third the second's low bits with the third's top two (0 or 1: `A-Z a-n`); the fourth is the
 * third digit's low six bits (`h-m` for a-f, `w-z 0-5` for 0-9).
 */
function isHexGroup(c0: number, c1: number, c2: number, c3: number): boolean {
  return (
    startsHexGroup(c0, c1) &&
    ((c2 >= 0x41 && c2 <= 0x5a) || (c2 >= 0x61 && c2 <= 0x6e)) &&
    ((c3 >= 0x68 && c3 <= 0x6d) || (c3 >= 0x77 && c3 <= 0x7a) || (c3 >= 0x30 && c3 <= 0x35))
  );
}

/** A character (or byte) of the content searched, by offset: bytes and text share one run search. */
type CharAt = (k: number) => number;

const hexGroupAt = (at: CharAt, i: number): boolean => isHexGroup(at(i), at(i + 1), at(i + 2), at(i + 3));

/** Where the run `hexRun` last looked at ends: pivots before it need no second look. */
let hexRunEnd = -1;

/**
 * For a group starting at `j`: the start of the whole run of base64-of-hex groups holding it (every group of
 * a run gives the same start), when the run within [lo, hi) has HEX_RUN_GROUPS groups and varies; else -1.
 * Sets `hexRunEnd` to the run's end (or `j`), so a caller walking forward checks each run once. Asked only
 * where a group's first two characters already fit (`startsHexGroup`): rare, so the accessor costs nothing.
 */
function hexRun(at: CharAt, j: number, lo: number, hi: number): number {
  hexRunEnd = j;
  if (j + 4 > hi || !hexGroupAt(at, j)) return -1;
  let start = j;
  while (start - 4 >= lo && hexGroupAt(at, start - 4)) start -= 4;
  let end = j + 4;
  while (end + 4 <= hi && hexGroupAt(at, end)) end += 4;
  hexRunEnd = end;
  return (end - start) / 4 >= HEX_RUN_GROUPS && varies(at, start, end) ? start : -1;
}

/**
 * True when at least half of a run's groups (HEX_RUN_GROUPS / 2) differ from the group before them. A key's
 * 64 random hex digits make every group differ but about one in 4,096; one byte repeated makes none differ.
 */
function varies(at: CharAt, start: number, end: number): boolean {
  let changes = 0;
  for (let g = start + 4; g < end; g += 4) {
    if (at(g) !== at(g - 4) || at(g + 1) !== at(g - 3) || at(g + 2) !== at(g - 2) || at(g + 3) !== at(g - 1))
      if (++changes >= HEX_RUN_GROUPS / 2) return true;
  }
  return false;
}

/**
 * Calls `found(at)` for every encoded anchor starting in [from, to) (a needle's first byte, the first group
 * of a base64-of-hex run, or the `k` of `key%`), pivot by pivot — not in order; stops early when `found`
 * returns true.
 */
export function eachEncodedAnchor(region: Region, found: (at: number) => StopEarly): void {
  heat(region.to - region.from);
  searchBytes(
    region.buf,
    region.from,
    region.to,
    region.dataStart,
    Math.min(region.dataEnd, region.to + LONGEST),
    found,
  );
}

/** True when the bytes hold an encoded anchor: decoding them may find a secret. */
export function mayHoldEncodedSecret(bytes: Uint8Array): boolean {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  heat(buf.length);
  // every file of a tree comes through here: no object or closure is made for one without an anchor
  return buf.length >= 4 && searchBytes(buf, 0, buf.length, 0, buf.length, undefined);
}

/**
 * Bytes searched by all passes before the next block: a block stays in the CPU's cache for the five passes,
 * where five passes over a whole megabyte-sized file read it from memory five times (measured: the passes cost
 * two to three times as much then).
 */
const BLOCK = 64 * 1024;

/**
 * The search: anchors starting in [from, to), read up to `end`, none before `dataStart`. Without `found`,
 * true at the first anchor; with it, true when `found` asked to stop.
 */
function searchBytes(
  buf: Buffer,
  from: number,
  to: number,
  dataStart: number,
  end: number,
  found: ((at: number) => StopEarly) | undefined,
): boolean {
  for (let b = from; b < to; b += BLOCK) {
    if (searchBlock(buf, b, Math.min(to, b + BLOCK), dataStart, Math.min(end, b + BLOCK + LONGEST), found)) return true;
  }
  return false;
}

function searchBlock(
  buf: Buffer,
  from: number,
  to: number,
  dataStart: number,
  end: number,
  found: ((at: number) => StopEarly) | undefined,
): boolean {
  const view = end === buf.length ? buf : buf.subarray(0, end);
  // one `indexOf` call site for every pass: V8 compiles it (and what it inlines) once
  for (let p = 0; p < PASSES.length; p++) {
    const { byte, next, hexAt } = PASSES[p]!;
    let hexChecked = -1; // groups before this were part of a run already looked at
    let j = from - 1;
    while ((j = view.indexOf(byte, j + 1)) !== -1) {
      if (byte === PERCENT) {
        // `key%XX`: the name before the escape compared, then the escape's two hex digits
        const at = j - 3;
        if (at >= to) break;
        if (
          at >= from &&
          at >= dataStart &&
          (buf[at]! | 0x20) === 0x6b &&
          (buf[at + 1]! | 0x20) === 0x65 &&
          (buf[at + 2]! | 0x20) === 0x79 &&
          j + 2 < end &&
          isHexDigit(buf[j + 1]!) &&
          isHexDigit(buf[j + 2]!) &&
          (found === undefined || found(at) === true)
        )
          return true;
        continue;
      }
      // most stops end here, after two loads and a few compares; the rare candidates are checked apart
      const needles = next[j + 1 < end ? buf[j + 1]! : 0]!;
      if (needles.length !== 0 && needleAt(buf, j, needles, from, to, dataStart, end, found)) return true;
      const g = j - hexAt; // the base64-of-hex group the pivot would sit in
      if (g >= hexChecked && g >= dataStart && g + 1 < end && startsHexGroup(buf[g]!, buf[g + 1]!)) {
        const at = hexRun((k) => buf[k]!, g, dataStart, end);
        hexChecked = hexRunEnd;
        if (at !== -1 && at >= from && at < to && (found === undefined || found(at) === true)) return true;
      }
    }
  }
  return false;
}

/** `0-9`, `A-F`, `a-f`: a percent escape's digits. */
function isHexDigit(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66);
}

/** The first two characters of a base64-of-hex group (see `isHexGroup`): most stops fail here. */
function startsHexGroup(c0: number, c1: number): boolean {
  return (
    (c0 === 0x4d || c0 === 0x4e || c0 === 0x4f || c0 === Y || c0 === Z) &&
    (c1 === 0x44 ||
      c1 === 0x47 ||
      c1 === 0x54 ||
      c1 === 0x57 ||
      c1 === 0x6a ||
      c1 === 0x6d ||
      c1 === 0x7a ||
      c1 === 0x32)
  );
}

/** The needles that hold the pivot at `j`: true when one matches and the search is to stop. */
function needleAt(
  buf: Buffer,
  j: number,
  needles: readonly Needle[],
  from: number,
  to: number,
  dataStart: number,
  end: number,
  found: ((at: number) => StopEarly) | undefined,
): boolean {
  for (const n of needles) {
    const at = j - n.pivot;
    if (at < from || at >= to || at < dataStart || at + n.bytes.length > end || !matchesAt(buf, at, n.bytes)) continue;
    if (found === undefined || found(at) === true) return true;
  }
  return false;
}

function matchesAt(buf: Buffer, at: number, bytes: Buffer): boolean {
  for (let k = 0; k < bytes.length; k++) if (buf[at + k] !== bytes[k]) return false;
  return true;
}

/**
 * The offsets of the encoded anchors in `text` (a string: decoded content, a window, a diff hunk), in
 * increasing order without repeats — the same anchors `eachEncodedAnchor` finds in bytes.
 */
export function encodedAnchorsIn(text: string, from = 0, to = text.length): number[] {
  heat(to - from);
  const found: number[] = [];
  const end = Math.min(text.length, to + LONGEST);
  const at = (k: number): number => text.charCodeAt(k);
  let hexChecked = -1;
  const hex = (j: number): void => {
    if (j < hexChecked) return;
    const start = hexRun(at, j, 0, end);
    hexChecked = hexRunEnd;
    if (start !== -1 && start >= from && start < to) found.push(start);
  };
  for (const { byte, next, hexAt } of PASSES) {
    if (byte === PERCENT) continue; // below
    hexChecked = -1;
    const pivot = String.fromCharCode(byte);
    for (let j = text.indexOf(pivot, from); j !== -1 && j < end; j = text.indexOf(pivot, j + 1)) {
      const c = text.charCodeAt(j + 1);
      for (const n of c < 256 ? next[c]! : NO_NEEDLES) {
        const s = j - n.pivot;
        if (s >= from && s < to && s + n.text.length <= end && text.startsWith(n.text, s)) found.push(s);
      }
      if (j - hexAt >= 0) hex(j - hexAt);
    }
  }
  for (let j = text.indexOf('%', from + 3); j !== -1 && j - 3 < to; j = text.indexOf('%', j + 1)) {
    const s = j - 3;
    if (
      (at(s) | 0x20) === 0x6b &&
      (at(s + 1) | 0x20) === 0x65 &&
      (at(s + 2) | 0x20) === 0x79 &&
      j + 2 < end &&
      isHexDigit(at(j + 1)) &&
      isHexDigit(at(j + 2))
    )
      found.push(s);
  }
  found.sort((a, b) => a - b);
  return found.filter((v, i) => i === 0 || v !== found[i - 1]);
}

/**
 * Every branch of the search taken once, on a few hundred bytes holding each kind of anchor, before the search
 * gets hot. V8 optimises a function with what it has seen run: a branch first taken later throws the optimised
 * code away, and recompiling the search cost 10-20 ms each time (measured with --trace-opt, four times per scan).
 * Not at load: a pre-commit hook's few files never make the search hot, and the warm-up was 1.3 ms of its start.
 */
function warmUp(): void {
  const sample = `${ENCODED_NEEDLES.map((n) => n.text).join(' ')} ${Buffer.from('c0ffee'.repeat(20)).toString('base64')} api_key%3D V Y Z %`;
  const bytes = Buffer.from(sample, 'latin1');
  for (let i = 0; i < 2; i++) {
    mayHoldEncodedSecret(bytes);
    eachEncodedAnchor(
      { buf: bytes, from: 0, to: bytes.length, dataStart: 0, dataEnd: bytes.length, binary: false },
      () => {},
    );
    eachEncodedAnchor(
      { buf: bytes, from: 1, to: bytes.length - 1, dataStart: 1, dataEnd: bytes.length - 1, binary: false },
      () => true,
    );
    encodedAnchorsIn(sample, 1);
  }
}

/** Bytes searched before the warm-up: far less than V8 runs a function before it optimises it. */
const WARM_AFTER = 256 * 1024;
let searched = 0;

/** Counts what a search is about to read; past WARM_AFTER (or at one search that large), warms up once first. */
function heat(bytes: number): void {
  if (searched >= WARM_AFTER) return;
  searched += bytes;
  if (searched < WARM_AFTER) return;
  searched = WARM_AFTER; // before the warm-up's own searches come back here
  warmUp();
}
