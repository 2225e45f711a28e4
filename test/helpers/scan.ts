/**
 * Running the built `statalog-scan` binary as a user would, in temp dirs, with a clean environment. Keys are
 * made at run time (`cloudKey()`, `communityValue()`); none is ever written into this source.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runProcess, type RunResult } from './process.js';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = join(REPO_ROOT, 'packages/scan/bin/statalog-scan.js');
export const SAMPLE_APP = join(REPO_ROOT, 'fixtures/sample-app');

export const cloudKey = (): string => `st_${randomBytes(32).toString('hex')}`;
export const communityValue = (): string => randomBytes(32).toString('hex');

export type { RunResult };

/** The environment of every scan in the tests: no colour forcing, no git identity or config leaking in. */
export function cleanEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('GIT_') || k === 'NO_COLOR' || k === 'FORCE_COLOR' || k.startsWith('STATALOG_')) continue;
    env[k] = v;
  }
  env.GIT_CONFIG_NOSYSTEM = '1';
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** Run as another user (uid, gid): used to make a file unreadable when the tests run as root. */
  user?: { uid: number; gid: number };
  /** Written to the scan's standard input (`statalog-scan -`). */
  input?: string | Uint8Array;
}

/** Runs `statalog-scan …args` and waits for it (asynchronously: tests in one file may run it in parallel). */
export function scan(args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return runProcess(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    env: cleanEnv(options.env),
    ...(options.user ? { spawn: options.user } : {}),
    ...(options.input !== undefined ? { input: options.input } : {}),
  });
}

export interface JsonFinding {
  ruleId: string;
  file: string;
  line: number;
  column: number;
  endColumn: number;
  masked: string;
  fingerprint: string;
  message: string;
  /** A key found inside encoded content. */
  encoding?: 'base64' | 'percent';
  presentAtHead?: boolean;
}

export interface JsonReport {
  schemaVersion: number;
  findings: JsonFinding[];
  stats: { files: number; bytes: number; binary: number; skipped: number; durationMs: number; skippedFiles: Array<{ file: string; reason: string; error: boolean }> };
  baseline?: { baselined: number; stale: Array<{ ruleId: string; file: string; secretHash: string; masked?: string }> };
}

export async function scanJson(args: readonly string[], options: RunOptions = {}): Promise<RunResult & { report: JsonReport }> {
  const result = await scan(['--format', 'json', ...args], options);
  let report: JsonReport;
  try {
    report = JSON.parse(result.stdout) as JsonReport;
  } catch {
    throw new Error(`not JSON (exit ${result.code}): ${result.stdout.slice(0, 200)} ${result.stderr.slice(0, 500)}`);
  }
  return { ...result, report };
}

/** A temp dir with files; `cleanup()` removes it. Paths are `/`-separated and relative to the dir. */
export class TempTree {
  readonly dir: string;
  constructor(prefix = 'statalog-scan-') {
    this.dir = mkdtempSync(join(tmpdir(), prefix));
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
      env: cleanEnv({ HOME: this.dir, GIT_AUTHOR_NAME: 'T', GIT_AUTHOR_EMAIL: 't@example.test', GIT_COMMITTER_NAME: 'T', GIT_COMMITTER_EMAIL: 't@example.test' }),
      encoding: 'utf8',
    });
    if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
    return result.stdout;
  }
  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * The text a finding points at, read back from the file independently of the scanner: the file is decoded
 * (UTF-8, UTF-16 with BOM, or latin1 for binary files), split at `\r\n`, `\r` and `\n`, and the UTF-16 range
 * [column, endColumn) of the line is returned. Used to prove positions right and to learn each fixture secret.
 */
export function textAt(path: string, line: number, column: number, endColumn: number): string {
  const bytes = readFileSync(path);
  let text: string;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) text = new TextDecoder('utf-16le').decode(bytes.subarray(2));
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) text = new TextDecoder('utf-16be').decode(bytes.subarray(2));
  else if (bytes.subarray(0, 8192).includes(0)) text = bytes.toString('latin1');
  else text = new TextDecoder('utf-8', { ignoreBOM: false }).decode(bytes);
  const lines = text.split(/\r\n|\r|\n/);
  return (lines[line - 1] ?? '').slice(column - 1, endColumn - 1);
}

export interface ExpectedFinding {
  file: string;
  line: number;
  column: number;
  endColumn: number;
  ruleId: string;
}

export function sampleAppExpected(): ExpectedFinding[] {
  return (JSON.parse(readFileSync(join(SAMPLE_APP, 'EXPECTED.json'), 'utf8')) as { findings: ExpectedFinding[] }).findings;
}

/** Every secret planted in the sample app, read from the files at the expected positions. */
export function sampleAppSecrets(): string[] {
  return sampleAppExpected().map((f) => textAt(join(SAMPLE_APP, f.file), f.line, f.column, f.endColumn));
}

/** Asserts-friendly: which of `secrets` (or a 16-character piece of one) occur in `text`. */
export function leakedSecrets(text: string, secrets: readonly string[]): string[] {
  return secrets.filter((s) => {
    if (text.includes(s)) return true;
    // a long secret also leaks when a good part of it shows (the masked form shows at most 4+4 hex)
    for (let i = 0; i + 16 <= s.length; i += 4) if (text.includes(s.slice(i, i + 16))) return true;
    return false;
  });
}
