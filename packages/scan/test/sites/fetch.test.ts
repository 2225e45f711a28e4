/**
 * The site fetcher's caps, against a real loopback server with small limits (the CLI's are large): a
 * response past the byte cap is cut off and reported, the count cap stops fetching, a server that does not
 * answer is a timeout, and only the named origins are allowed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SiteFetcher, isAllowedScheme } from '../../src/sites/fetch.js';
import { serveSite, type Site } from '../../../../test/helpers/site.js';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

let site: Site | undefined;
let hanging: Server | undefined;
afterEach(async () => {
  await site?.close();
  site = undefined;
  hanging?.closeAllConnections();
  await new Promise<void>((resolve) => (hanging ? hanging.close(() => resolve()) : resolve()));
  hanging = undefined;
});

const limits = { maxResponseBytes: 1024, maxResources: 3, requestTimeoutMs: 500, totalTimeoutMs: 10_000 };

describe('SiteFetcher', () => {
  it('cuts off a response past the byte cap (declared or streamed) and says so', async () => {
    site = await serveSite({ '/small.js': { body: 'x'.repeat(1000) }, '/big.js': { body: 'x'.repeat(5000) } });
    const fetcher = new SiteFetcher(new Set([site.origin]), limits, 'test');
    const small = await fetcher.get(`${site.origin}/small.js`);
    expect(small.ok && small.body.length).toBe(1000);
    const big = await fetcher.get(`${site.origin}/big.js`);
    expect(big).toEqual({
      ok: false,
      url: `${site.origin}/big.js`,
      reason: 'larger than 1 KiB: not scanned',
      missing: false,
    });
  });

  it('stops at the resource cap', async () => {
    site = await serveSite({ '/a': { body: 'a' } });
    const fetcher = new SiteFetcher(new Set([site.origin]), limits, 'test');
    for (let i = 0; i < 3; i++) {
      expect(fetcher.exhausted).toBeUndefined();
      await fetcher.get(`${site.origin}/a`);
    }
    expect(fetcher.exhausted).toBe('more than 3 resources');
  });

  it('a server that never answers is a timeout, not a hang', async () => {
    hanging = createServer(() => undefined);
    await new Promise<void>((resolve) => hanging!.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`;
    const fetcher = new SiteFetcher(new Set([origin]), limits, 'test');
    const started = Date.now();
    const got = await fetcher.get(`${origin}/`);
    expect(got).toEqual({ ok: false, url: `${origin}/`, reason: 'cannot be fetched (timed out)', missing: false });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('allows the named origins only, and https or loopback http', () => {
    const fetcher = new SiteFetcher(new Set(['https://example.com']), limits, 'test');
    expect(fetcher.allows('https://example.com/a.js')).toBe(true);
    expect(fetcher.allows('https://cdn.example.com/a.js')).toBe(false);
    expect(fetcher.allows('http://example.com/a.js')).toBe(false);
    expect(isAllowedScheme(new URL('http://127.0.0.1:8080/'))).toBe(true);
    expect(isAllowedScheme(new URL('http://localhost/'))).toBe(true);
    expect(isAllowedScheme(new URL('http://[::1]/'))).toBe(true);
    expect(isAllowedScheme(new URL('http://127.example.com/'))).toBe(false);
    expect(isAllowedScheme(new URL('http://example.com/'))).toBe(false);
    expect(isAllowedScheme(new URL('ftp://127.0.0.1/'))).toBe(false);
  });
});
