/**
 * Step 2 of the commit scan: reading each new blob once and sorting it into "an anchor survived the
 * prefilter" (kept for step 3, which runs `detect` on the pairs that need it) or "clean" (forgotten).
 *
 * Only the prefilter runs here, not `detect`: nine blobs in ten are forgotten by it, and of the rest step 3
 * runs `detect` once per (commit, path) with the path's syntax — where a verdict here would have run it for
 * both syntaxes and step 3 once more. Kept blobs stay in memory until step 3, so past KEEP_UNJUDGED_BYTES of
 * them (a history where most files mention Statalog) `detect` does run here, and only blobs holding a secret
 * are kept: memory stays bounded by the secrets, as it was before this shortcut.
 *
 * One `git cat-file` and this thread. Worker threads (each with its own `cat-file`) were measured on the
 * 20,000-commit benchmark and lost on two cores: `git log` and `cat-file` already keep the second core busy,
 * and each worker costs ~150 ms of start-up and message passing. A second `cat-file` alone costs more CPU
 * than it saves (the two miss each other's delta cache).
 */
import { contentViews, mayContainSecret, sniff } from '@statalog/core';
import type { ModeContext } from '../modes.js';
import { BlobReader } from './blob-reader.js';

/** `secret`: set when `detect` already ran here (past the memory budget); then always true. */
export type Verdict =
  { kind: 'clean' } | { kind: 'kept'; binary: boolean; content: Buffer; secret?: true } | { kind: 'missing' };

/** Bytes of blobs kept without a `detect` verdict, at most. */
export const KEEP_UNJUDGED_BYTES = 64 * 1024 * 1024;

export interface TriageHandlers {
  verdict(oid: string, verdict: Verdict): void;
  /** What was read, for the stats. */
  read(bytes: number, binary: boolean): void;
  /** Answers arrived: outstanding requests went down (for flow control). */
  answered(): void;
}

/**
 * Whether `detect` may find anything in a blob: core's `contentViews` (every encoding, the binary rule, the
 * byte prefilter) leaves something to read. Exact for every path is step 3.
 */
function triage(content: Buffer): { kept: boolean; binary: boolean } {
  const sniffed = sniff(content);
  return { kept: contentViews(content, sniffed).length > 0, binary: sniffed.kind === 'binary' };
}

export class BlobTriage {
  private readonly reader: BlobReader;
  private unjudged = 0;

  constructor(
    cwd: string,
    private readonly settings: ModeContext['detect'],
    private readonly budget: number,
    private readonly handlers: TriageHandlers,
  ) {
    this.reader = new BlobReader(cwd, { streaming: true });
    this.reader.onProgress = () => handlers.answered();
  }

  get pending(): number {
    return this.reader.pending;
  }

  request(oid: string): void {
    this.reader.read(oid, (content) => {
      if (content === undefined) return this.handlers.verdict(oid, { kind: 'missing' });
      const { kept, binary } = triage(content);
      this.handlers.read(content.length, binary);
      if (!kept) return this.handlers.verdict(oid, { kind: 'clean' });
      let secret: true | undefined;
      if (this.unjudged + content.length <= this.budget) this.unjudged += content.length;
      else if (mayContainSecret(content, this.settings)) secret = true;
      else return this.handlers.verdict(oid, { kind: 'clean' });
      // a kept blob is copied out of the 64 KiB pipe chunk it came in, which could otherwise never be freed
      this.handlers.verdict(oid, {
        kind: 'kept',
        binary,
        content: Buffer.from(content),
        ...(secret ? { secret } : {}),
      });
    });
  }

  end(): Promise<void> {
    return this.reader.end();
  }

  kill(): void {
    this.reader.kill();
  }
}
