/**
 * Config file + baseline: where they are found and how they are read. Applying them is core's `suppress`
 * (shared with the Action): every mode (files, --staged, --range, --history) goes through
 * `applySuppressions`, so inline allows, the allow-list and the baseline behave the same whatever collected
 * the findings.
 */
import { closeSync, constants, existsSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import {
  CONFIG_FILE_NAME,
  EMPTY_CONFIG,
  MAX_USER_FILE_BYTES,
  parseBaseline,
  parseConfig,
  suppress,
  UserFileError,
  type AllowedFinding,
  type Baseline,
  type Config,
  type Finding,
} from '@statalog/core';
import { displayPath, findGitTopLevel } from './paths.js';
import type { BaselineSummary } from './report-model.js';

export interface Settings {
  config: Config;
  /** Absolute path of the config file in use; undefined when none was found. */
  configFile?: string;
  /** Directory the config's `ignorePaths` globs are relative to (the config file's directory, else cwd). */
  configDir: string;
  baseline?: Baseline;
  baselineFile?: string;
  /** The directory paths in findings are relative to. */
  cwd: string;
}

export interface SettingsOptions {
  cwd: string;
  /** `--config FILE`: must exist. */
  configPath?: string;
  /** `--baseline FILE`: must exist. */
  baselinePath?: string;
}

/**
 * Finds and parses the config (`--config FILE`, else `.statalog-scan.json` in the current directory, else at
 * the top of the git work tree the current directory is in) and the baseline. Throws `UserFileError`
 * (one line naming the file) for a missing or invalid file.
 */
export function loadSettings(options: SettingsOptions): Settings {
  const cwd = resolve(options.cwd);
  const configFile = options.configPath !== undefined ? resolve(cwd, options.configPath) : findConfigFile(cwd);
  const settings: Settings = { config: EMPTY_CONFIG, configDir: configFile ? dirname(configFile) : cwd, cwd };
  if (configFile) {
    settings.configFile = configFile;
    settings.config = parseConfig(displayPath(cwd, configFile), readUserFile(cwd, configFile));
  }
  if (options.baselinePath !== undefined) {
    const baselineFile = resolve(cwd, options.baselinePath);
    settings.baselineFile = baselineFile;
    settings.baseline = parseBaseline(displayPath(cwd, baselineFile), readUserFile(cwd, baselineFile));
  }
  return settings;
}

/** `.statalog-scan.json` in `cwd`, else at the top of the enclosing git work tree; undefined if neither. */
function findConfigFile(cwd: string): string | undefined {
  const here = join(cwd, CONFIG_FILE_NAME);
  if (existsSync(here)) return here;
  const top = findGitTopLevel(cwd);
  if (top !== undefined && top !== cwd) {
    const atTop = join(top, CONFIG_FILE_NAME);
    if (existsSync(atTop)) return atTop;
  }
  return undefined;
}

/**
 * Reads a config or baseline. Opened without blocking and checked before a byte is read: a FIFO, a device
 * (a committed symlink to /dev/zero) or a file past the size limit is refused, never read.
 */
function readUserFile(cwd: string, file: string): string {
  const shown = displayPath(cwd, file);
  let fd: number | undefined;
  try {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- O_NONBLOCK is absent on Windows
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw new UserFileError(shown, 'is a directory, not a file');
    if (!stat.isFile()) throw new UserFileError(shown, 'is not a regular file');
    if (stat.size > MAX_USER_FILE_BYTES)
      throw new UserFileError(shown, `too large (${stat.size} bytes; the limit is ${MAX_USER_FILE_BYTES})`);
    return readFileSync(fd, 'utf8');
  } catch (error) {
    if (error instanceof UserFileError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserFileError(
      shown,
      code === 'ENOENT'
        ? 'not found'
        : code === 'EISDIR'
          ? 'is a directory, not a file'
          : `cannot be read (${code ?? 'error'})`,
    );
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export interface SuppressionOptions {
  /**
   * Whether a baseline entry's file (named as findings name files) was within reach of this scan. Entries
   * outside it are not reported as stale: they may well still match, the scan just did not look there.
   */
  inScope?: (file: string) => boolean;
}

export interface SuppressionResult {
  findings: Finding[];
  /** Everything accepted (inline, fingerprint, baseline), with how. */
  allowed: AllowedFinding[];
  baseline?: BaselineSummary;
  /** allowedFingerprints entries that can never match (neither `rule:path:hash` nor a bare hash). */
  malformed: string[];
}

/** Core's `suppress` with this run's settings: the same function the Action uses. */
export function applySuppressions(
  findings: readonly Finding[],
  settings: Settings,
  options: SuppressionOptions = {},
): SuppressionResult {
  const result = suppress(findings, {
    config: settings.config,
    configDir: settings.configDir,
    cwd: settings.cwd,
    ...(settings.baseline ? { baseline: settings.baseline } : {}),
    ...(options.inScope ? { inScope: options.inScope } : {}),
  });
  return {
    findings: result.findings,
    allowed: result.allowed,
    malformed: result.malformed,
    ...(settings.baseline ? { baseline: { baselined: result.baselined, stale: result.stale } } : {}),
  };
}

/** The findings neither an inline allow nor the config's `allowedFingerprints` accepts (no baseline). */
export function dropAllowed(findings: readonly Finding[], settings: Settings): Finding[] {
  return suppress(findings, { config: settings.config, configDir: settings.configDir, cwd: settings.cwd }).findings;
}
