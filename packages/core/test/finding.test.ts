/** Masking, fingerprints and the Finding object: the secret is shown only as its masked form. */
import { describe, expect, it } from 'vitest';
import {
  compareFindings,
  createFinding,
  fingerprint,
  mask,
  redact,
  RULES,
  secretHash,
  secretOf,
  withFields,
  type Finding,
} from '../src/index.js';
import { RULE_IDS } from '../src/rules.js';
import { base64Key, cloudKey, hexKey } from './support.js';

describe('mask', () => {
  it("shows a cloud key as Statalog's own key list does: st_ + first four … last four", () => {
    const key = cloudKey();
    expect(mask(key)).toBe(`st_${key.slice(3, 7)}…${key.slice(-4)}`);
    expect(mask(key)).toHaveLength(3 + 4 + 1 + 4);
  });

  it('shows other secrets less: two characters and the length, or only the length when short', () => {
    const hex = hexKey();
    expect(mask(hex)).toBe(`${hex.slice(0, 2)}…(64 chars)`);
    expect(mask('abcdef1234567890')).toBe('ab…(16 chars)');
    expect(mask('abcdef123456789')).toBe('…(15 chars)');
    expect(mask('k')).toBe('…(1 chars)');
    expect(mask('\u001b[31mabcdef1234567890')).toBe('…(21 chars)'); // never an escape character
    expect(mask('😀abcdef1234567890xyz')).toBe('…(21 chars)'); // never half a surrogate pair
  });

  it('treats a cloud-key look-alike (63 hex, upper case) as another secret', () => {
    const key = cloudKey();
    expect(mask(key.slice(0, -1))).toBe(`st…(66 chars)`);
    expect(mask(key.toUpperCase())).toBe(`ST…(67 chars)`);
  });
});

describe('redact', () => {
  it('replaces every occurrence of every secret by its masked form', () => {
    const a = cloudKey();
    const b = hexKey();
    const text = `error near ${a}: ${b} (${a})`;
    const out = redact(text, [a, b]);
    expect(out).toBe(`error near ${mask(a)}: ${mask(b)} (${mask(a)})`);
    expect(out).not.toContain(a);
    expect(out).not.toContain(b);
  });

  it('leaves text without the secrets alone and ignores secrets shorter than 4', () => {
    expect(redact('nothing to see', [cloudKey(), 'abc'])).toBe('nothing to see');
  });
});

describe('secretHash and fingerprint', () => {
  it('hash: 16 lower-case hex characters of SHA-256, stable, different per secret', () => {
    const key = cloudKey();
    expect(secretHash(key)).toMatch(/^[0-9a-f]{16}$/);
    expect(secretHash(key)).toBe(secretHash(key));
    expect(secretHash(key)).not.toBe(secretHash(cloudKey()));
  });

  it('fingerprint: rule + path + hash, nothing else', () => {
    expect(fingerprint('cloud-key', 'src/app.ts', '0123456789abcdef')).toBe('cloud-key:src/app.ts:0123456789abcdef');
  });
});

describe('createFinding', () => {
  const secret = cloudKey();
  const finding = createFinding({ ruleId: 'cloud-key', file: 'src/app.ts', line: 3, column: 14, secret });

  it('holds position, masked form, hash, fingerprint and message', () => {
    expect(finding).toEqual({
      ruleId: 'cloud-key',
      file: 'src/app.ts',
      line: 3,
      column: 14,
      endColumn: 14 + 67,
      masked: mask(secret),
      secretHash: secretHash(secret),
    });
    // derived, not stored (memory per finding), and kept by copies
    expect(finding.fingerprint).toBe(`cloud-key:src/app.ts:${secretHash(secret)}`);
    expect(finding.message).toBe(RULES['cloud-key'].message(mask(secret)));
    expect(withFields(finding, { line: 4 }).message).toBe(finding.message);
  });

  it('never carries the secret in any property; secretOf gives it back where it is needed', () => {
    expect(JSON.stringify(finding)).not.toContain(secret);
    expect(JSON.stringify(finding)).not.toContain(secret.slice(3, 12));
    expect(Object.values(finding).some((v) => v === secret)).toBe(false);
    expect(secretOf(finding)).toBe(secret);
  });

  it('withFields copies and keeps the secret attached; a plain spread loses it', () => {
    const moved = withFields(finding, { line: 9, presentAtHead: false });
    expect(moved.line).toBe(9);
    expect(finding.line).toBe(3);
    expect(secretOf(moved)).toBe(secret);
    expect(secretOf({ ...finding })).toBeUndefined();
  });

  it('masks the secret in a file name that contains it (hostile trees), in file and fingerprint', () => {
    const f = createFinding({ ruleId: 'cloud-key', file: `keys/${secret}.txt`, line: 1, column: 1, secret });
    expect(f.file).toBe(`keys/${mask(secret)}.txt`);
    expect(f.fingerprint).toBe(`cloud-key:keys/${mask(secret)}.txt:${secretHash(secret)}`);
    expect(JSON.stringify(f)).not.toContain(secret);
  });

  it.each(RULE_IDS)('%s: the message says why it matters and what to do, with the masked form only', (ruleId) => {
    const s = ruleId === 'cloud-key' ? cloudKey() : base64Key();
    const f = createFinding({ ruleId, file: 'a', line: 1, column: 1, secret: s });
    expect(f.message).toContain(f.masked);
    expect(f.message).not.toContain(s);
    expect(f.message).toContain(RULES[ruleId].remedy);
  });

  it('rule remedies: revoke under Account → API Keys, rotate via .env and restart, move to the Bearer header', () => {
    expect(RULES['cloud-key'].remedy).toMatch(/Account → API Keys/);
    expect(RULES['community-key'].remedy).toMatch(/\.env.*restart/);
    expect(RULES['url-key'].remedy).toMatch(/Authorization: Bearer/);
  });
});

describe('compareFindings', () => {
  it('sorts by file, line, column, rule', () => {
    const mk = (file: string, line: number, column: number, ruleId: Finding['ruleId']) =>
      createFinding({ ruleId, file, line, column, secret: cloudKey() });
    const list = [
      mk('b', 1, 1, 'cloud-key'),
      mk('a', 2, 1, 'cloud-key'),
      mk('a', 1, 5, 'url-key'),
      mk('a', 1, 5, 'community-key'),
      mk('a', 1, 2, 'url-key'),
    ];
    expect(list.sort(compareFindings).map((f) => `${f.file}:${f.line}:${f.column}:${f.ruleId}`)).toEqual([
      'a:1:2:url-key',
      'a:1:5:community-key',
      'a:1:5:url-key',
      'a:2:1:cloud-key',
      'b:1:1:cloud-key',
    ]);
  });
});
