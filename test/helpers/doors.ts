/**
 * Every door a key can pass, driven as users drive them, each answering with the same shape — so a parity
 * test can ask all of them about one repository and compare: the tree scan, `--staged` (before each commit),
 * `--range`, `--history`, and the built Action against the loopback GitHub API.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { pullRequestEvent } from './action-events.js';
import { removeWorkspace, runAction } from './action-runner.js';
import { FakeGitHub } from './github-api.js';
import type { TempRepo } from './git.js';

/** What every door must agree on for each finding. */
export interface DoorFinding {
  ruleId: string;
  file: string;
  line: number;
  column: number;
  fingerprint: string;
  /** A key found inside encoded content: `base64` or `percent`. */
  encoding?: string;
}

export function sortFindings(findings: readonly DoorFinding[]): DoorFinding[] {
  return [...findings].sort((a, b) =>
    a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : a.line - b.line || a.column - b.column,
  );
}

function pick(f: DoorFinding): DoorFinding {
  return {
    ruleId: f.ruleId,
    file: f.file,
    line: f.line,
    column: f.column,
    fingerprint: f.fingerprint,
    ...(f.encoding !== undefined ? { encoding: f.encoding } : {}),
  };
}

/** A CLI run with `--format json`: its findings; exit 0 or 1 only (anything else is a broken door). */
export async function cliFindings(repo: TempRepo, args: string[]): Promise<DoorFinding[]> {
  return (await cliReport(repo, args)).findings;
}

/** Findings and what was accepted instead of reported (`how`: inline, fingerprint, baseline). */
export async function cliReport(
  repo: TempRepo,
  args: string[],
): Promise<{ findings: DoorFinding[]; allowed: Array<DoorFinding & { how: string }> }> {
  const result = await repo.scan(['--format', 'json', ...args]);
  expect([0, 1], `statalog-scan ${args.join(' ')}: ${result.stderr}`).toContain(result.code);
  const report = JSON.parse(result.stdout) as {
    findings: DoorFinding[];
    allowed?: Array<DoorFinding & { how: string }>;
  };
  return {
    findings: report.findings.map(pick),
    allowed: (report.allowed ?? []).map((a) => ({ ...pick(a), how: a.how })),
  };
}

/**
 * Staged findings collected commit by commit: call `before()` with everything staged, just before each
 * commit. A secret counts once, at the first commit that staged it (as history credits the oldest commit).
 */
export class StagedDoor {
  private readonly byFingerprint = new Map<string, DoorFinding>();

  constructor(private readonly repo: TempRepo) {}

  async before(): Promise<DoorFinding[]> {
    const found = await cliFindings(this.repo, ['--staged']);
    for (const f of found) if (!this.byFingerprint.has(f.fingerprint)) this.byFingerprint.set(f.fingerprint, f);
    return found;
  }

  findings(only?: (f: DoorFinding) => boolean): DoorFinding[] {
    return [...this.byFingerprint.values()].filter(only ?? (() => true));
  }
}

/** The Action on a pull request from `base` to `head`, with the findings read from its SARIF file. */
export async function actionFindings(
  repo: TempRepo,
  pr: { base: string; head: string; commits: number },
  options: { omitPatch?: string[]; log?: (stdout: string) => void } = {},
): Promise<DoorFinding[]> {
  const token = 'ghs_paritytoken0000000000';
  const server = await new FakeGitHub({
    repoDir: repo.dir,
    env: repo.env,
    tokens: { [token]: 'write' },
    pulls: { 1: { base: pr.base, head: pr.head } },
    ...(options.omitPatch ? { omitPatch: new Set(options.omitPatch) } : {}),
  }).start();
  try {
    const run = await runAction({
      apiUrl: server.url,
      eventName: 'pull_request',
      payload: pullRequestEvent({ number: 1, base: pr.base, head: pr.head, commits: pr.commits }),
      inputs: { 'github-token': token, 'sarif-file': 'statalog.sarif', comment: 'false' },
    });
    try {
      expect([0, 1], `action: ${run.stdout}\n${run.stderr}`).toContain(run.code);
      options.log?.(run.stdout);
      const sarif = JSON.parse(readFileSync(join(run.workspace, 'statalog.sarif'), 'utf8')) as SarifLog;
      return sarif.runs[0]!.results.map((r) => {
        const at = r.locations[0]!.physicalLocation;
        return {
          ruleId: r.ruleId,
          file: at.artifactLocation.uri,
          line: at.region.startLine,
          column: at.region.startColumn,
          fingerprint: r.partialFingerprints['statalogSecret/v1']!,
          ...(r.properties?.encoding !== undefined ? { encoding: r.properties.encoding } : {}),
        };
      });
    } finally {
      removeWorkspace(run);
    }
  } finally {
    await server.close();
  }
}

interface SarifLog {
  runs: Array<{
    results: Array<{
      ruleId: string;
      partialFingerprints: Record<string, string>;
      properties?: { encoding?: string };
      locations: Array<{
        physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } };
      }>;
    }>;
  }>;
}
