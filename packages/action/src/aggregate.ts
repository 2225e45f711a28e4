/**
 * Hits (a secret at a place in a commit) become findings through core's `OriginIndex`, as in `--range` and
 * `--history`: one per rule + file + secret, however many commits added it, carrying the oldest commit that
 * did and how many times it was added.
 */
import { compareFindings, OriginIndex, type Finding, type FindingInput } from '@statalog/core';
import type { CommitRef } from './commits.js';

export interface CommitHits {
  /** Undefined for tree scans (no history). */
  commit: CommitRef | undefined;
  /** The secrets it added, where each sits in the new content. */
  hits: FindingInput[];
  /** Files this commit renamed, to follow a finding's file to its path at head. */
  renames?: Array<{ from: string; to: string }>;
}

/** `scans` must be oldest first: the first commit that adds a secret is the one that introduced it. */
export function aggregate(scans: readonly CommitHits[]): Finding[] {
  const index = new OriginIndex();
  scans.forEach(({ commit, hits }, i) => {
    // the index counts a larger age as older; scans run oldest first
    for (const hit of [...hits].sort((a, b) => a.line - b.line || a.column - b.column))
      index.add(hit, commit, scans.length - i);
  });
  return index.findings().sort(compareFindings);
}
