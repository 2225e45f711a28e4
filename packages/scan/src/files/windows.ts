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
import { ANCHORS, CLOUD_KEY_LENGTH, detect, isHexLower, isWordChar, type DetectOptions, type RuleId } from '@statalog/core';

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
const URL_BEFORE = Buffer.from(ANCHORS.url.slice(0, ANCHORS.url.indexOf('_')), 'latin1'); // `api`
const URL_AFTER = Buffer.from(ANCHORS.url.slice(ANCHORS.url.indexOf('_') + 1), 'latin1'); // `key=`

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
    if (buf[i - 1] === 0x74 /* t */ && buf[i - 2] === 0x73 /* s */ && i - 2 >= from && i - 2 < to) {
      if (couldBeCloudKey(region, i - 2) && found('cloud', i - 2)) return;
    } else if (!binary && i - 3 >= from && i - 3 < to && startsWith(buf, i - 3, URL_BEFORE) && startsWith(buf, i + 1, URL_AFTER)) {
      if (found('url', i - 3)) return;
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

/** `st_` + 64 lower-case hex not glued to a following word character (core decides the rest). */
function couldBeCloudKey(region: Region, i: number): boolean {
  const { buf } = region;
  const end = i + CLOUD_KEY_LENGTH;
  if (end > region.dataEnd) return false;
  for (let k = i + 3; k < end; k++) if (!isHexLower(buf[k]!)) return false;
  return end === region.dataEnd || !isWordChar(buf[end]!);
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

/** The start of the anchor's line, or `WINDOW_BACK` bytes before the anchor on a longer line. */
function windowStart(region: Region, i: number): number {
  const floor = Math.max(region.dataStart, i - WINDOW_BACK);
  const { buf } = region;
  for (let k = i - 1; k >= floor; k--) if (isLineBreak(buf[k])) return k + 1;
  return floor;
}

/** The end of the anchor's line (a community anchor: of the line `COMMUNITY_FORWARD` bytes on), capped. */
function windowEnd(region: Region, i: number, kind: AnchorKind): number {
  const cap = Math.min(region.dataEnd, i + WINDOW_FORWARD);
  const from = kind === 'community' ? Math.min(i + COMMUNITY_FORWARD, cap) : Math.min(i + (kind === 'cloud' ? CLOUD_KEY_LENGTH : 0), cap);
  if (from >= cap) return cap;
  const rest = region.buf.subarray(from, cap);
  const lf = rest.indexOf(0x0a);
  const cr = rest.indexOf(0x0d);
  const first = lf === -1 ? cr : cr === -1 ? lf : Math.min(lf, cr);
  return first === -1 ? cap : from + first;
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
  eachAnchor(region, (kind, i) => {
    bounds.push(windowStart(region, i), windowEnd(region, i, kind));
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
