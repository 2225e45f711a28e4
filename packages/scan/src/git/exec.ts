/**
 * Running git safely on repositories whose content we do not trust.
 *
 * Scanned content must never make us run anything: no textconv filters, no external diff drivers, no
 * signature checks (gpg), no fsmonitor hook. Paths come back raw (`-z`, `core.quotePath=false`) so that no
 * quoting rules need undoing. The environment is passed through untouched on purpose: inside a pre-commit
 * hook git sets GIT_INDEX_FILE (a temporary index for `git commit -a` / `git commit <paths>`), and the scan
 * must read exactly the index that is about to be committed.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

/** Config that turns off every way a repository could make git run a program or change its output format. */
const SAFE_CONFIG = [
  '-c', 'core.quotePath=false',
  '-c', 'core.fsmonitor=false',
  '-c', 'log.showSignature=false',
  '-c', 'color.ui=never',
  '-c', 'diff.external=',
  '-c', 'log.showRoot=true',
];

/** A git failure the user can act on (not a repository, unknown revision…): one line, exit code 2. */
export class GitScanError extends Error {
  override name = 'GitScanError';
}

export function gitArgv(args: readonly string[]): string[] {
  return [...SAFE_CONFIG, ...args];
}

const ENV_OVERRIDES = { GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0', GIT_PAGER: 'cat' };

export function spawnGit(cwd: string, args: readonly string[]): ChildProcessWithoutNullStreams {
  const env: NodeJS.ProcessEnv = { ...process.env, ...ENV_OVERRIDES };
  delete env.GIT_EXTERNAL_DIFF; // belt and braces: every diff we ask for also says --no-ext-diff
  return spawn('git', gitArgv(args), { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
}

export interface GitResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

/** Runs git to completion, buffering its output (for small outputs only). Rejects only when git cannot start. */
export function runGit(cwd: string, args: readonly string[], input?: string | Buffer): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawnGit(cwd, args);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(new GitScanError(error.code === 'ENOENT' ? 'git is not installed or not on PATH' : `git could not be started (${error.code ?? error.message})`)),
    );
    child.on('close', (code) => resolve({ code: code ?? 128, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8') }));
    child.stdin.on('error', () => {}); // git may exit before reading all of its input; its exit code says why
    child.stdin.end(input);
  });
}

/** Like `runGit`, but a non-zero exit is a `GitScanError` built from git's own first line of complaint. */
export async function runGitOk(cwd: string, args: readonly string[], input?: string | Buffer): Promise<Buffer> {
  const result = await runGit(cwd, args, input);
  if (result.code !== 0) throw new GitScanError(describeGitFailure(args, result.stderr));
  return result.stdout;
}

/** git's first line of complaint, without its `fatal: ` prefix, at most 200 characters. */
export function firstLine(stderr: string): string {
  const line = stderr
    .split(/\r?\n/)
    .map((l) => l.replace(/^(?:fatal|error): /, '').trim())
    .find((l) => l !== '');
  return (line ?? 'no message').slice(0, 200);
}

/** `git <command> failed: <git's first line>` — one line. */
export function describeGitFailure(args: readonly string[], stderr: string): string {
  const command = args.find((a) => !a.startsWith('-') && !a.includes('=')) ?? 'git';
  const line = firstLine(stderr);
  if (/not a git repository/i.test(line)) return 'not inside a git repository';
  return `git ${command} failed: ${line}`;
}
