/**
 * Step 2 of the commit scan: reading each new blob once and sorting it into "holds a secret" (kept for step
 * 3) or "clean" (forgotten).
 *
 * One `git cat-file` and this thread. Worker threads (each with its own `cat-file`) were measured on the
 * 20,000-commit benchmark and lost on two cores: `git log` and `cat-file` already keep the second core busy,
 * and each worker costs ~150 ms of start-up and message passing. A second `cat-file` alone costs more CPU
 * than it saves (the two miss each other's delta cache).
 */
import { mayContainSecret, sniff } from '@statalog/core';
import { BlobReader } from './blob-reader.js';
import type { ModeContext } from '../modes.js';

type DetectSettings = ModeContext['detect'];

export type Verdict = { kind: 'clean' } | { kind: 'hit'; binary: boolean; content: Buffer } | { kind: 'missing' };

export interface TriageHandlers {
  verdict(oid: string, verdict: Verdict): void;
  /** What was read, for the stats. */
  read(bytes: number, binary: boolean): void;
  /** Answers arrived: outstanding requests went down (for flow control). */
  answered(): void;
}

/**
 * Whether a blob may hold a secret under any path's syntax (core's `mayContainSecret`: every encoding, the
 * binary rule, `config` and `code` together, since one blob may sit under paths of both kinds); step 3 is
 * exact per path.
 */
export function triage(content: Buffer, settings: DetectSettings): { hit: boolean; binary: boolean } {
  return { hit: mayContainSecret(content, settings), binary: sniff(content).kind === 'binary' };
}

export class BlobTriage {
  private readonly reader: BlobReader;

  constructor(
    cwd: string,
    private readonly settings: DetectSettings,
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
      const { hit, binary } = triage(content, this.settings);
      this.handlers.read(content.length, binary);
      // a kept blob is copied out of the 64 KiB pipe chunk it came in, which could otherwise never be freed
      this.handlers.verdict(oid, hit ? { kind: 'hit', binary, content: Buffer.from(content) } : { kind: 'clean' });
    });
  }

  end(): Promise<void> {
    return this.reader.end();
  }

  kill(): void {
    this.reader.kill();
  }
}
