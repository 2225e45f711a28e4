/**
 * Property tests (fast-check): a key embedded anywhere in random text is found at the right line and
 * column; text built only from look-alikes, placeholders and noise never yields a finding; no output shows
 * more of a secret than its masked form.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createBaseline,
  createFinding,
  detect,
  DOC_EXAMPLE_KEY,
  mask,
  RULES,
  scanText,
  serializeBaseline,
  toSarif,
  workflowCommand,
} from '../src/index.js';
import { isSyntheticSequence } from '../src/placeholder.js';
import { RULE_IDS } from '../src/rules.js';
import { lineColumn } from './support.js';

const HEX = '0123456789abcdef';
const hexString = (length: number) =>
  fc.string({ unit: fc.constantFrom(...HEX.split('')), minLength: length, maxLength: length });

/** A well-formed, non-synthetic cloud key (fast-check likes `000…`, which is a placeholder by the rules). */
const cloudKey = hexString(64)
  .filter((h) => !isSyntheticSequence(h))
  .map((h) => `st_${h}`)
  .filter((k) => k !== DOC_EXAMPLE_KEY);

/**
 * Noise: letters, digits, punctuation, blanks, every kind of line end, non-ASCII (é, 中, an emoji made of a
 * surrogate pair). No backslash or `%`: an escape right before a key (`\n`, `%3D`) is covered by the table
 * tests, and here every key's neighbours are chosen explicitly.
 */
const NOISE = [
  ...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'.split(''),
  ' ',
  ' ',
  '\t',
  '\n',
  '\n',
  '\r\n',
  '\r',
  '.',
  ',',
  ';',
  ':',
  '!',
  '?',
  '-',
  '+',
  '*',
  '/',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  '<',
  '>',
  '"',
  "'",
  '`',
  '#',
  '@',
  '=',
  '&',
  '_',
  '|',
  '~',
  '^',
  'é',
  '中',
  '😀',
];
const noise = (maxLength: number) => fc.array(fc.constantFrom(...NOISE), { maxLength }).map((a) => a.join(''));

/** What may touch a key: anything but an ASCII letter, digit or `_`. */
const NOT_WORD = [
  ' ',
  '\t',
  '\n',
  '\r\n',
  '\r',
  '"',
  "'",
  '`',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  '<',
  '>',
  '=',
  ':',
  ',',
  ';',
  '.',
  '/',
  '-',
  '+',
  '*',
  '#',
  '@',
  '&',
  '|',
  'é',
  '中',
  '😀',
];
const notWord = fc.constantFrom(...NOT_WORD);
const syntax = fc.constantFrom<'code' | 'config'>('code', 'config');

describe('a key embedded anywhere is found at the right place', () => {
  it('cloud keys between random text: rule, offsets, line and column', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(noise(120), notWord, cloudKey, notWord), { minLength: 1, maxLength: 6 }),
        noise(120),
        syntax,
        fc.constantFrom('notes.txt', 'app.min.js', '.env', 'main.go', 'access.log'),
        (parts, tail, syn, file) => {
          let text = '';
          const placed: Array<{ key: string; at: number }> = [];
          for (const [before, open, key, close] of parts) {
            text += before + open;
            placed.push({ key, at: text.length });
            text += key + close;
          }
          text += tail;

          const matches = detect(text, { syntax: syn });
          expect(matches.map((m) => [m.ruleId, m.start, m.secret])).toEqual(
            placed.map((p) => ['cloud-key', p.at, p.key]),
          );

          const findings = scanText(text, file);
          expect(findings.map((f) => [f.line, f.column, f.endColumn])).toEqual(
            placed.map((p) => {
              const { line, column } = lineColumn(text, p.at);
              return [line, column, column + p.key.length];
            }),
          );
        },
      ),
      { numRuns: 400 },
    );
  });

  it('a key glued to a letter, digit or _ on either side is not a key', () => {
    const wordChar = fc.constantFrom(...'aZ09_gx'.split(''));
    fc.assert(
      fc.property(noise(40), notWord, cloudKey, wordChar, fc.boolean(), (before, sep, key, glue, left) => {
        const text = left ? `${before}${sep}${glue}${key} ` : `${before}${sep}${key}${glue} `;
        expect(detect(text)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('community keys in .env lines at random lines: right line, column and value', () => {
    const value = fc
      .oneof(hexString(32), hexString(64), fc.base64String({ minLength: 24, maxLength: 44 }))
      .filter((v) => /\d/.test(v) && !isSyntheticSequence(v) && !/^[A-Z0-9_]+$/.test(v) && !v.includes('='));
    const line = fc.oneof(
      fc.constantFrom('APP_ENV=production', '# comment', '', 'DB_HOST=127.0.0.1', 'QUEUE=redis'),
      noise(30).map((n) => `# ${n.replace(/[\r\n]/g, ' ')}`),
    );
    fc.assert(
      fc.property(
        fc.array(line, { maxLength: 8 }),
        value,
        fc.array(line, { maxLength: 8 }),
        fc.constantFrom('\n', '\r\n', '\r'),
        fc.constantFrom('', 'export ', '  '),
        fc.constantFrom('', '"', "'"),
        (before, v, after, eol, lead, quote) => {
          const lines = [...before, `${lead}STATALOG_API_KEY=${quote}${v}${quote}`, ...after];
          const text = lines.join(eol);
          const findings = scanText(text, '.env');
          expect(findings.map((f) => [f.ruleId, f.line, f.column, f.endColumn])).toEqual([
            [
              'community-key',
              before.length + 1,
              lead.length + 18 + quote.length,
              lead.length + 18 + quote.length + v.length,
            ],
          ]);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('text without a key never yields a finding', () => {
  const upperHex = hexString(64)
    .filter((h) => /[a-f]/.test(h))
    .map((h) => `st_${h.toUpperCase()}`);
  const lookAlike = fc.oneof(
    hexString(63).map((h) => `st_${h}`),
    hexString(65).map((h) => `st_${h}`),
    hexString(64).map((h) => `test_${h}`),
    hexString(64).map((h) => `ST_${h}`),
    hexString(64).map((h) => `xst_${h}`),
    upperHex,
    hexString(64), // a sha256
    hexString(40), // a commit
    fc.constant(DOC_EXAMPLE_KEY),
    fc.constantFrom(...HEX.split('')).map((c) => `st_${c.repeat(64)}`),
    fc.nat({ max: 60 }).chain((n) => hexString(n).map((h) => `st_${h}...`)),
    fc.constantFrom(
      'st_...',
      'st_a3f8…f6a8',
      'st_[0-9a-f]{64}',
      '/st_[0-9a-f]{64}/',
      'ST-A1B2C3',
      'ST-ABCDEFGHJKLMN',
      '3f2b8c1e-9d4a-4e6b-8f1c-2a7d9e0b5c43',
    ),
    hexString(32).map((h) => `https://api.example.com/v1/data?api_key=${h}`),
    hexString(32).map((h) => `GET /api/v1/stats?period=7d&api_key=${h} HTTP/1.1`),
    fc.constantFrom(
      'https://app.statalog.com/api/v1/stats?site_id=ST-A1B2C3&api_key=YOUR_API_KEY',
      'https://app.statalog.com/api/v1/stats?site_id=ST-A1B2C3&api_key=${STATALOG_API_KEY}',
      `https://app.statalog.com/api/v1/stats?site_id=ST-A1B2C3&api_key=${DOC_EXAMPLE_KEY}`,
      'STATALOG_API_KEY=\n',
      'STATALOG_API_KEY=${STATALOG_API_KEY}',
      'STATALOG_API_KEY=$KEY',
      'STATALOG_API_KEY=changeme',
      'STATALOG_API_KEY=your-statalog-api-key',
      'STATALOG_API_KEY="<your key>"',
      'STATALOG_API_KEY=xxxxxxxxxxxxxxxx',
      'STATALOG_API_KEY=st_a3f8c2d1e4b7...',
      "'api_key' => env('STATALOG_API_KEY', '')",
      'process.env.STATALOG_API_KEY',
      'STATALOG_API_KEY_FILE=/run/secrets/statalog_api_key',
      'STATALOG_API_KEY: ${{ secrets.STATALOG_API_KEY }}',
      `STATALOG_API_KEY=${DOC_EXAMPLE_KEY}`,
      '- name: STATALOG_API_KEY\n  valueFrom:\n    secretKeyRef: {name: s, key: k}',
    ),
  );
  const separator = fc.constantFrom(' ', '\n', '\r\n', '\t', ', ', ' | ', '\n\n');

  it('look-alikes, placeholders and noise, in any order, in code and config', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(lookAlike, noise(60)), { maxLength: 12 }),
        separator,
        syntax,
        (pieces, sep, syn) => {
          const text = pieces.join(sep);
          expect(detect(text, { syntax: syn })).toEqual([]);
        },
      ),
      { numRuns: 600 },
    );
  });

  it('pure noise', () => {
    fc.assert(
      fc.property(noise(400), syntax, (text, syn) => {
        expect(detect(text, { syntax: syn })).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});

describe('masking never reveals more than the masked form', () => {
  const secret = fc
    .oneof(
      cloudKey.map((s) => ({ s, ruleId: 'cloud-key' as const })),
      cloudKey.map((s) => ({ s, ruleId: 'url-key' as const })),
      hexString(64).map((s) => ({ s, ruleId: 'community-key' as const })),
      fc
        .base64String({ minLength: 16, maxLength: 88 })
        .map((s) => ({ s, ruleId: fc.sample(fc.constantFrom(...RULE_IDS), 1)[0]! })),
    )
    .filter(({ s }) => !isSyntheticSequence(s) && s.replace(/=+$/, '').length >= 12);

  /** Every 9-character window of the secret (a key's hex part for cloud keys). */
  const windows = (s: string) => {
    const body = s.startsWith('st_') ? s.slice(3) : s;
    return Array.from({ length: body.length - 8 }, (_, i) => body.slice(i, i + 9));
  };

  it('mask, message, finding, fingerprint, SARIF, annotation and baseline hold no 9 consecutive characters of it', () => {
    fc.assert(
      fc.property(secret, fc.constantFrom('src/app.ts', 'dir/.env', 'a b/c,d:e.txt'), ({ s, ruleId }, file) => {
        const finding = createFinding({ ruleId, file, line: 2, column: 7, secret: s });
        const outputs = [
          mask(s),
          RULES[ruleId].message(mask(s)),
          JSON.stringify(finding),
          finding.fingerprint,
          JSON.stringify(toSarif([finding], { version: '0.0.0' })),
          workflowCommand('error', { file, line: 2, col: 7, title: RULES[ruleId].title }, finding.message),
          serializeBaseline(createBaseline([finding])),
        ];
        for (const w of windows(s))
          for (const out of outputs) expect(out.includes(w), `${w} in ${out.slice(0, 80)}`).toBe(false);
        if (s.startsWith('st_') && ruleId !== 'community-key') expect(mask(s)).toMatch(/^st_[0-9a-f]{4}…[0-9a-f]{4}$/);
      }),
      { numRuns: 300 },
    );
  });
});
