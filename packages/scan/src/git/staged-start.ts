/**
 * The git half of `--staged`, split out so that the CLI can start it before it reads the config: `git diff
 * --cached --raw` and then one `git cat-file` for the staged blobs (and the HEAD side of modified files) run
 * while the rest of the run gets ready, instead of after it. This module imports nothing but the git plumbing;
 * what it starts always ends on its own (`cat-file` gets its whole list, then end of input), so an early start
 * that is never collected cannot keep the process alive. (Started by the bin, before the program itself loads,
 * it gained nothing measurable: 1.00x wall, 31 pairs — loading is main-thread work, and so is starting git.)
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { BlobReader } from './blob-reader.js';
import { firstLine, runGit } from './exec.js';
import { RawDiffParser, type RawChange } from './raw-diff.js';

/** Raw records, full ids, renames, nothing run from the repository; additions, copies, modifications, renames, type changes. */
export const STAGED_DIFF = [
  'diff',
  '--cached',
  '--raw',
  '-z',
  '--no-abbrev',
  '-M',
  '--no-color',
  '--no-ext-diff',
  '--no-textconv',
  '--diff-filter=ACMRT',
];

const SUBMODULE = '160000';

export type StagedRead =
  | { ok: true; changes: RawChange[]; blobs: Map<string, Buffer | undefined> }
  /** git's complaint, reported by the scan (after it has checked that this is a repository at all). */
  | { ok: false; problem: string };

let early: { cwd: string; read: Promise<StagedRead> } | undefined;

export function startStagedRead(cwd: string): void {
  if (early !== undefined) return;
  const read = readStaged(cwd);
  read.catch(() => {}); // collected (and any failure reported) by stagedRead
  early = { cwd, read };
}

/** What `startStagedRead` started for this directory, or a fresh read. */
export function stagedRead(cwd: string): Promise<StagedRead> {
  const read = early?.cwd === cwd ? early.read : readStaged(cwd);
  early = undefined;
  return read;
}

/** The staged changes (files and submodules left out) and every blob they need: each new side and each parent side. */
async function readStaged(cwd: string): Promise<StagedRead> {
  // while a merge is being concluded the commit will have MERGE_HEAD as a second parent: a line counts as
  // added only when neither side had it, as `--range` and `--history` judge the merge commit later
  const [diff, merging] = await Promise.all([runGit(cwd, STAGED_DIFF), mergeHead(cwd)]);
  if (diff.code !== 0) return { ok: false, problem: `git diff --cached failed: ${firstLine(diff.stderr)}` };
  const changes: RawChange[] = [];
  const parser = new RawDiffParser({ change: (c) => changes.push(c) });
  parser.push(diff.stdout.toString('utf8'));
  parser.end();
  const wanted = changes.filter((c) => c.blob !== undefined && c.mode !== SUBMODULE);
  if (/^[0-9a-f]{40,64}$/.test(merging)) {
    // `<commit>:<path>` names the other side's version for cat-file (missing when that side has no such file)
    for (const change of wanted)
      if (!/[\r\n]/.test(change.path)) change.parentBlobs = [...change.parentBlobs, `${merging}:${change.path}`];
  }
  const blobs = new Map<string, Buffer | undefined>();
  if (wanted.length === 0) return { ok: true, changes: wanted, blobs };
  // every request is made before `end()`, so git may buffer its answers (much faster than one flush per blob)
  const reader = new BlobReader(cwd, { streaming: true });
  for (const change of wanted) {
    for (const oid of [change.blob!, ...change.parentBlobs]) {
      if (oid === undefined || blobs.has(oid)) continue;
      blobs.set(oid, undefined);
      reader.read(oid, (content) => blobs.set(oid, content));
    }
  }
  await reader.end();
  return { ok: true, changes: wanted, blobs };
}

/**
 * The commit being merged (MERGE_HEAD), or ''. Read from a plain `.git` directory without starting a process —
 * this runs on every commit; git answers for any other layout (worktrees, submodules, GIT_DIR).
 */
async function mergeHead(cwd: string): Promise<string> {
  if (!process.env.GIT_DIR && !process.env.GIT_WORK_TREE) {
    for (let dir = resolve(cwd); ; dir = dirname(dir)) {
      const dotGit = join(dir, '.git');
      let isDirectory: boolean | undefined;
      try {
        isDirectory = statSync(dotGit).isDirectory();
      } catch {
        isDirectory = undefined;
      }
      if (isDirectory === true) {
        try {
          return readFileSync(join(dotGit, 'MERGE_HEAD'), 'utf8').split('\n')[0]!.trim();
        } catch {
          return '';
        }
      }
      if (isDirectory === false || dirname(dir) === dir) break;
    }
  }
  const answer = await runGit(cwd, ['rev-parse', '-q', '--verify', 'MERGE_HEAD^{commit}']);
  return answer.code === 0 ? answer.stdout.toString('utf8').trim() : '';
}
