/**
 * Live key verification (`--verify`): asks the Statalog API each distinct key belongs to whether it still
 * works, without reading any analytics (see ask-api.ts). Loaded only when verification is asked for, so
 * plain scans and the pre-commit hook never pay for it.
 */
import { redact, secretOf, withFields, type Finding, type Verification } from '@statalog/core';
import { cloudApiBase, parseApiBase } from './api-base.js';
import { askApi, type FetchLike } from './ask-api.js';
import { NOT_CHECKED } from '../verification.js';
import { mapBounded } from '../map-bounded.js';
import { targetOf, type TargetBases } from './targets.js';

const DEFAULT_CONCURRENCY = 4;
const DEFAULT_TIMEOUT_MS = 5000;
/**
 * Distinct keys checked per run. Verification costs one request per distinct key, and scanned content
 * chooses how many keys there are: 2,000 planted keys would be 2,000 requests (and minutes against a slow
 * API). The rest are reported `unknown` with a reason that starts `not checked:` — never as revoked.
 */
const DEFAULT_VERIFY_LIMIT = 100;
/** No request starts after this long (requests under way finish within their own timeout). */
const DEFAULT_DEADLINE_MS = 60_000;

export interface VerifyOptions {
  /** The self-hosted API base the user named (`--api-url`); validated: HTTPS, or HTTP on loopback. */
  apiUrl?: string;
  /** The config's `selfHostedHosts`: used when exactly one is configured and no `apiUrl` is given. */
  selfHostedFromConfig?: readonly string[];
  /** Requests in flight at once (default 4, at most 16). */
  concurrency?: number;
  /** Per attempt, body included (default 5000 ms). */
  timeoutMs?: number;
  fetch?: FetchLike;
  /** Where `STATALOG_CLOUD_API_URL` (loopback-only test override) is read from; default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** How this tool's users name the self-hosted API, for reasons: `--api-url` (default) or `the api-url input`. */
  apiUrlOption?: string;
  userAgent?: string;
  /** Pause before retrying after a network error (default 250 ms). */
  retryDelayMs?: number;
  /** At most this many distinct keys are sent (default DEFAULT_VERIFY_LIMIT). */
  limit?: number;
  /** How this tool's users set the limit, for reasons: `--verify-limit` (default). */
  limitOption?: string;
  /** No request starts after this many milliseconds from the call (default DEFAULT_DEADLINE_MS). */
  deadlineMs?: number;
}

/**
 * Returns copies of `findings` (same order, secrets kept) with `verification` set. Each distinct key is
 * asked once per target, however many findings share it. Throws an `ApiBaseError` (one line, naming the
 * option) before any request when `apiUrl` or `STATALOG_CLOUD_API_URL` is unacceptable.
 */
export async function verifyFindings(findings: readonly Finding[], options: VerifyOptions = {}): Promise<Finding[]> {
  const apiUrlOption = options.apiUrlOption ?? '--api-url';
  const bases: TargetBases = {
    cloud: cloudApiBase(options.env ?? process.env),
    ...(options.apiUrl !== undefined ? { selfHosted: parseApiBase(options.apiUrl, apiUrlOption) } : {}),
    selfHostedFromConfig: options.selfHostedFromConfig ?? [],
    apiUrlOption,
  };
  const ask = {
    timeoutMs: positive(options.timeoutMs, DEFAULT_TIMEOUT_MS),
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    userAgent: options.userAgent ?? 'statalog-key-guard (key verification)',
    retryDelayMs: options.retryDelayMs ?? 250,
  };
  const concurrency = Math.min(16, positive(options.concurrency, DEFAULT_CONCURRENCY));

  const targets = findings.map((f) => targetOf(f, bases));
  const jobs = new Map<string, { base: URL; key: string }>();
  for (const t of targets) if ('base' in t) jobs.set(`${t.base.href}\n${t.key}`, t);
  const entries = [...jobs.entries()];
  const limit = positive(options.limit, DEFAULT_VERIFY_LIMIT);
  const deadlineMs = positive(options.deadlineMs, DEFAULT_DEADLINE_MS);
  const deadline = Date.now() + deadlineMs;
  const overLimit: Verification = {
    status: 'unknown',
    reason: `${NOT_CHECKED}only the first ${limit} distinct keys are verified per run (${entries.length} found; raise ${options.limitOption ?? '--verify-limit'})`,
  };
  const pastDeadline: Verification = {
    status: 'unknown',
    reason: `${NOT_CHECKED}verification stopped after ${Math.round(deadlineMs / 1000)} s`,
  };
  const answers = await mapBounded(entries, concurrency, ([, job], index) => {
    if (index >= limit) return Promise.resolve(overLimit);
    if (Date.now() >= deadline) return Promise.resolve(pastDeadline);
    return askApi(job.base, job.key, ask);
  });
  const byJob = new Map(entries.map(([id], i) => [id, answers[i]!]));

  return findings.map((finding, i) => {
    const t = targets[i]!;
    const verification =
      'base' in t ? byJob.get(`${t.base.href}\n${t.key}`)! : { status: 'unknown' as const, reason: t.unknown };
    return withFields(finding, { verification: scrub(verification, finding) });
  });
}

/** Last line of defence: no reason may ever carry the key, whatever produced it. */
function scrub(verification: Verification, finding: Finding): Verification {
  if (verification.status !== 'unknown') return verification;
  const secret = secretOf(finding);
  return secret === undefined ? verification : { status: 'unknown', reason: redact(verification.reason, [secret]) };
}

function positive(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value >= 1 ? Math.floor(value) : fallback;
}
