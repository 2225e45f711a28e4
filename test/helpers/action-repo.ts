/**
 * Real git repositories for the action's end-to-end tests, built with `git fast-import` so that a pull
 * request of 300 commits or a commit of 3001 files takes one process, not thousands. Isolated from the
 * machine: fresh HOME, no system config, fixed identities, dates that increase by one minute per commit.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { gitHomeEnv } from './env.js';
import { tempDir } from './tmp.js';

export interface CommitSpec {
  branch: string;
  /** For the first commit of a branch in a batch: the branch (or sha) it starts from — a force push if the branch exists. */
  from?: string;
  message?: string;
  /** Path → content (string or bytes); null deletes the file. */
  files?: Record<string, string | Uint8Array | null>;
  /** Branch or sha merged in as a second parent. */
  merge?: string;
  author?: string;
}

export class ActionRepo {
  readonly dir: string;
  readonly env: NodeJS.ProcessEnv;
  private readonly tips = new Map<string, string>();
  private clock = Date.UTC(2024, 4, 1, 12, 0, 0) / 1000;

  private constructor(readonly base: string) {
    this.dir = join(base, 'repo.git');
    mkdirSync(join(base, 'home'), { recursive: true });
    this.env = gitHomeEnv(join(base, 'home'));
    mkdirSync(this.dir);
    this.git('init', '-q', '--bare', '-b', 'main');
  }

  static create(): ActionRepo {
    return new ActionRepo(tempDir('statalog-action-'));
  }

  git(...args: string[]): string {
    return execFileSync('git', ['-c', 'core.quotePath=false', ...args], {
      cwd: this.dir,
      env: this.env,
      encoding: 'utf8',
      maxBuffer: 1 << 28,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }

  /** The sha a branch points at. */
  tip(branch: string): string {
    const sha = this.tips.get(branch);
    if (!sha) throw new Error(`no branch ${branch}`);
    return sha;
  }

  /** Appends commits (in order) and returns their shas. */
  commit(...specs: CommitSpec[]): string[] {
    const chunks: Buffer[] = [];
    const write = (s: string | Uint8Array): void =>
      void chunks.push(typeof s === 'string' ? Buffer.from(s, 'utf8') : Buffer.from(s));
    const startedHere = new Set<string>();
    specs.forEach((spec, i) => {
      const mark = i + 1;
      this.clock += 60;
      const who = `${spec.author ?? 'Ana Tester'} <ana@example.test> ${this.clock} +0000`;
      const message = Buffer.from(`${spec.message ?? `commit ${mark}`}\n`);
      write(
        `commit refs/heads/${spec.branch}\nmark :${mark}\nauthor ${who}\ncommitter ${who}\ndata ${message.length}\n`,
      );
      write(message);
      if (!startedHere.has(spec.branch)) {
        startedHere.add(spec.branch);
        const from = spec.from !== undefined ? this.resolve(spec.from, specs, i) : this.tips.get(spec.branch);
        if (from) write(`from ${from}\n`);
      }
      if (spec.merge) write(`merge ${this.resolve(spec.merge, specs, i)}\n`);
      for (const [path, content] of Object.entries(spec.files ?? {})) {
        if (content === null) {
          write(`D ${quote(path)}\n`);
        } else {
          const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content);
          write(`M 100644 inline ${quote(path)}\ndata ${bytes.length}\n`);
          write(bytes);
          write('\n');
        }
      }
      write('\n');
    });
    const marks = join(this.base, 'marks');
    execFileSync('git', ['fast-import', '--quiet', '--force', `--export-marks=${marks}`], {
      cwd: this.dir,
      env: this.env,
      input: Buffer.concat(chunks),
      maxBuffer: 1 << 28,
    });
    const byMark = new Map(
      readFileSync(marks, 'utf8')
        .trim()
        .split('\n')
        .map((l) => l.split(' ') as [string, string]),
    );
    const shas = specs.map((_, i) => byMark.get(`:${i + 1}`)!);
    specs.forEach((spec, i) => this.tips.set(spec.branch, shas[i]!));
    return shas;
  }

  /** A branch (its tip in this batch if it moved, else in the repository) or a sha. */
  private resolve(ref: string, specs: CommitSpec[], before: number): string {
    for (let j = before - 1; j >= 0; j--) if (specs[j]!.branch === ref) return `:${j + 1}`;
    return this.tips.get(ref) ?? ref;
  }

  cleanup(): void {
    rmSync(this.base, { recursive: true, force: true });
  }
}

/** fast-import's C-style quoting for paths with special characters. */
function quote(path: string): string {
  if (!/["\\\n]/.test(path) && !path.startsWith('"')) return path;
  return `"${path.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}
