/**
 * Hits (a secret at a place in a commit) become findings: one per rule + file + secret, however many
 * commits added it, carrying the oldest commit that did and how many times it was added.
 */
import { compareFindings, createFinding, fingerprint, secretHash, withFields, type Finding } from '@statalog/core';
import type { CommitRef } from './commits.js';
import type { Hit } from './patch.js';

export interface CommitHits {
  /** Undefined for tree scans (no history). */
  commit: CommitRef | undefined;
  hits: Hit[];
  /** Files this commit renamed, to follow a finding's file to its path at head. */
  renames?: Array<{ from: string; to: string }>;
}

/** `scans` must be oldest first: the first commit that adds a secret is the one that introduced it. */
export function aggregate(scans: readonly CommitHits[]): Finding[] {
  const byKey = new Map<string, { hit: Hit; commit: CommitRef | undefined; occurrences: number }>();
  for (const { commit, hits } of scans) {
    for (const hit of [...hits].sort((a, b) => a.line - b.line || a.column - b.column)) {
      const key = fingerprint(hit.ruleId, hit.file, secretHash(hit.secret));
      const seen = byKey.get(key);
      if (seen) seen.occurrences++;
      else byKey.set(key, { hit, commit, occurrences: 1 });
    }
  }
  const findings = [...byKey.values()].map(({ hit, commit, occurrences }) => {
    const finding = createFinding({ ruleId: hit.ruleId, file: hit.file, line: hit.line, column: hit.column, secret: hit.secret });
    return commit ? withFields(finding, { commit: commit.sha, author: commit.author, date: commit.date, occurrences }) : finding;
  });
  return findings.sort(compareFindings);
}
