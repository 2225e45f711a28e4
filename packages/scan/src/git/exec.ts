/**
 * Running git safely on repositories whose content we do not trust. Every git process the scan starts goes
 * through `spawnGit` / `runGit` here.
 *
 * Scanned content must never make us run anything: no textconv filters, no external diff drivers, no
 * signature checks (gpg), no fsmonitor hook, and no fetch — a partial clone's `.git/config` can name any
 * command as `remote.origin.uploadpack` (or `core.sshCommand`), and git starts it to fetch a missing blob
 * lazily. So lazy fetching is off (`GIT_NO_LAZY_FETCH`, git 2.44+) and every transport is denied
 * (`GIT_ALLOW_PROTOCOL` set to no protocol at all: it overrides any `protocol.<name>.allow` the repository's
 * config sets, which `-c protocol.allow=never` alone does not — git 2.39 checks the per-protocol key first).
 * A missing blob is then unreadable, as documented. Replace refs are ignored (`GIT_NO_REPLACE_OBJECTS`): a
 * repository's `refs/replace` could otherwise show history a commit that is not the one that was committed.
 *
 * Paths come back raw (`-z`, `core.quotePath=false`) so that no quoting rules need undoing. The rest of the
 * environment is passed through on purpose: inside a pre-commit hook git sets GIT_INDEX_FILE (a temporary
 * index for `git commit -a` / `git commit <paths>`), and the scan must read exactly the index that is about
 * to be committed.
 *
 * A git process that stops answering (a repository's `core.excludesFile` naming a FIFO blocks `ls-files`
 * forever) is killed after GIT_IDLE_TIMEOUT_MS without output while we wait on it; the scan then fails with
 * exit 2 and one line naming the command.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
// the error class alone: the pre-commit path starts git before the engine is loaded
import { UserError } from '@statalog/core/user-error';

/** Config that turns off every way a repository could make git run a program or change its output format. */
const SAFE_CONFIG = [
  '-c',
  'core.quotePath=false',
  '-c',
  'core.fsmonitor=false',
  '-c',
  'core.untrackedCache=false',
  '-c',
  'log.showSignature=false',
  '-c',
  'color.ui=never',
  '-c',
  'diff.external=',
  '-c',
  'log.showRoot=true',
  '-c',
  'protocol.allow=never',
];

/** A git failure the user can act on (not a repository, unknown revision…): one line, exit code 2. */
export class GitScanError extends UserError {
  override name = 'GitScanError';
}

/** git could not be started at all (not installed): callers that can do without git fall back. */
export class GitStartError extends GitScanError {}

function gitArgv(args: readonly string[]): string[] {
  return [...SAFE_CONFIG, ...args];
}

const ENV_OVERRIDES = {
  GIT_TERMINAL_PROMPT: '0',
  GIT_OPTIONAL_LOCKS: '0',
  GIT_PAGER: 'cat',
  GIT_NO_LAZY_FETCH: '1',
  GIT_ALLOW_PROTOCOL: '', // a list naming no protocol: every transport refused, whatever the repository's config says
  GIT_PROTOCOL_FROM_USER: '0',
  GIT_NO_REPLACE_OBJECTS: '1',
};

/** How long a git process may go without output while the scan waits on it. */
const GIT_IDLE_TIMEOUT_MS = 120_000;

/**
 * The idle timeout in effect. `STATALOG_SCAN_GIT_TIMEOUT_MS` exists for the tests (which prove that a hung
 * git is stopped without waiting two minutes); it is not a documented option.
 */
function idleTimeoutMs(): number {
  const fromEnv = Number(process.env.STATALOG_SCAN_GIT_TIMEOUT_MS);
  return Number.isSafeInteger(fromEnv) && fromEnv > 0 ? fromEnv : GIT_IDLE_TIMEOUT_MS;
}

export interface GitChild extends ChildProcessWithoutNullStreams {
  /** Set when the watchdog killed the process: the one-line reason. */
  timedOut?: string;
}

export interface SpawnGitOptions {
  /**
   * True while git owes us output. Time during which git waits for us — more input on stdin, or a paused
   * stdout — does not count towards the idle timeout. Default: always (until git exits).
   */
  waiting?: () => boolean;
}

/** `git <command>`: the first argument that is not an option, for messages. */
function gitCommand(args: readonly string[]): string {
  return `git ${args.find((a) => !a.startsWith('-') && !a.includes('=')) ?? ''}`.trimEnd();
}

export function spawnGit(cwd: string, args: readonly string[], options: SpawnGitOptions = {}): GitChild {
  const env: NodeJS.ProcessEnv = { ...process.env, ...ENV_OVERRIDES };
  delete env.GIT_EXTERNAL_DIFF; // belt and braces: every diff we ask for also says --no-ext-diff
  const child: GitChild = spawn('git', gitArgv(args), { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
  watch(child, gitCommand(args), options.waiting ?? (() => true));
  return child;
}

/** Kills `child` once it has been silent for the idle timeout while `waiting()` held. */
function watch(child: GitChild, command: string, waiting: () => boolean): void {
  const limit = idleTimeoutMs();
  let last = Date.now();
  const seen = (): void => {
    last = Date.now();
  };
  child.stdout.on('data', seen);
  child.stderr.on('data', seen);
  let timer: NodeJS.Timeout | undefined;
  const check = (): void => {
    const now = Date.now();
    // git waiting on us (paused output, no request outstanding) is not git hanging
    if (!waiting() || child.stdout.isPaused()) last = now;
    if (now - last >= limit) {
      child.timedOut = `${command} did not answer for ${formatDuration(limit)} and was stopped (a FIFO or a hung filesystem in the repository?)`;
      child.kill('SIGKILL');
      return;
    }
    timer = setTimeout(check, Math.min(limit, 1000, limit - (now - last) + 1));
    timer.unref();
  };
  timer = setTimeout(check, Math.min(limit, 1000));
  timer.unref();
  child.on('close', () => clearTimeout(timer));
  child.on('error', () => clearTimeout(timer));
}

function formatDuration(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`;
}

export interface GitResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

/**
 * Runs git to completion, buffering its output (for small outputs only). Rejects when git cannot start or
 * stopped answering (a `GitScanError` naming the command).
 */
export function runGit(cwd: string, args: readonly string[], input?: string | Buffer): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawnGit(cwd, args);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(
        new GitStartError(
          error.code === 'ENOENT'
            ? 'git is not installed or not on PATH'
            : `git could not be started (${error.code ?? error.message})`,
        ),
      ),
    );
    child.on('close', (code) => {
      if (child.timedOut !== undefined) reject(new GitScanError(child.timedOut));
      else resolve({ code: code ?? 128, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8') });
    });
    child.stdin.on('error', () => {}); // git may exit before reading all of its input; its exit code says why
    child.stdin.end(input);
  });
}

/** git's first line of complaint, without its `fatal: ` prefix, at most 200 characters. */
export function firstLine(stderr: string): string {
  const line = stderr
    .split(/\r?\n/)
    .map((l) => l.replace(/^(?:fatal|error): /, '').trim())
    .find((l) => l !== '');
  return (line ?? 'no message').slice(0, 200);
}
