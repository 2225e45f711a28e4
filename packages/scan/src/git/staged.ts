/**
 * `--staged`: what the next commit would contain. Reads the INDEX (blob ids from `git diff --cached --raw`,
 * contents from `git cat-file`), never the work tree, so a key staged and then deleted only on disk is still
 * caught and one that is only on disk is not. Only lines the commit adds count, with their line numbers in
 * the staged file. Works before the first commit (git diffs the index against the empty tree then).
 *
 * This is the pre-commit path, where every millisecond is paid on each commit: the CLI starts the git half
 * (`staged-start.ts`: `diff --cached`, then one `cat-file` for the blobs) and the loading of this module and
 * of the report before it loads anything else, the top of the work tree is found without a third process, and
 * nothing is loaded that this path does not use (no globbing, no SARIF, no HTTP).
 */
import { join } from 'node:path';
import { addedSecrets, createFinding, findingInputOf, shortSha, type Finding } from '@statalog/core';
import type { ModeContext } from '../modes.js';
import { emptyStats, type ModeResult } from '../report-model.js';
import { displayPath, findGitTopLevel } from '../paths.js';
import { firstLine, GitScanError, runGit } from './exec.js';
import { stagedRead } from './staged-start.js';

export async function scanStaged(ctx: ModeContext): Promise<ModeResult> {
  const reading = stagedRead(ctx.cwd);
  const root = await topLevel(ctx.cwd);
  const read = await reading;
  if (!read.ok) throw new GitScanError(read.problem);

  // the ignore matcher is loaded only when the config has patterns: the pre-commit path stays small
  const ignored =
    ctx.settings.config.ignorePaths.length > 0
      ? (await import('../config-filter.js')).createConfigFilter(ctx.settings, root)
      : () => false;
  const stats = emptyStats();
  stats.gitMode = 'staged';
  const findings: Finding[] = [];
  const scanned = new Set<string>();
  for (const change of read.changes) {
    if (ignored(join(root, change.path))) continue;
    const file = displayPath(ctx.cwd, join(root, change.path));
    scanned.add(file);
    const content = read.blobs.get(change.blob!);
    if (content === undefined)
      throw new GitScanError(`${file}: staged blob ${shortSha(change.blob!)} is missing from the repository`);
    const parents = change.parentBlobs.map((b) => (b === undefined ? undefined : read.blobs.get(b)));
    const added = addedSecrets(change.path, content, parents, ctx.detect);
    stats.files++;
    stats.bytes += content.length;
    if (added.binary) stats.binary++;
    for (const m of added.matches) findings.push(createFinding(findingInputOf(m, file)));
  }
  return { findings, stats, inScope: (file) => scanned.has(file) };
}

/**
 * The top of the work tree. Git runs hooks there and sets neither GIT_DIR nor GIT_WORK_TREE for them, so the
 * nearest directory holding `.git` is the answer without starting git; with those variables set, git decides.
 */
async function topLevel(cwd: string): Promise<string> {
  const env = process.env;
  if (!env.GIT_DIR && !env.GIT_WORK_TREE) {
    const found = findGitTopLevel(cwd);
    if (found !== undefined) return found;
  }
  const top = await runGit(cwd, ['rev-parse', '--show-toplevel']);
  if (top.code !== 0) throw new GitScanError(describeNotRepo(top.stderr));
  return top.stdout.toString('utf8').replace(/\n$/, '');
}

function describeNotRepo(stderr: string): string {
  const line = firstLine(stderr);
  return /not a git repository/i.test(line) ? '--staged: not inside a git work tree' : `--staged: ${line}`;
}
