/**
 * Progress for long scans — `1200/20000 commits (4,100/s)` — on stderr, and only when stderr is a terminal
 * outside CI: nothing of the kind ever reaches a CI log, a pipe, or a machine-readable report on stdout.
 */
import type { ModeContext } from '../modes.js';
import { runGit } from './exec.js';

export interface Progress {
  tick(done: number): void;
  done(): void;
}

const QUIET: Progress = { tick() {}, done() {} };
const EVERY_MS = 120;

export function createProgress(
  ctx: ModeContext,
  revisions: readonly string[],
  stream: NodeJS.WriteStream = process.stderr,
): Progress {
  if (
    !stream.isTTY ||
    ctx.args.quiet ||
    (process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false')
  )
    return QUIET;
  const started = performance.now();
  let total: number | undefined;
  // counting walks the graph once more; only worth it when someone is watching
  void runGit(ctx.cwd, ['rev-list', '--count', ...revisions]).then(
    (r) => {
      if (r.code === 0) total = Number(r.stdout.toString('utf8').trim());
    },
    () => {},
  );
  let last = 0;
  let shown = false;
  return {
    tick(done) {
      const now = performance.now();
      if (now - last < EVERY_MS) return;
      last = now;
      const rate = Math.round((done * 1000) / Math.max(1, now - started));
      stream.write(
        `\rstatalog-scan: ${done}${total ? `/${total}` : ''} commits (${rate.toLocaleString('en-US')}/s)\x1b[K`,
      );
      shown = true;
    },
    done() {
      if (shown) stream.write('\r\x1b[K');
    },
  };
}
