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
 *
 * Where WebAssembly SIMD runs (Node does), the passes above are one: `anchor-filter.ts` proposes the bytes
 * that end `st_`, `pi_` or `alog`, and the checks below run on those only — the `memchr` passes stopped at
 * every `_`, `g` and `G` and crossed into JavaScript each time, which in minified or snake_case code was most
 * of the prefilter's time. Bytes read into `prefilterBuffer` are searched in place; others are copied into
 * the filter's own memory a megabyte at a time (a copy is far cheaper than the stops it saves).
 */
import { isCloudKeyEnd } from '../detect-cloud.js';
import { ANCHORS, CLOUD_KEY_LENGTH, isHexLower } from '../patterns.js';
import { createAnchorFilter, FILTER_PAD_BEFORE, type AnchorFilter } from './anchor-filter.js';

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
if (COMMUNITY.some((a) => a.length > LOOKAHEAD))
  throw new Error('@statalog/core: a community anchor is longer than LOOKAHEAD');
const URL_AFTER = Buffer.from(ANCHORS.url.slice(ANCHORS.url.indexOf('_') + 1), 'latin1'); // `key=`
// the `_` loop compares the `api` before the underscore byte by byte: it must follow the anchor
// eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- a guard for whoever edits patterns.ts
if (!ANCHORS.url.startsWith('api_') || ANCHORS.cloud !== 'st_')
  throw new Error('@statalog/core: anchors changed; update content/prefilter.ts');
// the SIMD filter proposes `st_`, `pi_` and a case-insensitive `alog`: each anchor must end its search there
if (ANCHORS.community.some((a) => !a.toLowerCase().endsWith('alog')))
  throw new Error('@statalog/core: anchors changed; update content/anchor-filter.ts');

/**
 * Calls `found(kind, offset)` for every anchor in [from, to) that could start a match, in no particular
 * order; stops early when `found` returns true. `found` must not call back into the prefilter.
 */
// eslint-disable-next-line @typescript-eslint/no-invalid-void-type -- most callers never stop early and return nothing
export function eachAnchor(region: Region, found: (kind: AnchorKind, at: number) => boolean | void): void {
  // search only [from, to) plus what an anchor needs: the buffer beyond may hold older data
  const end = Math.min(region.dataEnd, region.to + LOOKAHEAD);
  if (region.from >= end) return;
  const filter = simd ? filterFor(region.buf) : undefined;
  if (filter) filtered(region, end, filter, found);
  else byMemchr(region, end, found);
}

/** What `eachAnchor` calls for each anchor. */
type Found = Parameters<typeof eachAnchor>[1];

/** The memchr passes: every `_`, then each community word's last byte. */
function byMemchr(region: Region, end: number, found: Found): void {
  const { buf, from, to, binary } = region;
  const view = buf.subarray(0, end);
  for (let i = view.indexOf(UNDERSCORE, from); i !== -1 && i < to + 3; i = view.indexOf(UNDERSCORE, i + 1)) {
    if (atUnderscore(region, i, found)) return;
  }
  if (binary) return;
  for (const anchor of COMMUNITY) {
    const last = anchor.length - 1;
    for (let j = view.indexOf(anchor[last]!, from + last); j !== -1; j = view.indexOf(anchor[last]!, j + 1)) {
      if (j >= Math.min(region.dataEnd, to + last)) break;
      if (atCommunityEnd(region, anchor, j, found)) return;
    }
  }
}

/** The SIMD filter's proposals in [from, end), each checked as the memchr passes check their stops. */
function filtered(region: Region, end: number, filter: OwnFilter, found: Found): void {
  const { buf, from } = region;
  let { find, heap } = filter;
  if (filter.base !== undefined) {
    // the bytes are in the filter's memory already: heap[base + i] is buf[i]
    const base = buf.byteOffset + filter.base;
    const stop = base + end;
    for (let p = find(base + from, stop); p !== -1; p = find(p + 1, stop))
      if (atProposal(region, p - base, found)) return;
    return;
  }
  ({ find, heap } = scratch!);
  for (let start = from; start < end; start += SCRATCH_BYTES) {
    const chunkEnd = Math.min(end, start + SCRATCH_BYTES);
    // with the three bytes before the chunk, which a proposal at its start looks back at
    const back = Math.min(start, 3);
    heap.set(buf.subarray(start - back, chunkEnd), FILTER_PAD_BEFORE - back);
    const shift = start - FILTER_PAD_BEFORE; // heap[p] is buf[p + shift]
    const stop = chunkEnd - shift;
    for (let p = find(FILTER_PAD_BEFORE, stop); p !== -1; p = find(p + 1, stop))
      if (atProposal(region, p + shift, found)) return;
  }
}

function atProposal(region: Region, i: number, found: Found): boolean {
  const byte = region.buf[i];
  if (byte === UNDERSCORE) return i < region.to + 3 && atUnderscore(region, i, found);
  if (region.binary) return false;
  for (const anchor of COMMUNITY) {
    const last = anchor.length - 1;
    if (byte === anchor[last] && i >= region.from + last && i < Math.min(region.dataEnd, region.to + last))
      return atCommunityEnd(region, anchor, i, found);
  }
  return false;
}

/** The `_` at i: `st_` + 64 hex, or `api_key=`. */
function atUnderscore(region: Region, i: number, found: Found): boolean {
  const { buf, from, to } = region;
  // byte comparisons inline: this runs for every proposed `_` of every file
  const before = buf[i - 1];
  if (before === 0x74 /* t */) {
    const at = i - 2;
    return (
      buf[at] === 0x73 /* s */ && at >= from && at < to && couldBeCloudKey(region, at) && found('cloud', at) === true
    );
  }
  if (before === 0x69 /* i */ && !region.binary && buf[i - 2] === 0x70 /* p */ && buf[i - 3] === 0x61 /* a */) {
    const at = i - 3;
    return at >= from && at < to && startsWith(buf, i + 1, URL_AFTER) && found('url', at) === true;
  }
  return false;
}

/** A community word ending at j (compared backwards), with an `s`/`S` before it at or after dataStart. */
function atCommunityEnd(region: Region, anchor: Buffer, j: number, found: Found): boolean {
  const { buf } = region;
  const last = anchor.length - 1;
  let k = last - 1;
  while (k >= 0 && buf[j - last + k] === anchor[k]) k--;
  if (k >= 0) return false;
  const i = j - last;
  const s = i > region.dataStart ? buf[i - 1] : undefined;
  return (s === 0x73 || s === 0x53) && found('community', i - 1) === true;
}

/** A filter, and where a buffer of its own memory starts in it (undefined: the shared scratch filter). */
interface OwnFilter extends AnchorFilter {
  base?: number;
}

/** Bytes copied into the scratch filter's memory at a time. */
const SCRATCH_BYTES = 1 << 20;
let simd = true;
let scratch: AnchorFilter | null | undefined;
/** Buffers handed out by `prefilterBuffer`, by the memory they live in. */
const owned = new WeakMap<ArrayBufferLike, OwnFilter>();

function filterFor(buf: Buffer): OwnFilter | undefined {
  const own = owned.get(buf.buffer);
  if (own) return own;
  if (scratch === undefined) scratch = createAnchorFilter(SCRATCH_BYTES) ?? null;
  return scratch ?? undefined;
}

/**
 * A buffer of `size` bytes that the prefilter searches where it is, without a copy: what a scanner that reads
 * into one buffer over and over should read into. A plain buffer where WebAssembly SIMD cannot run.
 */
export function prefilterBuffer(size: number): Buffer {
  const filter = createAnchorFilter(size);
  if (!filter) return Buffer.allocUnsafe(size);
  const buf = Buffer.from(filter.heap.buffer, FILTER_PAD_BEFORE, size);
  // heap[base + buf.byteOffset + i] is buf[i], for this buffer and any subarray of it
  owned.set(filter.heap.buffer, { ...filter, base: 0 });
  return buf;
}

/** Tests: false runs the memchr passes even where the SIMD filter could run. */
export function useSimdFilter(on: boolean): void {
  simd = on;
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
  return (
    end === region.dataEnd ||
    isCloudKeyEnd(buf[end]!, end + 1 < region.dataEnd ? buf[end + 1] : undefined, region.binary)
  );
}

/** True when some anchor in the region could start a match: the content must be looked at. */
function hasCandidate(region: Region): boolean {
  let any = false;
  eachAnchor(region, () => (any = true));
  return any;
}

/** `hasCandidate` over a whole buffer. */
export function mayHoldSecret(bytes: Uint8Array, binary: boolean): boolean {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return hasCandidate({ buf, from: 0, to: buf.length, dataStart: 0, dataEnd: buf.length, binary });
}
