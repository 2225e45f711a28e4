/**
 * A worker thread. It starts (and loads the core) while the main thread is still listing, and scans the
 * paths it has been sent so far — batches claimed from the shared counter — while more arrive; when the list
 * is complete and the counter has reached its end, it posts its result.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { claim, emptyResult, scanRange, type FilePath, type FileScanOptions } from './batch.js';
import { FileScanner } from './scan-file.js';

export interface PathsMessage {
  paths: FilePath[];
  /** The last message: the list is complete. */
  done: boolean;
}

const { counter: shared, options } = workerData as { counter: SharedArrayBuffer; options: FileScanOptions };
const counter = new Int32Array(shared);
const port = parentPort!;
const known: FilePath[] = [];
let done = false;
let wake: (() => void) | undefined;

const onMessage = (message: PathsMessage): void => {
  for (const path of message.paths) known.push(path);
  if (message.done) done = true;
  wake?.();
};
port.on('message', onMessage);

const scanner = new FileScanner(options);
const result = emptyResult();
for (;;) {
  const first = claim(counter, known.length);
  if (first !== -1) {
    scanRange(known, first, scanner, result);
    continue;
  }
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- the message handler sets it
  if (done) break;
  await new Promise<void>((resolve) => (wake = resolve)); // more paths, or the end of the list
  wake = undefined;
}
port.off('message', onMessage); // nothing keeps the thread alive after this
port.postMessage(result);
