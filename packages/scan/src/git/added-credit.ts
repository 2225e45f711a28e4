/**
 * Steps 3 and 4 of the commit scan (commit-scan.ts): `detect` on the (commit, path) pairs whose new blob step 2
 * kept, the secrets on the lines each pair adds (core's `addedSecrets`), each credited to the oldest commit
 * that added it (`OriginIndex`).
 *
 * A pair can be credited as soon as its parents' blobs have their step-2 verdict, and in a long history most
 * are ready while git is still listing older commits. Until the log ends the main thread mostly waits for
 * `git cat-file`, and the machine's other core has time to spare — but work done on the main thread then only
 * stalls the pipes (git blocks on a full pipe). So past WORKER_AFTER ready pairs a second thread
 * (credit-worker.ts) takes them in batches while the log is read, and what is left when step 2 ends — pairs
 * whose parent no scanned commit listed (the base side of a range), batches the thread had no room for — is
 * done on the main thread while the thread finishes its own. A short history never starts the thread, nor does
 * a build without the thread's script (the Action's one-file bundle).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { addedSecrets, findingInputOf, mayContainSecret, OriginIndex, sniff } from '@statalog/core';
import type { ModeContext } from '../modes.js';
import { BlobReader } from './blob-reader.js';
import type { CreditAnswer, CreditBatch } from './credit-worker.js';
import type { CommitHeader, RawChange } from './raw-diff.js';

export interface Entry {
  seq: number;
  commit: CommitHeader;
  change: RawChange;
}

/**
 * `kept`: an anchor survived the prefilter; `secret` says, once asked (by step 2 past its memory budget, or of
 * a binary blob's parent here), whether `detect` finds a secret in it under either syntax.
 */
export type BlobState =
  { kind: 'pending'; entries: Entry[] } | { kind: 'clean' } | { kind: 'kept'; content: Buffer; secret?: boolean };
export const CLEAN: BlobState = { kind: 'clean' };

/** What a path of the repository is to the scan: excluded by the config, and how findings name it. */
export type PathInfo = (path: string) => { ignored: boolean; file: string };

/** Ready pairs seen before the second thread starts: below this a history is done on the main thread. */
const WORKER_AFTER = 512;
/** Pairs per batch sent to the thread, and batches it may hold at once (the rest wait for the main thread). */
const WORKER_BATCH = 128;
const WORKER_QUEUE = 2;
/** Pairs per batch of parent-blob reads on the main thread. */
const DIFF_BATCH = 256;

export class AddedCredit {
  private readonly found = new OriginIndex();
  /** Pairs whose parent blob (the key) has no verdict yet: pending in step 2, or not listed so far. */
  private readonly waiting = new Map<string, Entry[]>();
  private ready: Entry[] = [];
  private seenReady = 0;
  private thread: CreditThread | undefined;
  private readonly workerAfter: number;
  private readonly batch: number;

  constructor(
    private readonly ctx: ModeContext,
    private readonly blobs: ReadonlyMap<string, BlobState>,
    private readonly pathInfo: PathInfo,
  ) {
    // STATALOG_HISTORY_CREDIT_THREAD: 1 sends every pair to the thread, 0 never starts it (tests take both paths).
    // Otherwise the thread needs a core of its own: `git log`, `git cat-file` and the main thread keep three busy.
    // On the 2-core bench machine, quiet, the thread cost 1.02x wall and 1.10x CPU and 23 MB (9 pairs, 20,000
    // commits): there it never starts.
    const env = process.env.STATALOG_HISTORY_CREDIT_THREAD;
    const freeCore = process.getBuiltinModule('node:os').availableParallelism() >= 4;
    const never = env === '0' || (env !== '1' && !freeCore) || CreditThread.script === undefined;
    this.workerAfter = never ? Number.POSITIVE_INFINITY : env === '1' ? 0 : WORKER_AFTER;
    this.batch = env === '1' ? 1 : WORKER_BATCH;
  }

  /** A pair whose new blob step 2 kept. */
  add(entry: Entry): void {
    const blocker = this.unresolvedParent(entry);
    if (blocker === undefined) return this.enqueue(entry);
    const entries = this.waiting.get(blocker);
    if (entries) entries.push(entry);
    else this.waiting.set(blocker, [entry]);
  }

  /** Step 2 gave `oid` its verdict: the pairs waiting for it may be ready. */
  resolved(oid: string): void {
    const entries = this.waiting.get(oid);
    if (entries === undefined) return;
    this.waiting.delete(oid);
    for (const entry of entries) this.add(entry);
  }

  /** After step 2: everything left, on this thread, while the second thread finishes its batches. */
  async finish(): Promise<OriginIndex> {
    try {
      const rest = this.ready;
      this.ready = [];
      for (const entries of this.waiting.values()) for (const entry of entries) rest.push(entry);
      this.waiting.clear();
      await this.creditHere(rest);
      const unanswered = (await this.thread?.end()) ?? [];
      if (unanswered.length > 0) await this.creditHere(unanswered);
    } catch (error) {
      this.kill();
      throw error;
    }
    return this.found;
  }

  /** Pairs credited on the main thread, reading the parents no scanned commit listed. */
  private async creditHere(entries: readonly Entry[]): Promise<void> {
    let parentReader: BlobReader | undefined; // started only if some parent was never seen
    for (let i = 0; i < entries.length; i += DIFF_BATCH) {
      const batch = entries.slice(i, i + DIFF_BATCH);
      const unseen = new Set<string>();
      for (const e of batch)
        for (const b of e.change.parentBlobs) if (b !== undefined && !this.blobs.has(b)) unseen.add(b);
      const fetched =
        unseen.size > 0
          ? await readBlobs((parentReader ??= new BlobReader(this.ctx.cwd)), unseen)
          : new Map<string, Buffer>();
      for (const entry of batch) {
        const content = this.keptContent(entry);
        const parents = entry.change.parentBlobs.map((b) =>
          this.parentBytes(b, fetched, sniff(content).kind !== 'utf8'),
        );
        this.credit(entry, addedSecrets(entry.change.path, content, parents, this.ctx.detect).matches);
      }
    }
    await parentReader?.end();
  }

  /** Stops the second thread without waiting (after an error elsewhere). */
  kill(): void {
    this.thread?.kill();
  }

  private credit(entry: Entry, matches: CreditAnswer['matches'][number]): void {
    const file = this.pathInfo(entry.change.path).file;
    // 4: git log lists newest first, so a larger seq is an older commit
    for (const m of matches) {
      this.found.add(findingInputOf(m, file), entry.commit, entry.seq);
    }
  }

  private unresolvedParent(entry: Entry): string | undefined {
    for (const b of entry.change.parentBlobs) {
      if (b === undefined) continue;
      const known = this.blobs.get(b);
      if (known === undefined || known.kind === 'pending') return b;
    }
    return undefined;
  }

  private enqueue(entry: Entry): void {
    this.ready.push(entry);
    this.seenReady++;
    if (this.seenReady < this.workerAfter || this.ready.length < this.batch) return;
    this.thread ??= new CreditThread(CreditThread.script!, this.ctx.detect, (entries, answer) =>
      entries.forEach((e, i) => this.credit(e, answer.matches[i]!)),
    );
    if (this.thread.queued >= WORKER_QUEUE) return; // the main thread takes them at the end
    this.thread.post(this.ready, this.packBatch(this.ready));
    this.ready = [];
  }

  private keptContent(entry: Entry): Buffer {
    return (this.blobs.get(entry.change.blob!) as { kind: 'kept'; content: Buffer }).content;
  }

  /**
   * A parent's bytes to compare with; undefined when the parent holds no secret, so every secret here is new.
   * Whether a kept parent holds one costs a `detect` of its own, and for text it need not be asked: core
   * compares a parent only when it holds one of the new secrets, and then runs the rules on it anyway. Binary
   * content (and UTF-16, which is also read as binary) compares bytes only, so there (`exact`) it is asked: a
   * parent holding the key's bytes where no rule finds a key must count as holding nothing.
   */
  private parentBytes(
    oid: string | undefined,
    fetched: ReadonlyMap<string, Buffer> | undefined,
    exact: boolean,
  ): Buffer | undefined {
    if (oid === undefined) return undefined;
    const known = this.blobs.get(oid);
    if (known?.kind === 'kept')
      return !exact || (known.secret ??= mayContainSecret(known.content, this.ctx.detect)) ? known.content : undefined;
    // a blob the prefilter forgot holds no secret: nothing to compare with
    return known?.kind === 'clean' ? undefined : fetched?.get(oid);
  }

  /** The pairs' contents packed into one buffer (each blob once), to be transferred, not copied, to the thread. */
  private packBatch(entries: readonly Entry[]): CreditBatch {
    const ranges = new Map<string, [number, number]>();
    const parts: Buffer[] = [];
    let size = 0;
    const place = (oid: string, bytes: Buffer): [number, number] => {
      let range = ranges.get(oid);
      if (range === undefined) {
        ranges.set(oid, (range = [size, size + bytes.length]));
        parts.push(bytes);
        size += bytes.length;
      }
      return range;
    };
    const pairs = entries.map((entry) => {
      const content = this.keptContent(entry);
      const exact = sniff(content).kind !== 'utf8';
      const parents = entry.change.parentBlobs.map((b) => {
        const bytes = this.parentBytes(b, undefined, exact);
        return bytes ? place(b!, bytes) : undefined;
      });
      return { path: entry.change.path, content: place(entry.change.blob!, content), parents };
    });
    const all = new Uint8Array(size);
    let at = 0;
    for (const part of parts) {
      all.set(part, at);
      at += part.length;
    }
    return { bytes: all.buffer, pairs };
  }
}

/**
 * The second thread: batches in, answers out in the same order. If it fails, the batches it did not answer are
 * handed back and credited on the main thread: the thread only ever saves time.
 */
class CreditThread {
  /** The worker's script; undefined in a bundle that does not ship it (the Action's): then one thread. */
  static readonly script: URL | undefined = (() => {
    try {
      const url = new URL('./credit-worker.js', import.meta.url);
      return existsSync(fileURLToPath(url)) ? url : undefined;
    } catch {
      return undefined;
    }
  })();

  private readonly worker: Worker;
  private readonly inFlight: Entry[][] = [];
  private failed = false;
  private drained: (() => void) | undefined;

  constructor(
    script: URL,
    detect: ModeContext['detect'],
    private readonly answered: (entries: Entry[], answer: CreditAnswer) => void,
  ) {
    // loaded here, not with the program (see files/pool.ts)
    const { Worker } = process.getBuiltinModule('node:worker_threads');
    this.worker = new Worker(script, {
      workerData: { selfHostedHosts: [...detect.selfHostedHosts], includeExamples: detect.includeExamples },
    });
    this.worker.on('message', (answer: CreditAnswer) => {
      this.answered(this.inFlight.shift()!, answer);
      if (this.inFlight.length === 0) this.drained?.();
    });
    this.worker.on('error', () => this.fail());
    this.worker.on('exit', () => this.fail());
  }

  /** Batches sent and not answered; Infinity once the thread failed (send it nothing more). */
  get queued(): number {
    return this.failed ? Number.POSITIVE_INFINITY : this.inFlight.length;
  }

  post(entries: Entry[], batch: CreditBatch): void {
    this.inFlight.push(entries);
    this.worker.postMessage(batch, [batch.bytes]);
  }

  /** Waits for the answers; returns the pairs of batches a failed thread never answered. */
  async end(): Promise<Entry[]> {
    if (this.inFlight.length > 0 && !this.failed) await new Promise<void>((resolve) => (this.drained = resolve));
    if (this.failed) void this.worker.terminate();
    else this.worker.postMessage(null);
    return this.inFlight.splice(0).flat();
  }

  kill(): void {
    void this.worker.terminate();
  }

  private fail(): void {
    this.failed = true;
    this.drained?.();
  }
}

/** Blobs step 2 never saw (the base side of a range), from one long-lived `cat-file`. */
async function readBlobs(reader: BlobReader, oids: ReadonlySet<string>): Promise<Map<string, Buffer>> {
  const contents = new Map<string, Buffer>();
  await Promise.all(
    [...oids].map(async (oid) => {
      const content = await reader.readAsync(oid);
      if (content) contents.set(oid, content);
    }),
  );
  return contents;
}
