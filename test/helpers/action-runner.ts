/**
 * Runs the committed action bundle the way the runner does: `node packages/action/dist/index.js` with the
 * GITHUB_* variables, INPUT_* inputs, and files for the event payload, the job summary and the outputs.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './paths.js';
import { tempDir } from './tmp.js';

const ACTION_BUNDLE = join(REPO_ROOT, 'packages/action/dist/index.js');

export interface ActionRunOptions {
  apiUrl: string;
  eventName: string;
  payload: unknown;
  /** Input name → value (the action sees INPUT_<NAME>). */
  inputs?: Record<string, string>;
  repository?: string;
  env?: Record<string, string>;
  /** Called with the workspace before the action starts (to put files, links or a checkout there). */
  prepare?: (workspace: string) => void;
}

export interface ActionRun {
  code: number;
  stdout: string;
  stderr: string;
  summary: string;
  outputs: Record<string, string>;
  workspace: string;
}

export async function runAction(options: ActionRunOptions): Promise<ActionRun> {
  const dir = tempDir('statalog-action-run-');
  try {
    const eventPath = join(dir, 'event.json');
    const summaryPath = join(dir, 'summary.md');
    const outputPath = join(dir, 'output.txt');
    writeFileSync(eventPath, JSON.stringify(options.payload));
    writeFileSync(summaryPath, '');
    writeFileSync(outputPath, '');
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: dir,
      GITHUB_ACTIONS: 'true',
      GITHUB_EVENT_NAME: options.eventName,
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_API_URL: options.apiUrl,
      GITHUB_SERVER_URL: 'https://github.example',
      GITHUB_REPOSITORY: options.repository ?? 'acme/shop',
      GITHUB_STEP_SUMMARY: summaryPath,
      GITHUB_OUTPUT: outputPath,
      GITHUB_WORKSPACE: dir,
      GITHUB_RUN_ID: '4242',
      RUNNER_TEMP: dir,
      // the plugins' retry delays are seconds by default; this test-only knob makes them milliseconds
      STATALOG_ACTION_RETRY_BASE_MS: '5',
      ...options.env,
    };
    for (const [name, value] of Object.entries(options.inputs ?? {})) env[`INPUT_${name.toUpperCase()}`] = value;
    options.prepare?.(dir);
    const child = spawn(process.execPath, [ACTION_BUNDLE], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)));
    return {
      code,
      stdout,
      stderr,
      summary: readFileSync(summaryPath, 'utf8'),
      outputs: parseOutputs(readFileSync(outputPath, 'utf8')),
      workspace: dir,
    };
  } finally {
    // keep the workspace only while a test reads a SARIF file from it (removed by removeWorkspace)
    if (!options.inputs?.['sarif-file']) rmSync(dir, { recursive: true, force: true });
  }
}

export function removeWorkspace(run: ActionRun): void {
  if (existsSync(run.workspace)) rmSync(run.workspace, { recursive: true, force: true });
}

/** GITHUB_OUTPUT's `name<<delimiter` blocks. */
function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<]+)<<(.+)$/.exec(lines[i]!);
    if (!m) continue;
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== m[2]; i++) value.push(lines[i]!);
    out[m[1]!] = value.join('\n');
  }
  return out;
}

/** The log without the `::add-mask::` commands (the runner consumes those; they are never shown). */
export function visibleLog(run: ActionRun): string {
  return `${run.stdout}\n${run.stderr}`
    .split('\n')
    .filter((l) => !l.startsWith('::add-mask::'))
    .join('\n');
}

/** `::error` / `::warning` / `::notice` lines. */
export function annotations(run: ActionRun, kind: 'error' | 'warning' | 'notice'): string[] {
  return run.stdout.split('\n').filter((l) => l.startsWith(`::${kind} `) || l.startsWith(`::${kind}::`));
}

/** Markdown as a reader sees it: the summary's HTML entities (`&#45;`) decoded, zero-width spaces removed. */
export function readable(markdown: string): string {
  return markdown.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code))).replace(/\u200b/g, '');
}
