/**
 * Files larger than the read buffer: windows around core's anchors (`eachAnchor`, the prefilter every door
 * uses), each a whole line plus the context core's rules read (a URL's run before `api_key=`, a `statalog`
 * section's next lines, a sibling `value` on the lines before a name), capped for minified files; and
 * windows of whole lines around encoded anchors (`eachEncodedAnchor`), wide enough for base64 wrapped across
 * lines. Windows are decoded as latin1 — one character per byte, so offsets stay byte offsets; every pattern
 * is ASCII — and each secret is decoded as UTF-8 (a key found inside an encoded run is the decoded one).
 */
import {
  CLOUD_KEY_LENGTH,
  detect,
  eachAnchor,
  eachEncodedAnchor,
  firstLineLength,
  URL_SPAN,
  type AnchorKind,
  type DetectOptions,
  type Encoding,
  type Region,
  type RuleId,
} from '@statalog/core';

/**
 * Bytes of context before an anchor when its line is longer: a URL's run as far back as core's URL rule reads
 * it (URL_SPAN characters, at least as many bytes), plus a margin for a name's line prefix.
 */
export const WINDOW_BACK = URL_SPAN + 1024;
/** Bytes after an anchor at most: a URL's run as far as core reads it, or a section's lines. */
export const WINDOW_FORWARD = URL_SPAN + 1024;
/**
 * After a `statalog` word, the lines core may read: a section's entries (core's SECTION_SPAN, 2048
 * characters) and the entry's value (512 characters) — counted in bytes, so four per character at worst.
 */
const COMMUNITY_FORWARD = 12288;
/** Before a `statalog` word, the lines core may read: a sibling `value` entry written before the name (200 characters). */
const COMMUNITY_BACK = 1024;

export interface ByteHit {
  ruleId: RuleId;
  /** Byte offset of the secret in the file's (UTF-8) byte stream. */
  offset: number;
  /** The secret, decoded as UTF-8. */
  secret: string;
  /** On a `statalog:allow` line. */
  allowed?: boolean;
  /** Found inside an encoded run that starts at `offset`, and the run's length on its first line. */
  encoding?: Encoding;
  length?: number;
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
    const from =
      kind === 'community'
        ? Math.min(i + COMMUNITY_FORWARD, cap)
        : Math.min(i + (kind === 'cloud' ? CLOUD_KEY_LENGTH : 0), cap);
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

/**
 * Windows around encoded anchors (sorted): whole lines from `WINDOW_BACK` bytes before an anchor to
 * `WINDOW_FORWARD` bytes after it, so base64 wrapped across lines is read whole (a run cut at a window's edge
 * is dropped, as any match touching a cut is). Anchors closer than a window's width share one window, so
 * line breaks are searched for once per window: a file dense with anchors stays linear.
 */
function encodedWindows(region: Region, anchors: readonly number[], bounds: number[]): void {
  const span = WINDOW_BACK + WINDOW_FORWARD;
  for (let k = 0; k < anchors.length;) {
    const first = anchors[k]!;
    let last = first;
    for (k++; k < anchors.length && anchors[k]! - last < span; k++) last = anchors[k]!;
    const floor = Math.max(region.dataStart, first - WINDOW_BACK);
    const cap = Math.min(region.dataEnd, last + WINDOW_FORWARD);
    // the first line that starts at or after the floor; the last line that ends before the cap
    const before = floor === region.dataStart ? -1 : firstLineBreak(region.buf, floor - 1, first);
    const after = cap === region.dataEnd ? -1 : lastLineBreak(region.buf, last, cap);
    bounds.push(before === -1 ? floor : before + 1, after === -1 ? cap : after);
  }
}

/** The last CR or LF in buf[from, to); -1 when there is none. */
function lastLineBreak(buf: Buffer, from: number, to: number): number {
  const rest = buf.subarray(from, to);
  const last = Math.max(rest.lastIndexOf(0x0a), rest.lastIndexOf(0x0d));
  return last === -1 ? -1 : from + last;
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
export function scanWindows(
  region: WindowScan,
  options: DetectOptions,
  seen: Set<number | string>,
  out: ByteHit[],
): void {
  const bounds: number[] = [];
  const windows = new WindowBounds(region);
  // community windows start COMMUNITY_BACK bytes before their anchor: asked of the same bounds as the others, they
  // sent its backward search over the same kilobyte again at every anchor of a dense line (9 s for a 16 MB line
  // of `…statalog.com/…?api_key=`). Each kind's queries come in increasing order, so each keeps its own bounds.
  const communityWindows = new WindowBounds(region);
  // core's searches get a Region of the one shape every other caller passes: a second shape reaching their
  // optimised code made V8 throw it away and compile it again
  const { buf, from, to, dataStart, dataEnd, binary } = region;
  const searched: Region = { buf, from, to, dataStart, dataEnd, binary };
  eachAnchor(searched, (kind, i) => {
    const community = kind === 'community';
    const w = community ? communityWindows : windows;
    bounds.push(w.start(community ? Math.max(region.dataStart, i - COMMUNITY_BACK) : i), w.end(i, kind));
  });
  const encoded: number[] = [];
  if (!region.binary) {
    eachEncodedAnchor(searched, (i) => void encoded.push(i));
    encodedWindows(
      region,
      encoded.sort((a, b) => a - b),
      bounds,
    );
  }
  if (bounds.length === 0) return;
  let e = 0; // the first encoded anchor not before the window being flushed (windows come in order)
  const order = Array.from({ length: bounds.length / 2 }, (_, k) => k).sort((a, b) => bounds[2 * a]! - bounds[2 * b]!);
  let start = -1;
  let end = -1;
  const flush = (): void => {
    if (start < 0) return;
    const text = buf.toString('latin1', start, end);
    // a window cut inside a line: a match touching the cut may be part of a longer token, so it is dropped
    const cutBefore = start > region.dataStart ? !isLineBreak(buf[start - 1]) : !region.atStreamStart;
    const cutAfter = end < region.dataEnd ? !isLineBreak(buf[end]) : !region.atStreamEnd;
    // only a window holding an encoded anchor has runs to decode (decode.ts decodes no other)
    while (e < encoded.length && encoded[e]! < start) e++;
    const decode = e < encoded.length && encoded[e]! < end;
    for (const m of detect(text, { ...options, cloudOnly: region.binary, decode })) {
      if ((cutBefore && m.start === 0) || (cutAfter && m.end >= text.length)) continue;
      const offset = region.base + start + m.start;
      // several keys can come out of one encoded run: they share its offset
      const id = m.encoding === undefined ? offset : `${offset}:${m.ruleId}:${m.secret}`;
      if (seen.has(id)) continue;
      seen.add(id);
      const allowed = m.allowed ? { allowed: true } : {};
      if (m.encoding === undefined) {
        out.push({
          ruleId: m.ruleId,
          offset,
          secret: buf.toString('utf8', start + m.start, start + m.end),
          ...allowed,
        });
      } else {
        // the run's bytes are not the key: the key is what decoding gave; the run's first line, counted as UTF-16
        const length = buf.toString(
          'utf8',
          start + m.start,
          start + m.start + firstLineLength(text, m.start, m.end),
        ).length;
        out.push({ ruleId: m.ruleId, offset, secret: m.secret, ...allowed, encoding: m.encoding, length });
      }
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
