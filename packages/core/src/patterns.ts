/**
 * The Statalog key formats and the literal anchors every scanner prefilters on.
 * One place: the scanner, the ESLint plugin and the action all read these.
 */

/** Cloud keys: `st_` + exactly 64 lowercase hex characters (67 in all). */
export const CLOUD_PREFIX = 'st_';
const CLOUD_HEX_LENGTH = 64;
export const CLOUD_KEY_LENGTH = CLOUD_PREFIX.length + CLOUD_HEX_LENGTH;

/** Linear-time, anchored description of a whole cloud key (for validating a single value). */
export const CLOUD_KEY_EXACT = /^st_[0-9a-f]{64}$/;

/** The query parameter Statalog reads a key from (the docs' second, discouraged way). */
export const URL_KEY_PARAM = 'api_key';

/**
 * Literal byte strings a file must contain for any rule to match. Scanners search for these with
 * `indexOf` before running anything else; `tatalog`/`TATALOG` cover `statalog`, `Statalog`, `STATALOG`.
 */
export const ANCHORS = {
  cloud: CLOUD_PREFIX,
  url: `${URL_KEY_PARAM}=`,
  community: ['tatalog', 'TATALOG'],
} as const;

/** The API endpoints under `/api/v1` (Statalog's Endpoints page). */
export const STATALOG_ENDPOINTS = [
  'stats',
  'stats/timeseries',
  'pages',
  'referrers',
  'channels',
  'locations',
  'devices',
  'events',
  'campaigns',
  'live',
] as const;

/** Cloud's API host family: `statalog.com` and any subdomain of it. */
export const STATALOG_CLOUD_DOMAIN = 'statalog.com';
export const STATALOG_CLOUD_API = 'https://app.statalog.com';

export function isHexLower(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x61 && code <= 0x66);
}

/** Letter, digit or underscore: the characters that may not touch a key on either side. */
export function isWordChar(code: number): boolean {
  return (
    (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || code === 0x5f
  );
}
