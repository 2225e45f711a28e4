/**
 * Live-key verification (the `verify` input): the verifier `statalog-scan --verify` uses, bundled from
 * @statalog/scan. Each distinct key is sent to the Statalog API it belongs to — Cloud keys to
 * app.statalog.com, other keys only to the self-hosted API the workflow names (the `api-url` input, else
 * the config's single selfHostedHosts entry) — and nowhere else. `STATALOG_CLOUD_API_URL` may replace
 * app.statalog.com for tests, and only with a loopback address. Reporting shows a "Verified" column as
 * soon as any finding carries a verification.
 */
import type { Finding } from '@statalog/core';
import { verifyFindings } from '@statalog/scan';

export interface VerifyContext {
  /** The config's selfHostedHosts, for Community keys (empty when the scanned commits change the config). */
  selfHostedHosts: readonly string[];
  /** The api-url input: the self-hosted Statalog API to ask. */
  apiUrl?: string;
  /** The verify-limit input: distinct keys sent at most (the rest are reported "not checked"). */
  limit?: number;
}

export type Verifier = (findings: readonly Finding[], context: VerifyContext) => Promise<Finding[]>;

export const verifier: Verifier = (findings, context) =>
  verifyFindings(findings, {
    selfHostedFromConfig: context.selfHostedHosts,
    ...(context.apiUrl !== undefined ? { apiUrl: context.apiUrl } : {}),
    ...(context.limit !== undefined ? { limit: context.limit } : {}),
    apiUrlOption: 'input api-url',
    limitOption: 'the verify-limit input',
    userAgent: 'statalog-key-guard-action (key verification)',
  });
