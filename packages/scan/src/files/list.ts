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
 * A name that is not valid UTF-8 is shown with U+FFFD (as the git modes show it) and opened by its bytes.
 */
import { isUtf8 } from 'node:buffer';
import { readdirSync, readFileSync, statSync, type Dirent } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { UserFileError } from '@statalog/core';
import type { Ignore } from 'ignore';
import { ignore } from '../cjs.js';
import { createConfigFilter, type ConfigFilter } from '../config-filter.js';
import { GitStartError, runGit } from '../git/exec.js';
import type { SkippedFile } from '../report-model.js';
import { displayPath, findGitTopLevel } from '../paths.js';
import type { Settings } from '../settings.js';

export interface ListedFile {
  /** Absolute path (a name that is not UTF-8 shows U+FFFD here: open `bytes` instead). */
  path: string;
  /** The path's bytes, when it is not valid UTF-8 and `path` cannot open it. */
  bytes?: Buffer;
  /** As findings name it: relative to the current directory, `/`-separated. */
  file: string;
}

export interface Listing {
  files: ListedFile[];
  skipped: SkippedFile[];
  /** Entries (files, or whole directories) under the named paths that ignore rules left out. */
  ignored: IgnoredTally;
}

/**
 * What ignore rules dropped: a scanned tree's own `.gitignore` files and `.git/info/exclude`, git's
 * `core.excludesFile`, the config's `ignorePaths`. Counted so that a tree whose own rules hide everything
 * is said to be hidden, not reported as "0 files". Each rule named once, at most MAX_RULES of them.
 */
export interface IgnoredTally {
  count: number;
  rules: Set<string>;
}

const MAX_RULES = 5;
/** A git listing this short is checked for what git ignored (an extra `git ls-files`): see gitIgnored(). */
const CHECK_GIT_IGNORED_BELOW = 1000;

function noteRule(tally: IgnoredTally, rule: string): void {
  if (tally.rules.size < MAX_RULES) tally.rules.add(rule);
}

export interface ListOptions {
  settings: Settings;
  noIgnore: boolean;
  /** Shown the list so far every 256 files (the scan pool starts scanning it while the listing goes on). */
  progress?: (files: readonly ListedFile[]) => void;
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
      throw new UserFileError(
        displayPath(settings.cwd, path),
        code === 'ENOENT' || code === 'ENOTDIR' ? 'no such file or directory' : `cannot be read (${code ?? 'error'})`,
      );
    }
    return { path, isDirectory: stat.isDirectory(), isFile: stat.isFile(), filter: createConfigFilter(settings, path) };
  });
}

export async function listFiles(roots: readonly NamedRoot[], options: ListOptions): Promise<Listing> {
  // a path named twice, or inside another named one, would be listed twice: only then is each path remembered
  const seen = overlapping(roots) ? new Set<string>() : undefined;
  const cwd = options.settings.cwd;
  const listing: Listing = { files: [], skipped: [], ignored: { count: 0, rules: new Set() } };
  const configRule = options.settings.configFile
    ? `ignorePaths in ${displayPath(cwd, options.settings.configFile)}`
    : 'ignorePaths';
  const configIgnored = (): void => {
    listing.ignored.count++;
    noteRule(listing.ignored, configRule);
  };
  const skip = (path: string, file: string, reason: string, error: boolean): void => {
    if (seen) {
      if (seen.has(path)) return;
      seen.add(path);
    }
    listing.skipped.push({ file, reason, error });
  };
  const add = (path: string, file: string, bytes?: Buffer): void => {
    if (seen) {
      const id = bytes ? bytes.toString('latin1') : path;
      if (seen.has(id)) return;
      seen.add(id);
    }
    listing.files.push(bytes ? { path, file, bytes } : { path, file });
    if ((listing.files.length & 255) === 0) options.progress?.(listing.files);
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
      for (const { rel, bytes } of gitPaths) {
        const path = sep === '/' ? `${root.path}/${rel}` : join(root.path, rel);
        if (!root.filter(path))
          add(path, prefix + rel, bytes && Buffer.concat([Buffer.from(`${root.path}${sep}`), bytes]));
        else configIgnored();
      }
      if (gitPaths.length < CHECK_GIT_IGNORED_BELOW) await gitIgnored(root.path, listing.ignored);
    } else {
      walk(root.path, prefix, root.filter, options.noIgnore ? undefined : [], add, skip, undefined, {
        tally: listing.ignored,
        configIgnored,
        cwd,
      });
    }
  }
  return listing;
}

/** True when some named path is another one, or lies inside a named directory. */
function overlapping(roots: readonly NamedRoot[]): boolean {
  for (const a of roots) {
    for (const b of roots) {
      if (a === b) continue;
      const rel = relative(a.path, b.path);
      if (rel === '' || (a.isDirectory && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel))) return true;
    }
  }
  return false;
}

/**
 * The files git lists under `dir`, relative to it; undefined when `dir` is not in a work tree, when git cannot
 * be used (not installed, unsafe ownership, …), or when `dir` is itself ignored by git — the user named it,
 * so it is walked instead (with the `.gitignore` files inside it), like a config pattern that excludes a
 * named path.
 */
async function gitListing(dir: string): Promise<GitPath[] | undefined> {
  const top = findGitTopLevel(dir);
  if (top === undefined) return undefined;
  if (top !== dir) {
    const ignored = await git(['check-ignore', '-q', '.'], dir);
    if (ignored.code === 0) return undefined;
  }
  const listed = await git(['ls-files', '-z', '--cached', '--others', '--exclude-standard'], dir);
  if (listed.code !== 0) return undefined;
  const paths = new Map<string, GitPath>(); // unmerged paths are listed once per stage
  for (let at = 0; at < listed.stdout.length;) {
    let end = listed.stdout.indexOf(0, at);
    if (end === -1) end = listed.stdout.length;
    const raw = listed.stdout.subarray(at, end);
    at = end + 1;
    const rel = raw.toString('utf8');
    // `./`: an uninitialized submodule, listed from inside, names itself (its gitlink); nothing to scan
    if (rel === '' || rel === './') continue;
    const utf8 = isUtf8(raw);
    const id = utf8 ? rel : raw.toString('latin1');
    if (!paths.has(id)) paths.set(id, utf8 ? { rel } : { rel, bytes: Buffer.from(raw) });
  }
  return [...paths.values()];
}

/** A path git listed, relative to the listed directory; `bytes` when it is not valid UTF-8. */
export interface GitPath {
  rel: string;
  bytes?: Buffer;
}

/**
 * What git's ignore rules left out under `dir`: ignored untracked entries (an ignored directory counts once:
 * `--directory`), and the rules behind the first few (`git check-ignore -v`: `.git/info/exclude:1 "*"`).
 * Only asked when the listing was short, where a tree's own rules can hide all of it unnoticed; a long
 * listing is not a silent "0 files", and the extra walk would slow every big scan.
 */
async function gitIgnored(dir: string, tally: IgnoredTally): Promise<void> {
  const listed = await git(['ls-files', '-z', '--others', '--ignored', '--exclude-standard', '--directory'], dir);
  if (listed.code !== 0) return;
  const entries = listed.stdout
    .toString('utf8')
    .split('\0')
    .filter((e) => e !== '');
  if (entries.length === 0) return;
  tally.count += entries.length;
  const why = await git(['check-ignore', '-v', '-z', '--stdin'], dir, `${entries.slice(0, 20).join('\0')}\0`);
  // -z -v: source, line number, pattern, path — four NUL-terminated fields per path
  const fields = why.stdout.toString('utf8').split('\0');
  for (let i = 0; i + 3 < fields.length; i += 4) {
    if (fields[i] !== '') noteRule(tally, `${fields[i]!}:${fields[i + 1]!} ${JSON.stringify(fields[i + 2])}`);
  }
}

/**
 * git through the scan's one runner (git/exec.ts): nothing from the repository's config runs, no fetch, an
 * idle timeout. A git that cannot start means a walk instead; one that stopped answering fails the scan.
 */
async function git(args: string[], cwd: string, input?: string): Promise<{ code: number; stdout: Buffer }> {
  try {
    return await runGit(cwd, args, input);
  } catch (error) {
    if (error instanceof GitStartError) return { code: -1, stdout: Buffer.alloc(0) };
    throw error;
  }
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
  add: (path: string, file: string, bytes?: Buffer) => void,
  skip: (path: string, file: string, reason: string, error: boolean) => void,
  dirBytes: Buffer | undefined,
  ignored: { tally: IgnoredTally; configIgnored: () => void; cwd: string },
): void {
  let entries: Entry[];
  try {
    entries = readEntries(dir, dirBytes);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // a directory that cannot be listed is a part of the tree that was not scanned: an error
    if (code !== 'ENOENT')
      skip(dir, shown.slice(0, -1) || '.', `directory cannot be listed (${code ?? 'error'})`, true);
    return;
  }
  let here = levels;
  if (levels && entries.some((e) => e.name === '.gitignore' && e.dirent.isFile())) {
    try {
      const file = dirBytes ? Buffer.concat([dirBytes, Buffer.from(`${sep}.gitignore`)]) : join(dir, '.gitignore');
      here = [...levels, { dir, matcher: ignore().add(readFileSync(file, 'utf8')) }];
    } catch {
      // an unreadable .gitignore ignores nothing
    }
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const { name, dirent: entry, bytes } of entries) {
    const path = dir + sep + name;
    if (entry.isDirectory()) {
      if (name === '.git') continue;
      if (isIgnored(filter, here, path, true, ignored)) continue;
      walk(path, `${shown}${name}/`, filter, here, add, skip, bytes, ignored);
    } else if (entry.isFile()) {
      if (isIgnored(filter, here, path, false, ignored)) continue;
      add(path, shown + name, bytes);
    } else if (!filter(path) && !isGitIgnored(here, path, false)) {
      skip(
        bytes ? bytes.toString('latin1') : path,
        shown + name,
        entry.isSymbolicLink() ? 'symbolic link (not followed)' : 'not a regular file',
        false,
      );
    }
  }
}

interface Entry {
  /** As shown: bytes that are not UTF-8 become U+FFFD. */
  name: string;
  dirent: Dirent | Dirent<Buffer>;
  /** The entry's full path as bytes, when it (or a directory above it) is not valid UTF-8. */
  bytes: Buffer | undefined;
}

/**
 * A directory's entries. Names are read as strings (the fast, common case); a name that is not UTF-8
 * decodes with U+FFFD and could not be opened by that string, so then the directory is read again as bytes.
 */
function readEntries(dir: string, dirBytes: Buffer | undefined): Entry[] {
  // pushed onto an array literal, not map()ped: map() makes arrays of another kind, and the walk's optimised
  // code was thrown away at the first directory whose list came out different
  const list: Entry[] = [];
  if (!dirBytes) {
    const entries = readdirSync(dir, { withFileTypes: true });
    if (!entries.some((e) => e.name.includes('\uFFFD'))) {
      for (const dirent of entries) list.push({ name: dirent.name, dirent, bytes: undefined });
      return list;
    }
  }
  const base = dirBytes ?? Buffer.from(dir);
  for (const dirent of readdirSync(base, { withFileTypes: true, encoding: 'buffer' })) {
    const name = dirent.name.toString('utf8');
    const bytes = dirBytes || !isUtf8(dirent.name) ? Buffer.concat([base, Buffer.from(sep), dirent.name]) : undefined;
    list.push({ name, dirent, bytes });
  }
  return list;
}

/** Excluded by the config or a `.gitignore`: counted, with the rule's source. */
function isIgnored(
  filter: ConfigFilter,
  levels: IgnoreLevel[] | undefined,
  path: string,
  isDirectory: boolean,
  ignored: { tally: IgnoredTally; configIgnored: () => void; cwd: string },
): boolean {
  if (filter(path, isDirectory)) {
    ignored.configIgnored();
    return true;
  }
  const level = gitIgnoreLevel(levels, path, isDirectory);
  if (level === undefined) return false;
  ignored.tally.count++;
  noteRule(ignored.tally, displayPath(ignored.cwd, join(level.dir, '.gitignore')));
  return true;
}

/** As git decides: the deepest `.gitignore` with a rule for the path wins (so `!keep.env` re-includes). */
function isGitIgnored(levels: IgnoreLevel[] | undefined, path: string, isDirectory: boolean): boolean {
  return gitIgnoreLevel(levels, path, isDirectory) !== undefined;
}

/** The level whose `.gitignore` ignores the path, or undefined. */
function gitIgnoreLevel(
  levels: IgnoreLevel[] | undefined,
  path: string,
  isDirectory: boolean,
): IgnoreLevel | undefined {
  if (!levels) return undefined;
  for (let i = levels.length - 1; i >= 0; i--) {
    const level = levels[i]!;
    const rel = relative(level.dir, path);
    const posix = sep === '/' ? rel : rel.split(sep).join('/');
    const result = level.matcher.test(isDirectory ? `${posix}/` : posix);
    if (result.ignored) return level;
    if (result.unignored) return undefined;
  }
  return undefined;
}
