/** Everything the reports need about a finished scan. */
import type { Finding } from '@statalog/core';
import type { Coverage } from '../coverage.js';

export interface ScanReport {
  /** What was scanned, as a phrase: "pull request #12", "the commits pushed to main". */
  label: string;
  /** Findings to report (not accepted by the config or the baseline), sorted. */
  findings: Finding[];
  /** Accepted by the config's allowedFingerprints. */
  allowed: number;
  /** Accepted by the baseline. */
  baselined: number;
  coverage: Coverage;
  /** GitHub API requests the run sent. */
  requests: number;
  /** `https://github.com/owner/repo`, for commit links; undefined when the server URL is unusable. */
  repoUrl: string | undefined;
  /** The config file's name, for the "what to do" text. */
  configFile: string;
  /** True when findings fail the step (the fail input). */
  failing: boolean;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
