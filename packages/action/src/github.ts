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
  /**
   * Test-only: the base of every retry delay in ms (the plugins default to 1000 ms, times retryCount² for
   * 5xx answers and times the advertised wait for rate limits). Read from STATALOG_ACTION_RETRY_BASE_MS.
   */
  retryBaseMs?: number;
}

/** A primary rate-limit wait longer than this is not worth holding a runner for. */
const MAX_RATE_LIMIT_WAIT_S = 15 * 60;

export function createClient(options: ClientOptions): Client {
  let requests = 0;
  const countingFetch: typeof fetch = (input, init) => {
    requests++;
    return fetch(input, init);
  };
  const base = options.retryBaseMs;
  const octokit = new GitHub({
    auth: options.token,
    baseUrl: options.baseUrl,
    userAgent: `statalog-key-guard-action/${ACTION_VERSION}`,
    request: { fetch: countingFetch },
    retry: { retries: 3, ...(base !== undefined ? { retryAfterBaseValue: base } : {}) },
    throttle: {
      ...(base !== undefined ? { retryAfterBaseValue: base } : {}),
      onRateLimit: (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
        const again = retryCount < 2 && retryAfter <= MAX_RATE_LIMIT_WAIT_S;
        options.warn(`GitHub API rate limit reached on ${request.method} ${request.url}; ${again ? `retrying in ${retryAfter} s` : 'giving up'}`);
        return again;
      },
      onSecondaryRateLimit: (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
        const again = retryCount < 3;
        options.warn(`GitHub API secondary rate limit on ${request.method} ${request.url}; ${again ? `retrying in ${retryAfter} s` : 'giving up'}`);
        return again;
      },
    },
    // octokit's own deprecation notices and request logs would only be noise in the job log
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  });
  return { octokit, owner: options.owner, repo: options.repo, requests: () => requests };
}

/** Reads the test-only retry delay override; anything but a small non-negative integer is ignored. */
export function retryBaseFromEnv(env: NodeJS.ProcessEnv): number | undefined {
  const raw = env.STATALOG_ACTION_RETRY_BASE_MS;
  if (raw === undefined || !/^\d{1,5}$/.test(raw)) return undefined;
  return Number(raw);
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
  const e = error as { status?: number; request?: { method?: string; url?: string }; message?: string } | null;
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
