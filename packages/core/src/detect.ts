import { findCloudKeys } from './detect-cloud.js';
import { detectEncoded, type Encoding } from './decode.js';
import { findCommunityKeys, type Syntax } from './detect-community.js';
import { findUrlKeys } from './detect-url.js';
import { ANCHORS, CLOUD_KEY_EXACT, CLOUD_KEY_LENGTH } from './patterns.js';
import { isDocExampleKey, isPlaceholderCloudKey, isPlaceholderValue } from './placeholder.js';
import type { RuleId } from './rules.js';

/** A secret found in a piece of text; offsets are UTF-16 indexes into that text. */
export interface Match {
  ruleId: RuleId;
  start: number;
  end: number;
  secret: string;
  /** Set for a secret found inside an encoded run (`decode`): then [start, end) is the run, not the secret. */
  encoding?: Encoding;
  /** Only with `reportAllowed`: the line carries `statalog:allow` (the match is accepted, not dropped). */
  allowed?: true;
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
  /**
   * Binary content (a `.pyc`, a `.class`, a database file): only the cloud-key pattern, and its left boundary
   * relaxed — a length byte or the previous column may touch the key (see `findCloudKeys`).
   */
  cloudOnly?: boolean;
  /** Honour `statalog:allow` on the line of a match (default true). */
  honourAllowComments?: boolean;
  /**
   * Also search base64 and percent-encoded runs that decode to text holding an anchor (decode.ts). Off by
   * default: such a match has `encoding` set, its `start`/`end` cover the encoded run and its `secret` is the
   * decoded key, so `text.slice(start, end)` is not the secret. Callers that derive the secret from offsets
   * must use `secret` for these.
   */
  decode?: boolean;
  /**
   * Return matches on `statalog:allow` lines flagged `allowed: true` instead of dropping them, so a tool can
   * count and list what an inline allow accepted (core's `suppress` turns them into `how: 'inline'`).
   */
  reportAllowed?: boolean;
}

export const ALLOW_MARKER = 'statalog:allow';

/** Every community-key name and section starts with this word (any case). */
const STATALOG_WORD = /statalog/i;

/**
 * Every Statalog secret in `text`, sorted by offset. One finding per secret: a cloud key inside a Statalog
 * `api_key=` URL is reported once, as `url-key`.
 *
 * Linear in the length of `text` whatever it holds (see the pattern-safety tests): each rule finds literal
 * anchors with `indexOf` or a simple regex, the overlap checks walk sorted lists, and the `statalog:allow`
 * check reads each line that holds a match once.
 */
export function detect(text: string, options: DetectOptions = {}): Match[] {
  // the common case (an ESLint string literal, a window without a real hit): no anchor, nothing allocated
  const cloud = text.indexOf(ANCHORS.cloud) !== -1;
  const url = !options.cloudOnly && text.indexOf(ANCHORS.url) !== -1;
  const community = !options.cloudOnly && STATALOG_WORD.test(text);
  if (!cloud && !url && !community) return options.decode ? detectEncoded(text, { ...options, decode: false }, []) : [];

  const matches: Match[] = [];
  const includeExamples = options.includeExamples ?? false;
  /** Spans that belong to the URL or cloud rule (reported or not), sorted by start, never overlapping. */
  const taken: number[] = [];
  const urlSpans: number[] = [];

  if (url) {
    for (const hit of findUrlKeys(text, options.selfHostedHosts ?? [])) {
      const cloudValue = CLOUD_KEY_EXACT.test(hit.value);
      if (cloudValue ? !isReportableCloudKey(hit.value, includeExamples) : !isLiteralSecret(hit.value)) {
        if (cloudValue) urlSpans.push(hit.start, hit.end); // a doc example in a URL is not a cloud-key either
        continue;
      }
      matches.push({ ruleId: 'url-key', start: hit.start, end: hit.end, secret: hit.value });
      urlSpans.push(hit.start, hit.end);
    }
  }

  let u = 0; // URL spans are sorted and so are cloud keys: one pass merges them into `taken`
  for (const start of cloud ? findCloudKeys(text, 0, text.length, options.cloudOnly === true) : []) {
    const end = start + CLOUD_KEY_LENGTH;
    while (u < urlSpans.length && urlSpans[u + 1]! <= start) {
      taken.push(urlSpans[u]!, urlSpans[u + 1]!);
      u += 2;
    }
    if (u < urlSpans.length && urlSpans[u]! <= start && end <= urlSpans[u + 1]!) continue; // inside a URL value
    // a well-formed key belongs to this rule even when it is not reported (the doc example, a synthetic run):
    // the community rule must not report it again as a value assigned to STATALOG_API_KEY
    taken.push(start, end);
    const secret = text.slice(start, end);
    if (!isReportableCloudKey(secret, includeExamples)) continue;
    matches.push({ ruleId: 'cloud-key', start, end, secret });
  }
  for (; u < urlSpans.length; u += 2) taken.push(urlSpans[u]!, urlSpans[u + 1]!);

  if (community) {
    for (const hit of findCommunityKeys(text, options.syntax ?? 'config')) {
      // a cloud key assigned to STATALOG_API_KEY is already a cloud-key finding
      if (overlapsAny(taken, hit.start, hit.end)) continue;
      if (!isLiteralSecret(hit.value)) continue;
      matches.push({ ruleId: 'community-key', start: hit.start, end: hit.end, secret: hit.value });
    }
  }

  matches.sort((a, b) => a.start - b.start || a.end - b.end);
  const plain =
    options.honourAllowComments === false
      ? matches
      : withoutAllowedLines(text, matches, options.reportAllowed === true);
  if (!options.decode) return plain;
  const encoded = detectEncoded(text, { ...options, decode: false }, matches);
  return encoded.length === 0 ? plain : [...plain, ...encoded].sort((a, b) => a.start - b.start || a.end - b.end);
}

/** Binary search in sorted, disjoint [start, end) pairs. */
function overlapsAny(spans: readonly number[], start: number, end: number): boolean {
  let lo = 0;
  let hi = spans.length >> 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (spans[2 * mid + 1]! <= start) lo = mid + 1;
    else hi = mid;
  }
  return lo < spans.length >> 1 && spans[2 * lo]! < end;
}

/** A well-formed cloud key that is reported: not a synthetic run, and the doc example only when asked. */
export function isReportableCloudKey(key: string, includeExamples = false): boolean {
  if (isDocExampleKey(key)) return includeExamples;
  return !isPlaceholderCloudKey(key);
}

/**
 * A value that could be a real secret: not a placeholder or reference, at least 8 characters, no
 * whitespace (a key is one token; `"Enter your Statalog API key"` or a `` `vault kv get …` `` command is
 * not), and either holding a digit or long enough (20+) that it is not a word in a sentence or a table.
 */
export function isLiteralSecret(value: string): boolean {
  if (value.length < 8 || isPlaceholderValue(value)) return false;
  if (/\s/.test(value)) return false;
  // public site IDs (ST-A1B2C3, ST- + 13 in the Community code) and test_-prefixed hex fixtures are not keys
  if (/^ST-[A-Z0-9]{6,13}$/.test(value) || /^test_[0-9a-f]+$/i.test(value)) return false;
  // a value in the cloud key's shape belongs to the cloud-key rule, which is precise on purpose: when that
  // rule rejects it (63 or 65 hex, `ST_`, upper-case hex), the other rules do not report it either
  if (/^st_[0-9a-f]+$/i.test(value) && !CLOUD_KEY_EXACT.test(value)) return false;
  return /\d/.test(value) || value.length >= 20;
}

/** `statalog:allow` anywhere on the line that holds `index` (any comment syntax). */
export function isAllowedAt(text: string, index: number): boolean {
  let from = index;
  while (from > 0 && !isLineBreak(text.charCodeAt(from - 1))) from--;
  let to = index;
  while (to < text.length && !isLineBreak(text.charCodeAt(to))) to++;
  return text.slice(from, to).includes(ALLOW_MARKER);
}

function isLineBreak(code: number): boolean {
  return code === 0x0a || code === 0x0d;
}

/**
 * Drops (or, with `flag`, marks) matches on lines that carry `statalog:allow`. Matches are sorted, so each line is measured once,
 * the backward walk to a line's start stops at the previous line's break, and the marker search only moves
 * forward: linear even for a megabyte-long minified line with thousands of keys.
 */
function withoutAllowedLines(text: string, matches: Match[], flag: boolean): Match[] {
  if (matches.length === 0) return matches;
  let marker = text.indexOf(ALLOW_MARKER);
  if (marker === -1) return matches;
  const kept: Match[] = [];
  let lineEnd = -1; // the break that ends the previous match's line
  let allowed = false;
  for (const m of matches) {
    if (m.start > lineEnd) {
      let from = m.start;
      while (from > 0 && !isLineBreak(text.charCodeAt(from - 1))) from--;
      let to = m.start;
      while (to < text.length && !isLineBreak(text.charCodeAt(to))) to++;
      if (marker !== -1 && marker < from) marker = text.indexOf(ALLOW_MARKER, from);
      allowed = marker !== -1 && marker + ALLOW_MARKER.length <= to;
      lineEnd = to;
    }
    if (!allowed) kept.push(m);
    else if (flag) kept.push({ ...m, allowed: true });
  }
  return kept;
}
