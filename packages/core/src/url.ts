import { STATALOG_CLOUD_DOMAIN, STATALOG_ENDPOINTS } from './patterns.js';

export interface ParsedUrl {
  /** Lower-case host without port, or '' for a relative URL. */
  host: string;
  /** Host with port as written (lower-case), or ''. */
  hostWithPort: string;
  scheme: string;
  path: string;
  query: string;
}

const SCHEME = /^([a-z][a-z0-9+.-]{0,15}):\/\//i;
const BARE_HOST = /^([a-z0-9-]+(?:\.[a-z0-9-]+)+(?::\d{1,5})?)(?=[/?#]|$)/i;

/** A tolerant URL split that also accepts relative URLs and templates (`${base}/api/v1/…`). */
export function parseUrl(text: string): ParsedUrl {
  let rest = text;
  let scheme = '';
  let hostWithPort = '';
  const s = SCHEME.exec(rest);
  if (s) {
    scheme = s[1]!.toLowerCase();
    rest = rest.slice(s[0].length);
    const end = firstOf(rest, '/?#');
    hostWithPort = rest.slice(0, end);
    rest = rest.slice(end);
  } else if (rest.startsWith('//')) {
    rest = rest.slice(2);
    const end = firstOf(rest, '/?#');
    hostWithPort = rest.slice(0, end);
    rest = rest.slice(end);
  } else {
    const b = BARE_HOST.exec(rest);
    if (b) {
      hostWithPort = b[1]!;
      rest = rest.slice(b[0].length);
    }
  }
  const at = hostWithPort.lastIndexOf('@');
  if (at >= 0) hostWithPort = hostWithPort.slice(at + 1); // user:pass@host
  hostWithPort = hostWithPort.toLowerCase();
  const host = hostWithPort.startsWith('[')
    ? hostWithPort.slice(0, hostWithPort.indexOf(']') + 1)
    : hostWithPort.replace(/:\d*$/, '');
  const hash = rest.indexOf('#');
  if (hash >= 0) rest = rest.slice(0, hash);
  const q = rest.indexOf('?');
  return {
    scheme,
    host,
    hostWithPort,
    path: q >= 0 ? rest.slice(0, q) : rest,
    query: q >= 0 ? rest.slice(q + 1) : '',
  };
}

function firstOf(text: string, chars: string): number {
  for (let i = 0; i < text.length; i++) if (chars.includes(text[i]!)) return i;
  return text.length;
}

/** `statalog.com` or any subdomain of it. */
export function isStatalogCloudHost(host: string): boolean {
  return host === STATALOG_CLOUD_DOMAIN || host.endsWith(`.${STATALOG_CLOUD_DOMAIN}`);
}

/** Normalises a configured self-hosted host (`https://stats.example.com/`, `stats.example.com:8443`). */
export function normaliseHost(entry: string): string {
  const trimmed = entry.trim();
  return parseUrl(SCHEME.test(trimmed) || trimmed.startsWith('//') ? trimmed : `//${trimmed}`).hostWithPort;
}

export function isSelfHostedHost(url: ParsedUrl, selfHostedHosts: readonly string[]): boolean {
  if (url.host === '') return false;
  return selfHostedHosts.some((h) => h === url.hostWithPort || h === url.host);
}

const ENDPOINT_PATH = new RegExp(`/api/v1/(?:${STATALOG_ENDPOINTS.join('|')})/?$`);

/** True when `path` names a Statalog endpoint (`/api/v1/stats`, `/api/v1/stats/timeseries`, …). */
export function isStatalogEndpointPath(path: string): boolean {
  return ENDPOINT_PATH.test(path);
}

/** True when the query string carries the parameter `name` (any value). */
export function hasQueryParam(query: string, name: string): boolean {
  for (const part of query.split(/&(?:amp;)?/)) {
    const eq = part.indexOf('=');
    if ((eq >= 0 ? part.slice(0, eq) : part) === name) return true;
  }
  return false;
}

/**
 * The one test of "this URL goes to the Statalog API", shared by the scanner's `url-key` rule and the
 * ESLint plugin: a Statalog host, a configured self-hosted host, or — since plenty of other products serve
 * `/api/v1/stats` too — a Statalog endpoint path that also carries the `site_id` every Statalog call needs.
 */
export function isStatalogApiUrl(url: ParsedUrl, selfHostedHosts: readonly string[] = []): boolean {
  if (url.host !== '' && (isStatalogCloudHost(url.host) || isSelfHostedHost(url, selfHostedHosts))) return true;
  return isStatalogEndpointPath(url.path) && hasQueryParam(url.query, 'site_id');
}
