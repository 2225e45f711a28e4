/**
 * The commit scan's second thread: step 3 (`addedSecrets`, content/added.ts) for batches of (commit, path)
 * pairs whose parents are known, while the main thread still reads the log and the blobs (added-credit.ts).
 * Each batch comes as one transferred buffer holding every content it needs; the answer is the secrets each
 * pair added, by the pair's index in the batch.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { addedSecrets, encodedFields, type LocatedMatch } from '@statalog/core';

export interface CreditBatch {
  bytes: ArrayBuffer;
  pairs: Array<{ path: string; content: [number, number]; parents: Array<[number, number] | undefined> }>;
}

export interface CreditAnswer {
  /** Per pair of the batch (same order), what `addedSecrets` found. */
  matches: Array<
    Array<Pick<LocatedMatch, 'ruleId' | 'line' | 'column' | 'secret' | 'allowed' | 'encoding' | 'length'>>
  >;
}

const detect = workerData as { selfHostedHosts: readonly string[]; includeExamples: boolean };
const port = parentPort!;

port.on('message', (batch: CreditBatch | null) => {
  if (batch === null) return port.close(); // nothing keeps the thread alive after this
  const all = new Uint8Array(batch.bytes);
  const view = ([from, to]: [number, number]): Uint8Array => all.subarray(from, to);
  const answer: CreditAnswer = {
    matches: batch.pairs.map(({ path, content, parents }) =>
      addedSecrets(
        path,
        view(content),
        parents.map((p) => (p ? view(p) : undefined)),
        detect,
      ).matches.map((m) => ({
        ruleId: m.ruleId,
        line: m.line,
        column: m.column,
        secret: m.secret,
        ...(m.allowed ? { allowed: true as const } : {}),
        ...encodedFields(m),
      })),
    ),
  };
  port.postMessage(answer);
});
