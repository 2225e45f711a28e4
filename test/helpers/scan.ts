/**
 * Running the built `statalog-scan` binary as a user would, with a clean environment, and reading back what a
 * finding points at.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanEnv } from './env.js';
import { runProcess, type RunResult } from './process.js';
import { parseReport, type JsonReport } from './report.js';
import { REPO_ROOT, SAMPLE_APP, SCAN_BIN } from './paths.js';

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
  return runProcess(process.execPath, [SCAN_BIN, ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    env: cleanEnv(options.env),
    ...(options.user ? { spawn: options.user } : {}),
    ...(options.input !== undefined ? { input: options.input } : {}),
  });
}

export async function scanJson(
  args: readonly string[],
  options: RunOptions = {},
): Promise<RunResult & { report: JsonReport }> {
  const result = await scan(['--format', 'json', ...args], options);
  return { ...result, report: parseReport(result.stdout, `(exit ${result.code}) ${result.stderr.slice(0, 500)}`) };
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
  return (JSON.parse(readFileSync(join(SAMPLE_APP, 'EXPECTED.json'), 'utf8')) as { findings: ExpectedFinding[] })
    .findings;
}

/** Every secret planted in the sample app, read from the files at the expected positions. */
export function sampleAppSecrets(): string[] {
  return sampleAppExpected().map((f) => textAt(join(SAMPLE_APP, f.file), f.line, f.column, f.endColumn));
}
