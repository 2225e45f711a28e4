/**
 * Step 2 of the commit scan: reading each new blob once and sorting it into "holds a secret" (kept for step
 * 3) or "clean" (forgotten). Small scans do it on the main thread; once a scan has asked for more than
 * `PARALLEL_AFTER` blobs, new blobs go to worker threads — each with its own `git cat-file` — so that a long
 * history uses every core (two workers at most: past that, the main thread's parsing of `git log` is the
 * limit). Blobs are routed by path, so the versions of a file meet git's delta cache in one process.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { detect } from '@statalog/core';
import { decode, isBinary, mayHoldSecret, type DetectSettings } from './added-secrets.js';
import { BlobReader } from './blob-reader.js';
import { GitScanError } from './exec.js';

export type Verdict =
  | { kind: 'clean'; bytes: number; binary: boolean }
  | { kind: 'hit'; bytes: number; binary: boolean; content: Buffer }
  | { kind: 'missing' };

/** The loosest syntax finds everything any path's syntax would; step 3 is exact per path. */
export function triage(content: Buffer | undefined, settings: DetectSettings): Verdict {
  if (content === undefined) return { kind: 'missing' };
  const binary = isBinary(content);
  const bytes = content.length;
  if (mayHoldSecret(content, binary) && detect(decode(content, binary), { ...settings, syntax: 'config', cloudOnly: binary }).length > 0)
    return { kind: 'hit', bytes, binary, content };
  return { kind: 'clean', bytes, binary };
}

export type VerdictHandler = (oid: string, verdict: Verdict) => void;

const PARALLEL_AFTER = 2000;
/** Requests go to a worker in batches of this many (or at the end of the tick). */
const BATCH = 256;

export class BlobTriage {
  private readonly local: BlobReader;
  private workers: TriageWorker[] | undefined;
  private requested = 0;
  private readonly maxWorkers: number;

  constructor(
    private readonly cwd: string,
    private readonly settings: DetectSettings,
    private readonly onVerdict: VerdictHandler,
    /** Called when answers arrive (for flow control). */
    private readonly onAnswer: () => void,
  ) {
    this.local = new BlobReader(cwd, { streaming: true });
    this.local.onProgress = onAnswer;
    this.maxWorkers = Math.min(2, availableParallelism());
  }

  get pending(): number {
    return this.local.pending + (this.workers?.reduce((n, w) => n + w.pending, 0) ?? 0);
  }

  request(oid: string, path: string): void {
    if (++this.requested > PARALLEL_AFTER && this.maxWorkers > 1) {
      this.workers ??= Array.from({ length: this.maxWorkers }, () => new TriageWorker(this.cwd, this.settings, this.onVerdict, this.onAnswer));
      this.workers[pathBucket(path, this.workers.length)]!.request(oid);
      return;
    }
    this.local.read(oid, (content) => this.onVerdict(oid, triage(content, this.settings)));
  }

  async end(): Promise<void> {
    await Promise.all([this.local.end(), ...(this.workers ?? []).map((w) => w.end())]);
  }

  kill(): void {
    this.local.kill();
    for (const w of this.workers ?? []) w.kill();
  }
}

/** The same bucket for every version of a path. */
function pathBucket(path: string, buckets: number): number {
  let h = 0;
  for (let i = 0; i < path.length; i++) h = (h * 31 + path.charCodeAt(i)) | 0;
  return (h >>> 0) % buckets;
}

/** Messages between `TriageWorker` and `blob-worker.ts`. */
export type ToWorker = { type: 'read'; oids: string[] } | { type: 'end' };
export type FromWorker =
  | { type: 'verdicts'; clean: Array<[oid: string, bytes: number, binary: boolean]>; hits: Array<[oid: string, binary: boolean, content: Uint8Array]>; missing: string[] }
  | { type: 'ended' }
  | { type: 'error'; message: string };

class TriageWorker {
  private readonly worker: Worker;
  private batch: string[] = [];
  private sent = 0;
  private answered = 0;
  private readonly done: Promise<void>;
  private ended = false;

  constructor(cwd: string, settings: DetectSettings, onVerdict: VerdictHandler, onAnswer: () => void) {
    this.worker = new Worker(new URL('./blob-worker.js', import.meta.url), { workerData: { cwd, settings } });
    this.done = new Promise((resolve, reject) => {
      this.worker.on('message', (msg: FromWorker) => {
        if (msg.type === 'verdicts') {
          for (const [oid, bytes, binary] of msg.clean) onVerdict(oid, { kind: 'clean', bytes, binary });
          for (const [oid, binary, content] of msg.hits)
            onVerdict(oid, { kind: 'hit', bytes: content.length, binary, content: Buffer.from(content.buffer, content.byteOffset, content.length) });
          for (const oid of msg.missing) onVerdict(oid, { kind: 'missing' });
          this.answered += msg.clean.length + msg.hits.length + msg.missing.length;
          onAnswer();
        } else if (msg.type === 'ended') resolve();
        else reject(new GitScanError(msg.message));
      });
      this.worker.on('error', reject);
      this.worker.on('exit', (code) => {
        if (!this.ended || code !== 0) reject(new GitScanError(`a scanning thread stopped unexpectedly (exit code ${code})`));
      });
    });
    this.done.catch(() => {}); // surfaced by end()
  }

  get pending(): number {
    return this.sent + this.batch.length - this.answered;
  }

  request(oid: string): void {
    if (this.batch.push(oid) === 1) process.nextTick(() => this.flush());
    else if (this.batch.length >= BATCH) this.flush();
  }

  private flush(): void {
    if (this.batch.length === 0) return;
    this.sent += this.batch.length;
    this.worker.postMessage({ type: 'read', oids: this.batch } satisfies ToWorker);
    this.batch = [];
  }

  async end(): Promise<void> {
    this.flush();
    this.ended = true;
    this.worker.postMessage({ type: 'end' } satisfies ToWorker);
    await this.done;
    await this.worker.terminate();
  }

  kill(): void {
    this.ended = true;
    void this.worker.terminate();
  }
}
