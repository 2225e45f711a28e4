/**
 * One key, one question: `GET <base>/api/v1/stats` with the key in `Authorization: Bearer` and no `site_id`.
 * Statalog answers 422 ("site_id is required.") for a live key and 401 for a revoked or wrong one, before
 * reading any analytics. Everything else is `unknown`, with a reason built only from our own words, the
 * host the user named, HTTP status codes and error codes — never from error messages or response bodies,
 * which can quote the request (undici's invalid-header error quotes the header value, i.e. the key).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Verification } from '@statalog/core';
import { statsUrl } from './api-base.js';

export type FetchLike = (input: URL, init: RequestInit) => Promise<Response>;

export interface AskOptions {
  timeoutMs: number;
  fetch: FetchLike;
  userAgent: string;
  /** Pause before the single retry after a network error. */
  retryDelayMs: number;
}

/** Statalog's error bodies are tiny JSON objects; anything bigger is not the answer we are looking for. */
const MAX_BODY_BYTES = 16 * 1024;

/** Bearer tokens travel in a header: visible ASCII only (anything else cannot be sent as-is). */
const SENDABLE_KEY = /^[\x21-\x7e]+$/;

export async function askApi(base: URL, key: string, options: AskOptions): Promise<Verification> {
  const where = base.host;
  if (!SENDABLE_KEY.test(key)) return unknown('the key holds characters an HTTP header cannot carry; it was not sent');
  const url = statsUrl(base);
  let outcome = await attempt(url, key, options);
  if (outcome.kind === 'network') {
    // One retry, and only for failures before any answer (refused, reset, DNS hiccup): a timeout already
    // cost the full budget, and an HTTP answer is an answer.
    await sleep(options.retryDelayMs);
    outcome = await attempt(url, key, options);
  }
  switch (outcome.kind) {
    case 'answer':
      return classify(where, outcome.status, outcome.body);
    case 'redirect':
      return unknown(
        `${where} answered with a redirect (HTTP ${outcome.status}); it was not followed, so the key went nowhere else`,
      );
    case 'timeout':
      return unknown(`${where} did not answer within ${formatMs(options.timeoutMs)}`);
    case 'network':
      return unknown(`could not reach ${where} (${outcome.what}), twice`);
  }
}

type Outcome =
  | { kind: 'answer'; status: number; body: unknown }
  | { kind: 'redirect'; status: number }
  | { kind: 'timeout' }
  | { kind: 'network'; what: string };

async function attempt(url: URL, key: string, options: AskOptions): Promise<Outcome> {
  const signal = AbortSignal.timeout(options.timeoutMs);
  try {
    const response = await options.fetch(url, {
      method: 'GET',
      headers: { authorization: `Bearer ${key}`, accept: 'application/json', 'user-agent': options.userAgent },
      // Never follow: a redirect could lead the Authorization header to another host or to plain HTTP.
      redirect: 'manual',
      signal,
    });
    if (response.status >= 300 && response.status < 400) {
      await response.body?.cancel().catch(() => undefined);
      return { kind: 'redirect', status: response.status };
    }
    return { kind: 'answer', status: response.status, body: await readJsonBody(response) };
  } catch (error) {
    if (signal.aborted) return { kind: 'timeout' };
    return { kind: 'network', what: describeNetworkError(error) };
  }
}

const NOT_JSON = Symbol('not JSON');

/** The body as JSON, or NOT_JSON when it is not JSON or too large to be Statalog's error object. */
async function readJsonBody(response: Response): Promise<unknown> {
  if (!response.body) return NOT_JSON;
  const reader: ReadableStreamDefaultReader<Uint8Array> = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel().catch(() => undefined);
      return NOT_JSON;
    }
    chunks.push(value);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return NOT_JSON;
  }
}

/** 422 and 401 count only with Statalog's `{"error": "…"}` body: a proxy's HTML 401 says nothing about the key. */
function classify(where: string, status: number, body: unknown): Verification {
  const statalogShaped =
    typeof body === 'object' &&
    body !== null &&
    !Array.isArray(body) &&
    typeof (body as { error?: unknown }).error === 'string';
  if ((status === 422 || status === 401) && !statalogShaped)
    return unknown(`${where} answered HTTP ${status} without Statalog's JSON error body (a proxy or another service?)`);
  if (status === 422) return { status: 'live' };
  if (status === 401) return { status: 'revoked' };
  if (status === 429) return unknown(`${where} is rate-limiting (HTTP 429); try again later`);
  if (status >= 500) return unknown(`${where} failed to answer (HTTP ${status})`);
  return unknown(`${where} answered HTTP ${status}, which does not tell a live key from a revoked one`);
}

const NETWORK_WORDS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  UND_ERR_SOCKET: 'connection closed',
  EPIPE: 'connection closed',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'DNS lookup failed',
  ENETUNREACH: 'network unreachable',
  EHOSTUNREACH: 'host unreachable',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
};

/** Error codes only (`ECONNRESET`, `CERT_HAS_EXPIRED`): their messages may quote the request. */
function describeNetworkError(error: unknown): string {
  const code = errorCode(error);
  if (code === undefined) return 'network error';
  if (/CERT|TLS|SSL|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)) return `TLS certificate rejected: ${code}`;
  return NETWORK_WORDS[code] ?? `network error ${code}`;
}

function errorCode(error: unknown): string | undefined {
  for (
    let e: unknown = error, depth = 0;
    e && typeof e === 'object' && depth < 4;
    e = (e as { cause?: unknown }).cause, depth++
  ) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[A-Z0-9_]{2,48}$/.test(code)) return code;
  }
  return undefined;
}

function unknown(reason: string): Verification {
  return { status: 'unknown', reason };
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
