/**
 * verifyFindings against a loopback Statalog stand-in: statuses, one request per distinct key, the key only
 * ever in the Bearer header, bounded concurrency, retries, redirects and the user-named-host rule.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFinding, secretOf, type Finding } from '@statalog/core';
import { ApiBaseError, isLoopbackHost, parseApiBase } from '../packages/scan/src/verify/api-base.js';
import { verifyFindings, type VerifyOptions } from '../packages/scan/src/verify/verify-findings.js';
import { cloudKey, communityValue } from './helpers/keys.js';
import { startStatalogApi, type StatalogApi } from './helpers/statalog-api.js';

function finding(secret: string, ruleId: Finding['ruleId'] = 'cloud-key', file = 'src/app.ts', line = 1): Finding {
  return createFinding({ ruleId, file, line, column: 1, secret });
}

let api: StatalogApi;
let options: VerifyOptions;
beforeEach(async () => {
  api = await startStatalogApi();
  options = { env: { STATALOG_CLOUD_API_URL: api.url }, timeoutMs: 2000, retryDelayMs: 10 };
});
afterEach(async () => {
  await api.close();
});

/** No output of verification may hold a key: checked on the serialised findings. */
function expectNoKeyIn(results: Finding[], keys: string[]): void {
  const text = JSON.stringify(results);
  expect(keys.some((k) => text.includes(k))).toBe(false);
}

describe('verifyFindings', () => {
  it('tells live from revoked cloud keys, asking each distinct key once with only the Bearer header', async () => {
    const live = cloudKey();
    const revoked = cloudKey();
    api.behave(live, 'live');
    api.behave(revoked, 'revoked');
    const input = [
      finding(live, 'cloud-key', 'a.ts'),
      finding(revoked, 'cloud-key', 'b.ts'),
      finding(live, 'cloud-key', 'c.ts', 9),
      finding(live, 'url-key', 'd.ts'),
    ];

    const results = await verifyFindings(input, options);

    expect(results.map((f) => f.verification)).toEqual([
      { status: 'live' },
      { status: 'revoked' },
      { status: 'live' },
      { status: 'live' },
    ]);
    expect(api.requestsFor(live)).toBe(1);
    expect(api.requestsFor(revoked)).toBe(1);
    expect(api.requests).toHaveLength(2);
    for (const r of api.requests) {
      expect(r.method).toBe('GET');
      expect(r.url).toBe('/api/v1/stats'); // no site_id, no api_key, no query at all
    }
    expect(api.anyUrlContains(live) || api.anyUrlContains(revoked)).toBe(false);
    expect(api.requests.map((r) => r.authorization).sort()).toEqual([`Bearer ${live}`, `Bearer ${revoked}`].sort());
    // Copies in the same order, with their secrets still attached.
    expect(results.map((f) => f.file)).toEqual(['a.ts', 'b.ts', 'c.ts', 'd.ts']);
    expect(results.map((f) => secretOf(f) === live)).toEqual([true, false, true, true]);
    expect(input.every((f) => f.verification === undefined)).toBe(true);
    expectNoKeyIn(results, [live, revoked]);
  });

  it('never sends a non-cloud key anywhere unless the user named a self-hosted API', async () => {
    const key = communityValue();
    api.behave(key, 'live');
    const results = await verifyFindings(
      [finding(key, 'community-key', '.env'), finding(key, 'url-key', 'web.js')],
      options,
    );
    expect(api.requests).toHaveLength(0);
    for (const f of results) {
      expect(f.verification?.status).toBe('unknown');
      expect(f.verification?.status === 'unknown' && f.verification.reason).toMatch(
        /no self-hosted Statalog API was named \(--api-url/,
      );
    }
  });

  it('sends community and non-cloud url-key values to the --api-url host only, and cloud keys to Cloud', async () => {
    const selfHosted = await startStatalogApi();
    try {
      const community = communityValue();
      const cloud = cloudKey();
      const encoded = 'ab+c/d=' + randomBytes(12).toString('hex');
      selfHosted.behave(community, 'live');
      selfHosted.behave(encoded, 'live');
      api.behave(cloud, 'live');
      const results = await verifyFindings(
        [
          finding(community, 'community-key', '.env'),
          finding(cloud, 'url-key', 'a.js'),
          finding(encodeURIComponent(encoded), 'url-key', 'b.js'),
        ],
        { ...options, apiUrl: `${selfHosted.url}/` },
      );
      expect(results.map((f) => f.verification?.status)).toEqual(['live', 'live', 'live']);
      expect(selfHosted.requestsFor(community)).toBe(1);
      expect(selfHosted.requestsFor(encoded)).toBe(1); // percent-decoded, as the server would read api_key=
      expect(selfHosted.requestsFor(cloud)).toBe(0);
      expect(api.requestsFor(cloud)).toBe(1);
      expect(api.requestsFor(community)).toBe(0);
      expect(selfHosted.requests.every((r) => r.url === '/api/v1/stats')).toBe(true);
    } finally {
      await selfHosted.close();
    }
  });

  it('does not guess between several configured self-hosted hosts', async () => {
    const key = communityValue();
    const [result] = await verifyFindings([finding(key, 'community-key')], {
      ...options,
      selfHostedFromConfig: ['stats.example.com', 'stats.example.org'],
    });
    expect(result!.verification).toEqual({
      status: 'unknown',
      reason: expect.stringMatching(/several selfHostedHosts are configured.*--api-url/),
    });
  });

  it('reports misbehaving answers as unknown, with a reason and without the key', async () => {
    const keys = {
      error500: cloudKey(),
      malformed: cloudKey(),
      html401: cloudKey(),
      ok200: cloudKey(),
      slow: cloudKey(),
    } as const;
    for (const [behaviour, key] of Object.entries(keys)) api.behave(key, behaviour as keyof typeof keys);
    const results = await verifyFindings(
      Object.values(keys).map((k) => finding(k)),
      { ...options, timeoutMs: 300 },
    );
    const reasons = results.map((f) =>
      f.verification?.status === 'unknown' ? f.verification.reason : `not unknown: ${f.verification?.status}`,
    );
    const host = new URL(api.url).host;
    expect(reasons).toEqual([
      `${host} failed to answer (HTTP 500)`,
      `${host} answered HTTP 422 without Statalog's JSON error body (a proxy or another service?)`,
      `${host} answered HTTP 401 without Statalog's JSON error body (a proxy or another service?)`,
      `${host} answered HTTP 200, which does not tell a live key from a revoked one`,
      `${host} did not answer within 300 ms`,
    ]);
    // HTTP answers and timeouts are not retried.
    for (const key of Object.values(keys)) expect(api.requestsFor(key)).toBe(1);
    expectNoKeyIn(results, Object.values(keys));
  });

  it('retries once after a network error, and only once', async () => {
    const flaky = cloudKey();
    const broken = cloudKey();
    api.behave(flaky, 'reset-once');
    api.behave(broken, 'reset');
    const results = await verifyFindings([finding(flaky), finding(broken)], options);
    expect(results[0]!.verification).toEqual({ status: 'live' });
    expect(results[1]!.verification).toEqual({
      status: 'unknown',
      reason: expect.stringMatching(/^could not reach 127\.0\.0\.1:\d+ \(connection (reset|closed)\), twice$/),
    });
    expect(api.requestsFor(flaky)).toBe(2);
    expect(api.requestsFor(broken)).toBe(2);
    expectNoKeyIn(results, [flaky, broken]);
  });

  it('does not follow redirects, so the key reaches no other host', async () => {
    const key = cloudKey();
    api.behave(key, 'redirect');
    const [result] = await verifyFindings([finding(key)], options);
    expect(result!.verification).toEqual({
      status: 'unknown',
      reason: expect.stringContaining('redirect (HTTP 302); it was not followed'),
    });
    expect(api.redirectTargetRequests).toHaveLength(0);
  });

  it('keeps at most `concurrency` requests in flight', async () => {
    const keys = Array.from({ length: 7 }, cloudKey);
    for (const k of keys) api.behave(k, 'slow');
    let inFlight = 0;
    let maxInFlight = 0;
    const countingFetch: VerifyOptions['fetch'] = async (input, init) => {
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      try {
        return await fetch(input, init);
      } finally {
        inFlight--;
      }
    };
    const results = await verifyFindings(
      keys.map((k) => finding(k)),
      { ...options, timeoutMs: 200, concurrency: 3, fetch: countingFetch },
    );
    expect(results.every((f) => f.verification?.status === 'unknown')).toBe(true);
    expect(maxInFlight).toBe(3);
    expect(keys.every((k) => api.requestsFor(k) === 1)).toBe(true);
  });

  it('does not send a key an HTTP header cannot carry', async () => {
    const key = 'line1\nline2-' + randomBytes(8).toString('hex');
    const [result] = await verifyFindings([finding(key, 'community-key')], { ...options, apiUrl: api.url });
    expect(result!.verification).toEqual({
      status: 'unknown',
      reason: 'the key holds characters an HTTP header cannot carry; it was not sent',
    });
    expect(api.requests).toHaveLength(0);
  });

  it('reports a finding whose key is not attached as unknown', async () => {
    const detached = { ...finding(cloudKey()) };
    const [result] = await verifyFindings([detached], options);
    expect(result!.verification?.status).toBe('unknown');
    expect(api.requests).toHaveLength(0);
  });
});

describe('API bases', () => {
  it('accepts https anywhere and http only on loopback addresses', () => {
    expect(parseApiBase('https://stats.example.com/analytics/', '--api-url').href).toBe(
      'https://stats.example.com/analytics',
    );
    expect(parseApiBase('https://stats.example.com/api/v1/stats', '--api-url').href).toBe('https://stats.example.com/');
    for (const ok of ['http://127.0.0.1:8080', 'http://127.9.9.9', 'http://localhost:3000', 'http://[::1]:9'])
      expect(() => parseApiBase(ok, '--api-url')).not.toThrow();
    for (const bad of [
      'http://stats.example.com',
      'http://128.0.0.1',
      'ftp://127.0.0.1',
      'stats.example.com',
      'https://u:p@stats.example.com',
      'https://stats.example.com/?api_key=x',
    ])
      expect(() => parseApiBase(bad, '--api-url')).toThrow(ApiBaseError);
  });

  it('names the option and never quotes the value in its errors', () => {
    const secretish = 'http://' + randomBytes(8).toString('hex') + '.example.com';
    try {
      parseApiBase(secretish, '--api-url');
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toMatch(/^--api-url: /);
      expect((error as Error).message.includes(secretish)).toBe(false);
    }
  });

  it('honours STATALOG_CLOUD_API_URL only for loopback addresses', async () => {
    await expect(
      verifyFindings([finding(cloudKey())], { env: { STATALOG_CLOUD_API_URL: 'https://evil.example.com' } }),
    ).rejects.toThrow(/^STATALOG_CLOUD_API_URL: is honoured only for loopback addresses/);
    expect(isLoopbackHost('localhost')).toBe(true);
    expect(isLoopbackHost('127.0.0.53')).toBe(true);
    expect(isLoopbackHost('[::1]')).toBe(true);
    expect(isLoopbackHost('localhost.example.com')).toBe(false);
    expect(isLoopbackHost('10.0.0.1')).toBe(false);
  });
});

describe('volume: a cap per run and an overall deadline', () => {
  it('at most `limit` distinct keys are sent; the rest are unknown, "not checked", never revoked', async () => {
    const keys = Array.from({ length: 30 }, () => cloudKey());
    const results = await verifyFindings(
      keys.map((k, i) => finding(k, 'cloud-key', `f${i}.ts`)),
      { ...options, limit: 10 },
    );
    expect(api.requests).toHaveLength(10);
    expect(results.filter((r) => r.verification?.status === 'revoked')).toHaveLength(10); // the stand-in's answer for unknown keys
    const rest = results.filter((r) => r.verification?.status === 'unknown');
    expect(rest).toHaveLength(20);
    for (const r of rest)
      expect(r.verification).toEqual({
        status: 'unknown',
        reason: expect.stringMatching(
          /^not checked: only the first 10 distinct keys are verified per run \(30 found; raise --verify-limit\)$/,
        ),
      });
  });

  it('the default limit is 100', async () => {
    const keys = Array.from({ length: 130 }, () => cloudKey());
    const results = await verifyFindings(
      keys.map((k) => finding(k)),
      { ...options, concurrency: 16 },
    );
    expect(api.requests).toHaveLength(100);
    expect(results.filter((r) => r.verification?.status === 'unknown')).toHaveLength(30);
  });

  it('no request starts after the deadline: a slow API cannot hold the run for keys × timeout', async () => {
    const keys = Array.from({ length: 12 }, () => cloudKey());
    for (const k of keys) api.behave(k, 'slow');
    const started = Date.now();
    const results = await verifyFindings(
      keys.map((k) => finding(k)),
      { ...options, timeoutMs: 400, concurrency: 2, deadlineMs: 1000 },
    );
    expect(Date.now() - started).toBeLessThan(4000); // 12 keys / 2 at a time × 400 ms = 2.4 s without a deadline
    const unchecked = results.filter(
      (r) =>
        r.verification?.status === 'unknown' &&
        r.verification.reason.startsWith('not checked: verification stopped after 1 s'),
    );
    expect(unchecked.length).toBeGreaterThan(0);
    expect(results.some((r) => r.verification?.status === 'revoked')).toBe(false);
  });
});
