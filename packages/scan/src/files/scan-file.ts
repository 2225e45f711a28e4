/**
 * One file, start to end: open without following symlinks or blocking on FIFOs, then
 *
 * - a file that fits in the buffer (nearly all of them): core's content pipeline (`scanContent`: sniff,
 *   prefilter, decode, detect, positions) — the very function `--staged`, `--range`, `--history` and the
 *   Action run, so their findings are the same;
 * - a larger file: core's `sniff` on its first bytes, then stream it through the buffer with a carried-over
 *   tail (no key or window is cut at a chunk edge), decode only windows around anchors, and count lines in a
 *   second pass when something was found.
 *
 * Memory is one buffer per thread whatever the file size.
 */
import { closeSync, constants, fstatSync, openSync } from 'node:fs';
import {
  encodedFields,
  prefilterBuffer,
  scanContent,
  sniff,
  syntaxForPath,
  type DetectOptions,
  type Encoding as ContentEncoding,
  type RuleId,
} from '@statalog/core';
import {
  archiveKind,
  formatBytes,
  scanArchive,
  unopenableKind,
  unopenableReason,
  type ArchiveLimits,
  type ArchiveScan,
} from '../archives/index.js';
import { fill, FdSource, Utf16Source, type Source } from './byte-source.js';
import { PositionCounter } from './positions.js';
import { scanWindows, WINDOW_BACK, WINDOW_FORWARD, type ByteHit } from './anchor-windows.js';

const BUFFER_SIZE = 4 * 1024 * 1024;
/** How much of a chunk is kept for the next one: a window's look-back plus a key. */
const CARRY = WINDOW_BACK + 256;
/** Anchors this close to the end of a chunk wait for the next chunk, so their window is whole. */
const LOOKAHEAD = WINDOW_FORWARD + 256;

export interface FileHit {
  ruleId: RuleId;
  line: number;
  column: number;
  secret: string;
  /** On a `statalog:allow` line: listed as accepted, not reported. */
  allowed?: boolean;
  /** Found inside an encoded run (see core's `Finding.encoding`), and what it covers on its line. */
  encoding?: ContentEncoding;
  length?: number;
}

export type FileOutcome =
  | { kind: 'scanned'; bytes: number; binary: boolean; hits: FileHit[] }
  /** An archive (see ../archives/): its entries were searched; `bytes` is the archive's own size. */
  | { kind: 'archive'; bytes: number; archive: ArchiveScan }
  /** Not read. `error`: it should have been (permission denied, I/O error) — the scan is incomplete. */
  | { kind: 'skipped'; reason: string; error: boolean }
  /** Vanished since it was listed (a tracked file deleted from the work tree): nothing to scan. */
  | { kind: 'gone' }
  /** A directory where a file was listed (a git submodule): the caller lists it. */
  | { kind: 'directory' };

// O_NOFOLLOW: a symlink swapped in after listing is not followed; O_NONBLOCK: a FIFO never blocks the open
// eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- both are absent on Windows
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/** `start`: where the text begins, after a byte-order mark (UTF-16 without one is recognised by its NUL bytes). */
type Encoding = { kind: 'utf8'; start: number; binary: boolean } | { kind: 'utf16'; bigEndian: boolean; start: number };

/** The smallest buffer that leaves room for a chunk between the carried tail and the look-ahead. */
export const MIN_BUFFER_SIZE = 4 * (CARRY + LOOKAHEAD);

export class FileScanner {
  private readonly buf: Buffer;
  private readonly options: Omit<DetectOptions, 'syntax' | 'cloudOnly'>;
  /** Undefined (or depth 0): archives are searched as the binary files they are. */
  private readonly archives: ArchiveLimits | undefined;
  /** Set by `scanOpen` for a zstd, xz or bzip2 stream: searched raw, its contents reported as not scanned. */
  private unopenable: 'zstd' | 'xz' | 'bzip2' | undefined;

  /** @param bufferSize bytes read at a time; files larger than this are streamed (tests use small ones) */
  constructor(
    options: Omit<DetectOptions, 'syntax' | 'cloudOnly'> & { archives?: ArchiveLimits },
    bufferSize = BUFFER_SIZE,
  ) {
    if (bufferSize < MIN_BUFFER_SIZE) throw new RangeError(`bufferSize must be at least ${MIN_BUFFER_SIZE}`);
    this.buf = prefilterBuffer(bufferSize); // searched where it is, not copied for the prefilter
    const { archives, ...detectOptions } = options;
    this.options = detectOptions;
    this.archives = archives && archives.depth > 0 ? archives : undefined;
  }

  /** @param name the path as text: it picks the syntax (code or config) */
  scan(path: string | Uint8Array, name: string): FileOutcome {
    this.unopenable = undefined;
    let fd: number;
    try {
      fd = openSync(
        typeof path === 'string' ? path : Buffer.from(path.buffer, path.byteOffset, path.byteLength),
        OPEN_FLAGS,
      );
    } catch (error) {
      return openFailure(error as NodeJS.ErrnoException);
    }
    try {
      const outcome = this.scanOpen(fd, name);
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- scanOpen sets it
      return this.unopenable === undefined ? outcome : withUnopenable(outcome, this.unopenable);
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
  private scanOpen(fd: number, name: string): FileOutcome {
    const buf = this.buf;
    const length = fill(new FdSource(fd, 0), buf, 0, buf.length, true);
    if (length === 0) return { kind: 'scanned', bytes: 0, binary: false, hits: [] };
    if (this.archives) {
      if (archiveKind(buf.subarray(0, length))) return this.scanArchiveFile(fd, length, name, this.archives);
      this.unopenable = unopenableKind(buf.subarray(0, length));
    }
    if (length < buf.length) {
      // the whole file, through the pipeline every door runs
      const { binary, matches } = scanContent(buf.subarray(0, length), name, this.options);
      return {
        kind: 'scanned',
        bytes: length,
        binary,
        hits: matches.map((m) => ({
          ruleId: m.ruleId,
          line: m.line,
          column: m.column,
          secret: m.secret,
          ...(m.allowed ? { allowed: true } : {}),
          ...encodedFields(m),
        })),
      };
    }
    const syntax = syntaxForPath(name);
    const sniffed = sniff(buf, length);
    if (sniffed.kind === 'binary')
      return this.scanStream(fd, { kind: 'utf8', start: 0, binary: true }, syntax, new FdSource(fd, length), length);
    if (sniffed.kind === 'utf8')
      return this.scanStream(
        fd,
        { kind: 'utf8', start: sniffed.start, binary: false },
        syntax,
        new FdSource(fd, length),
        length,
      );
    const encoding: Encoding = { kind: 'utf16', bigEndian: sniffed.bigEndian, start: sniffed.start };
    const outcome = this.scanStream(fd, encoding, syntax, new Utf16Source(fd, sniffed.bigEndian, sniffed.start), 0);
    // without a byte-order mark UTF-16 is a guess from the NUL bytes: the bytes are also searched as a
    // binary file's, so a wrong guess cannot hide a cloud key (as core's pipeline does for smaller files)
    if (!sniffed.guessed || outcome.kind !== 'scanned') return outcome;
    const asBinary = this.scanStream(fd, { kind: 'utf8', start: 0, binary: true }, syntax, new FdSource(fd, 0), 0);
    return asBinary.kind === 'scanned' ? { ...outcome, hits: [...outcome.hits, ...asBinary.hits] } : outcome;
  }

  /**
   * An archive is read whole into memory (up to the size cap) and its entries searched instead of its raw
   * bytes: a zip's or gzip's raw bytes are compressed, and a tar's raw bytes are its entries, searched one by
   * one with their own names. One larger than the cap is searched raw, as a binary file, and reported.
   */
  private scanArchiveFile(fd: number, length: number, name: string, limits: ArchiveLimits): FileOutcome {
    const buf = this.buf;
    let bytes: Buffer = buf.subarray(0, length);
    if (length === buf.length) {
      const size = fstatSync(fd).size;
      if (size > limits.maxBytes) {
        const raw = this.scanStream(
          fd,
          { kind: 'utf8', start: 0, binary: true },
          syntaxForPath(name),
          new FdSource(fd, length),
          length,
        );
        if (raw.kind !== 'scanned') return raw;
        const skip = {
          entry: '',
          reason: `archive larger than the size cap (${formatBytes(limits.maxBytes)}, --archive-max-size): searched as a binary file, its entries were not opened`,
          error: true,
        };
        const hits = raw.hits.map((h) => ({ ...h, entry: '' }));
        return {
          kind: 'archive',
          bytes: raw.bytes,
          archive: { files: 1, bytes: raw.bytes, binary: 1, hits, skipped: [skip] },
        };
      }
      bytes = Buffer.allocUnsafe(size);
      buf.copy(bytes, 0, 0, length);
      const total = length + fill(new FdSource(fd, length), bytes, length, size, false);
      bytes = bytes.subarray(0, total);
    }
    // synchronous to the end: `bytes` may be this scanner's buffer, reused by the next file
    return { kind: 'archive', bytes: bytes.length, archive: scanArchive(bytes, name, this.options, limits) };
  }

  /**
   * A file larger than the buffer: chunks with a carried-over tail, windows around anchors, and a second
   * pass to count lines when something was found. `buf[0, filled)` already holds the stream's first bytes.
   */
  private scanStream(
    fd: number,
    encoding: Encoding,
    syntax: DetectOptions['syntax'],
    source: Source,
    filled: number,
  ): FileOutcome {
    const buf = this.buf;
    const start = encoding.kind === 'utf8' ? encoding.start : 0; // a UTF-16 source starts after its mark
    const binary = encoding.kind === 'utf8' && encoding.binary;
    let dataEnd = filled + fill(source, buf, filled, buf.length, false);
    let eof = dataEnd < buf.length;
    const detectOptions: DetectOptions = { reportAllowed: true, ...this.options, syntax };
    const seen = new Set<number | string>();
    const found: ByteHit[] = [];
    let base = 0;
    let from = start;
    for (;;) {
      const to = eof ? dataEnd : dataEnd - LOOKAHEAD;
      const dataStart = base === 0 ? start : 0;
      scanWindows(
        { buf, from, to, dataStart, dataEnd, atStreamStart: base === 0, atStreamEnd: eof, base, binary },
        detectOptions,
        seen,
        found,
      );
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
    const again: Source =
      encoding.kind === 'utf16' ? new Utf16Source(fd, encoding.bigEndian, encoding.start) : new FdSource(fd, start);
    for (
      let n = fill(again, buf, 0, buf.length, false);
      n > 0 && !counter.done;
      n = fill(again, buf, 0, buf.length, false)
    )
      counter.feed(buf, 0, n);
    // the file shrank between the passes: its findings have no position, and what was read is not what is
    // there now — an incomplete scan, never a silent pass or a finding at line 0
    if (!counter.done) return { kind: 'skipped', reason: 'changed while it was being read', error: true };
    const hits = found.map((h, i) => {
      const position = counter.positions[i]!;
      return {
        ruleId: h.ruleId,
        line: position.line,
        column: position.column,
        secret: h.secret,
        ...(h.allowed ? { allowed: true } : {}),
        ...encodedFields(h),
      };
    });
    return { kind: 'scanned', bytes, binary, hits };
  }
}

/** A raw scan of a stream this version cannot open, with the skip that says so. */
function withUnopenable(outcome: FileOutcome, kind: 'zstd' | 'xz' | 'bzip2'): FileOutcome {
  if (outcome.kind !== 'scanned') return outcome;
  const hits = outcome.hits.map((h) => ({ ...h, entry: '' }));
  const skipped = [{ entry: '', reason: unopenableReason(kind), error: true }];
  return {
    kind: 'archive',
    bytes: outcome.bytes,
    archive: { files: 1, bytes: outcome.bytes, binary: outcome.binary ? 1 : 0, hits, skipped },
  };
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
