/**
 * `--history` on a 10,000-commit repository built with `git fast-import` (seconds, deterministic): the right
 * commits are credited, counts are right, and progress appears on a terminal only — never in a pipe.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linearHistoryStream, run, TempRepo } from './helpers/git.js';
import { cloudKey, expectNoSecrets, masked } from './helpers/keys.js';
import { SCAN_BIN } from './helpers/paths.js';
import { jsonFindings, parseReport } from './helpers/report.js';

const COMMITS = 10_000;
let repo: TempRepo;
let shas: string[];
const early = cloudKey();
const late = cloudKey();

beforeAll(() => {
  repo = TempRepo.create();
  const stream = linearHistoryStream(COMMITS, 50, (i) =>
    i === 1234 ? `const early = '${early}';` : i === COMMITS - 3 ? `const late = '${late}';` : undefined,
  );
  repo.gitInput(stream, 'fast-import', '--quiet');
  repo.git('reset', '-q', '--hard', 'main');
  shas = repo.git('rev-list', '--reverse', 'main').trim().split('\n');
});
afterAll(() => repo.cleanup());

describe('--history on 10,000 commits', () => {
  it('credits each key to the commit that added it and knows whether HEAD still has it', async () => {
    expect(shas).toHaveLength(COMMITS);
    const result = await repo.scan(['--history', '--format', 'json']);
    expectNoSecrets(result, [early, late]);
    expect(result.code).toBe(1);
    const byKey = new Map(jsonFindings(result).map((f) => [f.masked, f]));
    expect(byKey.size).toBe(2);
    // the early key scrolled out of its file (the generator keeps the last 30 lines) long ago
    expect(byKey.get(masked(early))).toMatchObject({ commit: shas[1234], presentAtHead: false, occurrences: 1 });
    expect(byKey.get(masked(late))).toMatchObject({ commit: shas[COMMITS - 3], presentAtHead: true, occurrences: 1 });
    expect(parseReport(result.stdout).stats.commits).toBe(COMMITS);
    // nothing but the report: no progress when stderr is not a terminal
    expect(result.stderr).toBe('');
  });

  it('shows progress on a terminal', async () => {
    // script(1) gives the scanner a pseudo-terminal; its stdout (the report) goes to /dev/null
    const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(SCAN_BIN)} --history --format json > /dev/null`;
    const result = await run('script', ['-qec', command, '/dev/null'], repo.dir, repo.env);
    expectNoSecrets(result, [early, late]);
    expect(result.stdout).toMatch(/statalog-scan: \d+(\/10000)? commits \([\d,]+\/s\)/);
  });
});
