/**
 * Hardening, file names: a tree whose file names carry newlines, workflow commands of both syntaxes,
 * terminal escapes, bidi overrides, markdown and bytes that are not UTF-8 — through every CLI format.
 *
 * - text: no control character reaches the terminal; no line is a workflow command the GitHub runner would
 *   act on (a step's output is parsed for `::cmd::` at a line's start and `##[cmd]` anywhere).
 * - json, sarif: parse, validate (SARIF schema), and give every file name back exactly; no runner command.
 * - github: every stdout line is exactly one well-formed `::error` whose `file=` decodes — by the runner's
 *   own unescaping — to the real file name; nothing else the runner would act on, on stdout or stderr.
 */
import { symlinkSync, writeFileSync } from 'node:fs';
import { printable } from '@statalog/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  hasTerminalControls,
  HOSTILE_NAMES,
  NON_UTF8_NAME,
  NON_UTF8_SHOWN,
  parseCommandV2,
  unexpectedCommands,
} from './helpers/hostile.js';
import { communityValue } from './helpers/keys.js';
import type { RunResult } from './helpers/process.js';
import { parseReport, parseSarif, sarifValidator } from './helpers/report.js';
import { scan } from './helpers/scan.js';
import { TempTree } from './helpers/tmp.js';

let tree: TempTree;
const secrets: string[] = [];
/** Every file name as the scanner reports it. */
const expectedFiles = [...HOSTILE_NAMES, NON_UTF8_SHOWN].map((n) => `dir/${n}`).sort();

beforeAll(() => {
  tree = new TempTree('statalog-names-');
  for (const name of HOSTILE_NAMES) {
    const value = communityValue();
    secrets.push(value);
    tree.write(`dir/${name}`, `# config\nSTATALOG_API_KEY=${value}\n`);
  }
  const value = communityValue();
  secrets.push(value);
  writeFileSync(
    Buffer.concat([Buffer.from(tree.path('dir/')), NON_UTF8_NAME]),
    `# config\nSTATALOG_API_KEY=${value}\n`,
  );
  // hostile names in the list of skipped entries too
  tree.write('links/.keep', '');
  symlinkSync('nowhere', tree.path('links/::warning::link ##[error]x'));
});
afterAll(() => tree.cleanup());

function expectNoSecret(run: RunResult): void {
  for (const s of secrets) {
    expect(run.stdout.includes(s)).toBe(false);
    expect(run.stderr.includes(s)).toBe(false);
  }
}

describe('hostile file names in every CLI format', () => {
  it('text: printable, one line per finding, no runner command, no control character', async () => {
    const run = await scan(['--no-ignore', 'dir', 'links'], { cwd: tree.dir });
    expect(run.code).toBe(1);
    expect(hasTerminalControls(run.stdout)).toBe(false);
    expect(hasTerminalControls(run.stderr)).toBe(false);
    expect(unexpectedCommands(run.stdout)).toEqual([]);
    expect(unexpectedCommands(run.stderr)).toEqual([]);
    // each file heads its group on a line of its own; a name cannot add or split lines
    const findingLines = run.stdout.split('\n').filter((l) => /^ {2}2:18 +community-key /.test(l));
    expect(findingLines).toHaveLength(expectedFiles.length);
    for (const file of expectedFiles) expect(run.stdout).toContain(printable(file));
    expectNoSecret(run);
    // from inside the directory each name starts its own line: `::…` and `##[…]` names included
    const bare = await scan(['--no-ignore', '.'], { cwd: tree.path('dir') });
    expect(bare.code).toBe(1);
    expect(unexpectedCommands(bare.stdout)).toEqual([]);
    expect(bare.stdout).toContain('\n\\x3a:add-mask::visible.env\n');
    expect(bare.stdout).toContain('\nlegacy ##\\x5bset-output name=findings;]0.env\n');
  });

  it('stderr escapes a name exactly as the reports do (one escaper)', async () => {
    const missing = 'gone\u202etxt.env';
    const run = await scan(['--no-ignore', 'dir', missing], { cwd: tree.dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(printable(missing)); // `\u{202e}`, as in the text report
    expect(run.stdout + run.stderr).not.toContain('\u202e');
  });

  it('json: valid, every name given back exactly, no runner command', async () => {
    const run = await scan(['--format', 'json', '--no-ignore', 'dir', 'links'], { cwd: tree.dir });
    expect(run.code).toBe(1);
    expect(unexpectedCommands(run.stdout)).toEqual([]);
    const report = JSON.parse(run.stdout) as {
      findings: Array<{ file: string; line: number; column: number }>;
      stats: { skippedFiles: Array<{ file: string }> };
    };
    expect(report.findings.map((f) => f.file).sort()).toEqual(expectedFiles);
    expect(report.findings.every((f) => f.line === 2 && f.column === 18)).toBe(true);
    expect(report.stats.skippedFiles.map((s) => s.file)).toEqual(['links/::warning::link ##[error]x']);
    expectNoSecret(run);
  });

  it('sarif: valid against the schema, every URI decodes to the name, no runner command', async () => {
    const run = await scan(['--format', 'sarif', '--no-ignore', 'dir'], { cwd: tree.dir });
    expect(run.code).toBe(1);
    expect(unexpectedCommands(run.stdout)).toEqual([]);
    const log = parseSarif(run.stdout);
    const validate = sarifValidator();
    expect(validate(log), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const uris = log.runs[0]!.results.map((r) => r.locations[0]!.physicalLocation.artifactLocation.uri);
    for (const uri of uris) expect(uri).toMatch(/^[A-Za-z0-9\-._~!$&'()*+,;=:@%/]+$/); // a URI reference, nothing raw
    expect(uris.map(decodeURIComponent).sort()).toEqual(expectedFiles);
    expectNoSecret(run);
  });

  it('github: each stdout line is one ::error whose file decodes to the real name; nothing else is a command', async () => {
    const run = await scan(['--format', 'github', '--no-ignore', 'dir', 'links'], { cwd: tree.dir });
    expect(run.code).toBe(1);
    const lines = run.stdout.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(expectedFiles.length);
    const files = lines.map((line) => {
      const command = parseCommandV2(line);
      expect(command, line).toBeDefined();
      expect(command!.command).toBe('error');
      expect(line.startsWith('::error file=')).toBe(true);
      expect(Object.keys(command!.properties)).toEqual(['file', 'line', 'col', 'endColumn', 'title']);
      expect(command!.properties).toMatchObject({ line: '2', col: '18', title: 'Statalog Community API key' });
      expect(command!.data).toContain('…(64 chars)');
      return command!.properties.file!;
    });
    expect(files.sort()).toEqual(expectedFiles);
    // stderr (the summary, the skipped-link warning) is read by the runner too
    expect(unexpectedCommands(run.stderr)).toEqual([]);
    expectNoSecret(run);
  });

  it('--write-baseline: the baseline file holds every name and applies back to the same tree', async () => {
    const write = await scan(['--no-ignore', '--write-baseline', 'baseline.json', 'dir'], { cwd: tree.dir });
    expect(write.code).toBe(0);
    expect(unexpectedCommands(write.stderr)).toEqual([]);
    const baseline = JSON.parse(tree.read('baseline.json')) as { entries: Array<{ file: string }> };
    expect(baseline.entries.map((e) => e.file).sort()).toEqual(expectedFiles);
    for (const s of secrets) expect(tree.read('baseline.json')).not.toContain(s);
    const applied = await scan(['--no-ignore', '--baseline', 'baseline.json', '--format', 'json', 'dir'], {
      cwd: tree.dir,
    });
    expect(applied.code).toBe(0);
    expect(parseReport(applied.stdout).baseline?.baselined).toBe(expectedFiles.length);
  });

  it('a hostile name in a one-line error (a path that does not exist) is printable and no command', async () => {
    for (const name of ['::add-mask::x', 'a\nb', '##[set-output name=x;]y', 'e\u001b[2Jx']) {
      const run = await scan([name], { cwd: tree.dir });
      expect(run.code).toBe(2);
      expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(hasTerminalControls(run.stderr)).toBe(false);
      expect(unexpectedCommands(run.stderr)).toEqual([]);
    }
  });
});
