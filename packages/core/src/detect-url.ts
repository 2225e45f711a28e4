import { ANCHORS } from './patterns.js';
import type { ValueSpan } from './read-value.js';
import { isSelfHostedHost, isStatalogCloudHost, isStatalogEndpointPath, parseUrl } from './url.js';

/** Longest `api_key=` value looked at; anything longer is not a key someone pasted into a URL. */
const MAX_VALUE = 2048;
/**
 * How far a URL's run is read on either side of its `api_key=` (characters). URLs longer than this do not
 * occur in practice (servers refuse them); the bound keeps the rule's context finite, so a scanner that
 * reads a huge file in windows sees exactly what this rule reads in the whole text.
 */
export const URL_SPAN = 16384;
/** How much of the path before `?` is kept: enough for the longest endpoint path, `/api/v1/stats/timeseries/`. */
const PATH_TAIL = 64;

/** Characters that end a URL written in code, config, logs or prose. */
function isUrlDelimiter(code: number): boolean {
  return (
    code <= 0x20 || // whitespace and control characters
    code === 0x22 ||
    code === 0x27 ||
    code === 0x60 || // " ' `
    code === 0x3c ||
    code === 0x3e || // < >
    code === 0x28 ||
    code === 0x29 || // ( )
    code === 0x7f
  );
}

/**
 * A backslash ends a URL (an escaped quote in JSON or source strings) except in the two JSON escapes that
 * encoders write inside URLs: `\/` (PHP's json_encode) and `\u0026` (Go's encoding/json escapes `&`).
 */
function isUrlDelimiterAt(text: string, k: number): boolean {
  const code = text.charCodeAt(k);
  if (code !== 0x5c /* \ */) return isUrlDelimiter(code);
  return !(text.charCodeAt(k + 1) === 0x2f /* / */ || text.startsWith('u0026', k + 1));
}

/** Additionally ends a query value: `&`, `#`, `,`, `;`, `|` and a backslash (`\u0026`, `\"`). */
function isValueDelimiter(code: number): boolean {
  return (
    isUrlDelimiter(code) ||
    code === 0x26 ||
    code === 0x23 ||
    code === 0x2c ||
    code === 0x3b ||
    code === 0x7c ||
    code === 0x5c
  );
}

function isSchemeChar(code: number): boolean {
  return (
    (code >= 0x61 && code <= 0x7a) ||
    (code >= 0x41 && code <= 0x5a) ||
    (code >= 0x30 && code <= 0x39) ||
    code === 0x2b ||
    code === 0x2d ||
    code === 0x2e // + - .
  );
}

/**
 * Every `api_key=<value>` query parameter in `text` whose URL targets the Statalog API (a Statalog host, a
 * configured self-hosted host, or a Statalog endpoint path with a `site_id` parameter), whatever the value;
 * the caller decides whether the value is a literal secret.
 *
 * Linear time: `indexOf` finds the `api_key=` anchors; each run of URL characters around an anchor is then
 * read once, left to right, and the search resumes after the run, so no character is looked at twice
 * however many anchors or URLs a (minified, single-line) file holds.
 */
export function findUrlKeys(text: string, selfHostedHosts: readonly string[]): ValueSpan[] {
  const hits: ValueSpan[] = [];
  const anchor = ANCHORS.url;
  for (let i = text.indexOf(anchor); i !== -1;) {
    let runStart = i;
    const floor = Math.max(0, i - URL_SPAN);
    while (runStart > floor && !isUrlDelimiterAt(text, runStart - 1)) runStart--;
    let runEnd = i + anchor.length;
    const ceiling = Math.min(text.length, i + URL_SPAN);
    while (runEnd < ceiling && !isUrlDelimiterAt(text, runEnd)) runEnd++;
    readRun(text, runStart, runEnd, selfHostedHosts, hits);
    i = text.indexOf(anchor, runEnd);
  }
  return hits;
}

/** One URL being read: where its host/path part starts, and its query's facts so far. */
interface UrlState {
  start: number;
  /** Starts with a scheme (`https://`). */
  absolute: boolean;
  /** Offset of the `?` that starts the query, or -1 while still in the host/path part. */
  query: number;
  statalogHost: boolean;
  endpointPath: boolean;
  siteId: boolean;
  /** `api_key` values seen in this URL's query: [start, end) pairs. */
  values: number[];
}

/**
 * Reads one delimiter-free run. It may hold several URLs (`https://proxy/?u=https://app.statalog.com/…`) and
 * prefixes that are not part of any URL (`STATALOG_URL=https://…`, `--url=…`, `|https://…`): a URL starts at
 * a scheme (`https://`, or `https:\/\/` in escaped JSON), after the last `=` before its path, or at the run's
 * start (relative URLs in logs: `GET /api/v1/stats?site_id=…&api_key=…`).
 */
function readRun(text: string, runStart: number, runEnd: number, hosts: readonly string[], hits: ValueSpan[]): void {
  let url = newUrl(runStart, false);
  let paramStart = -1;
  let k = runStart;
  while (k < runEnd) {
    const c = text.charCodeAt(k);
    if (c === 0x3a /* : */ && (text.startsWith('//', k + 1) || text.startsWith('\\/\\/', k + 1))) {
      // a new absolute URL: finish the one before, back up over the scheme's letters
      if (paramStart >= 0) readParam(text, paramStart, k, url);
      flush(text, url, hits);
      let s = k;
      while (s > runStart && isSchemeChar(text.charCodeAt(s - 1))) s--;
      url = newUrl(s, true);
      paramStart = -1;
      k += text.charCodeAt(k + 1) === 0x2f ? 3 : 5;
      continue;
    }
    if (url.query < 0) {
      if (c === 0x3f /* ? */) {
        classify(text, url, k, hosts);
        url.query = k;
        paramStart = k + 1;
      } else if (c === 0x3d /* = */ && !url.absolute) {
        url.start = k + 1; // `STATALOG_URL=app.statalog.com/…`: what precedes `=` is a name, not a host
      }
      // a `#` before the query is kept: SPA routes (`/#/stats?api_key=…`) put the query after it
      k++;
      continue;
    }
    if (paramStart < 0) {
      k++; // inside a fragment
      continue;
    }
    // in the query: parameters are separated by `&`, `&amp;` (HTML) or `\u0026` (escaped JSON); `#` ends it
    if (c === 0x26 /* & */) {
      readParam(text, paramStart, k, url);
      k += text.startsWith('amp;', k + 1) ? 5 : 1;
      paramStart = k;
    } else if (c === 0x5c /* \ */ && text.startsWith('u0026', k + 1)) {
      readParam(text, paramStart, k, url);
      k += 6;
      paramStart = k;
    } else if (c === 0x23 /* # */) {
      readParam(text, paramStart, k, url);
      paramStart = -1;
      k++;
    } else k++;
  }
  if (paramStart >= 0) readParam(text, paramStart, runEnd, url);
  flush(text, url, hits);
}

function newUrl(start: number, absolute: boolean): UrlState {
  return { start, absolute, query: -1, statalogHost: false, endpointPath: false, siteId: false, values: [] };
}

/** Decides from the part before `?` whether the URL goes to a Statalog host or names a Statalog endpoint. */
function classify(text: string, url: UrlState, q: number, hosts: readonly string[]): void {
  const head = text.slice(url.start, q);
  const parsed = parseUrl(head.includes('\\/') ? head.replace(/\\\//g, '/') : head);
  if (parsed.host !== '') {
    url.statalogHost = isStatalogCloudHost(parsed.host) || isSelfHostedHost(parsed, hosts);
  }
  const tail = parsed.path.length > PATH_TAIL ? parsed.path.slice(-PATH_TAIL) : parsed.path;
  url.endpointPath = isStatalogEndpointPath(tail);
}

/** Reads one `name=value` query parameter in [from, to). */
function readParam(text: string, from: number, to: number, url: UrlState): void {
  const name = text.slice(from, Math.min(to, from + 8));
  if (name === 'site_id=' || (to - from === 7 && name === 'site_id')) {
    url.siteId = true;
    return;
  }
  if (!text.startsWith('api_key=', from) || from + 8 > to) return;
  const start = from + 8;
  let end = start;
  while (end < to && !isValueDelimiter(text.charCodeAt(end))) end++;
  end = trimTrailingPunctuation(text, start, end);
  url.values.push(start, end);
}

/**
 * Prose ends a sentence right after a URL (`…&api_key=abc123.`); the period is not part of the key. A value
 * that ends in `...` is a truncation and keeps its dots so the placeholder rule sees them.
 */
function trimTrailingPunctuation(text: string, start: number, end: number): number {
  if (end - start >= 3 && text.startsWith('...', end - 3)) return end;
  while (end > start) {
    const c = text.charCodeAt(end - 1);
    if (c !== 0x2e && c !== 0x21 && c !== 0x3f && c !== 0x3a && c !== 0x2a) break; // . ! ? : *
    end--;
  }
  return end;
}

function flush(text: string, url: UrlState, hits: ValueSpan[]): void {
  if (url.values.length === 0) return;
  if (!(url.statalogHost || (url.endpointPath && url.siteId))) return;
  for (let v = 0; v < url.values.length; v += 2) {
    const start = url.values[v]!;
    const end = url.values[v + 1]!;
    if (end - start > MAX_VALUE) continue;
    hits.push({ start, end, value: text.slice(start, end) });
  }
}
