/**
 * Where keys may be sent. A key only ever goes to an API base the user named (the `--api-url` option, the
 * action's `api-url` input, a config's `selfHostedHosts`) or to Statalog Cloud — never to a host read from
 * scanned content, which would let a file choose where its keys are sent.
 */
import { isIP } from 'node:net';
import { STATALOG_CLOUD_API, UserError } from '@statalog/core';

/** The environment variable that points Cloud verification at a local stand-in (tests only; loopback only). */
const CLOUD_API_ENV = 'STATALOG_CLOUD_API_URL';

/** The one request verification makes, relative to an API base. */
const VERIFY_PATH = '/api/v1/stats';

/** A bad API base given by the user; `message` is one line naming the option, never quoting the value. */
export class ApiBaseError extends UserError {
  constructor(
    readonly option: string,
    problem: string,
  ) {
    super(`${option}: ${problem}`);
    this.name = 'ApiBaseError';
  }
}

/** 127.0.0.0/8, ::1 and `localhost`: the only hosts plain HTTP may be used with. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '');
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1'; // WHATWG URL parsing already compresses 0:0:…:1 to ::1
  return false;
}

/**
 * Validates a user-given API base (`https://stats.example.com`, optionally with the path the installation
 * is served under) and returns it normalised, without a trailing slash. HTTPS only, except loopback
 * addresses; no credentials, query or fragment. `/api/v1` or `/api/v1/stats` at the end are tolerated.
 */
export function parseApiBase(text: string, option: string): URL {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new ApiBaseError(option, 'is not a URL (expected https://host[:port][/path])');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname)))
    throw new ApiBaseError(option, 'must be an https:// URL (plain http:// is accepted only for loopback addresses)');
  if (url.username !== '' || url.password !== '') throw new ApiBaseError(option, 'must not hold credentials');
  if (url.search !== '' || url.hash !== '') throw new ApiBaseError(option, 'must not hold a query or fragment');
  url.pathname = url.pathname.replace(/\/+$/, '').replace(/\/api\/v1(?:\/stats)?$/, '');
  return url;
}

/** The Cloud API base: app.statalog.com, or the loopback stand-in named by `STATALOG_CLOUD_API_URL`. */
export function cloudApiBase(env: Readonly<Record<string, string | undefined>> = process.env): URL {
  const override = env[CLOUD_API_ENV];
  if (override === undefined || override === '') return new URL(STATALOG_CLOUD_API);
  const url = parseApiBase(override, CLOUD_API_ENV);
  if (!isLoopbackHost(url.hostname))
    throw new ApiBaseError(
      CLOUD_API_ENV,
      'is honoured only for loopback addresses (it exists for tests); unset it to verify against Statalog Cloud',
    );
  return url;
}

/** A config `selfHostedHosts` entry (`stats.example.com[:port]`) as an HTTPS API base. */
export function configHostBase(host: string): URL | undefined {
  try {
    const url = new URL(`https://${host}`);
    return url.host === '' ? undefined : url;
  } catch {
    return undefined;
  }
}

/** The verification URL for a base: `<base>/api/v1/stats`, no query string at all. */
export function statsUrl(base: URL): URL {
  const url = new URL(base.href);
  url.pathname = `${base.pathname.replace(/\/+$/, '')}${VERIFY_PATH}`;
  url.search = '';
  url.hash = '';
  return url;
}
