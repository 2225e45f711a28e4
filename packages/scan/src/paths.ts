/** Where things are on disk, and how a path is shown to users. */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

/**
 * The nearest directory at or above `dir` holding `.git` (a directory, or a file for worktrees and
 * submodules). A filesystem walk rather than `git rev-parse`: no process to spawn on the pre-commit path.
 */
export function findGitTopLevel(dir: string): string | undefined {
  let current = resolve(dir);
  for (;;) {
    if (existsSync(join(current, '.git'))) return current;
    const parent = dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

/** How a path is shown to users: relative to `cwd` with `/`, or absolute when outside it. */
export function displayPath(cwd: string, file: string): string {
  const rel = relative(cwd, file);
  if (rel === '') return '.';
  if (isAbsolute(rel)) return file;
  return sep === '/' ? rel : rel.split(sep).join('/');
}
