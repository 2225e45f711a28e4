/**
 * The byte-level prefilter. Core's `detect` works on strings; decoding every file would cost more than all
 * the rest together. So the raw bytes are searched for core's literal anchors first, and anchors that
 * cannot start a match are dropped with a few byte comparisons:
 *
 * - `_` (one `memchr` pass) finds both `st_` — kept only when 64 lower-case hex characters follow — and
 *   `api_key=`. Searching the single byte beats searching `st_`: `Buffer.indexOf` runs `memchr` on a
 *   pattern's first byte, and `s` is among the most frequent bytes in any text, `_` is not.
 * - `tatalog` / `TATALOG` (core's community anchors) with an `s`/`S` before them.
 *
 * A file with no surviving anchor is done. A file that fits in the read buffer and has one is decoded and
 * handed to `detect` whole, so its findings are exactly what core finds in that text. Only a file larger
 * than the buffer is scanned in windows around its anchors (`scanWindows`): whole lines, plus the context
 * core's rules read (a URL's run before `api_key=`, a `statalog` section's next lines), capped for
 * minified files. Windows are decoded as latin1 — one character per byte, so offsets stay byte offsets;
 * every pattern is ASCII — and each secret is decoded as UTF-8.
 */
import { ANCHORS, CLOUD_KEY_LENGTH, detect, isCloudKeyEnd, isHexLower, type DetectOptions, type RuleId } from '@statalog/core';

/** Bytes of context before an anchor when its line is longer (a URL's run, a name's line prefix). */
export const WINDOW_BACK = 4096;
/** Bytes after an anchor at most. */
export const WINDOW_FORWARD = 16384;
/**
 * After a `statalog` word, the lines core may read: a section's entries (core's SECTION_SPAN, 2048
 * characters) and the entry's value (512 characters) — counted in bytes, so four per character at worst.
 */
const COMMUNITY_FORWARD = 12288;

export interface ByteHit {
  ruleId: RuleId;
  /** Byte offset of the secret in the file's (UTF-8) byte stream. */
  offset: number;
  /** The secret, decoded as UTF-8. */
  secret: string;
}

export interface Region {
  buf: Buffer;
  /** Anchors starting in [from, to) are looked at. */
  from: number;
  to: number;
  /** Bytes in [dataStart, dataEnd) may be read for context. */
  dataStart: number;
  dataEnd: number;
  binary: boolean;
}

const UNDERSCORE = 0x5f;
const COMMUNITY = ANCHORS.community.map((a) => Buffer.from(a, 'latin1'));
const URL_AFTER = Buffer.from(ANCHORS.url.slice(ANCHORS.url.indexOf('_') + 1), 'latin1'); // `key=`
// the `_` loop compares the `api` before the underscore byte by byte: it must follow core's anchor
if (!ANCHORS.url.startsWith('api_') || ANCHORS.cloud !== 'st_') throw new Error('statalog-scan: core anchors changed; update files/windows.ts');

type AnchorKind = 'cloud' | 'url' | 'community';

/**
 * Calls `found(kind, offset)` for every anchor in [from, to) that could start a match, in no particular
 * order; stops early when `found` returns true.
 */
function eachAnchor(region: Region, found: (kind: AnchorKind, at: number) => boolean | void): void {
  const { buf, from, to, binary } = region;
  // search only [from, to) plus what an anchor needs: the buffer beyond holds older data
  const end = Math.min(region.dataEnd, to + 16);
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
    const community = buf.subarray(0, Math.min(region.dataEnd, to + anchor.length - 1));
    for (let i = community.indexOf(anchor, from); i !== -1; i = community.indexOf(anchor, i + 1)) {
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

/** `st_` + 64 lower-case hex with core's right boundary (text or binary; core decides the rest). */
function couldBeCloudKey(region: Region, i: number): boolean {
  const { buf } = region;
  const end = i + CLOUD_KEY_LENGTH;
  if (end > region.dataEnd) return false;
  for (let k = i + 3; k < end; k++) if (!isHexLower(buf[k]!)) return false;
  return end === region.dataEnd || isCloudKeyEnd(buf[end]!, end + 1 < region.dataEnd ? buf[end + 1] : undefined, region.binary);
}

/** True when some anchor in the region could start a match: the file must be looked at. */
export function hasCandidate(region: Region): boolean {
  let any = false;
  eachAnchor(region, () => (any = true));
  return any;
}

function isLineBreak(byte: number | undefined): boolean {
  return byte === 0x0a || byte === 0x0d;
}

/**
 * Where the windows around a region's anchors start and end: the anchor's line, capped. Anchors come mostly
 * in increasing order, and thousands of them can share one long line (a minified file full of `api_key=`):
 * each answer starts from the previous one, so the bytes between two anchors are searched once — not
 * `WINDOW_BACK + WINDOW_FORWARD` bytes per anchor, which made dense lines hundreds of times slower.
 */
class WindowBounds {
  /** The last line break before `backAt` is at `backBreak` (-1: none at or after the floor then used). */
  private backAt = -1;
  private backBreak = -1;
  /** The first line break at or after `fwdFrom` is `fwdBreak`; -1: none before `fwdEnd`. */
  private fwdFrom = Number.POSITIVE_INFINITY;
  private fwdEnd = -1;
  private fwdBreak = -1;

  constructor(private readonly region: Region) {}

  /** The start of the anchor's line, or `WINDOW_BACK` bytes before the anchor on a longer line. */
  start(i: number): number {
    const floor = Math.max(this.region.dataStart, i - WINDOW_BACK);
    const { buf } = this.region;
    const reuse = this.backAt !== -1 && this.backAt <= i; // floors only grow with i
    const stop = reuse ? Math.max(floor, this.backAt) : floor;
    let k = i - 1;
    while (k >= stop && !isLineBreak(buf[k])) k--;
    const lineBreak = k >= stop ? k : reuse ? this.backBreak : -1;
    this.backAt = i;
    this.backBreak = lineBreak;
    return lineBreak >= floor ? lineBreak + 1 : floor;
  }

  /** The end of the anchor's line (a community anchor: of the line `COMMUNITY_FORWARD` bytes on), capped. */
  end(i: number, kind: AnchorKind): number {
    const cap = Math.min(this.region.dataEnd, i + WINDOW_FORWARD);
    const from = kind === 'community' ? Math.min(i + COMMUNITY_FORWARD, cap) : Math.min(i + (kind === 'cloud' ? CLOUD_KEY_LENGTH : 0), cap);
    if (from >= cap) return cap;
    let searchFrom = from;
    if (from >= this.fwdFrom && from <= this.fwdEnd) {
      if (this.fwdBreak >= from) return Math.min(this.fwdBreak, cap);
      if (this.fwdBreak === -1) searchFrom = this.fwdEnd; // nothing in [from, fwdEnd): search on from there
    }
    const found = searchFrom < cap ? firstLineBreak(this.region.buf, searchFrom, cap) : -1;
    this.fwdFrom = from;
    this.fwdEnd = found === -1 ? Math.max(cap, searchFrom) : found;
    this.fwdBreak = found;
    return found === -1 ? cap : found;
  }
}

/** The first CR or LF in buf[from, to); -1 when there is none. */
function firstLineBreak(buf: Buffer, from: number, to: number): number {
  const rest = buf.subarray(from, to);
  const lf = rest.indexOf(0x0a);
  const cr = rest.indexOf(0x0d);
  const first = lf === -1 ? cr : cr === -1 ? lf : Math.min(lf, cr);
  return first === -1 ? -1 : from + first;
}

export interface WindowScan extends Region {
  /** Stream offset of `buf[0]`. */
  base: number;
  /** True when `dataStart` is the start of the stream (not the edge of a carried-over tail). */
  atStreamStart: boolean;
  /** True when `dataEnd` is the end of the stream. */
  atStreamEnd: boolean;
}

/**
 * Every secret core's `detect` finds in the windows around the anchors of [from, to), for files larger than
 * the read buffer. `seen` (stream offsets) drops a match already reported from the previous chunk's windows.
 */
export function scanWindows(region: WindowScan, options: DetectOptions, seen: Set<number>, out: ByteHit[]): void {
  const bounds: number[] = [];
  const windows = new WindowBounds(region);
  eachAnchor(region, (kind, i) => {
    bounds.push(windows.start(i), windows.end(i, kind));
  });
  if (bounds.length === 0) return;
  const order = Array.from({ length: bounds.length / 2 }, (_, k) => k).sort((a, b) => bounds[2 * a]! - bounds[2 * b]!);
  const { buf } = region;
  let start = -1;
  let end = -1;
  const flush = (): void => {
    if (start < 0) return;
    const text = buf.toString('latin1', start, end);
    // a window cut inside a line: a match touching the cut may be part of a longer token, so it is dropped
    const cutBefore = start > region.dataStart ? !isLineBreak(buf[start - 1]) : !region.atStreamStart;
    const cutAfter = end < region.dataEnd ? !isLineBreak(buf[end]) : !region.atStreamEnd;
    for (const m of detect(text, { ...options, cloudOnly: region.binary })) {
      if ((cutBefore && m.start === 0) || (cutAfter && m.end >= text.length)) continue;
      const offset = region.base + start + m.start;
      if (seen.has(offset)) continue;
      seen.add(offset);
      out.push({ ruleId: m.ruleId, offset, secret: buf.toString('utf8', start + m.start, start + m.end) });
    }
  };
  for (const k of order) {
    const s = bounds[2 * k]!;
    const e = bounds[2 * k + 1]!;
    if (s <= end) {
      if (e > end) end = e;
    } else {
      flush();
      start = s;
      end = e;
    }
  }
  flush();
}
