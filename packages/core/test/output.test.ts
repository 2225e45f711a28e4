/**
 * What reaches a terminal, a workflow log, GitHub markdown or code scanning: file names come from untrusted
 * trees, so nothing in them may start a command, render as markup or move the cursor.
 */
import { describe, expect, it } from 'vitest';
import { escapeCommandData, escapeCommandProperty } from '../src/escape.js';
import {
  createFinding,
  escapeMarkdown,
  printable,
  toArtifactUri,
  toSarif,
  withFields,
  workflowCommand,
} from '../src/index.js';
import { RULE_IDS } from '../src/rules.js';
import type { SarifLog } from '../../../test/helpers/report.js';
import { cloudKey, hexKey } from './support.js';

describe('workflow commands', () => {
  it('escapes data (%, CR, LF) and properties (additionally : and ,) as the runner expects', () => {
    expect(escapeCommandData('100% done\r\nnext')).toBe('100%25 done%0D%0Anext');
    expect(escapeCommandProperty('a:b,c%\n')).toBe('a%3Ab%2Cc%25%0A');
  });

  it('builds ::error with properties in order and skips empty ones', () => {
    expect(
      workflowCommand(
        'error',
        { file: 'src/a.ts', line: 3, col: 5, endColumn: 72, title: 'Statalog Cloud API key' },
        'msg',
      ),
    ).toBe('::error file=src/a.ts,line=3,col=5,endColumn=72,title=Statalog Cloud API key::msg');
    expect(workflowCommand('notice', { file: '', title: undefined }, 'hi')).toBe('::notice::hi');
  });

  it.each([
    ['a newline then a command', 'a\n::set-output name=x::1.txt'],
    ['CR', 'a\r::add-mask::x'],
    ['stop-commands', 'x\n::stop-commands::token\n'],
    ['a property separator', 'a,line=1,title=forged'],
    ['a double colon', 'a::warning::b'],
    ['a percent escape that would decode to a newline', 'a%0A::error::b'],
  ])('a file name with %s cannot start or forge a command', (_name, file) => {
    const line = workflowCommand('error', { file, line: 1, title: 'T' }, `found in ${file}`);
    expect(line).not.toMatch(/[\r\n]/);
    // exactly one command: `::error `, then properties without `::`, then `::` and the message
    const props = line.slice('::error '.length, line.indexOf('::', 2));
    expect(props.split(',').map((p) => p.split('=')[0])).toEqual(['file', 'line', 'title']);
    expect(props).not.toContain(':');
    // the runner decodes %25 → %, so an escaped %0A stays literal text
    expect(line).not.toContain('%0A::error');
  });
});

describe('printable', () => {
  it('neutralises escape sequences, control characters, line separators and bidi overrides', () => {
    expect(printable('\u001b[31mred\u001b[0m')).toBe('\\x1b[31mred\\x1b[0m');
    expect(printable('a\u0007b\bc\u009bd')).toBe('a\\x07b\\x08c\\x9bd');
    expect(printable('x\ny\rz\t')).toBe('x\\x0ay\\x0dz\\x09');
    expect(printable('evil\u202Etxt.exe\u2028')).toBe('evil\\u{202e}txt.exe\\u{2028}');
    expect(printable('plain/ümlaut 😀.txt')).toBe('plain/ümlaut 😀.txt');
  });

  it('leaves no ESC or other C0/C1 character in its output', () => {
    let all = '';
    for (let c = 0; c <= 0x9f; c++) all += String.fromCharCode(c);
    expect(printable(all)).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  });
});

describe('escapeMarkdown', () => {
  const rendersPlain = (s: string) => {
    const out = escapeMarkdown(s);
    expect(out).not.toMatch(/[[\]()<>|`*_!@\n\r]/); // no markdown or HTML syntax left, one line
    return out;
  };

  it('no link, image or HTML', () => {
    expect(rendersPlain('[x](https://evil.example)')).toBe('&#91;x&#93;&#40;https&#58;&#8203;//evil.example&#41;');
    rendersPlain('![img](https://evil.example/p.png)');
    rendersPlain('<img src=x onerror=alert(1)>.txt');
    rendersPlain('<https://evil.example>');
  });

  it('no mention, no autolink (entities are decoded before GitHub links them, so a zero-width space splits them)', () => {
    expect(escapeMarkdown('@octocat')).toBe('&#64;&#8203;octocat');
    expect(escapeMarkdown('user@example.com')).toBe('user&#64;&#8203;example.com');
    expect(escapeMarkdown('www.example.com')).toBe('www&#8203;.example.com');
    expect(escapeMarkdown('WWW.example.com')).toBe('WWW&#8203;.example.com');
    expect(escapeMarkdown('http://x')).toBe('http&#58;&#8203;//x');
  });

  it('no table break, no heading, no emphasis, one line', () => {
    expect(escapeMarkdown('a|b')).toBe('a&#124;b');
    expect(escapeMarkdown('# title')).toBe('&#35; title');
    expect(escapeMarkdown('a\nb\r\nc')).toBe('a b c');
    rendersPlain('**bold** _it_ ~~s~~ `code`');
  });

  it('entities already in the name are shown, not decoded', () => {
    expect(escapeMarkdown('&lt;b&gt;')).toBe('&#38;lt;b&#38;gt;');
  });

  it('control characters are shown as escapes', () => {
    expect(escapeMarkdown('a\u001b[2Jb')).toBe('a&#92;x1b[2Jb'.replace('[', '&#91;'));
  });
});

describe('toSarif', () => {
  const key = cloudKey();
  const findings = [
    createFinding({ ruleId: 'cloud-key', file: 'src/app.ts', line: 3, column: 14, secret: key }),
    withFields(
      createFinding({ ruleId: 'community-key', file: 'dir with space/#x%.env', line: 1, column: 18, secret: hexKey() }),
      {
        commit: 'a'.repeat(40),
        author: 'A <a@example.com>',
        date: '2025-01-01T00:00:00Z',
        presentAtHead: false,
        occurrences: 2,
        verification: { status: 'revoked' },
      },
    ),
  ];
  const sarif = toSarif(findings, { version: '1.2.3' }) as SarifLog;

  it('is SARIF 2.1.0 with one run, the tool and all three rules with help text', () => {
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.$schema).toMatch(/sarif-2\.1\.0/);
    expect(sarif.runs).toHaveLength(1);
    const driver = sarif.runs[0]!.tool.driver;
    expect(driver).toMatchObject({ name: 'statalog-scan', version: '1.2.3', semanticVersion: '1.2.3' });
    expect(driver.rules.map((r) => r.id)).toEqual(RULE_IDS);
    for (const rule of driver.rules) {
      expect(rule.name).toMatch(/^[A-Z][A-Za-z]+$/);
      expect(rule.shortDescription.text).not.toBe('');
      expect(rule.fullDescription.text).not.toBe('');
      expect(rule.help.text).not.toBe('');
      expect(rule.help.markdown).toContain('What to do');
      expect(rule.properties['security-severity']).toMatch(/^\d+(\.\d+)?$/);
    }
  });

  it('results: rule index, level, message, relative percent-encoded URI, region, partial fingerprints', () => {
    const [a, b] = sarif.runs[0]!.results;
    expect(a).toMatchObject({
      ruleId: 'cloud-key',
      ruleIndex: 0,
      level: 'error',
      message: { text: findings[0]!.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'src/app.ts', uriBaseId: '%SRCROOT%' },
            region: { startLine: 3, startColumn: 14, endColumn: 81 },
          },
        },
      ],
      partialFingerprints: { 'statalogSecret/v1': findings[0]!.fingerprint },
    });
    expect(b!.ruleIndex).toBe(1);
    expect(b!.locations[0]!.physicalLocation.artifactLocation.uri).toBe('dir%20with%20space/%23x%25.env');
    expect(b!.properties).toMatchObject({
      commit: 'a'.repeat(40),
      presentAtHead: false,
      occurrences: 2,
      verification: 'revoked',
    });
    expect(sarif.runs[0]!.originalUriBaseIds?.['%SRCROOT%']?.uri).toBe('./');
    expect(sarif.runs[0]!.columnKind).toBe('utf16CodeUnits');
  });

  it('never contains a secret and stays valid JSON whatever the file names', () => {
    const text = JSON.stringify(sarif);
    expect(text).not.toContain(key);
    expect(JSON.parse(text)).toEqual(sarif);
  });

  it('toArtifactUri keeps the separators and encodes each segment', () => {
    expect(toArtifactUri('a b/c?d/e#f/\u001b.txt')).toBe('a%20b/c%3Fd/e%23f/%1B.txt');
  });
});
