/**
 * Which commits a `--range` or `--history` scan covers, and what it cannot cover. A base that does not
 * resolve (never fetched, the all-zero sha GitHub sends for a new branch, a commit lost to a force-push) or a
 * shallow clone whose history stops inside the range is reported and exits 2 — never a silent pass — unless
 * `--allow-partial` says to scan what is there.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { shortSha } from '@statalog/core';
import { firstLine, GitScanError, runGit } from './exec.js';

export interface RepoState {
  /** Top of the work tree (paths in findings are relative to the current directory, through it). */
  root: string;
  shallow: boolean;
  /** Commits whose parents were not fetched (`.git/shallow`). */
  boundary: Set<string>;
  /** HEAD's commit, when there is one. */
  head: string | undefined;
}

export async function readRepoState(cwd: string): Promise<RepoState> {
  const [info, head] = await Promise.all([
    runGit(cwd, ['rev-parse', '--show-toplevel', '--is-shallow-repository', '--git-path', 'shallow']),
    runGit(cwd, ['rev-parse', '--verify', '-q', 'HEAD^{commit}']),
  ]);
  if (info.code !== 0) {
    const line = firstLine(info.stderr);
    throw new GitScanError(
      /not a git repository/i.test(line) ? 'not inside a git work tree' : `git rev-parse failed: ${line}`,
    );
  }
  const [root = '', shallowFlag, shallowPath = ''] = info.stdout.toString('utf8').split('\n');
  const shallow = shallowFlag === 'true';
  const boundary = new Set<string>();
  if (shallow) {
    const text = await readFile(resolve(cwd, shallowPath), 'utf8').catch(() => '');
    for (const line of text.split('\n')) if (/^[0-9a-f]{40,64}$/.test(line)) boundary.add(line);
  }
  const headSha = head.code === 0 ? head.stdout.toString('utf8').trim() : undefined;
  return { root, shallow, boundary, head: headSha };
}

/** What to hand `git log`: positive and negative revisions, all resolved to full shas. */
export interface CommitSelection {
  revisions: string[];
  /** Shown to the user when only part of what was asked could be scanned (`--allow-partial`). */
  partial: string[];
  /** What was asked, for messages (`--range main..feature`, `--history`). */
  label: string;
}

const ZERO_SHA = /^0{7,64}$/;

/** `A..B`, `A..` and `A` (both: up to HEAD). `A...B` and `..B` are refused: they would scan other commits. */
export function parseRange(range: string): { base: string; tip: string } {
  if (range.includes('...'))
    throw new GitScanError(
      `--range ${shown(range)}: use A..B (the commits in B that are not in A); A...B would also scan commits only in A`,
    );
  const dots = range.indexOf('..');
  const base = dots === -1 ? range : range.slice(0, dots);
  const tip = dots === -1 ? 'HEAD' : range.slice(dots + 2) || 'HEAD';
  if (base === '')
    throw new GitScanError(`--range ${shown(range)}: needs a base commit before ".." (for example origin/main..HEAD)`);
  for (const rev of [base, tip]) {
    if (rev.startsWith('-') || /[\s\0]/.test(rev))
      throw new GitScanError(`--range ${shown(range)}: ${shown(rev)} is not a revision`);
  }
  return { base, tip };
}

async function resolveCommit(cwd: string, rev: string): Promise<string | undefined> {
  const result = await runGit(cwd, ['rev-parse', '--verify', '-q', '--end-of-options', `${rev}^{commit}`]);
  return result.code === 0 ? result.stdout.toString('utf8').trim() : undefined;
}

export async function selectRange(
  cwd: string,
  range: string,
  state: RepoState,
  allowPartial: boolean,
): Promise<CommitSelection> {
  const { base, tip } = parseRange(range);
  const label = `--range ${shown(range)}`;
  const tipSha = await resolveCommit(cwd, tip);
  if (tipSha === undefined)
    throw new GitScanError(`${label}: ${shown(tip)} is not a commit in this repository; nothing was scanned`);
  const baseSha = ZERO_SHA.test(base) ? undefined : await resolveCommit(cwd, base);
  if (baseSha !== undefined) {
    const selection: CommitSelection = { revisions: [tipSha, `^${baseSha}`], partial: [], label };
    return selection;
  }
  const why = ZERO_SHA.test(base)
    ? `the base is the all-zero sha git uses for "no commit" (a newly pushed branch), so there is nothing to compare with`
    : state.shallow
      ? `the base ${shown(base)} is not in this shallow clone (fetch more history: git fetch --deepen, or fetch-depth: 0)`
      : `the base ${shown(base)} is not a commit in this repository (not fetched, or rewritten by a force-push)`;
  if (!allowPartial)
    throw new GitScanError(
      `${label}: ${why}; nothing was scanned. Use --range <default branch>..${shown(tip)}, or --allow-partial to scan every commit reachable from ${shown(tip)}`,
    );
  return { revisions: [tipSha], partial: [`${why}; scanned every commit reachable from ${shown(tip)} instead`], label };
}

export function selectHistory(state: RepoState, allowPartial: boolean): CommitSelection {
  const label = '--history';
  const partial: string[] = [];
  if (state.shallow) {
    const why = `this is a shallow clone: the history behind ${state.boundary.size} boundary ${state.boundary.size === 1 ? 'commit' : 'commits'} was never fetched`;
    if (!allowPartial)
      throw new GitScanError(
        `${label}: ${why} and cannot be scanned. Run git fetch --unshallow (or fetch-depth: 0), or pass --allow-partial to scan the commits that are here`,
      );
    partial.push(`${why}; scanned the commits that are here (the files of each boundary commit count as added by it)`);
  }
  return { revisions: ['--all'], partial, label };
}

/**
 * After a range scan: commits of the range that sit on the shallow boundary mean history inside the range
 * is missing. Their whole tree was scanned as if added by them, so nothing present was skipped, but keys
 * added and removed again in the missing commits were not seen.
 */
export function checkBoundary(
  selection: CommitSelection,
  state: RepoState,
  scannedBoundary: string[],
  allowPartial: boolean,
): void {
  if (scannedBoundary.length === 0 || selection.revisions[0] === '--all') return;
  const why = `this shallow clone stops inside the range (at ${shortSha(scannedBoundary[0]!)}${scannedBoundary.length > 1 ? ` and ${scannedBoundary.length - 1} more` : ''}): the commits before it were never fetched`;
  if (!allowPartial)
    throw new GitScanError(
      `${selection.label}: ${why}. Fetch more history (git fetch --deepen, or fetch-depth: 0), or pass --allow-partial to scan the commits that are here`,
    );
  selection.partial.push(
    `${why}; scanned the commits that are here (the files of each boundary commit count as added by it)`,
  );
}

/** A user's revision, short and quoted only when it needs to be. */
function shown(rev: string): string {
  const short = rev.length > 60 ? `${rev.slice(0, 60)}…` : rev;
  return /^[\w./@^~:-]+$/.test(short) ? short : JSON.stringify(short);
}
