/**
 * Pattern safety: every regular expression the core applies to file content runs in linear time
 * on adversarial input, and so does `detect` as a whole.
 *
 * Two layers:
 * 1. A static audit of every regex in `packages/core/src`: none may have an unbounded look-behind, and any
 *    nested quantifier must be one of the audited patterns below, each with the reason it cannot backtrack
 *    (a new or edited pattern fails here until someone audits it).
 * 2. Adversarial inputs thrown at `detect`: megabyte-long runs of every anchor and of the characters the
 *    rules stop on. Linear detection handles each in 1–150 ms here (about 100 ms/MB for the worst,
 *    `statalog_api_key=` repeated); quadratic code needs minutes on a megabyte and catastrophic backtracking
 *    never ends. So each input gets a budget of 5 s — far above any linear run even on a loaded shared CI
 *    machine, far below anything non-linear. It is a tripwire for blow-ups, not a performance test (the
 *    benchmark measures speed); growth ratios are printed with PATTERN_SAFETY_REPORT=1.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detect, DOC_EXAMPLE_KEY, type Match } from '../src/index.js';
import { isSyntheticSequence } from '../src/placeholder.js';
import { regexesIn, riskyShapes } from './regex-audit.js';
import { cloudKey } from './support.js';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));

/** Nested quantifiers that were audited: each repetition starts with a character the inner part cannot match. */
const AUDITED: Record<string, string> = {
  '^\\s*(?:ENV|setenv|setx|fastcgi_param|(?:dotnet\\s+)?user-secrets\\s+set|set(?:\\s+-[a-zA-Z]{1,4}){0,3})\\s+$':
    'at most 3 repetitions, each must reach a "-" that \\s+ cannot match; applied to at most 80 characters',
  '^[A-Z][A-Z0-9]{0,23}(?:_[A-Z0-9]{1,24})+$':
    'each repetition starts with "_", which [A-Z0-9] cannot match: one way to split',
  '^[A-Za-z_$][\\w$]{0,40}(?:\\.[A-Za-z_$][\\w$]{0,40})+$':
    'each repetition starts with ".", which [\\w$] cannot match',
  '^(?:~|\\.{1,2}|\\/(?:run|var|etc|home|opt|secrets?|mnt|tmp|usr|srv|app|data|config|root|Users|workspace|vault|keys?))\\/[\\w.-]{1,64}(?:\\/[\\w.-]{1,64})*$':
    'each repetition starts with "/", which [\\w.-] cannot match',
  '^(?:[a-z]{1,20}|[A-Z][a-z]{0,19}|[A-Z]{1,20})(?:[A-Z][a-z]{1,19}){0,8}$':
    'every quantifier is bounded (at most 20 × 8 steps) and it runs on one word of a value of at most 80 characters',
  '^[a-z][a-z_]{1,30}(?::[^|]{0,80})?(?:\\|[a-z][a-z_]{1,30}(?::[^|]{0,80})?)+$':
    'each repetition starts with "|", which neither [a-z_] nor [^|] can match: one way to split; applied to one value of at most 512 characters',
  '^([a-z0-9-]+(?:\\.[a-z0-9-]+)+(?::\\d{1,5})?)(?=[/?#]|$)':
    'anchored; each repetition starts with ".", which [a-z0-9-] cannot match, so a failure backtracks each character once',
};

describe('static audit of the regular expressions in packages/core/src', () => {
  const files = readdirSync(SRC).filter((f) => f.endsWith('.ts'));
  const found = files.flatMap((f) => regexesIn(f, readFileSync(SRC + f, 'utf8')));

  it('finds the regexes (the audit is not vacuous)', () => {
    expect(found.length).toBeGreaterThan(30);
    expect(found.some((r) => r.file === 'detect-community.ts')).toBe(true);
  });

  it('no unbounded look-behind, and every nested quantifier is an audited one', () => {
    const unaudited = found
      .filter((r) => r.source !== undefined)
      .map((r) => ({ where: `${r.file}:${r.line} ${r.text}`, source: r.source!, risks: riskyShapes(r.source!) }))
      .filter((r) => r.risks.length > 0 && !(r.risks.every((k) => k === 'nested quantifier') && r.source in AUDITED));
    expect(unaudited).toEqual([]);
  });

  it('every audited pattern still exists (the list stays honest)', () => {
    const sources = new Set(found.map((r) => r.source));
    expect(Object.keys(AUDITED).filter((s) => !sources.has(s))).toEqual([]);
  });

  it('the one dynamic RegExp is an alternation of fixed endpoint names', () => {
    const dynamic = found.filter((r) => r.source === undefined);
    expect(dynamic.map((r) => r.file)).toEqual(['url.ts']);
    expect(dynamic[0]!.text).toContain("STATALOG_ENDPOINTS.join('|')");
  });

  it('the checker itself recognises the classic bad shapes', () => {
    expect(riskyShapes('(a+)+$')).toEqual(['nested quantifier']);
    expect(riskyShapes('^(\\w+\\s?)*$')).toEqual(['nested quantifier']);
    expect(riskyShapes('(?<=a+)b')).toEqual(['unbounded look-behind']);
    expect(riskyShapes('(?<=ab{2})c')).toEqual([]);
    expect(riskyShapes('^st_[0-9a-f]{64}$')).toEqual([]);
    expect(riskyShapes('(?:ab)?c+')).toEqual([]);
  });
});

const MB = 1 << 20;
const BUDGET_MS = 5000;
const KEY = cloudKey();

function repeat(unit: string, length: number): string {
  return unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
}

/** Megabyte-scale inputs aimed at every anchor, stop character and context check in the rules. */
const ADVERSARIAL: Record<string, (n: number) => string> = {
  'st_ repeated': (n) => repeat('st_', n),
  'one letter': (n) => repeat('a', n),
  '= repeated': (n) => repeat('=', n),
  'api_key= repeated': (n) => repeat('api_key=', n),
  '&api_key= repeated': (n) => repeat('&api_key=', n),
  '?&api_key= repeated': (n) => repeat('?&api_key=', n),
  'statalog_api_key= repeated': (n) => repeat('statalog_api_key=', n),
  'STATALOG_API_KEY="x repeated (unterminated quotes)': (n) => repeat('STATALOG_API_KEY="x', n),
  '/api/v1/stats? repeated': (n) => repeat('/api/v1/stats?', n),
  'a Statalog URL prefix repeated': (n) => repeat('https://app.statalog.com/api/v1/stats?site_id=1&api_key=', n),
  'scheme separators': (n) => `${repeat('a://', n)}?api_key=abcdef123456`,
  'escaped JSON slashes': (n) => `${repeat('https:\\/\\/', n)}&api_key=x`,
  'one long URL without a delimiter': (n) => `https://${repeat('a.', n)}?api_key=abcdef123456`,
  'cloud keys back to back': (n) => repeat(KEY, n),
  'cloud keys spaced': (n) => repeat(`${KEY} `, n),
  'st_ + 63 hex + x': (n) => repeat(`${KEY.slice(0, -1)}x`, n),
  'hex digits': (n) => repeat('0123456789abcdef', n),
  'double quotes': (n) => repeat('"', n),
  'quote and backslash': (n) => repeat('"\\', n),
  'nested braces': (n) => `${repeat('{', n / 2)}${repeat('}', n / 2)}`,
  'statalog: + newline (YAML sections)': (n) => repeat('statalog:\n', n),
  'statalog: { (object sections)': (n) => repeat('statalog: {', n),
  'Statalog({ (SDK calls)': (n) => repeat('Statalog({', n),
  '[statalog] (INI sections)': (n) => repeat('[statalog]\n', n),
  'a section full of entries': (n) => `statalog:\n${repeat('  key: \n', n)}`,
  '- name: STATALOG_API_KEY (Kubernetes)': (n) => repeat('- name: STATALOG_API_KEY ', n),
  'ENV STATALOG_API_KEY (space form)': (n) => repeat('ENV STATALOG_API_KEY ', n),
  'typed names': (n) => repeat('STATALOG_API_KEY: str ', n),
  'printf placeholders': (n) => repeat('STATALOG_API_KEY=%(aaaa', n),
  'statalog:allow with keys': (n) => repeat(`statalog:allow ${KEY} `, n),
  'keys, one allow marker at the end': (n) => `${repeat(`${KEY} `, n)}statalog:allow`,
  'keys on short lines, one allow marker at the end': (n) => `${repeat(`${KEY}\n`, n)}statalog:allow`,
  newlines: (n) => repeat('\n', n),
  'CR LF': (n) => repeat('\r\n', n),
  '${STATALOG_API_KEY:- repeated (expansion defaults)': (n) => repeat('${STATALOG_API_KEY:-', n),
  'YAML block scalars': (n) => repeat('STATALOG_API_KEY: |\n', n),
  'a block scalar over blank lines': (n) => `STATALOG_API_KEY: >-\n${repeat('\n', n)}`,
  'anchors and tags': (n) => repeat('STATALOG_API_KEY: &a !!str ', n),
  'key/value siblings (Postman)': (n) => repeat('{"key": "STATALOG_API_KEY", ', n),
  'keyword defaults in an open call': (n) => repeat('env("STATALOG_API_KEY", x=(', n),
  'CLI value flags': (n) => repeat('STATALOG_API_KEY --body ', n),
  'JSON.stringify( repeated': (n) => repeat('STATALOG_API_KEY: JSON.stringify(', n),
  'typographic quotes': (n) => repeat('STATALOG_API_KEY=\u201c', n),
  'env suffixes': (n) => repeat('STATALOG_API_KEY_PROD_', n),
  '.NET spellings': (n) => repeat('Statalog:ApiKey__Statalog__', n),
  'every anchor mixed': (n) => repeat('st_api_key=statalog_api_key=/api/v1/stats?"\'`{[(', n),
};

function timed(text: string, syntax: 'code' | 'config'): { ms: number; matches: Match[] } {
  const t0 = performance.now();
  const matches = detect(text, { syntax });
  return { ms: performance.now() - t0, matches };
}

/** Invariants that hold for any input: offsets in range, sorted, each secret is the text at its offsets. */
function expectWellFormed(text: string, matches: readonly Match[]): void {
  let last = -1;
  for (const m of matches) {
    expect(m.start).toBeGreaterThanOrEqual(0);
    expect(m.end).toBeLessThanOrEqual(text.length);
    expect(m.start).toBeGreaterThanOrEqual(last);
    expect(text.slice(m.start, m.end)).toBe(m.secret);
    last = m.start;
  }
}

describe('adversarial input: detect stays linear', () => {
  const report: string[] = [];

  it.each(Object.keys(ADVERSARIAL))('%s (1 MB, code and config)', (name) => {
    const text = ADVERSARIAL[name]!(MB);
    for (const syntax of ['config', 'code'] as const) {
      const { ms, matches } = timed(text, syntax);
      expect(ms, `${name} (${syntax}) took ${ms.toFixed(0)} ms`).toBeLessThan(BUDGET_MS);
      expectWellFormed(text, matches);
      if (process.env.PATTERN_SAFETY_REPORT) {
        const quarter = timed(ADVERSARIAL[name]!(MB / 4), syntax).ms;
        report.push(
          `${name} [${syntax}]: ${ms.toFixed(1)} ms/MB, ×${(ms / Math.max(quarter, 0.01)).toFixed(1)} for 4× the input`,
        );
      }
    }
  });

  it('a 1 MB single line of minified code with keys and URLs finds every key', () => {
    const keys = Array.from({ length: 200 }, () => cloudKey());
    const chunk = (k: string) =>
      `var a=${JSON.stringify({ u: 'https://example.com/x?y=1', s: 'statalog', t: k })};function f(e){return e&&e.api_key}`;
    let text = '';
    const at: number[] = [];
    for (let i = 0; text.length < MB; i++) {
      const k = keys[i % keys.length]!;
      const piece = chunk(k);
      at.push(text.length + piece.indexOf(k));
      text += piece;
    }
    const { ms, matches } = timed(text, 'code');
    expect(ms).toBeLessThan(BUDGET_MS);
    expect(matches.map((m) => m.start)).toEqual(at);
  });

  it('prints measurements on request', () => {
    if (report.length > 0) console.log(report.join('\n'));
  });
});

describe('random adversarial text (fast-check): invariants hold within budget', () => {
  const HEX = '0123456789abcdef';
  const key = fc
    .string({ unit: fc.constantFrom(...HEX.split('')), minLength: 64, maxLength: 64 })
    .filter((h) => !isSyntheticSequence(h) && `st_${h}` !== DOC_EXAMPLE_KEY)
    .map((h) => `st_${h}`);
  const token = fc.constantFrom(
    'st_',
    'a',
    '=',
    'api_key=',
    '&api_key=',
    '?',
    'statalog_api_key=',
    'STATALOG_API_KEY',
    '/api/v1/stats?',
    'site_id=1&',
    'https://',
    'app.statalog.com',
    '"',
    "'",
    '`',
    '\\',
    '\\"',
    '{',
    '}',
    '[',
    ']',
    '(',
    ')',
    ':',
    ' ',
    '\n',
    '\r',
    'statalog:',
    '[statalog]',
    'key: ',
    'value: ',
    'name: ',
    'ENV ',
    '%s',
    '${',
    '0123456789abcdef',
    '…',
    '...',
    'statalog:allow',
  );
  /** Runs of one token: what makes backtracking engines and quadratic scans blow up. */
  const run = fc.tuple(token, fc.integer({ min: 1, max: 4000 })).map(([t, n]) => t.repeat(n));

  it('never throws, stays in budget, and every key placed with clean neighbours is found', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(run, token), { maxLength: 30 }),
        key,
        fc.nat(),
        fc.constantFrom<'code' | 'config'>('code', 'config'),
        (pieces, k, where, syntax) => {
          const cut = pieces.length === 0 ? 0 : where % (pieces.length + 1);
          // a line of its own: nothing before or after can touch it, quote it or mark it allowed
          const text = `${pieces.slice(0, cut).join('')}\n${k}\n${pieces.slice(cut).join('')}`;
          const { ms, matches } = timed(text, syntax);
          expect(ms).toBeLessThan(BUDGET_MS);
          expectWellFormed(text, matches);
          const start = text.indexOf(`\n${k}\n`) + 1;
          const hit = matches.find((m) => m.start === start);
          expect(hit?.secret).toBe(k);
        },
      ),
      { numRuns: 300 },
    );
  });
});
