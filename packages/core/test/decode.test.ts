/**
 * Encoded content: base64 and percent-encoded runs that decode to text holding an anchor are
 * searched again (depth ≤ 2); a finding points at the encoded run and names its encoding. Decoys — random
 * base64, an image, lockfile integrity hashes, JWTs — yield nothing, and the search stays linear.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodedRuns, detectEncoded, encodedAnchors, MAX_DEPTH } from '../src/decode.js';
import { detect } from '../src/index.js';
import { cloudKey, hexKey } from './support.js';

const b64 = (text: string | Buffer) => Buffer.from(text).toString('base64');
const pct = (text: string) => encodeURIComponent(text);

/** What `detectEncoded` found, as [rule, encoding, the text its span covers, secret]. */
function found(text: string) {
  return detectEncoded(text).map((m) => [m.ruleId, m.encoding, text.slice(m.start, m.end), m.secret]);
}

describe('encoded content is searched again', () => {
  it('a Kubernetes Secret whose data: holds a whole base64 .env', () => {
    const key = hexKey();
    const env = b64(`APP_ENV=production\nSTATALOG_API_KEY=${key}\nSTATALOG_SITE_ID=ST-A1B2C3\n`);
    const text = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: web\ndata:\n  .env: ${env}\n`;
    expect(found(text)).toEqual([['community-key', 'base64', env, key]]);
  });

  it('a base64 .env in a CI variable file, URL-safe alphabet, no padding', () => {
    const key = hexKey();
    const env = Buffer.from(`# prod\nSTATALOG_API_KEY="${key}"\n`).toString('base64url');
    expect(found(`variables:\n  ENV_FILE_B64: ${env}\n`)).toEqual([['community-key', 'base64', env, key]]);
  });

  it('a cloud key on its own, base64-encoded', () => {
    const key = cloudKey();
    expect(found(`token: "${b64(key)}"`)).toEqual([['cloud-key', 'base64', b64(key), key]]);
  });

  it('a redirect URL encoded twice (%253D): depth 2', () => {
    const key = hexKey();
    const inner = `https://app.statalog.com/api/v1/stats?site_id=ST-A1B2C3&api_key=${key}`;
    const outer = `https://example.com/login?next=${pct(pct(inner))}`;
    expect(outer).toContain('%253D');
    expect(found(`GET ${outer} 302`)).toEqual([['url-key', 'percent', outer, key]]);
  });

  it('a percent-encoded URL inside base64 (two different encodings nest)', () => {
    const key = hexKey();
    const state = b64(`return=${pct(`https://app.statalog.com/api/v1/live?api_key=${key}`)}`);
    expect(found(`state=${state}`)).toEqual([['url-key', 'base64', state, key]]);
  });

  it(`depth is bounded: an anchor encoded ${MAX_DEPTH + 1} times is not decoded`, () => {
    const key = hexKey();
    const thrice = b64(b64(b64(`STATALOG_API_KEY=${key}\n`)));
    expect(found(`blob: ${thrice}`)).toEqual([]);
    expect(found(`blob: ${b64(b64(`STATALOG_API_KEY=${key}\n`))}`)).toHaveLength(1);
  });

  it('a base64 value assigned to the name is a plain finding, not reported again', () => {
    const value = b64(hexKey());
    const text = `kind: Secret\ndata:\n  STATALOG_API_KEY: ${value}\n`;
    expect(detect(text).map((m) => m.secret)).toEqual([value]);
    expect(found(text)).toEqual([]);
  });

  it('statalog:allow on the run’s line silences it', () => {
    expect(found(`  .env: ${b64(`STATALOG_API_KEY=${hexKey()}\n`)} # statalog:allow`)).toEqual([]);
  });

  it('placeholders inside encoded text stay silent', () => {
    expect(found(`.env: ${b64('STATALOG_API_KEY=your-statalog-api-key\nSTATALOG_URL=https://stats.example.com\n')}`)).toEqual([]);
  });
});

describe('detect({ decode: true })', () => {
  it('adds encoded findings to the plain ones, in order, and only when asked', () => {
    const key = hexKey();
    const cloud = cloudKey();
    const env = b64(`STATALOG_API_KEY=${key}\n`);
    const text = `token: ${cloud}\n.env: ${env}\n`;
    expect(detect(text).map((m) => m.secret)).toEqual([cloud]);
    const both = detect(text, { decode: true });
    expect(both.map((m) => [m.ruleId, m.secret, m.encoding])).toEqual([['cloud-key', cloud, undefined], ['community-key', key, 'base64']]);
    expect(text.slice(both[1]!.start, both[1]!.end)).toBe(env);
  });

  it('finds encoded content in text without any plain anchor', () => {
    const key = cloudKey();
    expect(detect(`x: ${b64(key)}`, { decode: true }).map((m) => m.secret)).toEqual([key]);
  });
});

describe('decoys yield nothing', () => {
  it('random base64, an image, lockfile integrity hashes, a JWT, encoded prose', () => {
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(300)]);
    const jwt = [
      Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url'),
      Buffer.from('{"sub":"1234567890","iss":"https://app.statalog.com","scope":"stats:read"}').toString('base64url'),
      randomBytes(32).toString('base64url'),
    ].join('.');
    const text = [
      `random: ${randomBytes(48).toString('base64')}`,
      `<img src="data:image/png;base64,${png.toString('base64')}">`,
      `"integrity": "sha512-${randomBytes(64).toString('base64')}"`,
      `"integrity": "sha1-${randomBytes(20).toString('base64')}"`,
      `Authorization: Bearer ${jwt}`,
      `readme: ${b64('Statalog is a privacy-friendly analytics product; keys live in the environment.')}`,
      `next=${pct('https://app.statalog.com/dashboard?site_id=ST-A1B2C3')}`,
    ].join('\n');
    expect(found(text)).toEqual([]);
  });

  it('random base64 never decodes to text', () => {
    for (let i = 0; i < 200; i++) expect(decodedRuns(`x ${randomBytes(24 + (i % 40)).toString('base64')} y`)).toEqual([]);
  });
});

describe('the prefilter anchors for encoded content', () => {
  it('every base64 .env holding the name contains one of them, at any alignment', () => {
    const anchors = encodedAnchors();
    for (let pad = 0; pad < 3; pad++) {
      for (const body of [`STATALOG_API_KEY=${hexKey()}`, `statalog:\n  api_key: ${hexKey()}`, `https://app.statalog.com/?api_key=${hexKey()}`, `Statalog__ApiKey=${hexKey()}`]) {
        const encoded = b64(`${'#'.repeat(pad)}${body}`);
        expect(anchors.some((a) => encoded.includes(a)), `${pad} ${body.slice(0, 20)}`).toBe(true);
      }
    }
  });

  it('a cloud key encoded on its own starts with one of them (c3Rf, `st_`)', () => {
    expect(encodedAnchors().some((a) => b64(cloudKey()).startsWith(a))).toBe(true);
  });

  it('percent-encoded api_key= is one of them', () => {
    expect(encodedAnchors()).toEqual(expect.arrayContaining(['api_key%3D', 'api_key%253D']));
  });
});

describe('linear time', () => {
  const MB = 1 << 20;
  const BUDGET_MS = 5000;
  const time = (text: string) => {
    const t0 = performance.now();
    detectEncoded(text);
    return performance.now() - t0;
  };
  it.each([
    ['random base64 lines', () => Array.from({ length: MB / 80 }, () => randomBytes(60).toString('base64')).join('\n')],
    ['one 1 MB base64 run of text with anchors', () => b64(`STATALOG_API_KEY=x\n`.repeat(MB / 26))],
    ['base64 .env runs back to back', () => `${b64(`STATALOG_API_KEY=${hexKey()}\n`)} `.repeat(MB / 120)],
    ['%41 repeated', () => '%41'.repeat(MB / 3)],
    ['%25 repeated (decodes to more escapes)', () => '%25'.repeat(MB / 3)],
    ['encoded statalog URLs back to back', () => `${pct(`https://app.statalog.com/?api_key=${hexKey()}`)} `.repeat(MB / 140)],
  ])('%s (1 MB)', (_name, make) => {
    const ms = time(make());
    expect(ms).toBeLessThan(BUDGET_MS);
  });
});
