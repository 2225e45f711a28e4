/**
 * Which files a scan of paths reads.
 *
 * - In a git work tree: what git lists (`git ls-files --cached --others --exclude-standard`: tracked files
 *   plus untracked files that are not ignored). A tracked file deleted from the work tree is simply gone.
 * - Elsewhere (or when git is missing or refuses the repository): a directory walk honouring `.gitignore`
 *   files at every level.
 * - `--no-ignore`: a walk of everything below the paths, hidden files and ignored files included (like
 *   `rg --no-ignore --hidden`).
 * Dotfiles are always scanned. `.git` directories are never walked (their objects are compressed: history
 * is what `--history` is for). Symlinks are not followed — except a path named on the command line — and
 * are counted as skipped, as are FIFOs, sockets and devices, which are never opened. The config's
 * `ignorePaths` apply in every case (see config-filter.ts for paths named on the command line).
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, statSync, type Dirent } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { UserFileError } from '@statalog/core';
import ignore, { type Ignore } from 'ignore';
import { createConfigFilter, type ConfigFilter } from '../config-filter.js';
import type { SkippedFile } from '../report-model.js';
import { displayPath, findGitTopLevel, type Settings } from '../settings.js';

export interface ListedFile {
  /** Absolute path. */
  path: string;
  /** As findings name it: relative to the current directory, `/`-separated. */
  file: string;
}

export interface Listing {
  files: ListedFile[];
  skipped: SkippedFile[];
}

export interface ListOptions {
  settings: Settings;
  noIgnore: boolean;
  /** Told the number of files listed so far, every 256 files (the scan pool starts workers early). */
  progress?: (files: number) => void;
}

/** A path named on the command line, resolved and checked. */
export interface NamedRoot {
  path: string;
  isDirectory: boolean;
  /** A regular file (a named FIFO or device is skipped, never opened). */
  isFile: boolean;
  filter: ConfigFilter;
}

/** Resolves the command line's paths; a path that does not exist is a usage error naming it. */
export function resolveRoots(paths: readonly string[], settings: Settings): NamedRoot[] {
  return paths.map((p) => {
    const path = resolve(settings.cwd, p);
    let stat;
    try {
      stat = statSync(path); // follows a named symlink: the user asked for it
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new UserFileError(displayPath(settings.cwd, path), code === 'ENOENT' || code === 'ENOTDIR' ? 'no such file or directory' : `cannot be read (${code ?? 'error'})`);
    }
    return { path, isDirectory: stat.isDirectory(), isFile: stat.isFile(), filter: createConfigFilter(settings, path) };
  });
}

export async function listFiles(roots: readonly NamedRoot[], options: ListOptions): Promise<Listing> {
  const seen = roots.length > 1 ? new Set<string>() : undefined;
  const listing: Listing = { files: [], skipped: [] };
  const cwd = options.settings.cwd;
  const skip = (path: string, file: string, reason: string, error: boolean): void => {
    if (seen) {
      if (seen.has(path)) return;
      seen.add(path);
    }
    listing.skipped.push({ file, reason, error });
  };
  const add = (path: string, file: string): void => {
    // a name that is not valid UTF-8 cannot be opened through a string path: say so rather than lose it
    if (path.includes('\uFFFD')) return skip(path, file, 'file name is not valid UTF-8', true);
    if (seen) {
      if (seen.has(path)) return;
      seen.add(path);
    }
    listing.files.push({ path, file });
    if ((listing.files.length & 255) === 0) options.progress?.(listing.files.length);
  };

  for (const root of roots) {
    const shown = displayPath(cwd, root.path);
    if (!root.isDirectory) {
      // a named file is scanned whatever the ignore rules say
      if (root.isFile) add(root.path, shown);
      else skip(root.path, shown, 'not a regular file', false);
      continue;
    }
    // display paths are built by concatenation: path.relative() per file costs more than reading small files
    const prefix = shown === '.' ? '' : `${shown}/`;
    const gitPaths = options.noIgnore ? undefined : await gitListing(root.path);
    if (gitPaths) {
      for (const rel of gitPaths) {
        const path = sep === '/' ? `${root.path}/${rel}` : join(root.path, rel);
        if (!root.filter(path)) add(path, prefix + rel);
      }
    } else {
      walk(root.path, prefix, root.filter, options.noIgnore ? undefined : [], add, skip);
    }
  }
  return listing;
}

/**
 * The files git lists under `dir`, relative to it; undefined when `dir` is not in a work tree, when git cannot
 * be used (not installed, unsafe ownership, …), or when `dir` is itself ignored by git — the user named it,
 * so it is walked instead (with the `.gitignore` files inside it), like a config pattern that excludes a
 * named path.
 */
export async function gitListing(dir: string): Promise<string[] | undefined> {
  const top = findGitTopLevel(dir);
  if (top === undefined) return undefined;
  if (top !== dir) {
    const ignored = await git(['check-ignore', '-q', '.'], dir);
    if (ignored.code === 0) return undefined;
  }
  const listed = await git(['ls-files', '-z', '--cached', '--others', '--exclude-standard'], dir);
  if (listed.code !== 0) return undefined;
  const paths = listed.stdout.toString('utf8').split('\0').filter((p) => p !== '');
  return [...new Set(paths)]; // unmerged paths are listed once per stage
}

function git(args: string[], cwd: string): Promise<{ code: number; stdout: Buffer }> {
  return new Promise((done) => {
    execFile(
      'git',
      // never let the scanned repository's config run anything: no fsmonitor hook, no untracked cache writes
      ['-c', 'core.fsmonitor=false', '-c', 'core.untrackedCache=false', ...args],
      { cwd, encoding: 'buffer', maxBuffer: 1 << 30, env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' } },
      (error, stdout) => done({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout }),
    );
  });
}

interface IgnoreLevel {
  dir: string;
  matcher: Ignore;
}

/**
 * Recursive directory walk. `levels` is the stack of `.gitignore` matchers from `dir` down (undefined with
 * `--no-ignore`). Synchronous on purpose: one thread walking with `readdirSync` beats thousands of queued
 * async calls on the thread pool for a tree of small directories.
 */
function walk(
  dir: string,
  shown: string,
  filter: ConfigFilter,
  levels: IgnoreLevel[] | undefined,
  add: (path: string, file: string) => void,
  skip: (path: string, file: string, reason: string, error: boolean) => void,
): void {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // a directory that cannot be listed is a part of the tree that was not scanned: an error
    if (code !== 'ENOENT') skip(dir, shown.slice(0, -1) || '.', `directory cannot be listed (${code ?? 'error'})`, true);
    return;
  }
  let here = levels;
  if (levels && entries.some((e) => e.name === '.gitignore' && e.isFile())) {
    try {
      here = [...levels, { dir, matcher: ignore().add(readFileSync(join(dir, '.gitignore'), 'utf8')) }];
    } catch {
      // an unreadable .gitignore ignores nothing
    }
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = dir + sep + entry.name;
    if (entry.isDirectory()) {
      if (entry.name === '.git') continue;
      if (filter(path, true) || isGitIgnored(here, path, true)) continue;
      walk(path, `${shown}${entry.name}/`, filter, here, add, skip);
    } else if (entry.isFile()) {
      if (filter(path) || isGitIgnored(here, path, false)) continue;
      add(path, shown + entry.name);
    } else if (!filter(path) && !isGitIgnored(here, path, false)) {
      skip(path, shown + entry.name, entry.isSymbolicLink() ? 'symbolic link (not followed)' : 'not a regular file', false);
    }
  }
}

/** As git decides: the deepest `.gitignore` with a rule for the path wins (so `!keep.env` re-includes). */
function isGitIgnored(levels: IgnoreLevel[] | undefined, path: string, isDirectory: boolean): boolean {
  if (!levels) return false;
  for (let i = levels.length - 1; i >= 0; i--) {
    const level = levels[i]!;
    const rel = relative(level.dir, path);
    const posix = sep === '/' ? rel : rel.split(sep).join('/');
    const result = level.matcher.test(isDirectory ? `${posix}/` : posix);
    if (result.ignored) return true;
    if (result.unignored) return false;
  }
  return false;
}
