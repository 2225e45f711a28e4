/**
 * Fetching from a deployed site, within bounds: only the origins named with `--url`, redirects followed only
 * within them, no cookies or credentials (Node's fetch keeps no cookie jar; nothing is added but a
 * User-Agent), a byte cap per response, a time cap per request and for the whole run.
 */
import { formatBytes } from '../archives/limits.js';

export interface SiteLimits {
  /** Bytes of one response (decoded); more is not read. */
  maxResponseBytes: number;
  /** Resources fetched per run, pages included. */
  maxResources: number;
  /** One request, headers and body. */
  requestTimeoutMs: number;
  /** The whole run. */
  totalTimeoutMs: number;
}

export const DEFAULT_SITE_LIMITS: SiteLimits = {
  maxResponseBytes: 32 * 1024 * 1024,
  maxResources: 300,
  requestTimeoutMs: 20_000,
  totalTimeoutMs: 120_000,
};

const MAX_REDIRECTS = 5;

export type Fetched =
  | { ok: true; url: string; body: Buffer; contentType: string; sourceMap: string | null }
  /** `missing`: the server said there is nothing there (404/410) — nothing is served, so nothing to scan. */
  | { ok: false; url: string; reason: string; missing: boolean };

/** `https:`, or `http:` to the loopback interface (a local preview server, the tests). */
export function isAllowedScheme(url: URL): boolean {
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && isLoopback(url.hostname);
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

export class SiteFetcher {
  private fetched = 0;
  private readonly deadline: number;

  constructor(
    private readonly origins: ReadonlySet<string>,
    private readonly limits: SiteLimits,
    private readonly userAgent: string,
  ) {
    this.deadline = Date.now() + limits.totalTimeoutMs;
  }

  /** False once the count or the time cap is reached. */
  get exhausted(): string | undefined {
    if (this.fetched >= this.limits.maxResources) return `more than ${this.limits.maxResources} resources`;
    if (Date.now() >= this.deadline) return `the ${this.limits.totalTimeoutMs / 1000} s time cap`;
    return undefined;
  }

  allows(url: string): boolean {
    try {
      return this.origins.has(new URL(url).origin);
    } catch {
      return false;
    }
  }

  async get(start: string): Promise<Fetched> {
    let url = start;
    for (let hop = 0; ; hop++) {
      this.fetched++;
      const timeout = Math.max(1, Math.min(this.limits.requestTimeoutMs, this.deadline - Date.now()));
      let response: Response;
      try {
        response = await fetch(url, {
          redirect: 'manual',
          credentials: 'omit',
          headers: { 'user-agent': this.userAgent, accept: '*/*' },
          signal: AbortSignal.timeout(timeout),
        });
      } catch (error) {
        return { ok: false, url, reason: `cannot be fetched (${describeFetchError(error)})`, missing: false };
      }
      if (response.status >= 300 && response.status < 400 && response.headers.has('location')) {
        await response.body?.cancel();
        const next = new URL(response.headers.get('location')!, url);
        next.hash = '';
        if (!this.origins.has(next.origin))
          return {
            ok: false,
            url,
            reason: `redirects to ${next.origin} (another origin): not followed — name it with --url to scan it`,
            missing: false,
          };
        if (hop >= MAX_REDIRECTS)
          return { ok: false, url, reason: `more than ${MAX_REDIRECTS} redirects`, missing: false };
        url = next.href;
        continue;
      }
      if (!response.ok) {
        await response.body?.cancel();
        return {
          ok: false,
          url,
          reason: `HTTP ${response.status}`,
          missing: response.status === 404 || response.status === 410,
        };
      }
      const body = await readCapped(response, this.limits.maxResponseBytes);
      if (body === undefined)
        return {
          ok: false,
          url,
          reason: `larger than ${formatBytes(this.limits.maxResponseBytes)}: not scanned`,
          missing: false,
        };
      if (body instanceof Error)
        return { ok: false, url, reason: `cannot be fetched (${describeFetchError(body)})`, missing: false };
      return {
        ok: true,
        url,
        body,
        contentType: response.headers.get('content-type') ?? '',
        sourceMap: response.headers.get('sourcemap') ?? response.headers.get('x-sourcemap'),
      };
    }
  }
}

/** The body, or undefined past `max` bytes (the rest is not downloaded), or the error that cut it short. */
async function readCapped(response: Response, max: number): Promise<Buffer | undefined | Error> {
  const declared = Number(response.headers.get('content-length'));
  if (declared > max) {
    await response.body?.cancel();
    return undefined;
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    if (!response.body) return Buffer.alloc(0);
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      total += chunk.length;
      if (total > max) {
        await response.body.cancel().catch(() => undefined);
        return undefined;
      }
      chunks.push(chunk);
    }
  } catch (error) {
    return error as Error;
  }
  return Buffer.concat(chunks, total);
}

function describeFetchError(error: unknown): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return 'timed out';
  return e.cause?.code ?? e.cause?.message ?? e.message ?? String(error);
}
