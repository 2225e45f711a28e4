/** The detect() entry point and its helpers: options, offsets, ordering, line index, syntax by path. */
import { describe, expect, it } from 'vitest';
import { isCloudKeyAt } from '../src/detect-cloud.js';
import {
  ANCHORS,
  CLOUD_KEY_EXACT,
  CLOUD_KEY_LENGTH,
  createLineIndex,
  detect,
  DOC_EXAMPLE_KEY,
  findCloudKeys,
  findCommunityKeys,
  findUrlKeys,
  isAllowedAt,
  isLiteralSecret,
  isPlaceholderCloudKey,
  isStatalogApiUrl,
  normaliseHost,
  parseUrl,
  scanText,
  syntaxForPath,
} from '../src/index.js';
import { isDocExampleKey, isPlaceholderValue, isSyntheticSequence } from '../src/placeholder.js';
import { cloudKey, hexKey, lineColumn } from './support.js';

describe('detect', () => {
  const key = cloudKey();
  const hex = hexKey();

  it('returns UTF-16 offsets, the rule and the secret, sorted by offset', () => {
    const text = `STATALOG_API_KEY=${hex}\n😀 ${key}\nGET /api/v1/stats?site_id=1&api_key=${hex}x`;
    const matches = detect(text);
    expect(matches.map((m) => [m.ruleId, m.start, m.end])).toEqual([
      ['community-key', 17, 81],
      ['cloud-key', text.indexOf(key), text.indexOf(key) + CLOUD_KEY_LENGTH],
      ['url-key', text.lastIndexOf(hex), text.length],
    ]);
    for (const m of matches) expect(text.slice(m.start, m.end)).toBe(m.secret);
  });

  it('a cloud key in a Statalog URL is one url-key match, not two', () => {
    const text = `https://app.statalog.com/api/v1/live?api_key=${key}`;
    expect(detect(text)).toEqual([{ ruleId: 'url-key', start: text.indexOf(key), end: text.length, secret: key }]);
  });

  it('syntax: unquoted values are literals in config, references in code', () => {
    expect(detect(`STATALOG_API_KEY = ${hex}`, { syntax: 'config' })).toHaveLength(1);
    expect(detect(`STATALOG_API_KEY = ${hex}`, { syntax: 'code' })).toHaveLength(0);
    expect(detect(`STATALOG_API_KEY = "${hex}"`, { syntax: 'code' })).toHaveLength(1);
    expect(detect(`STATALOG_API_KEY = ${hex}`)).toHaveLength(1); // config by default
  });

  it('cloudOnly: only the byte pattern (binary content)', () => {
    const text = `STATALOG_API_KEY=${hex}\0\0${key}\0https://app.statalog.com/?api_key=${hex}`;
    expect(detect(text, { cloudOnly: true }).map((m) => m.ruleId)).toEqual(['cloud-key']);
  });

  it('includeExamples reports the documentation key; the allow marker can be ignored on request', () => {
    expect(detect(DOC_EXAMPLE_KEY)).toEqual([]);
    expect(detect(DOC_EXAMPLE_KEY, { includeExamples: true })).toHaveLength(1);
    expect(detect(`${key} statalog:allow`)).toEqual([]);
    expect(detect(`${key} statalog:allow`, { honourAllowComments: false })).toHaveLength(1);
  });

  it('selfHostedHosts makes api_key= URLs to those hosts reportable', () => {
    const text = `https://stats.example.com/anything?api_key=${hex}`;
    expect(detect(text)).toEqual([]);
    expect(detect(text, { selfHostedHosts: ['stats.example.com'] })).toHaveLength(1);
    expect(detect(text, { selfHostedHosts: [normaliseHost('https://STATS.example.com/')] })).toHaveLength(1);
  });

  it('finds nothing in empty or tiny input', () => {
    expect(detect('')).toEqual([]);
    expect(detect('st_')).toEqual([]);
    expect(detect('api_key=')).toEqual([]);
    expect(detect('statalog')).toEqual([]);
  });
});

describe('building blocks', () => {
  const key = cloudKey();

  it('findCloudKeys / isCloudKeyAt / CLOUD_KEY_EXACT', () => {
    const text = `a ${key} b test_${key.slice(3)} ${key}`;
    expect(findCloudKeys(text)).toEqual([2, text.lastIndexOf(key)]);
    expect(findCloudKeys(text, 3)).toEqual([text.lastIndexOf(key)]);
    expect(isCloudKeyAt(text, 2)).toBe(true);
    expect(isCloudKeyAt(text, text.indexOf('test_') + 2)).toBe(false);
    expect(CLOUD_KEY_EXACT.test(key)).toBe(true);
    expect(CLOUD_KEY_EXACT.test(`${key}0`)).toBe(false);
    expect(CLOUD_KEY_LENGTH).toBe(67);
  });

  it('ANCHORS are literal strings a scanner can prefilter on', () => {
    expect(ANCHORS).toEqual({ cloud: 'st_', url: 'api_key=', community: ['tatalog', 'TATALOG'] });
  });

  it('findUrlKeys reports every Statalog api_key value, literal or not', () => {
    const text = 'https://app.statalog.com/x?api_key=${KEY}&api_key=abc';
    expect(findUrlKeys(text, []).map((h) => h.value)).toEqual(['${KEY}', 'abc']);
  });

  it('findCommunityKeys reports the assigned value, literal or not', () => {
    expect(findCommunityKeys('STATALOG_API_KEY=${X}\nstatalogApiKey: "abc"', 'config').map((h) => h.value)).toEqual([
      '${X}',
      'abc',
    ]);
  });

  it('placeholder predicates', () => {
    expect(isDocExampleKey(DOC_EXAMPLE_KEY)).toBe(true);
    expect(isPlaceholderCloudKey(`st_${'0'.repeat(64)}`)).toBe(true);
    expect(isPlaceholderCloudKey(key)).toBe(false);
    expect(isSyntheticSequence('abcabcabcabc')).toBe(true);
    expect(isSyntheticSequence('0123456789abcdef')).toBe(true);
    expect(isSyntheticSequence('fedcba9876543210')).toBe(true);
    expect(isSyntheticSequence('abcd1234')).toBe(true);
    expect(isSyntheticSequence('aaaa1111')).toBe(true);
    expect(isSyntheticSequence('a1b2c3d4')).toBe(false);
    expect(isSyntheticSequence(hexKey())).toBe(false);
    expect(isPlaceholderValue('your-key-here')).toBe(true);
    expect(isPlaceholderValue(hexKey())).toBe(false);
    expect(isLiteralSecret(hexKey())).toBe(true);
    expect(isLiteralSecret('abc def 123 456 789')).toBe(false);
    expect(isLiteralSecret('abcdefg1')).toBe(true);
    expect(isLiteralSecret('abcdef1')).toBe(false);
  });

  it('isAllowedAt looks at the whole line of the offset, across CR and LF', () => {
    const text = 'a statalog:allow b\r\nc\rd statalog:allow';
    expect(isAllowedAt(text, 0)).toBe(true);
    expect(isAllowedAt(text, 17)).toBe(true);
    expect(isAllowedAt(text, text.indexOf('c'))).toBe(false);
    expect(isAllowedAt(text, text.indexOf('d'))).toBe(true);
  });

  it('parseUrl / isStatalogApiUrl', () => {
    expect(parseUrl('https://user:pw@App.Statalog.com:443/api/v1/stats?site_id=1#x')).toEqual({
      scheme: 'https',
      host: 'app.statalog.com',
      hostWithPort: 'app.statalog.com:443',
      path: '/api/v1/stats',
      query: 'site_id=1',
    });
    expect(isStatalogApiUrl(parseUrl('/api/v1/stats?site_id=1&api_key=x'))).toBe(true);
    expect(isStatalogApiUrl(parseUrl('/api/v1/stats?api_key=x'))).toBe(false);
    expect(isStatalogApiUrl(parseUrl('/api/v1/stats?site_id=1&amp;api_key=x'))).toBe(true);
    expect(isStatalogApiUrl(parseUrl('https://x.statalog.com/'))).toBe(true);
    expect(isStatalogApiUrl(parseUrl('https://s.example.com/'), ['s.example.com'])).toBe(true);
  });
});

describe('positions', () => {
  it('createLineIndex: 1-based lines and UTF-16 columns across LF, CRLF and lone CR', () => {
    const text = 'ab\ncd\r\nef\rgh😀ij';
    const index = createLineIndex(text);
    for (let i = 0; i <= text.length; i++) {
      if (text[i] === '\n' && text[i - 1] === '\r') continue; // the LF of a CRLF is not a position anyone reports
      expect(index.position(i)).toEqual(lineColumn(text, i));
    }
  });

  it('scanText uses the path to pick the syntax', () => {
    const hex = hexKey();
    expect(scanText(`STATALOG_API_KEY = ${hex}`, 'settings.py')).toEqual([]);
    expect(scanText(`STATALOG_API_KEY = ${hex}`, 'settings.ini')).toHaveLength(1);
  });

  it.each([
    ['src/app.ts', 'code'],
    ['App.JAVA', 'code'],
    ['a/b.c/main.go', 'code'],
    ['x.php', 'code'],
    ['x.py', 'code'],
    ['.env', 'config'],
    ['.env.local', 'config'],
    ['Dockerfile', 'config'],
    ['docker-compose.yml', 'config'],
    ['config.toml', 'config'],
    ['README.md', 'config'],
    ['access.log', 'config'],
    ['a.json', 'config'],
    ['dir.ts/file', 'config'],
    ['ci/Jenkinsfile', 'code'],
    ['Gemfile', 'code'],
    ['build.gradle', 'code'],
    ['Makefile', 'config'],
  ])('syntaxForPath(%s) = %s', (path, syntax) => {
    expect(syntaxForPath(path)).toBe(syntax);
  });
});
