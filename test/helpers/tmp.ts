/** Temp folders for the tests; each test removes what it made. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { cleanEnv } from './env.js';

/** A new empty folder under the system temp dir, its name starting with `prefix`. */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A temp dir with files; `cleanup()` removes it. Paths are `/`-separated and relative to the dir. */
export class TempTree {
  readonly dir: string;
  constructor(prefix = 'statalog-scan-') {
    this.dir = tempDir(prefix);
  }
  path(rel: string): string {
    return join(this.dir, rel);
  }
  write(rel: string, content: string | Uint8Array): string {
    const path = this.path(rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
    return path;
  }
  read(rel: string): string {
    return readFileSync(this.path(rel), 'utf8');
  }
  git(...args: string[]): string {
    const result = spawnSync('git', args, {
      cwd: this.dir,
      env: cleanEnv({
        HOME: this.dir,
        GIT_AUTHOR_NAME: 'T',
        GIT_AUTHOR_EMAIL: 't@example.test',
        GIT_COMMITTER_NAME: 'T',
        GIT_COMMITTER_EMAIL: 't@example.test',
      }),
      encoding: 'utf8',
    });
    if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
    return result.stdout;
  }
  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
