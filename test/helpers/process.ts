/** Running a program the way a user's shell would (no shell, though) and collecting what it printed. */
import { spawn, type SpawnOptions } from 'node:child_process';

export interface RunResult {
  /** The exit code; -1 when the process was ended by a signal. */
  code: number;
  stdout: string;
  stderr: string;
}

export interface ProcessOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Written to stdin, which is then closed; without it stdin is /dev/null. */
  input?: string | Uint8Array;
  /** Extra spawn options (`uid`/`gid` to run as another user). */
  spawn?: Pick<SpawnOptions, 'uid' | 'gid'>;
}

/**
 * Asynchronous, so a test's own loopback servers keep answering while the child runs. Output is decoded once
 * at the end, so a multi-byte character split across chunks stays whole. Never rejects on a non-zero exit.
 */
export function runProcess(command: string, args: readonly string[], options: ProcessOptions): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      ...options.spawn,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on('data', (d: Buffer) => out.push(d));
    child.stderr!.on('data', (d: Buffer) => err.push(d));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({
        code: code ?? -1,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      }),
    );
    if (options.input !== undefined) {
      child.stdin!.on('error', () => undefined); // a program may stop reading early (EPIPE): its exit code says why
      child.stdin!.end(options.input);
    }
  });
}
