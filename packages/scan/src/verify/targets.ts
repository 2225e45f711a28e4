/**
 * Which API a finding's key belongs to. Cloud-shaped keys (`st_` + 64 hex) go to Statalog Cloud; anything
 * else (Community keys, non-cloud `api_key=` values) to the self-hosted installation the user named. A host
 * merely found in the scanned content is never used: the content would then choose where keys are sent.
 */
import { CLOUD_KEY_EXACT, secretOf, type Finding } from '@statalog/core';
import { configHostBase } from './api-base.js';

export type Target = { base: URL; key: string } | { unknown: string };

export interface TargetBases {
  cloud: URL;
  /** `--api-url` / the action's `api-url` input: wins over the config. */
  selfHosted?: URL;
  /** The config's `selfHostedHosts`, normalised (`host[:port]`). */
  selfHostedFromConfig: readonly string[];
  /** How the user names a self-hosted API in this tool, for reasons (`--api-url`, `the api-url input`). */
  apiUrlOption: string;
}

export function targetOf(finding: Finding, bases: TargetBases): Target {
  const secret = secretOf(finding);
  if (secret === undefined)
    return { unknown: 'the key itself is not available to this run (read from a report or baseline?)' };
  const key = finding.ruleId === 'url-key' ? decodeQueryValue(secret) : secret;
  if (CLOUD_KEY_EXACT.test(key)) return { base: bases.cloud, key };
  if (bases.selfHosted) return { base: bases.selfHosted, key };
  const hosts = bases.selfHostedFromConfig;
  if (hosts.length === 1) {
    const base = configHostBase(hosts[0]!);
    if (base) return { base, key };
  }
  if (hosts.length > 1)
    return {
      unknown: `several selfHostedHosts are configured and the key could belong to any of them; name its API with ${bases.apiUrlOption}`,
    };
  return {
    unknown: `not a Cloud key, and no self-hosted Statalog API was named (${bases.apiUrlOption} or selfHostedHosts in the config); keys are never sent to hosts found in scanned files`,
  };
}

/** The value the server reads from `api_key=`: percent-decoded (when that is well-formed). */
function decodeQueryValue(value: string): string {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
