import { findCloudKeys } from './detect-cloud.js';
import { findCommunityKeys, type Syntax } from './detect-community.js';
import { findUrlKeys } from './detect-url.js';
import { CLOUD_KEY_EXACT, CLOUD_KEY_LENGTH } from './patterns.js';
import { isDocExampleKey, isPlaceholderCloudKey, isPlaceholderValue } from './placeholder.js';
import type { RuleId } from './rules.js';

/** A secret found in a piece of text; offsets are UTF-16 indexes into that text. */
export interface Match {
  ruleId: RuleId;
  start: number;
  end: number;
  secret: string;
}

export interface DetectOptions {
  /** Hosts of self-hosted Statalog installations (`stats.example.com`, `stats.example.com:8443`). */
  selfHostedHosts?: readonly string[];
  /** Report the documentation's example key too. */
  includeExamples?: boolean;
  /**
   * `config` (.env, YAML, shell, INI, Dockerfile, docs…) lets an unquoted value be a literal; in `code` an
   * unquoted value is an identifier or expression, i.e. a reference. Default `config`.
   */
  syntax?: Syntax;
  /** Only the cloud-key byte pattern (binary content). */
  cloudOnly?: boolean;
  /** Honour `statalog:allow` on the line of a match (default true). */
  honourAllowComments?: boolean;
}

export const ALLOW_MARKER = 'statalog:allow';

/**
 * Every Statalog secret in `text`, sorted by offset. One finding per secret: a cloud key inside a Statalog
 * `api_key=` URL is reported once, as `url-key`.
 */
export function detect(text: string, options: DetectOptions = {}): Match[] {
  const matches: Match[] = [];
  const includeExamples = options.includeExamples ?? false;
  const taken: Array<[number, number]> = [];

  if (!options.cloudOnly) {
    for (const hit of findUrlKeys(text, options.selfHostedHosts ?? [])) {
      const cloudValue = CLOUD_KEY_EXACT.test(hit.value);
      if (cloudValue ? !isReportableCloudKey(hit.value, includeExamples) : !isLiteralSecret(hit.value)) {
        if (cloudValue) taken.push([hit.start, hit.end]); // a doc example in a URL is not a cloud-key either
        continue;
      }
      matches.push({ ruleId: 'url-key', start: hit.start, end: hit.end, secret: hit.value });
      taken.push([hit.start, hit.end]);
    }
  }

  for (const start of findCloudKeys(text)) {
    const end = start + CLOUD_KEY_LENGTH;
    if (taken.some(([s, e]) => start >= s && end <= e)) continue;
    const secret = text.slice(start, end);
    // a well-formed key belongs to this rule even when it is not reported (the doc example, a synthetic run):
    // the community rule must not report it again as a value assigned to STATALOG_API_KEY
    taken.push([start, end]);
    if (!isReportableCloudKey(secret, includeExamples)) continue;
    matches.push({ ruleId: 'cloud-key', start, end, secret });
  }

  if (!options.cloudOnly) {
    for (const hit of findCommunityKeys(text, options.syntax ?? 'config')) {
      // a cloud key assigned to STATALOG_API_KEY is already a cloud-key finding
      if (taken.some(([s, e]) => hit.start < e && hit.end > s)) continue;
      if (!isLiteralSecret(hit.value)) continue;
      matches.push({ ruleId: 'community-key', start: hit.start, end: hit.end, secret: hit.value });
    }
  }

  const kept = options.honourAllowComments === false ? matches : matches.filter((m) => !isAllowedAt(text, m.start));
  return kept.sort((a, b) => a.start - b.start || a.end - b.end);
}

function isReportableCloudKey(key: string, includeExamples: boolean): boolean {
  if (isDocExampleKey(key)) return includeExamples;
  return !isPlaceholderCloudKey(key);
}

/**
 * A value that could be a real secret: not a placeholder or reference, at least 8 characters, and either
 * holding a digit or long enough (20+) that it is not a word in a sentence or a table.
 */
export function isLiteralSecret(value: string): boolean {
  if (value.length < 8 || isPlaceholderValue(value)) return false;
  // public site IDs (ST-A1B2C3, ST- + 13 in the Community code) and test_-prefixed hex fixtures are not keys
  if (/^ST-[A-Z0-9]{6,13}$/.test(value) || /^test_[0-9a-f]+$/i.test(value)) return false;
  return /\d/.test(value) || value.length >= 20;
}

/** `statalog:allow` anywhere on the line that holds `index` (any comment syntax). */
export function isAllowedAt(text: string, index: number): boolean {
  let from = index;
  while (from > 0 && text.charCodeAt(from - 1) !== 0x0a && text.charCodeAt(from - 1) !== 0x0d) from--;
  let to = index;
  while (to < text.length && text.charCodeAt(to) !== 0x0a && text.charCodeAt(to) !== 0x0d) to++;
  return text.slice(from, to).includes(ALLOW_MARKER);
}
