/**
 * `--range A..B` and `--history` judge commits, and the commits must not judge themselves: in CI the work
 * tree is the pull request's, so a config or baseline read from it is one the change may have written (an
 * allowedFingerprints entry for its own key, `ignorePaths: ["**"]`, a baseline recording it, selfHostedHosts
 * that `--verify` would send keys to). By default (`--policy-from base`) they are read from git instead:
 *
 *   --range A..B   at A, the base of the range (what the target branch had before the change);
 *   --history      at HEAD's commit: the committed policy, never the work tree's uncommitted edits (there
 *                  is no "before" for all of history; in CI, scan a pull request with --range base..head).
 *
 * The files are found as on disk (`--config FILE`, else `.statalog-scan.json` in the current directory,
 * else at the top of the work tree) and read from the commit's tree: same paths, same semantics (ignorePaths
 * relative to the config's directory). `--policy-from head` reads the work tree, as before.
 */
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import {
  CONFIG_FILE_NAME,
  EMPTY_CONFIG,
  MAX_USER_FILE_BYTES,
  parseBaseline,
  parseConfig,
  UserFileError,
} from '@statalog/core';
import { GitScanError, runGit } from './git/exec.js';
import { parseRange } from './git/revisions.js';
import { displayPath, findGitTopLevel } from './paths.js';
import { loadSettings, type Settings, type SettingsOptions } from './settings.js';

export interface PolicyAt {
  settings: Settings;
  /** Said in the summary: where the policy came from. */
  description: string;
  /** Notes (a file the scanned commits add, which applies once merged). */
  notes: string[];
  /** True when the config in use may have been written by the scanned commits (its hosts are not trusted). */
  configFromChange: boolean;
}

export async function loadPolicy(
  options: SettingsOptions & { range?: string; history: boolean; from: 'base' | 'head' },
): Promise<PolicyAt> {
  if (options.from === 'head') {
    const settings = loadSettings(options);
    const configFromChange =
      options.range !== undefined && settings.configFile !== undefined
        ? await changedIn(options.cwd, options.range, settings.configFile)
        : false;
    return {
      settings,
      description: 'policy read from the work tree (--policy-from head)',
      notes: [],
      configFromChange,
    };
  }
  const cwd = resolve(options.cwd);
  const top = findGitTopLevel(cwd);
  if (top === undefined) throw new GitScanError('not inside a git work tree');
  let rev = 'HEAD';
  let what = "HEAD's commit";
  if (options.range !== undefined) {
    const { base } = parseRange(options.range);
    rev = base;
    what = `the range's base ${base}`;
  }
  const sha = await resolveCommit(cwd, rev);
  if (sha === undefined) {
    // an unknown base: the range scan itself explains and refuses (or --allow-partial scans from HEAD); the
    // policy then comes from HEAD's commit, which at least is not the work tree's uncommitted state
    // no commit yet: there is no history to scan, and nothing in git to read a policy from
    if (options.range === undefined)
      return {
        settings: loadSettings(options),
        description: 'policy read from the work tree (no commit yet)',
        notes: [],
        configFromChange: false,
      };
    const head = await resolveCommit(cwd, 'HEAD');
    // nothing to read from (and nothing to scan: the range scan says what does not exist)
    if (head === undefined)
      return {
        settings: loadSettings(options),
        description: 'policy read from the work tree (no commit yet)',
        notes: [],
        configFromChange: false,
      };
    return readAt(cwd, top, head, `HEAD's commit (the range's base is unknown)`, options);
  }
  return readAt(cwd, top, sha, what, options);
}

async function readAt(
  cwd: string,
  top: string,
  sha: string,
  what: string,
  options: SettingsOptions,
): Promise<PolicyAt> {
  const at = `${what} (${sha.slice(0, 12)})`;
  const notes: string[] = [];
  let configFile: string | undefined;
  let configText: string | undefined;
  if (options.configPath !== undefined) {
    configFile = resolve(cwd, options.configPath);
    configText = await blobAt(cwd, top, sha, configFile);
    if (configText === undefined) {
      if (!existsSync(configFile))
        throw new UserFileError(displayPath(cwd, configFile), `not found (neither at ${at} nor in the work tree)`);
      notes.push(
        `${displayPath(cwd, configFile)} is not at ${at}: the scanned commits add it, and it applies once merged`,
      );
    }
  } else {
    for (const candidate of [join(cwd, CONFIG_FILE_NAME), join(top, CONFIG_FILE_NAME)]) {
      configText = await blobAt(cwd, top, sha, candidate);
      if (configText !== undefined) {
        configFile = candidate;
        break;
      }
    }
  }
  const settings: Settings = { config: EMPTY_CONFIG, configDir: configFile ? dirname(configFile) : cwd, cwd };
  if (configFile !== undefined && configText !== undefined) {
    settings.configFile = configFile;
    settings.config = parseConfig(`${displayPath(cwd, configFile)} at ${sha.slice(0, 12)}`, configText);
  }
  if (options.baselinePath !== undefined) {
    const baselineFile = resolve(cwd, options.baselinePath);
    const text = await blobAt(cwd, top, sha, baselineFile);
    if (text === undefined) {
      if (!existsSync(baselineFile))
        throw new UserFileError(displayPath(cwd, baselineFile), `not found (neither at ${at} nor in the work tree)`);
      notes.push(
        `${displayPath(cwd, baselineFile)} is not at ${at}: the scanned commits add it, and it applies once merged`,
      );
    } else {
      settings.baselineFile = baselineFile;
      settings.baseline = parseBaseline(`${displayPath(cwd, baselineFile)} at ${sha.slice(0, 12)}`, text);
    }
  }
  return { settings, description: `policy read at ${at}, not from the work tree`, notes, configFromChange: false };
}

/** The text of the file at `absolute` in commit `sha`, or undefined when the commit has no such file. */
async function blobAt(cwd: string, top: string, sha: string, absolute: string): Promise<string | undefined> {
  const rel = relative(top, absolute);
  if (rel === '' || rel.startsWith('..')) return undefined; // outside the repository: not in any commit
  const path = sep === '/' ? rel : rel.split(sep).join('/');
  const listed = await runGit(top, ['ls-tree', '-l', '-z', '--full-tree', sha, '--', path]);
  const entry = listed.stdout.toString('utf8').split('\0')[0] ?? '';
  const m = /^(\d+) (\w+) ([0-9a-f]+) +(\d+|-)\t/.exec(entry);
  if (listed.code !== 0 || !m) return undefined;
  const shown = `${displayPath(cwd, absolute)} at ${sha.slice(0, 12)}`;
  if (m[2] !== 'blob') throw new UserFileError(shown, 'is a directory, not a file');
  if (m[1] === '120000') throw new UserFileError(shown, 'is a symbolic link, not a file');
  if (Number(m[4]) > MAX_USER_FILE_BYTES)
    throw new UserFileError(shown, `too large (${m[4]!} bytes; the limit is ${MAX_USER_FILE_BYTES})`);
  const blob = await runGit(top, ['cat-file', 'blob', m[3]!]);
  if (blob.code !== 0) throw new UserFileError(shown, 'cannot be read from git');
  return blob.stdout.toString('utf8');
}

async function resolveCommit(cwd: string, rev: string): Promise<string | undefined> {
  if (/^0{7,64}$/.test(rev)) return undefined;
  const result = await runGit(cwd, ['rev-parse', '--verify', '-q', '--end-of-options', `${rev}^{commit}`]);
  return result.code === 0 ? result.stdout.toString('utf8').trim() : undefined;
}

/** Whether the range's commits change this file (then the config is, in part, the change's own). */
async function changedIn(cwd: string, range: string, file: string): Promise<boolean> {
  const { base, tip } = parseRange(range);
  const result = await runGit(cwd, ['diff', '--quiet', '--end-of-options', base, tip, '--', file]);
  return result.code !== 0;
}
