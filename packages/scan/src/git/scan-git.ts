/**
 * The git modes: `--staged`, `--range` and `--history`. Each is imported only when asked for: the pre-commit
 * path (`--staged`) loads the staged scan and nothing of the history machinery.
 */
import type { ModeContext } from '../modes.js';
import type { ModeResult } from '../report-model.js';

export async function scanGit(ctx: ModeContext): Promise<ModeResult> {
  if (ctx.args.staged) return (await import('./staged.js')).scanStaged(ctx);
  return (await import('./commit-scan.js')).scanCommits(ctx, ctx.args.allowPartial);
}
