/** suppress(): the one place findings are accepted, for the CLI and the Action alike. */
import { describe, expect, it } from 'vitest';
import {
  createBaseline,
  createFinding,
  detect,
  EMPTY_CONFIG,
  fingerprint,
  scanText,
  suppress,
  withFields,
  type Finding,
} from '../src/index.js';
import { cloudKey } from './support.js';

const at = (file: string, secret = cloudKey(), line = 1): Finding =>
  createFinding({ ruleId: 'cloud-key', file, line, column: 1, secret });

describe('detect: reportAllowed', () => {
  it('returns matches on statalog:allow lines flagged instead of dropping them', () => {
    const [a, b] = [cloudKey(), cloudKey()];
    const text = `x = "${a}" # statalog:allow\ny = "${b}"\n`;
    expect(detect(text)).toHaveLength(1);
    const all = detect(text, { reportAllowed: true });
    expect(all.map((m) => [m.secret === a, m.allowed ?? false])).toEqual([
      [true, true],
      [false, false],
    ]);
    expect(scanText(text, 'a.py', { reportAllowed: true }).map((f) => f.inlineAllowed ?? false)).toEqual([true, false]);
  });
});

describe('suppress', () => {
  it('accepts by inline flag, full fingerprint, config-relative fingerprint and bare hash; says how; keeps order', () => {
    const [inline, full, relative, bare, kept] = [
      at('a.env'),
      at('web/src/b.env'),
      at('web/src/c.env'),
      at('d.env'),
      at('e.env'),
    ];
    const flagged = withFields(inline, { inlineAllowed: true });
    const config = {
      ...EMPTY_CONFIG,
      allowedFingerprints: [
        full.fingerprint,
        fingerprint('cloud-key', 'src/c.env', relative.secretHash),
        bare.secretHash,
      ],
    };
    const result = suppress([flagged, full, relative, bare, kept], { config, configDir: 'web', cwd: '' });
    expect(result.findings).toEqual([kept]);
    expect(result.allowed.map((a) => [a.finding.file, a.how])).toEqual([
      ['a.env', 'inline'],
      ['web/src/b.env', 'fingerprint'],
      ['web/src/c.env', 'fingerprint'],
      ['d.env', 'fingerprint'],
    ]);
    expect(result.unmatched).toEqual([]);
    // the same config-relative entry does not match when the config sits where the findings are named from
    expect(suppress([relative], { config, configDir: '', cwd: '' }).findings).toEqual([relative]);
  });

  it('applies the baseline after the allow-list: baselined, stale in scope only, unmatched and malformed entries', () => {
    const [old, gone, elsewhere, fresh] = [at('old.env'), at('gone.env'), at('other/x.env'), at('new.env')];
    const baseline = createBaseline([old, gone, elsewhere]);
    const config = {
      ...EMPTY_CONFIG,
      allowedFingerprints: ['cloud-key:nothing.env:0123456789abcdef', 'cloud-key:bad', 'fedcba98'],
    };
    const result = suppress([old, fresh], { config, baseline, inScope: (file) => !file.startsWith('other/') });
    expect(result.findings).toEqual([fresh]);
    expect(result.baselined).toBe(1);
    expect(result.allowed).toEqual([{ finding: old, how: 'baseline' }]);
    expect(result.stale.map((e) => e.file)).toEqual(['gone.env']);
    expect(result.unmatched).toEqual(['cloud-key:nothing.env:0123456789abcdef']);
    expect(result.malformed).toEqual(['cloud-key:bad', 'fedcba98']);
  });
});
