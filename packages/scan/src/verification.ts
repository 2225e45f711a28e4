/**
 * What `--verify`'s results mean: which keys fail the run, and how they are counted, ordered and described. The
 * verifier (verify/) writes the results, the formatters (report/, and the Action's reports) read them; both
 * import this module, which is pure and network-free, so a report never loads the verifier.
 */
import { compareFindings, type Finding, type Verification } from '@statalog/core';
import type { FailOn } from './args.js';

/**
 * Every reason for a key that was never sent (over `--verify-limit`, past the deadline) starts with this:
 * such a key is `unknown` — not known to be anything, and never reported as revoked.
 */
export const NOT_CHECKED = 'not checked: ';

function isUnchecked(verification: Verification | undefined): boolean {
  return verification?.status === 'unknown' && verification.reason.startsWith(NOT_CHECKED);
}

/**
 * The findings that make the run fail (exit 1) under `--fail-on`: every finding under `any`, the live keys
 * under `live` — and the keys that were not checked (over the limit, past the deadline): the scanned content
 * chooses how many keys there are, and planting a few hundred must not let a real one pass unchecked.
 */
export function failingFindings(findings: readonly Finding[], failOn: FailOn): Finding[] {
  return failOn === 'live'
    ? findings.filter((f) => f.verification?.status === 'live' || isUnchecked(f.verification))
    : [...findings];
}

/** Live first (act now), then unknown (treat as live), then revoked, then unverified; stable otherwise. */
function verificationRank(finding: Finding): number {
  switch (finding.verification?.status) {
    case 'live':
      return 0;
    case 'unknown':
      return 1;
    case 'revoked':
      return 2;
    default:
      return 3;
  }
}

export function sortLiveFirst(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => verificationRank(a) - verificationRank(b) || compareFindings(a, b));
}

interface VerificationCounts {
  live: number;
  revoked: number;
  /** Asked, without a clear answer. */
  unknown: number;
  /** Never asked: over the limit or past the deadline. */
  unchecked: number;
}

function countVerifications(findings: readonly Finding[]): VerificationCounts {
  const counts = { live: 0, revoked: 0, unknown: 0, unchecked: 0 };
  for (const f of findings)
    if (f.verification) counts[isUnchecked(f.verification) ? 'unchecked' : f.verification.status]++;
  return counts;
}

/** What to do right now about a live key: revoke (Cloud) or rotate (self-hosted), then clean up. */
function actionNow(finding: Finding): string {
  const first = isCloudFinding(finding)
    ? 'Revoke it now in Statalog under Account → API Keys → Revoke'
    : "Rotate it now: a new STATALOG_API_KEY in the server's .env, then restart PHP and the queue workers";
  return `${first}; then remove it from the code and its history.`;
}

export interface LiveKey {
  masked: string;
  /** `file:line:column` of every finding of the key, in report order. */
  locations: string[];
  action: string;
}

/** The live keys, one entry per distinct key (a key found in three places is revoked once). */
export function liveKeys(findings: readonly Finding[]): LiveKey[] {
  const byHash = new Map<string, LiveKey>();
  for (const f of findings) {
    if (f.verification?.status !== 'live') continue;
    const location = `${f.file}:${f.line}:${f.column}`;
    const entry = byHash.get(f.secretHash);
    if (entry) entry.locations.push(location);
    else byHash.set(f.secretHash, { masked: f.masked, locations: [location], action: actionNow(f) });
  }
  return [...byHash.values()];
}

/** `1 live, 2 revoked, 1 unverified, 40 not checked (…)`, or undefined when nothing was verified. */
export function describeVerifications(findings: readonly Finding[]): string | undefined {
  const n = countVerifications(findings);
  if (n.live + n.revoked + n.unknown + n.unchecked === 0) return undefined;
  const why = findings.find((f) => isUnchecked(f.verification))?.verification as { reason: string } | undefined;
  return [
    n.live > 0 && `${n.live} live`,
    n.revoked > 0 && `${n.revoked} revoked`,
    n.unknown > 0 && `${n.unknown} unverified`,
    n.unchecked > 0 && `${n.unchecked} not checked (${why!.reason.slice(NOT_CHECKED.length)})`,
  ]
    .filter(Boolean)
    .join(', ');
}

/** Cloud keys mask as `st_a3f8…f6a8`; every other secret masks differently (see core's `mask`). */
function isCloudFinding(finding: Finding): boolean {
  return finding.ruleId === 'cloud-key' || /^st_[0-9a-f]{4}…[0-9a-f]{4}$/.test(finding.masked);
}
