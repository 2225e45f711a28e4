/**
 * A worker thread of the commit scan's step 2 (see `blob-triage.ts`): its own `git cat-file`, the same
 * `triage` as the main thread, verdicts posted back in batches. Only blobs that hold a secret travel back
 * whole; for the rest, a size and a flag.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { DetectSettings } from './added-secrets.js';
import { BlobReader } from './blob-reader.js';
import { triage, type FromWorker, type ToWorker } from './blob-triage.js';

const { cwd, settings } = workerData as { cwd: string; settings: DetectSettings };
const port = parentPort!;
const reader = new BlobReader(cwd, { streaming: true });
let out: Extract<FromWorker, { type: 'verdicts' }> = { type: 'verdicts', clean: [], hits: [], missing: [] };
let scheduled = false;

function post(): void {
  scheduled = false;
  if (out.clean.length + out.hits.length + out.missing.length === 0) return;
  port.postMessage(out, out.hits.map(([, , content]) => content.buffer as ArrayBuffer));
  out = { type: 'verdicts', clean: [], hits: [], missing: [] };
}

port.on('message', (msg: ToWorker) => {
  if (msg.type === 'read') {
    for (const oid of msg.oids) {
      reader.read(oid, (content) => {
        const verdict = triage(content, settings);
        if (verdict.kind === 'clean') out.clean.push([oid, verdict.bytes, verdict.binary]);
        else if (verdict.kind === 'missing') out.missing.push(oid);
        else out.hits.push([oid, verdict.binary, new Uint8Array(verdict.content)]); // a copy: it is transferred
        if (!scheduled) {
          scheduled = true;
          setImmediate(post);
        }
      });
    }
  } else {
    reader.end().then(
      () => {
        post();
        port.postMessage({ type: 'ended' } satisfies FromWorker);
      },
      (error: Error) => port.postMessage({ type: 'error', message: error.message } satisfies FromWorker),
    );
  }
});
