/**
 * Encoded content: base64 and percent-encoded runs that decode to text holding an anchor are
 * searched again (depth ≤ 2); a finding points at the encoded run and names its encoding. Decoys — random
 * base64, an image, lockfile integrity hashes, JWTs — yield nothing, and the search stays linear.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodedRuns, detectEncoded, MAX_DEPTH } from '../src/decode.js';
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

  it(`depth is bounded: a URL encoded ${MAX_DEPTH + 1} times is not decoded`, () => {
    const key = hexKey();
    const url = `https://stats.example.com/api/v1/stats?site_id=ST-A1B2C3&api_key=${key}`;
    expect(found(`next=${pct(pct(url))}`)).toHaveLength(1);
    expect(found(`next=${pct(pct(pct(url)))}`)).toEqual([]);
  });

  it('a base64 .env inside a percent-encoded URL (the base64 escaped where it holds + / =)', () => {
    const key = hexKey();
    const env = `# ok???\nSTATALOG_API_KEY=${key}\n`; // one '?' of three sits last in its group: a '/'
    expect(b64(env)).toContain('/');
    const url = `https://ci.example.com/run?env=${pct(b64(env))}`;
    expect(found(`see ${url}`)).toEqual([['community-key', 'percent', url, key]]);
  });

  it('base64 of base64 is not read: its outer layer shows no anchor', () => {
    expect(found(`blob: ${b64(b64(`STATALOG_API_KEY=${hexKey()}\n`))}`)).toEqual([]);
  });

  it('a base64 value assigned to the name is a plain finding, not reported again', () => {
    const value = b64(hexKey());
    const text = `kind: Secret\ndata:\n  STATALOG_API_KEY: ${value}\n`;
    expect(detect(text).map((m) => m.secret)).toEqual([value]);
    expect(found(text)).toEqual([]);
  });

  it('statalog:allow on the run’s line silences it, or flags it with reportAllowed', () => {
    const key = hexKey();
    const text = `  .env: ${b64(`STATALOG_API_KEY=${key}\n`)} # statalog:allow`;
    expect(found(text)).toEqual([]);
    expect(detectEncoded(text, { reportAllowed: true }).map((m) => [m.secret, m.allowed])).toEqual([[key, true]]);
  });

  it('only runs holding an encoded anchor are decoded: a base64 .env without STATALOG or api_key= names is not', () => {
    // the key's own name is what the anchors look for; a run without it is never decoded, whatever it holds
    const other = b64(`APP_ENV=production\nDB_PASSWORD=${hexKey()}\n`);
    expect(decodedRuns(`x: ${other}`)).toEqual([]);
  });

  it('placeholders inside encoded text stay silent', () => {
    expect(
      found(`.env: ${b64('STATALOG_API_KEY=your-statalog-api-key\nSTATALOG_URL=https://stats.example.com\n')}`),
    ).toEqual([]);
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
    expect(both.map((m) => [m.ruleId, m.secret, m.encoding])).toEqual([
      ['cloud-key', cloud, undefined],
      ['community-key', key, 'base64'],
    ]);
    expect(text.slice(both[1]!.start, both[1]!.end)).toBe(env);
  });

  it('finds encoded content in text without any plain anchor', () => {
    const key = cloudKey();
    expect(detect(`x: ${b64(key)}`, { decode: true }).map((m) => m.secret)).toEqual([key]);
  });
});

describe('base64 wrapped across lines', () => {
  const env = (key: string) =>
    `APP_NAME=shop\nAPP_ENV=production\nAPP_KEY=base64:${randomBytes(32).toString('base64')}\nSTATALOG_API_KEY=${key}\nSTATALOG_URL=https://stats.example.com\n`;
  const wrap = (text: string, width: number) =>
    b64(text)
      .replace(new RegExp(`.{${width}}`, 'g'), '$&\n')
      .replace(/\n$/, '');

  it.each([76, 64])(
    '`base64` output wrapped at %i columns: one run, the whole key, at the block’s first line',
    (width) => {
      const key = hexKey();
      const block = wrap(env(key), width);
      expect(block.split('\n').length).toBeGreaterThan(3);
      expect(found(`${block}\n`)).toEqual([['community-key', 'base64', block, key]]);
    },
  );

  it('in a YAML block scalar, indented, CRLF line ends', () => {
    const key = hexKey();
    const lines = wrap(env(key), 76).split('\n');
    const text = `variables:\r\n  ENV_FILE: |\r\n${lines.map((l) => `    ${l}`).join('\r\n')}\r\n  OTHER: 1\r\n`;
    const m = detectEncoded(text);
    expect(m.map((x) => [x.ruleId, x.encoding, x.secret])).toEqual([['community-key', 'base64', key]]);
    expect(text.slice(m[0]!.start, m[0]!.end)).toBe(lines.join('\r\n    '));
  });

  it('the first line may follow a name', () => {
    const key = hexKey();
    const [first, ...rest] = wrap(env(key), 64).split('\n');
    const text = `ENV_B64=${first}\n${rest.join('\n')}\nNEXT=1\n`;
    expect(detectEncoded(text).map((m) => [m.secret, m.start])).toEqual([[key, 'ENV_B64='.length]]);
  });

  it('without the join, each line would decode alone and give a piece of the key: never reported', () => {
    const key = hexKey();
    for (const width of [76, 64, 60]) {
      const secrets = detect(`${wrap(env(key), width)}\n`, { decode: true }).map((m) => m.secret);
      expect(
        secrets.every((s) => s === key),
        String(width),
      ).toBe(true);
    }
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

  it('minified code, a source map, a PEM certificate and a wrapped image: nothing', () => {
    const minified = `!function(e){var t={};function n(r){if(t[r])return t[r].exports;var o=t[r]={i:r,l:!1,exports:{}};return e[r].call(o.exports,o,o.exports,n),o.l=!0,o.exports}n.m=e,n.c=t,n.d=function(e,t,r){n.o(e,t)||Object.defineProperty(e,t,{enumerable:!0,get:r})};var statalogKey=process.env.STATALOG_API_KEY,u="VEFUQUxPR19B"+"X0FQSV9L";}([]);`;
    const map = JSON.stringify({
      version: 3,
      sources: ['statalog.ts'],
      mappings: 'AAAA,SAASA,EAAE,CAAC;AACZ,OAAO,CAAC,GAAG,CAAC,aAAa,CAAC,CAAC;'.repeat(200),
      sourcesContent: [`const key = process.env.STATALOG_API_KEY;`],
    });
    const pem = `-----BEGIN CERTIFICATE-----\n${randomBytes(700).toString('base64').replace(/.{64}/g, '$&\n')}\n-----END CERTIFICATE-----`;
    const image = `image: |\n${randomBytes(2000).toString('base64').replace(/.{76}/g, '  $&\n')}\n`;
    for (const text of [minified, map, pem, image, `data:application/json;base64,${b64(map)}`])
      expect(detect(text, { decode: true }).filter((m) => m.encoding)).toEqual([]);
  });

  it('random base64 never decodes to text', () => {
    for (let i = 0; i < 200; i++)
      expect(decodedRuns(`x ${randomBytes(24 + (i % 40)).toString('base64')} y`)).toEqual([]);
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
    [
      'encoded statalog URLs back to back',
      () => `${pct(`https://app.statalog.com/?api_key=${hexKey()}`)} `.repeat(MB / 140),
    ],
    [
      'base64 wrapped at 76 columns, anchors on every line',
      () => b64(`STATALOG_API_KEY=${hexKey()}\n`.repeat(MB / 110)).replace(/.{76}/g, '$&\n'),
    ],
    [
      'full-width lines that never join (each wider than the last)',
      () => Array.from({ length: 2000 }, (_, i) => 'VEFUQUxP'.repeat(6 + (i % 50))).join('\n'),
    ],
    ['encoded anchors back to back on one line', () => 'VEFUQUxPX0FQSV9L'.repeat(MB / 16)],
    ['key% back to back', () => 'api_key%3D'.repeat(MB / 10)],
  ])('%s (1 MB)', (_name, make) => {
    const ms = time(make());
    expect(ms).toBeLessThan(BUDGET_MS);
  });
});
