/**
 * A `git cat-file --batch` process: blob ids in, contents out, in request order. One process reads any number
 * of blobs, so scanning ten files or a hundred thousand costs one spawn. Requests made in the same tick go
 * to git in one write.
 *
 * `streaming` (the history scan) adds `--buffer`: git fills whole pipe buffers instead of flushing after each
 * object, and the last answers arrive when `end()` closes its input. Without it every answer comes as soon as
 * it is ready, so a caller can await a batch and then ask for the next one on the same process.
 */
import { GitScanError, spawnGit, type GitChild } from './exec.js';

export type BlobCallback = (content: Buffer | undefined) => void;

/** git 2.39 has no GIT_NO_LAZY_FETCH: with every transport denied, cat-file dies on a missing blob of a partial clone. */
const PROMISOR_DEATH = /could not fetch ([0-9a-f]{40,64}) from promisor remote/;

export class BlobReader {
  private child!: GitChild;
  private readonly queue: BlobCallback[] = [];
  /** The oid asked for by each queued request (to ask a restarted cat-file again). */
  private readonly asked: string[] = [];
  private head = 0;
  /** Bytes received and not yet consumed. */
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** Size of the blob being received; -1 while waiting for a header. */
  private size = -1;
  private failure: Error | undefined;
  private readonly closed: Promise<void>;
  private settle!: { resolve: () => void; reject: (error: Error) => void };
  private stderr = '';
  private ended = false;
  /** Called whenever the number of outstanding requests drops (for flow control). */
  onProgress: (() => void) | undefined;

  private requests: string[] = [];

  constructor(
    private readonly cwd: string,
    private readonly options: { streaming?: boolean } = {},
  ) {
    this.closed = new Promise((resolve, reject) => {
      this.settle = { resolve, reject };
    });
    this.closed.catch(() => {}); // surfaced by end()
    this.start();
  }

  private start(): void {
    const streaming = this.options.streaming === true;
    // git owes an answer while a request is outstanding — with --buffer, only once its input has ended
    const child = spawnGit(this.cwd, ['cat-file', '--batch', ...(streaming ? ['--buffer'] : [])], {
      waiting: () => this.pending > 0 && (!streaming || this.ended),
    });
    this.child = child;
    this.stderr = '';
    child.stdout.on('data', (chunk: Buffer) => this.receive(chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      if (this.stderr.length < 4096) this.stderr += chunk.toString('utf8');
    });
    child.stdin.on('error', () => {}); // reported through the exit code below
    child.on('error', (error) =>
      this.settle.reject(new GitScanError(`git cat-file could not be started (${error.message})`)),
    );
    child.on('close', (code) => {
      if (child.timedOut !== undefined) this.settle.reject(new GitScanError(child.timedOut));
      else if (this.failure) this.settle.reject(this.failure);
      else if (code !== 0 && this.restartAfterMissing()) return;
      else if (code !== 0)
        this.settle.reject(
          new GitScanError(`git cat-file failed: ${this.firstStderrLine() || `exit code ${code ?? 'none (killed)'}`}`),
        );
      else if (this.pending > 0)
        this.settle.reject(new GitScanError('git cat-file ended before answering every request'));
      else this.settle.resolve();
    });
  }

  /**
   * cat-file died on the blob at the head of the queue because it is missing from a partial clone (and
   * fetching it is refused): that blob is answered as missing, and a new cat-file gets the requests after it.
   */
  /** git's first line of complaint, cut short: what an error message can quote. */
  private firstStderrLine(): string {
    return (this.stderr.split('\n', 1)[0] ?? '').slice(0, 200);
  }

  private restartAfterMissing(): boolean {
    const oid = PROMISOR_DEATH.exec(this.stderr)?.[1];
    if (oid === undefined || this.pending === 0 || this.asked[this.head] !== oid || this.size >= 0) return false;
    this.chunks = [];
    this.buffered = 0;
    this.deliver(undefined);
    this.start();
    const again = this.asked.slice(this.head); // the requests not yet flushed are among these
    this.requests = [];
    if (again.length > 0) this.child.stdin.write(`${again.join('\n')}\n`);
    if (this.ended) this.child.stdin.end();
    return true;
  }

  /** Outstanding requests. */
  get pending(): number {
    return this.queue.length - this.head;
  }

  /** Asks for a blob; `done` gets its bytes, or `undefined` when the object does not exist. */
  read(oid: string, done: BlobCallback): void {
    this.queue.push(done);
    this.asked.push(oid);
    if (this.requests.push(oid) === 1) process.nextTick(() => this.flush());
  }

  private flush(): void {
    if (this.requests.length === 0) return;
    this.child.stdin.write(`${this.requests.join('\n')}\n`);
    this.requests = [];
  }

  readAsync(oid: string): Promise<Buffer | undefined> {
    return new Promise((resolve) => this.read(oid, resolve));
  }

  /** No more requests: git flushes the remaining answers and exits. Rejects if anything went wrong. */
  end(): Promise<void> {
    this.ended = true;
    this.flush();
    this.child.stdin.end();
    return this.closed;
  }

  /** Stops git without waiting (after an error elsewhere). */
  kill(): void {
    this.child.kill();
  }

  private receive(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    try {
      while (this.step());
    } catch (error) {
      this.failure = error as Error;
      this.child.kill();
    }
    if (this.onProgress) this.onProgress();
  }

  /** Consumes one header or one blob if enough bytes are there; false when it needs more. */
  private step(): boolean {
    if (this.size < 0) {
      const nl = this.indexOfNewline();
      if (nl < 0) return false;
      const header = this.take(nl + 1).toString('latin1', 0, nl);
      const parts = header.split(' ');
      // `<name> missing`: a name may be `<commit>:<path>`, and a path may hold spaces
      if (header.endsWith(' missing') || header.endsWith(' ambiguous')) {
        this.deliver(undefined);
        return true;
      }
      const size = Number(parts[2]);
      if (parts.length !== 3 || !Number.isSafeInteger(size) || size < 0)
        throw new GitScanError('git cat-file answered with an unexpected header');
      this.size = size;
    }
    if (this.buffered < this.size + 1) return false;
    const content = this.take(this.size + 1).subarray(0, this.size); // + the newline git adds after each object
    this.size = -1;
    this.deliver(content);
    return true;
  }

  private deliver(content: Buffer | undefined): void {
    const done = this.queue[this.head];
    if (done === undefined) throw new GitScanError('git cat-file answered a request that was never made');
    this.queue[this.head] = undefined as unknown as BlobCallback;
    this.asked[this.head++] = '';
    if (this.head > 4096 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.asked.splice(0, this.head);
      this.head = 0;
    }
    done(content);
  }

  private indexOfNewline(): number {
    let offset = 0;
    for (const c of this.chunks) {
      const i = c.indexOf(0x0a);
      if (i >= 0) return offset + i;
      offset += c.length;
    }
    return -1;
  }

  /** Removes and returns the first `n` buffered bytes (copying only when they span chunks). */
  private take(n: number): Buffer {
    const first = this.chunks[0]!;
    let out: Buffer;
    if (first.length >= n) {
      out = first.subarray(0, n);
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
    } else {
      out = Buffer.allocUnsafe(n);
      let filled = 0;
      while (filled < n) {
        const c = this.chunks[0]!;
        const part = Math.min(c.length, n - filled);
        c.copy(out, filled, 0, part);
        filled += part;
        if (part === c.length) this.chunks.shift();
        else this.chunks[0] = c.subarray(part);
      }
    }
    this.buffered -= n;
    return out;
  }
}
