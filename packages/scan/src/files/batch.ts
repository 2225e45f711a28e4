/**
 * The unit of work shared by the main thread and the worker threads: claim a batch of file indexes from a
 * shared counter (so the fastest thread takes more), scan them, keep only what matters.
 */
import type { DetectOptions } from '@statalog/core';
import type { ArchiveLimits } from '../archives/index.js';
import { FileScanner, type FileOutcome } from './scan-file.js';

/** Files claimed at a time: small enough to balance the threads, large enough to keep the counter cold. */
const BATCH_FILES = 32;

export interface BatchResult {
  files: number;
  bytes: number;
  binary: number;
  /** Outcomes worth reporting (findings, skips, submodules), by index into the path list. */
  notable: Array<[number, FileOutcome]>;
}

export type ScanOptions = Omit<DetectOptions, 'syntax' | 'cloudOnly'>;

/** What the scanner threads are given: the detect options and, when archives are opened, their caps. */
export type FileScanOptions = ScanOptions & { archives?: ArchiveLimits };

/** A file to open: its path, or the path's bytes when they are not valid UTF-8. */
export type FilePath = string | Uint8Array;

export function emptyResult(): BatchResult {
  return { files: 0, bytes: 0, binary: 0, notable: [] };
}

/**
 * Claims the next batch of indexes below `limit` (the paths this thread knows of); -1 when the counter has
 * reached it. Compare-and-swap, so a thread never claims an index it has no path for yet.
 */
export function claim(counter: Int32Array, limit: number): number {
  for (;;) {
    const first = Atomics.load(counter, 0);
    if (first >= limit) return -1;
    if (Atomics.compareExchange(counter, 0, first, Math.min(first + BATCH_FILES, limit)) === first) return first;
  }
}

export function scanRange(paths: readonly FilePath[], first: number, scanner: FileScanner, result: BatchResult): void {
  const last = Math.min(first + BATCH_FILES, paths.length);
  for (let i = first; i < last; i++) {
    const path = paths[i]!;
    const outcome = scanner.scan(path, typeof path === 'string' ? path : Buffer.from(path).toString('utf8'));
    if (outcome.kind === 'scanned') {
      result.files++;
      result.bytes += outcome.bytes;
      if (outcome.binary) result.binary++;
      if (outcome.hits.length > 0) result.notable.push([i, outcome]);
    } else if (outcome.kind === 'archive') {
      // an archive counts as the entries it held (and the bytes they inflated to)
      result.files += outcome.archive.files;
      result.bytes += outcome.archive.bytes;
      result.binary += outcome.archive.binary;
      if (outcome.archive.hits.length > 0 || outcome.archive.skipped.length > 0) result.notable.push([i, outcome]);
    } else {
      result.notable.push([i, outcome]);
    }
  }
}

/** Scans batches of `paths` until the counter reaches its end. */
export function scanClaimed(paths: readonly FilePath[], counter: Int32Array, options: FileScanOptions): BatchResult {
  const scanner = new FileScanner(options);
  const result = emptyResult();
  for (let first = claim(counter, paths.length); first !== -1; first = claim(counter, paths.length)) {
    scanRange(paths, first, scanner, result);
  }
  return result;
}
