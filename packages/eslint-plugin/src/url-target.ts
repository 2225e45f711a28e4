import {
  hasQueryParam,
  isSelfHostedHost,
  isStatalogApiUrl,
  isStatalogCloudHost,
  isStatalogEndpointPath,
  parseUrl,
} from '@statalog/core';

const SITE_ID = 'site_id';

/**
 * The core's "this URL goes to the Statalog API" test, widened for parameters passed beside the URL
 * (`axios.get(url, { params })`, `url.searchParams.set(…)`): their `site_id` counts as the query's. When the
 * host is unknown (a variable, a parameter) `api_key` + `site_id` together is the Statalog signature.
 */
export function isStatalogTarget(
  url: string | undefined,
  params: ReadonlySet<string>,
  selfHostedHosts: readonly string[],
): boolean {
  if (url !== undefined) {
    const parsed = parseUrl(url);
    if (isStatalogApiUrl(parsed, selfHostedHosts)) return true;
    const siteId = params.has(SITE_ID) || hasQueryParam(parsed.query, SITE_ID);
    if (siteId && isStatalogEndpointPath(parsed.path)) return true;
    if (hasKnownHost(parsed.host)) return false; // another service, named
  }
  return params.has(SITE_ID);
}

/**
 * A request from browser code straight to Statalog: a Statalog Cloud host, or the API of a configured
 * self-hosted host. A URL whose host the code does not spell out (`${API}/api/v1/events?site_id=…`) is the
 * team's own backend as often as Statalog — its paths are often modelled on Statalog's — so it is not one; nor
 * is a URL that starts with `/` (the page's own origin: the team's proxy route, the right pattern).
 */
export function isDirectStatalogRequest(url: string, selfHostedHosts: readonly string[]): boolean {
  if (url.startsWith('/') && !url.startsWith('//')) return false;
  const parsed = parseUrl(url);
  if (!hasKnownHost(parsed.host)) return false;
  if (isStatalogCloudHost(parsed.host)) return true;
  return isSelfHostedHost(parsed, selfHostedHosts) && (parsed.path === '' || parsed.path.startsWith('/api/v1'));
}

function hasKnownHost(host: string): boolean {
  return host !== '' && !host.includes('$');
}
