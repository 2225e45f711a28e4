/**
 * The byte-level prefilter. Core's `detect` works on strings; decoding every file would cost more than
 * everything else together. So the scanner searches the raw bytes for core's literal `ANCHORS` with
 * `Buffer.indexOf`, throws away anchors that cannot start a match (a few byte comparisons each), and hands
 * `detect` only small latin1-decoded windows around the rest: whole lines, capped for minified files.
 * Latin1 maps each byte to one character, so a window offset is a byte offset; every pattern is ASCII, so
 * matching is the same as on the decoded text. The secret itself is then decoded as UTF-8.
 */
import { ANCHORS, CLOUD_KEY_LENGTH, detect, isHexLower, isWordChar, type DetectOptions, type RuleId } from '@statalog/core';

/** Bytes of context before an anchor when its line is longer (URL look-back, `name:` prefixes). */
export const WINDOW_BACK = 4096;
/** Bytes after an anchor at most (a community value is read up to 4 KiB). */
export const WINDOW_FORWARD = 8192;
/** Lines after the anchor's line that stay in the window: `- name: STATALOG_API_KEY` + `value: …` (k8s). */
const FOLLOWING_BYTES = 256;

export interface ByteHit {
  ruleId: RuleId;
  /** Byte offset of the secret in the file's (UTF-8) byte stream. */
  offset: number;
  /** The secret, decoded as UTF-8. */
  secret: string;
}

export interface WindowScanInput {
  buf: Buffer;
  /** Anchors starting in [from, to) are looked at. */
  from: number;
  to: number;
  /** Bytes in [dataStart, dataEnd) may be read for context. */
  dataStart: number;
  dataEnd: number;
  /** True when `dataStart` is the start of the stream (not the edge of a carried-over tail). */
  atStreamStart: boolean;
  /** True when `dataEnd` is the end of the stream. */
  atStreamEnd: boolean;
  /** Stream offset of `buf[0]`. */
  base: number;
  binary: boolean;
}

const CLOUD = Buffer.from(ANCHORS.cloud, 'latin1');
const URL = Buffer.from(ANCHORS.url, 'latin1');
const COMMUNITY = ANCHORS.community.map((a) => Buffer.from(a, 'latin1'));

/** Windows ([start, end) into `buf`) around every anchor in [from, to) that could start a match. */
function collectWindows(input: WindowScanInput): number[] {
  const { buf, from, to, binary } = input;
  const windows: number[] = [];
  const push = (i: number): void => {
    windows.push(windowStart(input, i), windowEnd(input, i));
  };
  // search only [from, to) (plus the anchor's own length): the buffer beyond holds older data
  const view = (anchor: Buffer): Buffer => buf.subarray(0, Math.min(input.dataEnd, to + anchor.length - 1));
  const cloud = view(CLOUD);
  for (let i = cloud.indexOf(CLOUD, from); i !== -1; i = cloud.indexOf(CLOUD, i + 1)) {
    if (couldBeCloudKey(input, i)) push(i);
  }
  if (!binary) {
    const url = view(URL);
    for (let i = url.indexOf(URL, from); i !== -1; i = url.indexOf(URL, i + 1)) {
      const before = i > input.dataStart ? buf[i - 1] : -1;
      if (before === 0x3f /* ? */ || before === 0x26 /* & */ || before === 0x3b /* ; of &amp; */) push(i);
    }
    for (const anchor of COMMUNITY) {
      const community = view(anchor);
      for (let i = community.indexOf(anchor, from); i !== -1; i = community.indexOf(anchor, i + 1)) {
        if (couldBeKeyName(input, i)) push(i);
      }
    }
  }
  return windows;
}

/** `st_` + 64 lower-case hex not glued to a following word character (core decides the rest). */
function couldBeCloudKey(input: WindowScanInput, i: number): boolean {
  const { buf } = input;
  const end = i + CLOUD_KEY_LENGTH;
  if (end > input.dataEnd) return false;
  for (let k = i + 3; k < end; k++) if (!isHexLower(buf[k]!)) return false;
  return end === input.dataEnd || !isWordChar(buf[end]!);
}

/** `[sS]tatalog` + optional `_`, `.` or `-` + `api…` or `key…`: the only names core's rule reads. */
function couldBeKeyName(input: WindowScanInput, i: number): boolean {
  const { buf } = input;
  if (i <= input.dataStart) return false;
  const s = buf[i - 1];
  if (s !== 0x73 && s !== 0x53) return false;
  let j = i + 7;
  const sep = buf[j];
  if (sep === 0x5f || sep === 0x2e || sep === 0x2d) j++;
  const c = (buf[j] ?? 0) | 0x20;
  return c === 0x61 /* a */ || c === 0x6b; /* k */
}

function isLineBreak(byte: number | undefined): boolean {
  return byte === 0x0a || byte === 0x0d;
}

/** The start of the anchor's line, or `WINDOW_BACK` bytes before the anchor on a longer line. */
function windowStart(input: WindowScanInput, i: number): number {
  const floor = Math.max(input.dataStart, i - WINDOW_BACK);
  const { buf } = input;
  for (let k = i - 1; k >= floor; k--) if (isLineBreak(buf[k])) return k + 1;
  return floor;
}

/** The end of the anchor's line plus `FOLLOWING_BYTES` worth of following lines, capped. */
function windowEnd(input: WindowScanInput, i: number): number {
  const cap = Math.min(input.dataEnd, i + WINDOW_FORWARD);
  const lineEnd = nextLineBreak(input.buf, i, cap);
  if (lineEnd >= cap) return cap;
  return nextLineBreak(input.buf, Math.min(lineEnd + 1 + FOLLOWING_BYTES, cap), cap);
}

function nextLineBreak(buf: Buffer, from: number, cap: number): number {
  if (from >= cap) return cap;
  const window = buf.subarray(from, cap);
  const lf = window.indexOf(0x0a);
  const cr = window.indexOf(0x0d);
  const first = lf === -1 ? cr : cr === -1 ? lf : Math.min(lf, cr);
  return first === -1 ? cap : from + first;
}

/**
 * Every secret core's `detect` finds in the windows of [from, to). `seen` (stream offsets) drops a match
 * already reported from an overlapping window of the previous chunk.
 */
export function scanWindows(input: WindowScanInput, options: DetectOptions, seen: Set<number>, out: ByteHit[]): void {
  const bounds = collectWindows(input);
  if (bounds.length === 0) return;
  const order = Array.from({ length: bounds.length / 2 }, (_, k) => k).sort((a, b) => bounds[2 * a]! - bounds[2 * b]!);
  const { buf } = input;
  let start = -1;
  let end = -1;
  const flush = (): void => {
    if (start < 0) return;
    const text = buf.toString('latin1', start, end);
    // a window cut inside a line: a match touching the cut may be part of a longer token, so it is dropped
    const cutBefore = start > input.dataStart ? !isLineBreak(buf[start - 1]) : !input.atStreamStart;
    const cutAfter = end < input.dataEnd ? !isLineBreak(buf[end]) : !input.atStreamEnd;
    for (const m of detect(text, { ...options, cloudOnly: input.binary })) {
      if ((cutBefore && m.start === 0) || (cutAfter && m.end >= text.length)) continue;
      const offset = input.base + start + m.start;
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
