/**
 * The caps that keep an archive from costing more than its worth: a zip bomb (a few KB that inflate to
 * gigabytes), an archive nested in itself, a tarball larger than memory. What a cap stops is reported as
 * not scanned (error: true), never dropped.
 */
import { constants as bufferConstants } from 'node:buffer';
import { EntryProblem, TotalCapReached } from './problems.js';

export interface ArchiveLimits {
  /** Archives opened inside one another at most (1: only the archive itself); 0 opens none. */
  depth: number;
  /** Bytes one outermost archive may hold — its own size, then everything inflated from it, nested included. */
  maxBytes: number;
  /** An entry may inflate to at most this many times its compressed size (beyond RATIO_FLOOR); 0: no ratio cap. */
  maxRatio: number;
}

export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = { depth: 3, maxBytes: 1024 * 1024 * 1024, maxRatio: 100 };

/**
 * Below this many inflated bytes the ratio is not looked at: a few megabytes of zeros compress 1000:1 and are
 * harmless (the size cap bounds the total anyway); only what inflates past 16 MiB must show a believable ratio.
 * Legitimate content can pass 100× too — a layer holding a sparse `/var/log/lastlog` — hence --archive-max-ratio.
 */
const RATIO_FLOOR = 16 * 1024 * 1024;

/**
 * `node:zlib`, loaded when the first compressed entry is inflated: it brings Node's streams with it, which
 * cost every scan thread about 10 ms at start-up (measured in a worker), and most trees hold no archive.
 */
let zlibModule: typeof import('node:zlib') | undefined;
const zlib = (): typeof import('node:zlib') => (zlibModule ??= process.getBuiltinModule('node:zlib'));

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 * 1024 && n % (1024 * 1024 * 1024) === 0) return `${n / (1024 * 1024 * 1024)} GiB`;
  if (n >= 1024 * 1024) return `${Math.round(n / (1024 * 1024))} MiB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KiB`;
  return `${n} bytes`;
}

/** What one outermost archive may still inflate: shared by every entry and nested archive inside it. */
export class Budget {
  private remaining: number;
  constructor(
    private readonly limits: ArchiveLimits,
    alreadyRead: number,
  ) {
    this.remaining = Math.max(0, limits.maxBytes - alreadyRead);
  }

  /** A deflate stream (a zip entry), bounded by the ratio and the budget. */
  inflateRaw(data: Uint8Array): Uint8Array {
    return this.expand(data, (max) => zlib().inflateRawSync(data, { maxOutputLength: max }), 'deflate');
  }

  /**
   * A gzip stream (every member of it). A truncated stream gives what it holds (`truncated`), so the entries
   * before the cut are still searched.
   */
  gunzip(data: Uint8Array): { out: Uint8Array; truncated: boolean } {
    let truncated = false;
    const out = this.expand(
      data,
      (max) => {
        try {
          return zlib().gunzipSync(data, { maxOutputLength: max });
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'Z_BUF_ERROR') throw error;
          truncated = true;
          return zlib().gunzipSync(data, { maxOutputLength: max, finishFlush: zlib().constants.Z_SYNC_FLUSH });
        }
      },
      'gzip',
    );
    return { out, truncated };
  }

  private expand(data: Uint8Array, run: (max: number) => Buffer, what: string): Uint8Array {
    const byRatio =
      this.limits.maxRatio === 0 ? Number.POSITIVE_INFINITY : Math.max(RATIO_FLOOR, data.length * this.limits.maxRatio);
    const max = Math.max(1, Math.min(byRatio, this.remaining, bufferConstants.MAX_LENGTH));
    let out: Buffer;
    try {
      out = run(max);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ERR_BUFFER_TOO_LARGE') {
        if (max < byRatio)
          throw new TotalCapReached(
            `expands past the archive size cap (${formatBytes(this.limits.maxBytes)}, --archive-max-size)`,
          );
        throw new EntryProblem(
          `expands more than ${this.limits.maxRatio}× its compressed size (a zip bomb? --archive-max-ratio); not inflated`,
        );
      }
      throw new EntryProblem(`${what} data is damaged (${code ?? (error as Error).message})`);
    }
    this.remaining -= out.length;
    return out;
  }
}
