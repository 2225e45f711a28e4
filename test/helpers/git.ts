/**
 * Real git repositories in temp dirs for the git-mode tests, isolated from the machine (env.ts `hermeticEnv`: a
 * fresh HOME, no system config, fixed identities and dates).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { hermeticEnv } from './env.js';
import { SCAN_BIN } from './paths.js';
import { runProcess, type RunResult } from './process.js';
import { tempDir } from './tmp.js';

export class TempRepo {
  readonly env: NodeJS.ProcessEnv;

  private constructor(
    readonly base: string,
    readonly dir: string,
  ) {
    this.env = hermeticEnv(join(base, 'home'));
    mkdirSync(join(base, 'home'), { recursive: true });
  }

  /** A new repository (branch `main`) in a fresh temp dir; `cleanup()` removes it. */
  static create(name = 'repo'): TempRepo {
    const base = tempDir('statalog-git-');
    const repo = new TempRepo(base, join(base, name));
    mkdirSync(repo.dir, { recursive: true });
    repo.git('init', '-q', '-b', 'main');
    return repo;
  }

  /** Another repository directory under the same temp dir and HOME (for clones). */
  sibling(name: string): TempRepo {
    const other = new TempRepo(this.base, join(this.base, name));
    return other;
  }

  git(...args: string[]): string {
    return execFileSync('git', args, {
      cwd: this.dir,
      env: this.env,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }

  /** git that may fail (a commit a hook blocks): exit code and output instead of an exception. */
  tryGit(...args: string[]): RunResult {
    const r = spawnSync('git', args, { cwd: this.dir, env: this.env, encoding: 'utf8' });
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  }

  /** git with stdin (fast-import), returning stdout. */
  gitInput(input: string | Buffer, ...args: string[]): string {
    return execFileSync('git', args, { cwd: this.dir, env: this.env, input, encoding: 'utf8', maxBuffer: 1 << 28 });
  }

  write(path: string, content: string | Buffer): void {
    const file = join(this.dir, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  }

  remove(path: string): void {
    rmSync(join(this.dir, path), { force: true });
  }

  /** Stages the given paths (default: everything) and commits; returns the new commit's sha. */
  commit(message: string, ...paths: string[]): string {
    this.git('add', '-A', '--', ...(paths.length > 0 ? paths : ['.']));
    this.git('commit', '-q', '--allow-empty', '--no-verify', '-m', message);
    return this.head();
  }

  head(): string {
    return this.git('rev-parse', 'HEAD').trim();
  }

  /** Runs the built statalog-scan binary in this repository. */
  scan(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<RunResult> {
    return run(process.execPath, [SCAN_BIN, ...args], options.cwd ?? this.dir, { ...this.env, ...options.env });
  }

  /** An executable hook script. */
  writeExecutable(path: string, content: string): void {
    this.write(path, content);
    chmodSync(join(this.dir, path), 0o755);
  }

  cleanup(): void {
    rmSync(this.base, { recursive: true, force: true });
  }
}

export function run(
  command: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  input?: string,
): Promise<RunResult> {
  return runProcess(command, args, { cwd, env, input: input ?? '' });
}

/**
 * A `git fast-import` stream for a linear history of `commits` commits on `main`, deterministic (xorshift
 * seeded PRNG, fixed dates): each commit rewrites one of `files` small source files; `keyAt(i)` may return a
 * line to add to commit i's file.
 */
export function linearHistoryStream(commits: number, files: number, keyAt: (i: number) => string | undefined): string {
  let state = 0x9e3779b9;
  const rand = (): number => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x100000000;
  };
  const contents: string[] = Array.from({ length: files }, (_, f) => `// file ${f}\nexport const value${f} = ${f};\n`);
  const out: string[] = [];
  for (let i = 0; i < commits; i++) {
    const f = Math.floor(rand() * files);
    let text = contents[f]! + `export const c${i} = ${Math.floor(rand() * 1e6)};\n`;
    const extra = keyAt(i);
    if (extra !== undefined) text += `${extra}\n`;
    const lines = text.split('\n');
    if (lines.length > 40) text = [lines[0]!, ...lines.slice(-30)].join('\n');
    contents[f] = text;
    const data = Buffer.from(text, 'utf8');
    const when = 1_700_000_000 + i * 60;
    out.push(
      'commit refs/heads/main',
      `mark :${i + 1}`,
      `author Ana Tester <ana@example.test> ${when} +0000`,
      `committer Ana Tester <ana@example.test> ${when} +0000`,
      'data 9',
      `commit ${String(i % 10)}`,
      ...(i > 0 ? [`from :${i}`] : []),
      `M 100644 inline src/file${f}.ts`,
      `data ${data.length}`,
      text, // ends with a newline; the one join adds is fast-import's optional LF after data
    );
  }
  return out.join('\n');
}
