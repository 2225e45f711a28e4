/**
 * Runs the real ESLint CLI — ESLint 9 (`node_modules/eslint`) or ESLint 10 (`node_modules/eslint10`, an npm
 * alias) — on a project directory, the way a user's `npx eslint .` does.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { inheritedEnv } from './env.js';
import { REPO_ROOT } from './paths.js';

/** The package's entry point (its `exports`): scripts/bundle-plugin.mjs builds it from tsc's output. */
const PLUGIN_DIST = join(REPO_ROOT, 'packages/eslint-plugin/dist/bundle/index.js');

export const ESLINT_MAJORS = {
  9: join(REPO_ROOT, 'node_modules/eslint/bin/eslint.js'),
  10: join(REPO_ROOT, 'node_modules/eslint10/bin/eslint.js'),
} as const;

export type EslintMajor = keyof typeof ESLINT_MAJORS;

export interface EslintRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runEslint(major: EslintMajor, cwd: string, args: readonly string[]): EslintRun {
  const result = spawnSync(process.execPath, [ESLINT_MAJORS[major], ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...inheritedEnv(), NO_COLOR: '1', FORCE_COLOR: '0', TIMING: '' },
    timeout: 120_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** One message of ESLint's JSON output, with the path relative to the linted project. */
export interface Finding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  ruleId: string | null;
  messageId: string | undefined;
  message: string;
  suggestions: string[];
}

interface JsonResult {
  filePath: string;
  messages: Array<{
    ruleId: string | null;
    messageId?: string;
    message: string;
    line: number;
    column: number;
    endLine: number;
    endColumn: number;
    suggestions?: Array<{ desc: string }>;
  }>;
}

export function parseJsonFindings(stdout: string, root: string): Finding[] {
  const results = JSON.parse(stdout) as JsonResult[];
  return results.flatMap((result) =>
    result.messages.map((m) => ({
      file: relative(root, result.filePath).split('\\').join('/'),
      line: m.line,
      column: m.column,
      endLine: m.endLine,
      endColumn: m.endColumn,
      ruleId: m.ruleId,
      messageId: m.messageId,
      message: m.message,
      suggestions: (m.suggestions ?? []).map((s) => s.desc),
    })),
  );
}

/** Every cloud key written in the files of a directory (fixtures hold real-looking keys on purpose). */
export function cloudKeysUnder(dir: string): string[] {
  const keys = new Set<string>();
  const walk = (path: string): void => {
    for (const name of readdirSync(path)) {
      if (name === 'node_modules') continue;
      const child = join(path, name);
      if (statSync(child).isDirectory()) walk(child);
      else for (const m of readFileSync(child, 'utf8').matchAll(/st_[0-9a-f]{64}/g)) keys.add(m[0]);
    }
  };
  walk(dir);
  return [...keys];
}

/** Throws, saying how to build it, when the plugin's entry point is missing (the tests drive the built plugin). */
export function requirePluginBuilt(): void {
  if (!existsSync(PLUGIN_DIST))
    throw new Error(
      'packages/eslint-plugin/dist/bundle/index.js is missing: run `npx tsc -b && npm run bundle` (npm test does) first',
    );
}
