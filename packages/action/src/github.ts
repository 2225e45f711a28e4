/**
 * The REST client: @octokit/rest with the throttling and retry plugins, so rate limits and 5xx answers are
 * waited out and retried instead of failing the check. Every HTTP request (retries included) is counted.
 */
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import { ACTION_VERSION } from './version.js';

const GitHub = Octokit.plugin(throttling, retry);

export interface Client {
  octokit: Octokit;
  owner: string;
  repo: string;
  /** HTTP requests sent so far, retries included. */
  requests(): number;
}

export interface ClientOptions {
  token: string;
  baseUrl: string;
  owner: string;
  repo: string;
  warn(message: string): void;
  /** A log line that is not a warning (still waiting for an answer). */
  info?(message: string): void;
  /**
   * Test-only: the base of every retry delay in ms (the plugins default to 1000 ms, times retryCount² for
   * 5xx answers; a Retry-After of N seconds waits N times this). Read from STATALOG_ACTION_RETRY_BASE_MS.
   */
  retryBaseMs?: number;
  /** Per-request timeout in ms (default 30 s); a request without an answer by then is aborted and retried. */
  requestTimeoutMs?: number;
  /** Total time budget for the run's requests in ms (default 20 min): past it, no request is sent. */
  budgetMs?: number;
}

/** A primary rate-limit wait longer than this is not worth holding a runner for. */
const MAX_RATE_LIMIT_WAIT_S = 15 * 60;
const REQUEST_TIMEOUT_MS = 30_000;
const TIME_BUDGET_MS = 20 * 60_000;
/** How often a rate-limited (429/403) request is waited out and sent again before its answer stands. */
const RATE_LIMIT_RETRIES = 3;

/** Why a request was not answered: no answer in time, or the run's time budget is spent. */
class RequestAbandoned extends Error {
  override name = 'RequestAbandoned';
}

export function createClient(options: ClientOptions): Client {
  let requests = 0;
  const started = Date.now();
  const timeoutMs = options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
  const budgetMs = options.budgetMs ?? TIME_BUDGET_MS;
  const unitMs = options.retryBaseMs ?? 1000;
  const left = (): number => budgetMs - (Date.now() - started);
  const budgetError = (): RequestAbandoned =>
    new RequestAbandoned(
      `the run's time budget of ${describeMs(budgetMs)} for GitHub API requests ran out after ${requests} requests, so not everything was scanned`,
    );

  /** One try: aborted after `timeoutMs`, with a log line half-way so a slow API does not look like a hang. */
  const timedFetch = async (
    input: Parameters<typeof fetch>[0],
    init: Parameters<typeof fetch>[1],
  ): Promise<Response> => {
    if (left() <= 0) throw budgetError();
    requests++;
    const controller = new AbortController();
    const limit = Math.min(timeoutMs, Math.max(1, left()));
    const what = `${init?.method ?? 'GET'} ${pathOf(String(input instanceof Request ? input.url : input))}`;
    const waiting = setTimeout(
      () =>
        options.info?.(
          `still waiting for GitHub to answer ${what} (${describeMs(limit / 2)} so far; giving up at ${describeMs(limit)})`,
        ),
      limit / 2,
    );
    const timer = setTimeout(() => controller.abort(), limit);
    const outer = init?.signal;
    if (outer) outer.addEventListener('abort', () => controller.abort(), { once: true });
    try {
      return await fetch(input, { ...init, signal: controller.signal });
    } catch (error) {
      if (controller.signal.aborted && !outer?.aborted)
        throw limit < timeoutMs ? budgetError() : new RequestAbandoned(`no answer within ${describeMs(limit)}`);
      throw error;
    } finally {
      clearTimeout(waiting);
      clearTimeout(timer);
    }
  };

  /** Rate limits (429, or 403 with Retry-After / an exhausted quota / "secondary rate limit") are waited out. */
  const patientFetch: typeof fetch = async (input, init) => {
    for (let attempt = 0; ; attempt++) {
      const response = await timedFetch(input, init);
      if ((response.status !== 429 && response.status !== 403) || attempt >= RATE_LIMIT_RETRIES) return response;
      const waitS = await rateLimitWait(response);
      if (waitS === undefined) return response;
      const what = `${init?.method ?? 'GET'} ${pathOf(response.url || urlOf(input))}`;
      if (waitS > MAX_RATE_LIMIT_WAIT_S || waitS * unitMs >= left()) {
        options.warn(`GitHub API rate limit on ${what}: asked to wait ${waitS} s, more than this run can; giving up`);
        return response;
      }
      options.warn(
        `GitHub API answered ${response.status} (rate limit) on ${what}; waiting ${waitS} s as it asks, then trying again`,
      );
      await new Promise((resolve) => setTimeout(resolve, waitS * unitMs));
    }
  };

  const base = options.retryBaseMs;
  const octokit = new GitHub({
    auth: options.token,
    baseUrl: options.baseUrl,
    userAgent: `statalog-key-guard-action/${ACTION_VERSION}`,
    request: { fetch: patientFetch },
    retry: { retries: 3, ...(base !== undefined ? { retryAfterBaseValue: base } : {}) },
    throttle: {
      ...(base !== undefined ? { retryAfterBaseValue: base } : {}),
      // rate limits are waited out in patientFetch (Retry-After on any 429 and 403); what reaches here stands
      onRateLimit: () => false,
      onSecondaryRateLimit: () => false,
    },
    // octokit's own deprecation notices and request logs would only be noise in the job log
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  });
  return { octokit, owner: options.owner, repo: options.repo, requests: () => requests };
}

/**
 * Seconds to wait before sending a rate-limited request again, or undefined when the answer is not a rate
 * limit (a 403 for missing permissions stands). Retry-After first; then an exhausted primary quota (its
 * reset time); then GitHub's documented minute for a secondary limit without a header.
 */
async function rateLimitWait(response: Response): Promise<number | undefined> {
  const retryAfter = response.headers.get('retry-after');
  if (retryAfter !== null) {
    const seconds = /^\d+$/.test(retryAfter.trim())
      ? Number(retryAfter)
      : Math.ceil((Date.parse(retryAfter) - Date.now()) / 1000);
    if (Number.isFinite(seconds)) return Math.max(1, seconds);
  }
  if (response.headers.get('x-ratelimit-remaining') === '0') {
    const reset = Number(response.headers.get('x-ratelimit-reset'));
    if (Number.isFinite(reset) && reset > 0) return Math.max(1, Math.ceil(reset - Date.now() / 1000));
  }
  const body = await response
    .clone()
    .text()
    .catch(() => '');
  if (/secondary rate limit/i.test(body)) return 60;
  return response.status === 429 ? 60 : undefined;
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url.slice(0, 120);
  }
}

function describeMs(ms: number): string {
  return ms >= 60_000 && ms % 60_000 === 0
    ? `${ms / 60_000} min`
    : ms >= 1000
      ? `${Math.round(ms / 1000)} s`
      : `${Math.round(ms)} ms`;
}

/** Reads the test-only retry delay override; anything but a small non-negative integer is ignored. */
function retryBaseFromEnv(env: NodeJS.ProcessEnv): number | undefined {
  const raw = env.STATALOG_ACTION_RETRY_BASE_MS;
  if (raw === undefined || !/^\d{1,5}$/.test(raw)) return undefined;
  return Number(raw);
}

/** Test-only knobs: retry base, per-request timeout and time budget in ms (STATALOG_ACTION_*). */
export function budgetFromEnv(
  env: NodeJS.ProcessEnv,
): Pick<ClientOptions, 'retryBaseMs' | 'requestTimeoutMs' | 'budgetMs'> {
  const number = (raw: string | undefined): number | undefined =>
    raw !== undefined && /^\d{1,8}$/.test(raw) ? Number(raw) : undefined;
  const retryBaseMs = retryBaseFromEnv(env);
  const requestTimeoutMs = number(env.STATALOG_ACTION_REQUEST_TIMEOUT_MS);
  const budgetMs = number(env.STATALOG_ACTION_TIME_BUDGET_MS);
  return {
    ...(retryBaseMs !== undefined ? { retryBaseMs } : {}),
    ...(requestTimeoutMs !== undefined ? { requestTimeoutMs } : {}),
    ...(budgetMs !== undefined ? { budgetMs } : {}),
  };
}

/** The HTTP status of an octokit RequestError, or undefined for anything else. */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}

/**
 * One line for an API failure: method, route and status — never headers (the token) or the response body
 * (which may quote content).
 */
export function describeApiError(error: unknown): string {
  const e = error as {
    status?: number;
    request?: { method?: string; url?: string };
    message?: string;
    cause?: unknown;
  } | null;
  const abandoned =
    e?.cause instanceof RequestAbandoned ? e.cause : error instanceof RequestAbandoned ? error : undefined;
  if (abandoned) {
    const where = e?.request?.url ? ` (GitHub API ${e.request.method ?? 'GET'} ${pathOf(e.request.url)})` : '';
    return /budget/.test(abandoned.message)
      ? `${abandoned.message}${where}`
      : `GitHub API ${e?.request?.method ?? 'GET'} ${pathOf(e?.request?.url ?? '')}: ${abandoned.message}, after retries`;
  }
  if (e && typeof e.status === 'number' && e.request?.url) {
    let path = e.request.url;
    try {
      path = new URL(e.request.url).pathname;
    } catch {
      // keep the raw url
    }
    const reason = (e.message ?? '').split(/\s+-\s+https?:|\r|\n/)[0]!.slice(0, 120);
    return `GitHub API ${e.request.method ?? 'GET'} ${path} answered ${e.status}${reason ? ` (${reason})` : ''}`;
  }
  return e instanceof Error ? e.message.split(/\r|\n/)[0]! : String(error);
}

/** The URL a fetch was asked for, whatever form it came in. */
function urlOf(input: string | URL | Request): string {
  return typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
}
