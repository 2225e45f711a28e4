/**
 * `statalog-scan --hook [files…]`: what the pre-commit framework asks for, whichever way it runs the hook.
 *
 *   pre-commit run --from-ref A --to-ref B   (pre-commit.ci, pre-commit/action on a pull request, pre-push)
 *       PRE_COMMIT_FROM_REF / PRE_COMMIT_TO_REF are set: the commits of A..B are scanned (`--range A..B`,
 *       policy read at A) — the files pre-commit passes are only those the range touches anyway.
 *   pre-commit run --all-files, or --files F…
 *       the files passed are not the staged set: they are scanned as files, whole (the config's ignorePaths
 *       still apply: a path pre-commit names is not one the user chose to scan despite them).
 *   a commit (git commit, pre-commit run with staged changes)
 *       the files passed are the staged set: the staged changes are scanned (`--staged`, added lines only).
 *
 * Without file names (a `pass_filenames: false` configuration) it is `--staged`.
 */
import { resolve } from 'node:path';
import type { CliArgs } from './args.js';
import { GitScanError, firstLine, runGit } from './git/exec.js';
import type { Settings } from './settings.js';

export type HookPlan =
  { mode: 'range'; range: string } | { mode: 'staged' } | { mode: 'files'; files: string[]; ignored: number };

export async function planHook(args: CliArgs, env: NodeJS.ProcessEnv, cwd: string): Promise<HookPlan> {
  const from = env.PRE_COMMIT_FROM_REF ?? env.PRE_COMMIT_SOURCE;
  const to = env.PRE_COMMIT_TO_REF ?? env.PRE_COMMIT_ORIGIN;
  if (from && to) return { mode: 'range', range: `${from}..${to}` };
  if (!args.hookFiles || args.paths.length === 0) return { mode: 'staged' };
  const staged = await stagedFiles(cwd);
  const passed = new Set(args.paths.map((p) => p.replace(/\\/g, '/').replace(/^\.\//, '')));
  const same = passed.size === staged.size && [...passed].every((p) => staged.has(p));
  return same ? { mode: 'staged' } : { mode: 'files', files: args.paths, ignored: 0 };
}

/**
 * The files pre-commit named, minus what the config ignores (pre-commit does not know the config). The
 * matcher is loaded here, not at start-up: a commit (the staged path) never needs it.
 */
export async function withoutIgnored(
  files: readonly string[],
  settings: Settings,
): Promise<{ files: string[]; ignored: number }> {
  const { createConfigFilter } = await import('./config-filter.js');
  const ignored = createConfigFilter(settings, settings.configDir);
  const kept = files.filter((f) => !ignored(resolve(settings.cwd, f)));
  return { files: kept, ignored: files.length - kept.length };
}

/** The paths pre-commit passes on a commit: staged, not deleted (its own `git diff --staged` filter). */
async function stagedFiles(cwd: string): Promise<Set<string>> {
  const result = await runGit(cwd, [
    'diff',
    '--cached',
    '--name-only',
    '--no-ext-diff',
    '-z',
    '--diff-filter=ACMRTUXB',
    '--relative',
  ]);
  if (result.code !== 0) throw new GitScanError(`--hook: git diff --cached failed: ${firstLine(result.stderr)}`);
  return new Set(result.stdout.toString('utf8').split('\0').filter(Boolean));
}
