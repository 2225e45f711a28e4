/**
 * One finding per rule + file + secret, however many commits added it: the oldest commit that did, and how
 * many times it was added. `--range`, `--history` and the Action aggregate through this one index.
 */
import { createFinding, withFields, type Finding, type FindingInput } from '../finding.js';

export interface OriginCommit {
  sha: string;
  author: string;
  /** ISO 8601 author date. */
  date: string;
}

/** How many hex digits of a commit id are shown to people, in every door and output. */
const SHORT_SHA_LENGTH = 12;

export function shortSha(sha: string): string {
  return sha.slice(0, SHORT_SHA_LENGTH);
}

export class OriginIndex {
  private readonly byKey = new Map<string, { finding: Finding; age: number; occurrences: number; allowed: boolean }>();

  /**
   * Records that `commit` added `hit`. `age` orders commits: a larger age is an OLDER commit (git log lists
   * newest first, so its sequence number is the age). Ties keep the first one recorded.
   */
  add(hit: FindingInput, commit: OriginCommit | undefined, age: number): void {
    const finding = createFinding({ ...hit, allowed: false });
    const key = finding.fingerprint;
    const seen = this.byKey.get(key);
    // accepted inline only while every commit that added it marked it so
    const allowed = hit.allowed === true && (seen?.allowed ?? true);
    if (seen === undefined || age > seen.age) {
      const origin = commit
        ? withFields(finding, { commit: commit.sha, author: commit.author, date: commit.date })
        : finding;
      this.byKey.set(key, { finding: origin, age, occurrences: (seen?.occurrences ?? 0) + 1, allowed });
    } else {
      seen.occurrences++;
      seen.allowed = allowed;
    }
  }

  /** The findings, with `occurrences` on those that came from commits and `inlineAllowed` on accepted ones. */
  findings(): Finding[] {
    return [...this.byKey.values()].map(({ finding, occurrences, allowed }) =>
      finding.commit === undefined && !allowed
        ? finding
        : withFields(finding, {
            ...(finding.commit !== undefined ? { occurrences } : {}),
            ...(allowed ? { inlineAllowed: true as const } : {}),
          }),
    );
  }
}
