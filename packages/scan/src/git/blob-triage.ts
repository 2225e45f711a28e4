/**
 * Step 2 of the commit scan: reading each new blob once and sorting it into "an anchor survived the
 * prefilter" (kept for step 3, which runs `detect` on the pairs that need it) or "clean" (forgotten).
 *
 * Only the prefilter runs here, not `detect`: nine blobs in ten are forgotten by it, and of the rest step 3
 * runs `detect` once per (commit, path) with the path's syntax — where a verdict here would have run it for
 * both syntaxes and step 3 once more.
 *
 * One `git cat-file` and this thread. Worker threads (each with its own `cat-file`) were measured on the
 * 20,000-commit benchmark and lost on two cores: `git log` and `cat-file` already keep the second core busy,
 * and each worker costs ~150 ms of start-up and message passing. A second `cat-file` alone costs more CPU
 * than it saves (the two miss each other's delta cache).
 */
import { contentViews, sniff } from '@statalog/core';
import { BlobReader } from './blob-reader.js';

export type Verdict = { kind: 'clean' } | { kind: 'kept'; binary: boolean; content: Buffer } | { kind: 'missing' };

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
export function triage(content: Buffer): { kept: boolean; binary: boolean } {
  const sniffed = sniff(content);
  return { kept: contentViews(content, sniffed).length > 0, binary: sniffed.kind === 'binary' };
}

export class BlobTriage {
  private readonly reader: BlobReader;

  constructor(
    cwd: string,
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
      // a kept blob is copied out of the 64 KiB pipe chunk it came in, which could otherwise never be freed
      this.handlers.verdict(oid, kept ? { kind: 'kept', binary, content: Buffer.from(content) } : { kind: 'clean' });
    });
  }

  end(): Promise<void> {
    return this.reader.end();
  }

  kill(): void {
    this.reader.kill();
  }
}
