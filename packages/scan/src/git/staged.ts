/**
 * `--staged`: what the next commit would contain. Reads the INDEX (blob ids from `git diff --cached --raw`,
 * contents from `git cat-file`), never the work tree, so a key staged and then deleted only on disk is still
 * caught and one that is only on disk is not. Only lines the commit adds count, with their line numbers in
 * the staged file. Works before the first commit (git diffs the index against the empty tree then).
 *
 * This is the pre-commit path: three git processes, no globbing, nothing loaded that it does not use.
 */
import { join } from 'node:path';
import { createFinding, type Finding } from '@statalog/core';
import { createConfigFilter } from '../config-filter.js';
import type { ModeContext } from '../modes.js';
import { emptyStats, type ModeResult } from '../report-model.js';
import { displayPath } from '../settings.js';
import { addedSecrets, isBinary } from './added-secrets.js';
import { BlobReader } from './blob-reader.js';
import { firstLine, GitScanError, runGit } from './exec.js';
import { RawDiffParser, type RawChange } from './raw-diff.js';

/** Options shared by every diff we ask git for: raw records, full ids, renames, nothing run from the repo. */
export const RAW_DIFF_OPTIONS = ['--raw', '-z', '--no-abbrev', '-M', '--no-color', '--no-ext-diff', '--no-textconv'];

export async function scanStaged(ctx: ModeContext): Promise<ModeResult> {
  const [top, diff] = await Promise.all([
    runGit(ctx.cwd, ['rev-parse', '--show-toplevel']),
    runGit(ctx.cwd, ['diff', '--cached', ...RAW_DIFF_OPTIONS, '--diff-filter=ACMRT']),
  ]);
  if (top.code !== 0) throw new GitScanError(describeNotRepo(top.stderr));
  if (diff.code !== 0) throw new GitScanError(`git diff --cached failed: ${firstLine(diff.stderr)}`);
  const root = top.stdout.toString('utf8').replace(/\n$/, '');

  const changes: RawChange[] = [];
  const parser = new RawDiffParser({ change: (c) => changes.push(c) });
  parser.push(diff.stdout.toString('utf8'));
  parser.end();

  const ignored = createConfigFilter(ctx.settings, root);
  const wanted = changes.filter((c) => c.blob !== undefined && c.mode !== SUBMODULE && !ignored(join(root, c.path)));
  const stats = emptyStats();
  stats.gitMode = 'staged';
  const findings: Finding[] = [];
  const scanned = new Set<string>();
  if (wanted.length > 0) {
    const reader = new BlobReader(ctx.cwd);
    const reads = wanted.map((c) => Promise.all([reader.readAsync(c.blob!), ...c.parentBlobs.map((b) => (b ? reader.readAsync(b) : undefined))]));
    await reader.end();
    const contents = await Promise.all(reads);
    wanted.forEach((change, i) => {
      const [content, ...parents] = contents[i]!;
      const file = displayPath(ctx.cwd, join(root, change.path));
      scanned.add(file);
      if (content === undefined) throw new GitScanError(`${file}: staged blob ${change.blob!.slice(0, 12)} is missing from the repository`);
      stats.files++;
      stats.bytes += content.length;
      if (isBinary(content)) stats.binary++;
      for (const s of addedSecrets(change.path, content, parents, ctx.detect)) {
        findings.push(createFinding({ ruleId: s.match.ruleId, file, line: s.line, column: s.column, secret: s.match.secret }));
      }
    });
  }
  return { findings, stats, inScope: (file) => scanned.has(file) };
}

const SUBMODULE = '160000';

function describeNotRepo(stderr: string): string {
  const line = firstLine(stderr);
  return /not a git repository/i.test(line) ? '--staged: not inside a git work tree' : `--staged: ${line}`;
}
