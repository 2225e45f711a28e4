/** The two files users write: the config and the baseline. Errors are one line, name the file, quote nothing. */
import { describe, expect, it } from 'vitest';
import {
  applyBaseline,
  createBaseline,
  createFinding,
  EMPTY_CONFIG,
  isAllowedByConfig,
  parseBaseline,
  parseConfig,
  serializeBaseline,
  UserFileError,
  type Finding,
} from '../src/index.js';
import { cloudKey, hexKey } from './support.js';

function errorOf(fn: () => unknown): UserFileError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UserFileError);
    return error as UserFileError;
  }
  throw new Error('expected a UserFileError');
}

/** One line, starts with the file name, never quotes the file's text. */
function expectUserError(fn: () => unknown, file: string, problem: RegExp, secret?: string): void {
  const error = errorOf(fn);
  expect(error.message.startsWith(`${file}: `)).toBe(true);
  expect(error.message).toMatch(problem);
  expect(error.message).not.toMatch(/[\r\n]/);
  expect(error.file).toBe(file);
  if (secret !== undefined) {
    expect(error.message).not.toContain(secret);
    expect(error.message).not.toContain(secret.slice(3, 12));
  }
}

describe('parseConfig', () => {
  const file = '.statalog-scan.json';

  it('reads every setting and normalises self-hosted hosts', () => {
    const config = parseConfig(
      file,
      JSON.stringify({
        $schema: './schema.json',
        ignorePaths: ['fixtures/**', '*.log'],
        selfHostedHosts: ['https://Stats.Example.com/', 'stats.example.org:8443', '//analytics.example.net'],
        allowedFingerprints: ['cloud-key:a.txt:0123456789abcdef', 'fedcba9876543210'],
      }),
    );
    expect(config).toEqual({
      ignorePaths: ['fixtures/**', '*.log'],
      selfHostedHosts: ['stats.example.com', 'stats.example.org:8443', 'analytics.example.net'],
      allowedFingerprints: ['cloud-key:a.txt:0123456789abcdef', 'fedcba9876543210'],
    });
  });

  it('an empty object is the empty config; a BOM is fine', () => {
    expect(parseConfig(file, '{}')).toEqual(EMPTY_CONFIG);
    expect(parseConfig(file, '\uFEFF{ }\n')).toEqual(EMPTY_CONFIG);
  });

  it('rejects an empty file', () => expectUserError(() => parseConfig(file, ' \n'), file, /is empty/));

  it('rejects text that is not JSON, with a position, without quoting it', () => {
    const secret = cloudKey();
    expectUserError(() => parseConfig(file, `{"ignorePaths": [${secret}]}`), file, /is not valid JSON/, secret);
    expectUserError(() => parseConfig(file, secret), file, /is not valid JSON/, secret);
  });

  it.each([
    ['an array', '[]', /must hold a JSON object, not an array/],
    ['null', 'null', /not null/],
    ['a string', '"x"', /not a string/],
    ['a number', '1', /not a number/],
    [
      'ignorePaths not an array',
      '{"ignorePaths": "fixtures/**"}',
      /"ignorePaths" must be an array of strings, not a string/,
    ],
    [
      'a non-string entry',
      '{"selfHostedHosts": [1]}',
      /"selfHostedHosts"\[0\] must be a non-empty string, not a number/,
    ],
    ['an empty entry', '{"allowedFingerprints": ["  "]}', /"allowedFingerprints"\[0\] must be a non-empty string/],
    ['a host that is not a host', '{"selfHostedHosts": ["https:///x"]}', /"selfHostedHosts"\[0\] is not a host name/],
    ['an unknown setting (a typo is named)', '{"ignorePath": []}', /unknown setting "ignorePath" \(known: ignorePaths/],
  ])('rejects %s', (_name, text, problem) => expectUserError(() => parseConfig(file, text), file, problem));

  it('does not quote an unknown setting that could be content (a key pasted as a name)', () => {
    const secret = cloudKey();
    expectUserError(
      () => parseConfig(file, JSON.stringify({ [secret]: true })),
      file,
      /^\S+: unknown setting \(known:/,
      secret,
    );
  });

  it('rejects a huge file by its size alone', () => {
    expectUserError(() => parseConfig(file, ' '.repeat(16 * 1024 * 1024 + 1)), file, /too large/);
  });
});

describe('isAllowedByConfig', () => {
  const f = createFinding({ ruleId: 'cloud-key', file: 'a.txt', line: 1, column: 1, secret: cloudKey() });
  it('accepts a finding by full fingerprint or by bare secret hash', () => {
    expect(isAllowedByConfig(EMPTY_CONFIG, f)).toBe(false);
    expect(isAllowedByConfig({ ...EMPTY_CONFIG, allowedFingerprints: [f.fingerprint] }, f)).toBe(true);
    expect(isAllowedByConfig({ ...EMPTY_CONFIG, allowedFingerprints: [f.secretHash] }, f)).toBe(true);
    expect(isAllowedByConfig({ ...EMPTY_CONFIG, allowedFingerprints: [`url-key:a.txt:${f.secretHash}`] }, f)).toBe(
      false,
    );
  });
});

describe('baseline', () => {
  const file = 'statalog-baseline.json';
  const keyA = cloudKey();
  const keyB = hexKey();
  const at = (secret: string, line: number, path = 'src/app.ts', ruleId: Finding['ruleId'] = 'cloud-key') =>
    createFinding({ ruleId, file: path, line, column: 5, secret });

  it('records rule + path + secret hash (+ masked form for reviewers), sorted, de-duplicated, never the secret', () => {
    const baseline = createBaseline([at(keyA, 10), at(keyA, 20), at(keyB, 3, 'a.env', 'community-key')]);
    expect(baseline.version).toBe(1);
    expect(baseline.entries.map((e) => [e.file, e.ruleId])).toEqual([
      ['a.env', 'community-key'],
      ['src/app.ts', 'cloud-key'],
    ]);
    const text = serializeBaseline(baseline);
    expect(text.endsWith('\n')).toBe(true);
    expect(text).not.toContain(keyA);
    expect(text).not.toContain(keyB);
    expect(parseBaseline(file, text)).toEqual(baseline);
  });

  it('survives the finding moving to another line or column', () => {
    const baseline = createBaseline([at(keyA, 10)]);
    const moved = createFinding({ ruleId: 'cloud-key', file: 'src/app.ts', line: 99, column: 1, secret: keyA });
    expect(applyBaseline([moved], baseline)).toEqual({ fresh: [], baselined: 1, stale: [] });
  });

  it('a different secret on the same line is new', () => {
    const baseline = createBaseline([at(keyA, 10)]);
    const other = at(cloudKey(), 10);
    const result = applyBaseline([other], baseline);
    expect(result.fresh).toEqual([other]);
    expect(result.baselined).toBe(0);
  });

  it('the same secret in another file or under another rule is new', () => {
    const baseline = createBaseline([at(keyA, 10)]);
    const elsewhere = at(keyA, 10, 'src/other.ts');
    const asUrl = at(keyA, 10, 'src/app.ts', 'url-key');
    expect(applyBaseline([elsewhere, asUrl], baseline).fresh).toEqual([elsewhere, asUrl]);
  });

  it('lists entries that match nothing any more as stale', () => {
    const baseline = createBaseline([at(keyA, 10), at(keyB, 2, 'b.env', 'community-key')]);
    const result = applyBaseline([at(keyA, 11)], baseline);
    expect(result.baselined).toBe(1);
    expect(result.stale.map((e) => e.file)).toEqual(['b.env']);
  });

  it('accepts entries without a masked form', () => {
    const text = JSON.stringify({
      version: 1,
      entries: [{ ruleId: 'url-key', file: 'a', secretHash: '0123456789abcdef' }],
    });
    expect(parseBaseline(file, text).entries).toEqual([
      { ruleId: 'url-key', file: 'a', secretHash: '0123456789abcdef' },
    ]);
  });

  it.each([
    ['empty', '', /is empty/],
    ['not JSON', '{version: 1}', /is not valid JSON/],
    ['an array', '[]', /must hold a baseline object, not an array/],
    ['another version', '{"version": 2, "entries": []}', /expected "version": 1/],
    ['entries not an array', '{"version": 1, "entries": {}}', /"entries" must be an array, not an object/],
    ['an entry that is not an object', '{"version": 1, "entries": [null]}', /entries\[0\] must be an object, not null/],
    [
      'an unknown rule',
      '{"version": 1, "entries": [{"ruleId": "x", "file": "a", "secretHash": "0123456789abcdef"}]}',
      /entries\[0\]\.ruleId must be one of cloud-key, community-key, url-key/,
    ],
    [
      'an empty file name',
      '{"version": 1, "entries": [{"ruleId": "url-key", "file": "", "secretHash": "0123456789abcdef"}]}',
      /entries\[0\]\.file must be a non-empty string/,
    ],
    [
      'a bad hash',
      '{"version": 1, "entries": [{"ruleId": "url-key", "file": "a", "secretHash": "xyz"}]}',
      /entries\[0\]\.secretHash must be 16 hex characters/,
    ],
  ])('rejects %s', (_name, text, problem) => expectUserError(() => parseBaseline(file, text), file, problem));

  it('never quotes a secret pasted into it', () => {
    const secret = cloudKey();
    const text = JSON.stringify({ version: 1, entries: [{ ruleId: 'cloud-key', file: 'a', secretHash: secret }] });
    expectUserError(() => parseBaseline(file, text), file, /secretHash must be 16 hex/, secret);
    expectUserError(
      () => parseBaseline(file, `{"version": 1, "entries": [${secret}]}`),
      file,
      /not valid JSON/,
      secret,
    );
  });

  it('rejects a huge file', () => {
    expectUserError(
      () => parseBaseline(file, `{"version":1,"entries":[${' '.repeat(16 * 1024 * 1024)}]}`),
      file,
      /too large/,
    );
  });
});
