/**
 * A worker thread: starts (and loads the core) while the main thread is still listing, then scans batches
 * claimed from the shared counter once the list arrives, and posts its result.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { scanClaimed, type FilePath, type ScanOptions } from './batch.js';

const { counter, options } = workerData as { counter: SharedArrayBuffer; options: ScanOptions };
parentPort!.once('message', (paths: FilePath[]) => {
  parentPort!.postMessage(scanClaimed(paths, new Int32Array(counter), options));
});
