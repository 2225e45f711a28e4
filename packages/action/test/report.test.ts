import { createFinding, withFields, type Finding } from '@statalog/core';
import { describe, expect, test } from 'vitest';
import { Coverage } from '../src/coverage.js';
import { annotationLines, logLines } from '../src/report/annotations.js';
import { COMMENT_MARKER, commentBody } from '../src/report/comment.js';
import type { ActionReport } from '../src/report/model.js';
import { reasonLine } from '../src/report/outputs.js';
import { reportMarkdown, statsLine, SUMMARY_LIMITS } from '../src/report/summary.js';
import { cloudKey } from '../../../test/helpers/keys.js';

const SHA = 'c'.repeat(40);

function finding(file: string, secret = cloudKey(), fields: Partial<Finding> = {}): Finding {
  return withFields(createFinding({ ruleId: 'cloud-key', file, line: 3, column: 7, secret }), {
    commit: SHA,
    author: 'Ana',
    date: '2024-05-01T12:00:00Z',
    occurrences: 1,
    presentAtHead: true,
    ...fields,
  });
}

function report(findings: Finding[], extra: Partial<ActionReport> = {}): ActionReport {
  return {
    label: 'pull request #4',
    findings,
    allowed: [],
    baselined: 0,
    stale: [],
    coverage: new Coverage(),
    requests: 9,
    repoUrl: 'https://github.com/acme/shop',
    configFile: '.statalog-scan.json',
    failing: true,
    incomplete: false,
    allowIncomplete: false,
    policy: 'config and baseline read at the base ccccccc, not from the change',
    policyEffects: [],
    fingerprintWarnings: [],
    earlier: [],
    ...extra,
  };
}

describe('annotations', () => {
  test('file, line, columns and title; the message says where the key came from', () => {
    const [line] = annotationLines([finding('src/a.ts', undefined, { presentAtHead: false, occurrences: 3 })], 'error');
    expect(line).toMatch(
      /^::error file=src\/a\.ts,line=3,col=7,endColumn=74,title=Statalog Cloud API key::Statalog Cloud API key st_[0-9a-f]{4}…[0-9a-f]{4} is written/,
    );
    expect(line).toContain(
      'Added in commit cccccccccccc (and 2 more times); a later commit removed it, but it stays in the git history, so revoke it anyway.',
    );
  });

  test('at most 10, then a notice with the count', () => {
    const lines = annotationLines(
      Array.from({ length: 13 }, (_, i) => finding(`f${i}.env`)),
      'warning',
    );
    expect(lines.filter((l) => l.startsWith('::warning '))).toHaveLength(10);
    expect(lines.at(-1)).toBe(
      '::notice title=More Statalog keys::3 more Statalog keys are not annotated (GitHub shows 10 annotations per step): the job summary lists all 13.',
    );
  });

  test('a file name cannot break out of the command', () => {
    const [line] = annotationLines([finding('a,b:c\n::error::fake.env')], 'error');
    expect(line).toContain('file=a%2Cb%3Ac%0A%3A%3Aerror%3A%3Afake.env,line=3');
    expect(line!.split('\n')).toHaveLength(1);
  });

  test('log lines make control characters visible', () => {
    expect(logLines([finding('evil\u001b[2Jname.env')])[0]).toContain('evil\\x1b[2Jname.env:3:7  cloud-key');
  });
});

describe('summary and comment', () => {
  test('the table: rule, file, line, commit link, masked key, still at head; nothing of the key but its mask', () => {
    const key = cloudKey();
    const md = reportMarkdown(
      report([finding('src/a.ts', key, { presentAtHead: false, occurrences: 2 })]),
      SUMMARY_LIMITS,
    );
    expect(md).toContain('| Rule | File | Line | Commit | Key | Still at head |');
    expect(md).toContain(
      `| cloud&#45;key | src/a.ts | 3 | [cccccccccccc](https://github.com/acme/shop/commit/${SHA}) (+1) | st&#95;${key.slice(3, 7)}…${key.slice(-4)} | no, in history |`,
    );
    expect(md).toContain('Revoke or rotate every key listed');
    expect(md).not.toContain(key);
    expect(md).not.toContain(key.slice(3, 20));
  });

  test('a clean run says so in one heading, with the stats', () => {
    const md = reportMarkdown(report([]), SUMMARY_LIMITS);
    expect(md).toContain('### ✅ No Statalog keys in pull request &#35;&#8203;4');
    expect(md).toContain('with 9 GitHub API requests');
    expect(md).not.toContain('What to do');
  });

  test('what was not scanned: gaps with their files, binaries, merges, notes — names escaped', () => {
    const coverage = new Coverage();
    coverage.addGap('commit abc: 2 files were not scanned', ['x|y.env', '[a](b).txt']);
    coverage.commits = 3;
    coverage.wholeFiles = 2;
    coverage.binary = 1;
    coverage.merges.push('d'.repeat(40));
    coverage.notes.push('scanned the tree instead');
    const md = reportMarkdown(report([], { coverage }), SUMMARY_LIMITS);
    expect(md).toContain('#### Not scanned');
    expect(md).toContain('  - x&#124;y.env');
    expect(md).toContain('  - &#91;a&#93;&#40;b&#41;.txt');
    const stats = statsLine(report([], { coverage }));
    expect(stats).toContain('Scanned 3 commits (1 of them a merge, judged against every parent)');
    expect(stats).toContain('2 files read whole, 1 of them binary (searched for Cloud keys)');
    expect(md).toContain('#### Notes');
  });

  test('the comment starts with the hidden marker and links the run', () => {
    const body = commentBody(report([finding('a.env')]), SHA, 'https://github.com/acme/shop/actions/runs/1', []);
    expect(body.startsWith(`${COMMENT_MARKER}\n`)).toBe(true);
    expect(body).toContain('([workflow run](https://github.com/acme/shop/actions/runs/1))');
  });

  test('the reason line: one line, counts, what to do', () => {
    const line = reasonLine(
      report([finding('a.env'), finding('b.env', undefined, { presentAtHead: false })], { label: 'branch\nx' }),
    );
    expect(line).toBe(
      '2 Statalog API keys in branch\\x0ax (1 still at head, 1 only in history): revoke them — a key removed by a later commit is still in the git history. The job summary lists them and says what to do.',
    );
  });
});
