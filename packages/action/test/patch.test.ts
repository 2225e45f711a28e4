import { randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { parseHunks, patchIsEnough, scanPatch } from '../src/patch.js';
import { cloudKey, communityValue } from '../../../test/helpers/keys.js';

const opts = { selfHostedHosts: [] };

describe('parseHunks', () => {
  test('new-side lines with their numbers; removed lines and the no-newline marker are skipped', () => {
    const patch = [
      '@@ -1,3 +1,3 @@ header',
      ' one',
      '-two',
      '+TWO',
      ' three',
      '\\ No newline at end of file',
      '@@ -10 +10,2 @@',
      ' ten',
      '+eleven',
    ].join('\n');
    const hunks = parseHunks(patch);
    expect(hunks).toHaveLength(2);
    expect(hunks[0]).toEqual({ lines: ['one', 'TWO', 'three'], numbers: [1, 2, 3], added: [false, true, false] });
    expect(hunks[1]).toEqual({ lines: ['ten', 'eleven'], numbers: [10, 11], added: [false, true] });
  });
});

describe('scanPatch', () => {
  test('a key on an added line: reported at its new-side line and column', () => {
    const key = cloudKey();
    const patch = ['@@ -4,2 +4,3 @@', ' const a = 1;', `+const key = '${key}';`, ' const b = 2;'].join('\n');
    expect(scanPatch(patch, 'src/a.ts', opts)).toEqual([
      { ruleId: 'cloud-key', file: 'src/a.ts', line: 5, column: 14, secret: key },
    ]);
  });

  test("a key on a context or removed line is not this commit's doing", () => {
    const key = cloudKey();
    const patch = [
      '@@ -1,3 +1,3 @@',
      ` const old = '${key}';`,
      `-const gone = '${cloudKey()}';`,
      '+const added = 1;',
    ].join('\n');
    expect(scanPatch(patch, 'a.ts', opts)).toEqual([]);
  });

  test('the surrounding context is seen: an allow comment on the line, code vs config syntax', () => {
    const key = cloudKey();
    // accepted, not dropped: the action lists what an inline allow accepted
    expect(scanPatch(['@@ -0,0 +1 @@', `+const k = '${key}'; // statalog:allow`].join('\n'), 'a.ts', opts)).toEqual([
      expect.objectContaining({ line: 1, allowed: true }),
    ]);
    const community = communityValue();
    // unquoted after = is a literal in .env, a reference in code
    expect(scanPatch(`@@ -0,0 +1 @@\n+STATALOG_API_KEY=${community}`, 'prod.env', opts)).toMatchObject([
      { ruleId: 'community-key', line: 1, column: 18 },
    ]);
    expect(scanPatch('@@ -0,0 +1 @@\n+STATALOG_API_KEY = otherKey', 'a.py', opts)).toEqual([]);
  });

  test('CRLF files: the carriage return stays at the end of the line, columns are unchanged', () => {
    const key = cloudKey();
    expect(scanPatch(`@@ -0,0 +1,2 @@\n+a = 1\r\n+b = "${key}"\r`, 'x.toml', opts)).toMatchObject([
      { line: 2, column: 6 },
    ]);
  });

  test('a URL key to a self-hosted host counts only when the host is configured', () => {
    const value = communityValue();
    const patch = `@@ -0,0 +1 @@\n+GET https://stats.example.com/export/daily.csv?api_key=${value}`;
    expect(scanPatch(patch, 'notes.md', opts)).toEqual([]);
    expect(scanPatch(patch, 'notes.md', { selfHostedHosts: ['stats.example.com'] })).toMatchObject([
      { ruleId: 'url-key', secret: value },
    ]);
  });

  test('several hunks, several keys, in order', () => {
    const [k1, k2] = [cloudKey(), cloudKey()];
    const patch = ['@@ -1 +1,2 @@', ' x', `+${k1}`, '@@ -50 +51,2 @@', ' y', `+${k2}`].join('\n');
    expect(scanPatch(patch, 'keys.txt', opts).map((h) => [h.line, h.secret])).toEqual([
      [2, k1],
      [52, k2],
    ]);
  });
});

describe('patchIsEnough: encoded content is judged with the whole file', () => {
  const b64 = (text: string): string => Buffer.from(text).toString('base64');
  const env = (): string =>
    `APP_ENV=production\nAPP_URL=https://shop.example.com\nSTATALOG_API_KEY=${randomBytes(32).toString('hex')}\nDB_HOST=db\n`;

  test('an added line holding a base64 .env or a percent-encoded key parameter', () => {
    expect(
      patchIsEnough(['@@ -4,2 +4,3 @@', ' data:', `+  .env: ${b64(env())}`, ' type: Opaque'].join('\n'), 'secret.yaml'),
    ).toBe(false);
    expect(
      patchIsEnough(
        ['@@ -1 +1,2 @@', ' log', `+GET /?next=%2Fapi%2Fv1%2Fstats%3Fapi_key%3D${randomBytes(8).toString('hex')}`].join(
          '\n',
        ),
        'a.log',
      ),
    ).toBe(false);
  });

  test('a line of base64 wrapped across lines, even without an anchor of its own', () => {
    const lines = b64(env()).match(/.{1,76}/g)!;
    const patch = [
      '@@ -3,4 +3,4 @@',
      ` ${lines[0]}`,
      `-${lines[1]!.split('').reverse().join('')}`,
      `+${lines[1]}`,
      ` ${lines[2]}`,
    ].join('\n');
    expect(patchIsEnough(patch, 'ci/env.b64')).toBe(false);
  });

  test('ordinary added lines stay on the fast path', () => {
    expect(
      patchIsEnough(
        ['@@ -4,2 +4,3 @@', ' const a = 1;', '+const sum = total + 5; // 100% covered', ' const b = 2;'].join('\n'),
        'src/a.ts',
      ),
    ).toBe(true);
    expect(
      patchIsEnough(
        ['@@ -1 +1,2 @@', ' x', '+uses: actions/checkout@b4ffde65f46336ab88eb53be808477a3936bae11'].join('\n'),
        '.github/workflows/ci.yml',
      ),
    ).toBe(true);
  });
});
