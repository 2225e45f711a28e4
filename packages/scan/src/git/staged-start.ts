/**
 * The first step of `--staged`, split out so that the CLI can take it before it loads anything else: `git diff
 * --cached --raw` then runs while the detection core and the config load, instead of after them. This module
 * imports nothing but the git runner; a diff started here and never collected just ends on its own.
 */
import { runGit, type GitResult } from './exec.js';

/** Raw records, full ids, renames, nothing run from the repository; additions, copies, modifications, renames, type changes. */
export const STAGED_DIFF = ['diff', '--cached', '--raw', '-z', '--no-abbrev', '-M', '--no-color', '--no-ext-diff', '--no-textconv', '--diff-filter=ACMRT'];

let early: { cwd: string; diff: Promise<GitResult> } | undefined;

export function startStagedDiff(cwd: string): void {
  if (early !== undefined) return;
  const diff = runGit(cwd, STAGED_DIFF);
  diff.catch(() => {}); // collected (and its failure reported) by stagedDiff
  early = { cwd, diff };
}

/** The diff started early for this directory, or a new one. */
export function stagedDiff(cwd: string): Promise<GitResult> {
  const diff = early?.cwd === cwd ? early.diff : runGit(cwd, STAGED_DIFF);
  early = undefined;
  return diff;
}
