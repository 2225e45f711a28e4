/**
 * The bundled sample project through the built binary: the exact set of findings (EXPECTED.json), positions
 * proven by reading the files back, every format, and the no-leak guarantee — no fixture secret in any output.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mask } from '@statalog/core';
import { describe, expect, it } from 'vitest';
import { cleanEnv } from './helpers/env.js';
import { leakedSecrets } from './helpers/keys.js';
import { REPO_ROOT, SAMPLE_APP } from './helpers/paths.js';
import { parseReport, parseSarif, sarifValidator } from './helpers/report.js';
import { sampleAppExpected, sampleAppSecrets, scan, scanJson, textAt } from './helpers/scan.js';

const SAMPLE = 'fixtures/sample-app';
const expected = sampleAppExpected();
const secrets = sampleAppSecrets();

describe('fixtures/sample-app', () => {
  it('reports exactly the findings listed in EXPECTED.json', async () => {
    const { code, report } = await scanJson([SAMPLE]);
    expect(code).toBe(1);
    const key = (f: { file: string; line: number; column: number; endColumn: number; ruleId: string }): string =>
      `${f.file}:${f.line}:${f.column}-${f.endColumn} ${f.ruleId}`;
    expect(report.findings.map(key)).toEqual(expected.map((f) => key({ ...f, file: `${SAMPLE}/${f.file}` })).sort());
    expect(report.stats.binary).toBe(1);
    expect(report.stats.skipped).toBe(0);
  });

  it('points at the secret: the text at each position is the key, and the masked form is its mask', async () => {
    const { report } = await scanJson([SAMPLE]);
    for (const f of report.findings) {
      const secret = textAt(join(REPO_ROOT, f.file), f.line, f.column, f.endColumn);
      if (f.ruleId === 'cloud-key') expect(secret).toMatch(/^st_[0-9a-f]{64}$/);
      else expect(secret.length).toBeGreaterThanOrEqual(16);
      expect(f.masked).toBe(mask(secret));
      expect(f.fingerprint).toMatch(new RegExp(`^${f.ruleId}:${f.file.replace(/[.]/g, '\\.')}:[0-9a-f]{16}$`));
      expect(f.message).toContain(f.masked);
    }
  });

  it('lists findings in a stable order: two runs print the same report', async () => {
    const strip = (text: string): string => text.replace(/in \d+ ms/g, 'in N ms');
    const [a, b] = await Promise.all([scan([SAMPLE]), scan([SAMPLE])]);
    expect(strip(a.stdout)).toBe(strip(b.stdout));
    const [x, y] = await Promise.all([scanJson([SAMPLE]), scanJson([SAMPLE])]);
    expect(x.report.findings).toEqual(y.report.findings);
    const files = x.report.findings.map((f) => f.file);
    expect(files).toEqual([...files].sort());
  });

  it('scans the sample when it is named, but not as part of this repository (its config ignores fixtures/**)', async () => {
    const named = await scanJson([SAMPLE]);
    expect(named.report.findings.length).toBe(expected.length);
    const whole = await scanJson(['.']);
    expect(whole.report.findings.filter((f) => f.file.startsWith('fixtures/'))).toEqual([]);
  });

  it('works from the subdirectory: paths relative to the current directory', async () => {
    const { report } = await scanJson([], { cwd: SAMPLE_APP });
    expect(report.findings.map((f) => f.file)).toEqual(expected.map((f) => f.file).sort());
  });
});

describe('never prints a key', () => {
  const formats = ['text', 'json', 'sarif', 'github'] as const;

  for (const format of formats) {
    it(`${format}: no fixture secret in stdout or stderr`, async () => {
      for (const extra of [[], ['--include-examples'], ['--quiet']]) {
        const result = await scan(['--format', format, ...extra, SAMPLE], { env: { FORCE_COLOR: '1' } });
        expect(result.code).toBe(1);
        expect(result.stdout.length).toBeGreaterThan(0);
        expect(leakedSecrets(result.stdout, secrets)).toEqual([]);
        expect(leakedSecrets(result.stderr, secrets)).toEqual([]);
      }
    });
  }

  it('nor in a written baseline, nor in the report written with --output', async () => {
    const dir = join(tmpdir(), `statalog-scan-leak-${process.pid}`);
    const baseline = `${dir}-baseline.json`;
    const output = `${dir}-report.sarif`;
    try {
      const result = await scan(['--write-baseline', baseline, '--format', 'sarif', '--output', output, SAMPLE]);
      expect(result.code).toBe(0);
      expect(leakedSecrets(readFileSync(baseline, 'utf8'), secrets)).toEqual([]);
      expect(leakedSecrets(readFileSync(output, 'utf8'), secrets)).toEqual([]);
      expect(leakedSecrets(result.stdout + result.stderr, secrets)).toEqual([]);
    } finally {
      rmSync(baseline, { force: true });
      rmSync(output, { force: true });
    }
  });

  it('the secrets really are in the fixtures (the check above would catch them)', () => {
    expect(secrets).toHaveLength(expected.length);
    const all = expected.map((f) => readFileSync(join(SAMPLE_APP, f.file)).toString('latin1')).join('\n');
    const utf16 = readFileSync(join(SAMPLE_APP, 'docs/notes-utf16.txt')).toString('utf16le');
    for (const secret of secrets) expect(all.includes(secret) || utf16.includes(secret)).toBe(true);
    expect(leakedSecrets(`${all}\n${utf16}`, secrets)).toHaveLength(secrets.length);
  });
});

describe('output formats over the sample', () => {
  it('sarif: valid against the SARIF 2.1.0 schema, with rules, relative URIs and partial fingerprints', async () => {
    const result = await scan(['--format', 'sarif', SAMPLE]);
    expect(result.code).toBe(1);
    const log = parseSarif(result.stdout);
    const validate = sarifValidator();
    expect(validate(log), JSON.stringify(validate.errors?.slice(0, 5))).toBe(true);

    const run = log.runs[0]!;
    expect(run.tool.driver.rules.map((r) => r.id).sort()).toEqual(['cloud-key', 'community-key', 'url-key']);
    for (const rule of run.tool.driver.rules) expect(rule.help.text.length).toBeGreaterThan(40);
    expect(run.results).toHaveLength(expected.length);
    for (const r of run.results) {
      const uri = r.locations[0]!.physicalLocation.artifactLocation.uri;
      expect(uri.startsWith(`${SAMPLE}/`)).toBe(true);
      expect(r.partialFingerprints['statalogSecret/v1']).toMatch(/^[a-z-]+:.+:[0-9a-f]{16}$/);
    }
    expect(run.invocations?.[0]?.executionSuccessful).toBe(true);
  });

  it('github: only workflow commands on stdout, the summary on stderr', async () => {
    const result = await scan(['--format', 'github', SAMPLE]);
    expect(result.code).toBe(1);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(expected.length);
    for (const line of lines)
      expect(line).toMatch(/^::error file=fixtures\/sample-app\/[^,]+,line=\d+,col=\d+,endColumn=\d+,title=[^:]+::/);
    expect(result.stderr).toMatch(/15 Statalog keys in 15 files/);
  });

  it('text: grouped by file with a remedy per rule and one summary line; no colour when not a TTY', async () => {
    const result = await scan([SAMPLE]);
    expect(result.code).toBe(1);
    expect(result.stdout).not.toMatch(/\u001b\[/);
    expect(result.stdout).toContain('fixtures/sample-app/src/server.ts\n  4:23');
    expect(result.stdout).toContain('What to do');
    expect(result.stdout).toContain('Account → API Keys');
    expect(result.stdout).toContain('Authorization: Bearer');
    expect(result.stdout.trimEnd().split('\n').at(-1)).toMatch(
      /^✖ 15 Statalog keys in 15 files \(\d+ files, .+, 1 binary\) in \d+ ms; 1 finding accepted \(1 by statalog:allow\)$/,
    );
  });

  it('text: colour with FORCE_COLOR, none with NO_COLOR', async () => {
    const forced = await scan([SAMPLE], { env: { FORCE_COLOR: '1' } });
    expect(forced.stdout).toMatch(/\u001b\[/);
    const none = await scan([SAMPLE], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } });
    expect(none.stdout).not.toMatch(/\u001b\[/);
  });
});

describe('the installed bin', () => {
  it('node_modules/.bin/statalog-scan --format json . exits 0 at the repository root (the repo scans itself clean)', () => {
    const result = spawnSync(join(REPO_ROOT, 'node_modules/.bin/statalog-scan'), ['--format', 'json', '.'], {
      cwd: REPO_ROOT,
      env: cleanEnv(),
      encoding: 'utf8',
    });
    const report = parseReport(result.stdout);
    expect(report.findings, 'a key was committed outside fixtures/').toEqual([]);
    expect(result.status).toBe(0);
    expect(report.stats.files).toBeGreaterThan(20);
  });
});
