/** Where the scanner's bytes come from: the file as it is, or a UTF-16 file as a stream of UTF-8 bytes. */
import { readSync } from 'node:fs';
import { TextDecoder } from 'node:util';

export interface Source {
  /** Reads up to `length` bytes into `into` at `offset`; 0 at the end. */
  read(into: Buffer, offset: number, length: number): number;
  /** Bytes taken from the file so far. */
  readonly rawBytes: number;
}

export class FdSource implements Source {
  rawBytes = 0;
  constructor(
    private readonly fd: number,
    private position: number,
  ) {}
  read(into: Buffer, offset: number, length: number): number {
    const n = readSync(this.fd, into, offset, length, this.position);
    this.position += n;
    this.rawBytes += n;
    return n;
  }
}

/**
 * UTF-16 (after its BOM) as a stream of UTF-8 bytes, so the byte scanner and the position counter apply
 * unchanged (a UTF-8 lead byte counts one UTF-16 column, a four-byte sequence two).
 */
export class Utf16Source implements Source {
  rawBytes: number;
  private readonly raw = Buffer.allocUnsafe(256 * 1024);
  private readonly decoder: TextDecoder;
  private pending: Buffer = Buffer.alloc(0);
  private pendingAt = 0;
  private ended = false;
  private position: number;
  /** @param start where the text begins: 2 after a byte-order mark, 0 without one */
  constructor(
    private readonly fd: number,
    bigEndian: boolean,
    start = 2,
  ) {
    this.rawBytes = start;
    this.position = start;
    this.decoder = new TextDecoder(bigEndian ? 'utf-16be' : 'utf-16le', { ignoreBOM: true });
  }
  read(into: Buffer, offset: number, length: number): number {
    while (this.pendingAt >= this.pending.length) {
      if (this.ended) return 0;
      const n = readSync(this.fd, this.raw, 0, this.raw.length, this.position);
      this.position += n;
      this.rawBytes += n;
      if (n === 0) this.ended = true;
      const text = n === 0 ? this.decoder.decode() : this.decoder.decode(this.raw.subarray(0, n), { stream: true });
      this.pending = Buffer.from(text, 'utf8');
      this.pendingAt = 0;
    }
    const count = Math.min(length, this.pending.length - this.pendingAt);
    this.pending.copy(into, offset, this.pendingAt, this.pendingAt + count);
    this.pendingAt += count;
    return count;
  }
}

/**
 * Reads until `buf[at, end)` is full or the source ends; returns how many bytes came. With `shortIsEnd`, a
 * short read is taken as the end (true of regular files), which saves the read that would return 0.
 */
export function fill(source: Source, buf: Buffer, at: number, end: number, shortIsEnd: boolean): number {
  let total = 0;
  while (at + total < end) {
    const n = source.read(buf, at + total, end - at - total);
    total += n;
    if (n === 0 || shortIsEnd) break;
  }
  return total;
}
