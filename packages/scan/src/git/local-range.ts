/**
 * For tools that hold a checkout (the GitHub Action with `actions/checkout` and `fetch-depth: 0`): scan the
 * commits of `base..head` with local git, as `statalog-scan --range` does, when the checkout has them — no
 * API budget, no file limits. Undefined when it cannot (no repository at `dir`, not its top level, a shallow
 * clone, a commit missing, git refusing the directory): the caller then takes its other path.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseCliArgs } from '../args.js';
import type { ModeContext } from '../modes.js';
import type { ModeResult } from '../report-model.js';
import type { Settings } from '../settings.js';
import { scanCommits } from './commit-scan.js';
import { runGit } from './exec.js';

export interface LocalRange {
  result: ModeResult;
  /** Every path a commit of the range added or changed (to notice a change to the config or baseline). */
  touched: Set<string>;
  /** The range's commits, oldest first, with the files each renamed (to follow a finding to its path at head). */
  commits: Array<{ sha: string; renames: Array<{ from: string; to: string }> }>;
}

export async function localRangeAvailable(dir: string, base: string, head: string): Promise<boolean> {
  if (!existsSync(join(dir, '.git'))) return false; // nothing spawned where there is no repository
  const info = await runGit(dir, ['rev-parse', '--show-toplevel', '--is-shallow-repository']);
  if (info.code !== 0) return false;
  const [top = '', shallow] = info.stdout.toString('utf8').split('\n');
  if (resolve(top) !== resolve(dir) || shallow !== 'false') return false;
  for (const sha of [base, head]) {
    const present = await runGit(dir, ['cat-file', '-e', '--end-of-options', `${sha}^{commit}`]);
    if (present.code !== 0) return false;
  }
  return true;
}

export async function scanLocalRange(
  dir: string,
  base: string,
  head: string,
  settings: Settings,
  detect: ModeContext['detect'],
  warn: (line: string) => void,
): Promise<LocalRange> {
  const range = `${base}..${head}`;
  const ctx: ModeContext = {
    args: { ...parseCliArgs(['--range', range, '--quiet']) },
    settings,
    cwd: dir,
    detect,
    warn,
  };
  const result = await scanCommits(ctx, false);
  // one more pass over the range's tree diffs (names only): what each commit touched and renamed
  const log = await runGit(dir, [
    'log',
    '--reverse',
    '--topo-order',
    '-M',
    '--name-status',
    '-z',
    '--no-ext-diff',
    '--format=%x01%H',
    '--end-of-options',
    range,
  ]);
  const touched = new Set<string>();
  const commits: LocalRange['commits'] = [];
  for (const chunk of log.code === 0 ? log.stdout.toString('utf8').split('\x01').slice(1) : []) {
    const [sha = '', ...rest] = chunk.split('\0');
    const tokens = rest.map((t, i) => (i === 0 ? t.replace(/^\n/, '') : t));
    const renames: Array<{ from: string; to: string }> = [];
    for (let i = 0; i < tokens.length;) {
      const status = tokens[i]!;
      if (status === '') {
        i++;
        continue;
      }
      if (/^[RC]/.test(status)) {
        const from = tokens[i + 1]!;
        const to = tokens[i + 2]!;
        touched.add(to);
        if (status.startsWith('R')) renames.push({ from, to });
        i += 3;
      } else {
        if (status !== 'D') touched.add(tokens[i + 1]!);
        i += 2;
      }
    }
    commits.push({ sha, renames });
  }
  return { result, touched, commits };
}
