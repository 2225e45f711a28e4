/** Everything the reports need about a finished scan. */
import type { AllowedFinding, BaselineEntry, Finding } from '@statalog/core';
import type { Coverage } from '../coverage.js';

export interface ActionReport {
  /** What was scanned, as a phrase: "pull request #12", "the commits pushed to main". */
  label: string;
  /** Findings to report (not accepted by the config or the baseline), sorted. */
  findings: Finding[];
  /** Accepted instead of reported — inline statalog:allow, allowedFingerprints, baseline — with how. */
  allowed: AllowedFinding[];
  /** Accepted by the baseline (also in `allowed`). */
  baselined: number;
  /** Baseline entries that matched nothing in a scan that read every file (tree scans only). */
  stale: BaselineEntry[];
  coverage: Coverage;
  /** GitHub API requests the run sent. */
  requests: number;
  /** `https://github.com/owner/repo`, for commit links; undefined when the server URL is unusable. */
  repoUrl: string | undefined;
  /** The config file's name, for the "what to do" text. */
  configFile: string;
  /** True when findings fail the step (the fail input). */
  failing: boolean;
  /** Something could not be scanned (coverage gaps): never a ✅. */
  incomplete: boolean;
  /** The allow-incomplete input: an incomplete scan is a warning, not exit 2. */
  allowIncomplete: boolean;
  /** Which policy judged the change ("config and baseline read at the base 1a2b3c4, not from the change"). */
  policy: string;
  /** What the change's own edits to the policy would do once merged (never applied). */
  policyEffects: string[];
  /** allowedFingerprints entries that are malformed or match nothing. */
  fingerprintWarnings: string[];
  /** Keys an earlier run on this pull request found that this run did not (a force-push does not unpush). */
  earlier: EarlierKey[];
}

/** A key from an earlier run's record, kept in the comment's hidden data: never the key itself. */
export interface EarlierKey {
  /** Masked (st_88cb…d5f1). */
  masked: string;
  /** Secret hash (16 hex). */
  hash: string;
  file: string;
  /** The commit that added it, when known. */
  commit?: string;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
