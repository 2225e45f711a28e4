/**
 * Both cores (or all of them): worker threads and the main thread pull batches of files from one shared
 * counter. Small scans stay on the main thread — starting a worker costs more than a normal project's scan
 * (see PARALLEL_MIN_FILES). For a big tree the workers start while the main thread is still listing and
 * scan the paths listed so far, so listing and scanning overlap.
 */
import type { Worker } from 'node:worker_threads';
import { scanClaimed, type BatchResult, type FilePath, type FileScanOptions } from './batch.js';
import type { PathsMessage } from './scan-worker.js';

/**
 * Below this many files one thread is faster. Measured here (2 cores, page cache warm): a worker is ready to
 * scan ~34 ms after it is created (core loaded), and one thread scans a 10 KB source file in ~19 µs, so a
 * worker pays for itself from about 34 ms / 19 µs ≈ 1,800 files on. A normal project stays on one thread.
 */
const PARALLEL_MIN_FILES = 2000;

/** Paths are sent to the workers in slices of this many while the listing runs. */
const SLICE = 1024;

/** A listed file: its path, and its path's bytes when they are not valid UTF-8. */
export interface PoolFile {
  path: string;
  bytes?: Uint8Array;
}

const toOpen = (f: PoolFile): FilePath => f.bytes ?? f.path;

export class ScanPool {
  private readonly counter = new Int32Array(new SharedArrayBuffer(4));
  private readonly workers: Array<{ worker: Worker; result: Promise<BatchResult> }> = [];
  private readonly threads: number;
  private readonly forced: boolean;
  private sent = 0;

  constructor(private readonly options: FileScanOptions) {
    const env = Number(process.env.STATALOG_SCAN_THREADS);
    this.forced = Number.isInteger(env) && env > 0;
    this.threads = this.forced
      ? env
      : Math.max(1, Math.min(process.getBuiltinModule('node:os').availableParallelism(), 8));
  }

  /** Called as the listing grows (`paths` is the list so far, in its final order). */
  listed(paths: readonly PoolFile[]): void {
    if (this.workers.length === 0 && (this.forced || paths.length >= PARALLEL_MIN_FILES)) this.start();
    if (this.workers.length > 0 && paths.length - this.sent >= SLICE) this.send(paths, false);
  }

  private start(): void {
    // node:worker_threads is loaded here, not with the program: a run that never starts a thread (a pre-commit
    // hook, a small tree) does not pay its ~3 ms of start-up
    const { Worker } = process.getBuiltinModule('node:worker_threads');
    for (let i = 1; i < this.threads; i++) {
      const worker = new Worker(new URL('./scan-worker.js', import.meta.url), {
        workerData: { counter: this.counter.buffer, options: this.options },
      });
      // the result is the worker's one message: taken as it arrives, while the thread still tears its isolate
      // down (5-17 ms measured), not at its exit; a thread that stops without sending it fails the scan
      const result = new Promise<BatchResult>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
        worker.once('exit', (code) => reject(new Error(`scan worker stopped (exit code ${code})`)));
      });
      this.workers.push({ worker, result });
    }
  }

  private send(paths: readonly PoolFile[], done: boolean): void {
    const message: PathsMessage = { paths: paths.slice(this.sent).map(toOpen), done };
    this.sent = paths.length;
    for (const { worker } of this.workers) worker.postMessage(message);
  }

  /** Stops workers that were started but will get no complete list. */
  async close(): Promise<void> {
    for (const { result } of this.workers) result.catch(() => undefined); // their "stopped" is expected now
    await Promise.all(this.workers.map(({ worker }) => worker.terminate()));
  }

  /** Scans the complete list on the main thread and the workers (if started); one result per thread. */
  async scan(paths: readonly PoolFile[]): Promise<BatchResult[]> {
    this.listed(paths);
    if (this.workers.length > 0) this.send(paths, true);
    // the main thread works too; it blocks while it does, and collects the workers' results afterwards
    const own = scanClaimed(paths.map(toOpen), this.counter, this.options);
    return [own, ...(await Promise.all(this.workers.map((w) => w.result)))];
  }
}
