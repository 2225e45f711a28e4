/** A worker thread: scans batches claimed from the shared counter until none are left. */
import { parentPort, workerData } from 'node:worker_threads';
import { scanClaimed, type ScanOptions } from './batch.js';

const { paths, counter, options } = workerData as { paths: string[]; counter: SharedArrayBuffer; options: ScanOptions };
parentPort!.postMessage(scanClaimed(paths, new Int32Array(counter), options));
