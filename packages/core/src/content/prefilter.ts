/**
 * The byte-level prefilter. `detect` works on strings; decoding every file would cost more than all the rest
 * together. So raw bytes are searched for the rules' literal anchors first, and anchors that cannot start a
 * match are dropped with a few byte comparisons:
 *
 * - `_` (one `memchr` pass) finds both `st_` — kept only when 64 lower-case hex characters follow — and
 *   `api_key=`. Searching the single byte beats searching `st_`: `Buffer.indexOf` runs `memchr` on a
 *   pattern's first byte, and `s` is among the most frequent bytes in any text, `_` is not.
 * - `tatalog` / `TATALOG` (the community anchors) with an `s`/`S` before them, found by a `memchr` pass for
 *   each one's LAST byte (`g`, `G`) and byte comparisons backwards. `Buffer.indexOf` of the whole word runs
 *   `memchr` on its first byte, `t`/`T`, which stops several times as often; measured on the benchmark trees
 *   the two passes cost about half as much this way (docs/benchmarks.md).
 *
 * Content without a surviving anchor holds no secret; content with one is decoded and handed to `detect`.
 * Every door (tree scan, `--staged`, `--range`/`--history`, the Action) asks this one function.
 */
import { isCloudKeyEnd } from '../detect-cloud.js';
import { ANCHORS, CLOUD_KEY_LENGTH, isHexLower } from '../patterns.js';

export interface Region {
  buf: Buffer;
  /** Anchors starting in [from, to) are looked at. */
  from: number;
  to: number;
  /** Bytes in [dataStart, dataEnd) may be read for context. */
  dataStart: number;
  dataEnd: number;
  /** Binary content: the cloud-key anchor only. */
  binary: boolean;
}

export type AnchorKind = 'cloud' | 'url' | 'community';

const UNDERSCORE = 0x5f;
const COMMUNITY = ANCHORS.community.map((a) => Buffer.from(a, 'latin1'));
/** Bytes an anchor reaches past its start: how far past `to` the search may look. */
const LOOKAHEAD = 16;
if (COMMUNITY.some((a) => a.length > LOOKAHEAD)) throw new Error('@statalog/core: a community anchor is longer than LOOKAHEAD');
const URL_AFTER = Buffer.from(ANCHORS.url.slice(ANCHORS.url.indexOf('_') + 1), 'latin1'); // `key=`
// the `_` loop compares the `api` before the underscore byte by byte: it must follow the anchor
if (!ANCHORS.url.startsWith('api_') || ANCHORS.cloud !== 'st_') throw new Error('@statalog/core: anchors changed; update content/prefilter.ts');

/**
 * Calls `found(kind, offset)` for every anchor in [from, to) that could start a match, in no particular
 * order; stops early when `found` returns true.
 */
export function eachAnchor(region: Region, found: (kind: AnchorKind, at: number) => boolean | void): void {
  const { buf, from, to, binary } = region;
  // search only [from, to) plus what an anchor needs: the buffer beyond may hold older data
  const end = Math.min(region.dataEnd, to + LOOKAHEAD);
  const view = buf.subarray(0, end);
  for (let i = view.indexOf(UNDERSCORE, from); i !== -1 && i < to + 3; i = view.indexOf(UNDERSCORE, i + 1)) {
    // byte comparisons inline: this loop runs for every `_` of every file (snake_case code has plenty)
    const before = buf[i - 1];
    if (before === 0x74 /* t */) {
      const at = i - 2;
      if (buf[at] === 0x73 /* s */ && at >= from && at < to && couldBeCloudKey(region, at) && found('cloud', at)) return;
    } else if (before === 0x69 /* i */ && !binary && buf[i - 2] === 0x70 /* p */ && buf[i - 3] === 0x61 /* a */) {
      const at = i - 3;
      if (at >= from && at < to && startsWith(buf, i + 1, URL_AFTER) && found('url', at)) return;
    }
  }
  if (binary) return;
  for (const anchor of COMMUNITY) {
    // an anchor starting at i in [from, to) and ending by dataEnd: its last byte at j = i + last
    const last = anchor.length - 1;
    const lastByte = anchor[last]!;
    const jEnd = Math.min(region.dataEnd, to + last);
    for (let j = view.indexOf(lastByte, from + last); j !== -1 && j < jEnd; j = view.indexOf(lastByte, j + 1)) {
      let k = last - 1;
      while (k >= 0 && buf[j - last + k] === anchor[k]) k--;
      if (k >= 0) continue;
      const i = j - last;
      const s = i > region.dataStart ? buf[i - 1] : undefined;
      if ((s === 0x73 || s === 0x53) && found('community', i - 1)) return;
    }
  }
}

function startsWith(buf: Buffer, at: number, bytes: Buffer): boolean {
  if (at < 0 || at + bytes.length > buf.length) return false;
  for (let k = 0; k < bytes.length; k++) if (buf[at + k] !== bytes[k]) return false;
  return true;
}

/** `st_` + 64 lower-case hex that may end there (core's `isCloudKeyEnd`; `detect` decides the rest). */
function couldBeCloudKey(region: Region, i: number): boolean {
  const { buf } = region;
  const end = i + CLOUD_KEY_LENGTH;
  if (end > region.dataEnd) return false;
  for (let k = i + 3; k < end; k++) if (!isHexLower(buf[k]!)) return false;
  return end === region.dataEnd || isCloudKeyEnd(buf[end]!, end + 1 < region.dataEnd ? buf[end + 1] : undefined, region.binary);
}

/** True when some anchor in the region could start a match: the content must be looked at. */
export function hasCandidate(region: Region): boolean {
  let any = false;
  eachAnchor(region, () => (any = true));
  return any;
}

/** `hasCandidate` over a whole buffer. */
export function mayHoldSecret(bytes: Uint8Array, binary: boolean): boolean {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return hasCandidate({ buf, from: 0, to: buf.length, dataStart: 0, dataEnd: buf.length, binary });
}
