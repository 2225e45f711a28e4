/**
 * Both cores (or all of them): worker threads and the main thread pull batches of files from one shared
 * counter. Small scans stay on the main thread — starting a worker costs more than a normal project's scan
 * (see PARALLEL_MIN_FILES).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { scanClaimed, type BatchResult, type ScanOptions } from './batch.js';

/**
 * Below this many files one thread is faster: a worker needs ~40 ms to start and load the core, which is
 * what one thread takes for about this many files of ordinary source (measured with bench/files.bench.mjs).
 */
export const PARALLEL_MIN_FILES = 1500;

export async function scanPaths(paths: readonly string[], options: ScanOptions, threads = defaultThreads(paths.length)): Promise<BatchResult[]> {
  const counter = new Int32Array(new SharedArrayBuffer(4));
  const workers = Array.from({ length: Math.max(0, threads - 1) }, () =>
    runWorker({ paths, counter: counter.buffer, options }),
  );
  // the main thread works too; it blocks while it does, and collects the workers' results afterwards
  const own = scanClaimed(paths, counter, options);
  return [own, ...(await Promise.all(workers))];
}

function defaultThreads(files: number): number {
  const env = Number(process.env.STATALOG_SCAN_THREADS);
  if (Number.isInteger(env) && env > 0) return env;
  if (files < PARALLEL_MIN_FILES) return 1;
  return Math.max(1, Math.min(availableParallelism(), 8));
}

function runWorker(data: { paths: readonly string[]; counter: ArrayBufferLike; options: ScanOptions }): Promise<BatchResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./worker.js', import.meta.url), { workerData: data });
    let result: BatchResult | undefined;
    worker.once('message', (message: BatchResult) => (result = message));
    worker.once('error', reject);
    worker.once('exit', (code) => (result ? resolve(result) : reject(new Error(`scan worker stopped (exit code ${code})`))));
  });
}
