/**
 * One finding per rule + file + secret, however many commits added it: the oldest commit that did, and how
 * many times it was added. `--range`, `--history` and the Action aggregate through this one index.
 */
import { createFinding, withFields, type Finding } from '../finding.js';
import type { RuleId } from '../rules.js';

export interface OriginCommit {
  sha: string;
  author: string;
  /** ISO 8601 author date. */
  date: string;
}

export interface AddedHit {
  ruleId: RuleId;
  file: string;
  line: number;
  column: number;
  secret: string;
}

/** How many hex digits of a commit id are shown to people, in every door and output. */
export const SHORT_SHA_LENGTH = 12;

export function shortSha(sha: string): string {
  return sha.slice(0, SHORT_SHA_LENGTH);
}

export class OriginIndex {
  private readonly byKey = new Map<string, { finding: Finding; age: number; occurrences: number }>();

  /**
   * Records that `commit` added `hit`. `age` orders commits: a larger age is an OLDER commit (git log lists
   * newest first, so its sequence number is the age). Ties keep the first one recorded.
   */
  add(hit: AddedHit, commit: OriginCommit | undefined, age: number): void {
    const finding = createFinding(hit);
    const key = finding.fingerprint;
    const seen = this.byKey.get(key);
    if (seen === undefined || age > seen.age) {
      const origin = commit ? withFields(finding, { commit: commit.sha, author: commit.author, date: commit.date }) : finding;
      this.byKey.set(key, { finding: origin, age, occurrences: (seen?.occurrences ?? 0) + 1 });
    } else seen.occurrences++;
  }

  get size(): number {
    return this.byKey.size;
  }

  /** The findings, with `occurrences` on those that came from commits. */
  findings(): Finding[] {
    return [...this.byKey.values()].map(({ finding, occurrences }) => (finding.commit === undefined ? finding : withFields(finding, { occurrences })));
  }
}
