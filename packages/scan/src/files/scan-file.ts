/**
 * One file, start to end: open without following symlinks or blocking on FIFOs, tell the encoding, then
 *
 * - a file that fits in the buffer (nearly all of them): drop it unless the byte prefilter finds an anchor,
 *   else decode it whole (UTF-8, UTF-16 with a BOM, or latin1 for binary files) and let core's `detect` read
 *   it, so its findings are exactly core's;
 * - a larger file: stream it through the buffer with a carried-over tail (no key or window is cut at a chunk
 *   edge), decode only windows around anchors, and count lines in a second pass when something was found.
 *
 * Binary files (a NUL byte in the first 8 KiB and no BOM) are searched for the cloud-key pattern only.
 * Memory is one buffer per thread whatever the file size.
 */
import { closeSync, constants, openSync } from 'node:fs';
import { TextDecoder } from 'node:util';
import { createLineIndex, detect, type DetectOptions, type RuleId } from '@statalog/core';
import { fill, FdSource, Utf16Source, type Source } from './byte-source.js';
import { PositionCounter } from './positions.js';
import { hasCandidate, scanWindows, WINDOW_BACK, WINDOW_FORWARD, type ByteHit } from './windows.js';

export const BUFFER_SIZE = 4 * 1024 * 1024;
/** How much of a chunk is kept for the next one: a window's look-back plus a key. */
const CARRY = WINDOW_BACK + 256;
/** Anchors this close to the end of a chunk wait for the next chunk, so their window is whole. */
const LOOKAHEAD = WINDOW_FORWARD + 256;
const BINARY_SNIFF = 8192;

export interface FileHit {
  ruleId: RuleId;
  line: number;
  column: number;
  secret: string;
}

export type FileOutcome =
  | { kind: 'scanned'; bytes: number; binary: boolean; hits: FileHit[] }
  /** Not read. `error`: it should have been (permission denied, I/O error) — the scan is incomplete. */
  | { kind: 'skipped'; reason: string; error: boolean }
  /** Vanished since it was listed (a tracked file deleted from the work tree): nothing to scan. */
  | { kind: 'gone' }
  /** A directory where a file was listed (a git submodule): the caller lists it. */
  | { kind: 'directory' };

// O_NOFOLLOW: a symlink swapped in after listing is not followed; O_NONBLOCK: a FIFO never blocks the open
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/** `start`: where the text begins, after a byte-order mark (UTF-16 without one is recognised by its NUL bytes). */
type Encoding = { kind: 'utf8'; start: number; binary: boolean } | { kind: 'utf16'; bigEndian: boolean; start: number };

/** The smallest buffer that leaves room for a chunk between the carried tail and the look-ahead. */
export const MIN_BUFFER_SIZE = 4 * (CARRY + LOOKAHEAD);

export class FileScanner {
  private readonly buf: Buffer;

  /** @param bufferSize bytes read at a time; files larger than this are streamed (tests use small ones) */
  constructor(
    private readonly options: Omit<DetectOptions, 'syntax' | 'cloudOnly'>,
    bufferSize = BUFFER_SIZE,
  ) {
    if (bufferSize < MIN_BUFFER_SIZE) throw new RangeError(`bufferSize must be at least ${MIN_BUFFER_SIZE}`);
    this.buf = Buffer.allocUnsafe(bufferSize);
  }

  scan(path: string | Uint8Array, syntax: DetectOptions['syntax']): FileOutcome {
    let fd: number;
    try {
      fd = openSync(typeof path === 'string' ? path : Buffer.from(path.buffer, path.byteOffset, path.byteLength), OPEN_FLAGS);
    } catch (error) {
      return openFailure(error as NodeJS.ErrnoException);
    }
    try {
      return this.scanOpen(fd, syntax);
    } catch (error) {
      return readFailure(error as NodeJS.ErrnoException);
    } finally {
      closeSync(fd);
    }
  }

  /**
   * No fstat: the listing already knows the entry is a regular file (or, from git, a file, a symlink or a
   * submodule directory — O_NOFOLLOW and EISDIR tell those apart), and a read that returns less than asked
   * is the end of a regular file. Three system calls per small file: open, read, close.
   */
  private scanOpen(fd: number, syntax: DetectOptions['syntax']): FileOutcome {
    const buf = this.buf;
    const length = fill(new FdSource(fd, 0), buf, 0, buf.length, true);
    if (length === 0) return { kind: 'scanned', bytes: 0, binary: false, hits: [] };
    const encoding = sniff(buf, length);
    const fits = length < buf.length;
    if (encoding.kind === 'utf16') {
      const outcome: FileOutcome = fits
        ? { kind: 'scanned', bytes: length, binary: false, hits: this.detectText(new TextDecoder(encoding.bigEndian ? 'utf-16be' : 'utf-16le', { ignoreBOM: true }).decode(buf.subarray(encoding.start, length)), syntax, false) }
        : this.scanStream(fd, encoding, syntax, new Utf16Source(fd, encoding.bigEndian, encoding.start), 0);
      // without a byte-order mark UTF-16 is a guess from the NUL bytes: the bytes are also searched as a
      // binary file's, so a wrong guess cannot hide a cloud key
      if (encoding.start > 0 || outcome.kind !== 'scanned') return outcome;
      const asBinary = this.scanBinary(fd, syntax);
      return asBinary.kind === 'scanned' ? { ...outcome, hits: [...outcome.hits, ...asBinary.hits] } : outcome;
    }
    if (!fits) return this.scanStream(fd, encoding, syntax, new FdSource(fd, length), length);
    const { start, binary } = encoding;
    if (!hasCandidate({ buf, from: start, to: length, dataStart: start, dataEnd: length, binary })) {
      return { kind: 'scanned', bytes: length, binary, hits: [] };
    }
    // the whole file, decoded: its findings are exactly what core finds in this text
    const text = buf.toString(binary ? 'latin1' : 'utf8', start, length);
    return { kind: 'scanned', bytes: length, binary, hits: this.detectText(text, syntax, binary) };
  }

  /** The file's bytes as a binary file's: the cloud-key pattern only. */
  private scanBinary(fd: number, syntax: DetectOptions['syntax']): FileOutcome {
    const buf = this.buf;
    const length = fill(new FdSource(fd, 0), buf, 0, buf.length, true);
    const encoding: Encoding = { kind: 'utf8', start: 0, binary: true };
    if (length === buf.length) return this.scanStream(fd, encoding, syntax, new FdSource(fd, length), length);
    if (!hasCandidate({ buf, from: 0, to: length, dataStart: 0, dataEnd: length, binary: true })) return { kind: 'scanned', bytes: length, binary: true, hits: [] };
    return { kind: 'scanned', bytes: length, binary: true, hits: this.detectText(buf.toString('latin1', 0, length), syntax, true) };
  }

  private detectText(text: string, syntax: DetectOptions['syntax'], binary: boolean): FileHit[] {
    const matches = detect(text, { ...this.options, syntax, cloudOnly: binary });
    if (matches.length === 0) return [];
    const lines = createLineIndex(text);
    return matches.map((m) => ({ ruleId: m.ruleId, ...lines.position(m.start), secret: m.secret }));
  }

  /**
   * A file larger than the buffer: chunks with a carried-over tail, windows around anchors, and a second
   * pass to count lines when something was found. `buf[0, filled)` already holds the stream's first bytes.
   */
  private scanStream(fd: number, encoding: Encoding, syntax: DetectOptions['syntax'], source: Source, filled: number): FileOutcome {
    const buf = this.buf;
    const start = encoding.kind === 'utf8' ? encoding.start : 0; // a UTF-16 source starts after its mark
    const binary = encoding.kind === 'utf8' && encoding.binary;
    let dataEnd = filled + fill(source, buf, filled, buf.length, false);
    let eof = dataEnd < buf.length;
    const detectOptions: DetectOptions = { ...this.options, syntax };
    const seen = new Set<number>();
    const found: ByteHit[] = [];
    let base = 0;
    let from = start;
    for (;;) {
      const to = eof ? dataEnd : dataEnd - LOOKAHEAD;
      const dataStart = base === 0 ? start : 0;
      scanWindows({ buf, from, to, dataStart, dataEnd, atStreamStart: base === 0, atStreamEnd: eof, base, binary }, detectOptions, seen, found);
      if (eof) break;
      const keepFrom = to - CARRY;
      buf.copyWithin(0, keepFrom, dataEnd);
      base += keepFrom;
      dataEnd -= keepFrom;
      from = to - keepFrom;
      dataEnd += fill(source, buf, dataEnd, buf.length, false);
      eof = dataEnd < buf.length;
    }

    const bytes = encoding.kind === 'utf16' ? source.rawBytes : base + dataEnd;
    if (found.length === 0) return { kind: 'scanned', bytes, binary, hits: [] };
    found.sort((a, b) => a.offset - b.offset);
    // second pass, only for a big file with findings: count lines up to the last finding
    const counter = new PositionCounter(
      found.map((h) => h.offset),
      start,
    );
    const again: Source = encoding.kind === 'utf16' ? new Utf16Source(fd, encoding.bigEndian, encoding.start) : new FdSource(fd, start);
    for (let n = fill(again, buf, 0, buf.length, false); n > 0 && !counter.done; n = fill(again, buf, 0, buf.length, false)) counter.feed(buf, 0, n);
    // the file shrank between the passes: its findings have no position, and what was read is not what is
    // there now — an incomplete scan, never a silent pass or a finding at line 0
    if (!counter.done) return { kind: 'skipped', reason: 'changed while it was being read', error: true };
    const hits = found.map((h, i) => {
      const position = counter.positions[i]!;
      return { ruleId: h.ruleId, line: position.line, column: position.column, secret: h.secret };
    });
    return { kind: 'scanned', bytes, binary, hits };
  }
}

function sniff(buf: Buffer, length: number): Encoding {
  if (length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return { kind: 'utf16', bigEndian: false, start: 2 };
  if (length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) return { kind: 'utf16', bigEndian: true, start: 2 };
  if (length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return { kind: 'utf8', start: 3, binary: false };
  const sample = buf.subarray(0, Math.min(length, BINARY_SNIFF));
  if (sample.indexOf(0) === -1) return { kind: 'utf8', start: 0, binary: false };
  const unmarked = utf16ByNulBytes(sample);
  return unmarked === undefined ? { kind: 'utf8', start: 0, binary: true } : { kind: 'utf16', bigEndian: unmarked === 'be', start: 0 };
}

/**
 * UTF-16 without a byte-order mark (Windows tools write it): text that is mostly ASCII has a NUL in every
 * other byte — the high byte of each unit — and almost none in the other half. Binary data has NULs in
 * both halves. Undefined when the sample does not look like UTF-16.
 */
function utf16ByNulBytes(sample: Buffer): 'le' | 'be' | undefined {
  let even = 0;
  let odd = 0;
  const units = sample.length >> 1;
  for (let i = 0; i + 1 < sample.length; i += 2) {
    if (sample[i] === 0) even++;
    if (sample[i + 1] === 0) odd++;
  }
  if (odd >= units / 4 && even <= odd / 16) return 'le';
  if (even >= units / 4 && odd <= even / 16) return 'be';
  return undefined;
}

function readFailure(error: NodeJS.ErrnoException): FileOutcome {
  switch (error.code) {
    case 'EISDIR':
      return { kind: 'directory' };
    case 'EAGAIN': // a FIFO or socket swapped in after listing, opened non-blocking
      return { kind: 'skipped', reason: 'not a regular file', error: false };
    default:
      return { kind: 'skipped', reason: `read failed (${error.code ?? 'error'})`, error: true };
  }
}

function openFailure(error: NodeJS.ErrnoException): FileOutcome {
  switch (error.code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return { kind: 'gone' };
    case 'ELOOP':
    case 'EMLINK': // O_NOFOLLOW on a symlink (EMLINK on some BSDs)
      return { kind: 'skipped', reason: 'symbolic link (not followed)', error: false };
    case 'ENXIO': // a socket or a FIFO without a writer, opened non-blocking
      return { kind: 'skipped', reason: 'not a regular file', error: false };
    default:
      return { kind: 'skipped', reason: `cannot be opened (${error.code ?? 'error'})`, error: true };
  }
}
