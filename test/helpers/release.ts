// Helpers for the release tests: what a published package must hold, how to pack it, and how to run a command the
// way a user's shell would (outside this monorepo: no npm workspace settings inherited from `npm test`).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, posix, relative, sep } from 'node:path';
import { userEnv } from './env.js';
import { REPO_ROOT } from './paths.js';
import { runProcess, type RunResult } from './process.js';

/** The packages published to npm, by workspace folder. `packages/action` is private: it ships as a committed bundle. */
export const PUBLISHED = [
  { dir: 'core', name: '@statalog/core', extraDirs: [] },
  // dist/bundle: the bundled program (scripts/bundle-scan.mjs), when built
  { dir: 'scan', name: '@statalog/scan', extraDirs: ['bin', 'dist/bundle'] },
  // dist/bundle: the package's entry point (scripts/bundle-plugin.mjs)
  { dir: 'eslint-plugin', name: '@statalog/eslint-plugin', extraDirs: ['docs', 'dist/bundle'] },
] as const;

export type PublishedPackage = (typeof PUBLISHED)[number];

export interface PackageJson {
  name: string;
  version: string;
  private?: boolean;
  bin?: Record<string, string>;
  main?: string;
  types?: string;
  exports?: Record<string, string | Record<string, string>>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

export function readPackageJson(dir: string): PackageJson {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson;
}

/** Every file below `dir`, as `/`-separated paths relative to `base`. */
export function listFiles(base: string, dir: string): string[] {
  const root = join(base, dir);
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => posix.join(dir, relative(root, join(entry.parentPath, entry.name)).split(sep).join('/')));
}

const TEST_FILE = /(^|\/)__tests__\/|\.test\.[cm]?[jt]sx?$/;

/**
 * What the tarball of a published package should hold, derived from its sources rather than from its `files` list:
 * the metadata files, every TypeScript source (shipped so that the source and declaration maps resolve), the four
 * files tsc emits for each, and the package's extra folders (the bin shim, the rule docs). Anything else in a
 * tarball — tests, `.tsbuildinfo`, output of a deleted source — is a packaging bug.
 */
export function intendedFiles(pkg: PublishedPackage): string[] {
  const base = join(REPO_ROOT, 'packages', pkg.dir);
  const files = new Set(['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md']);
  for (const source of listFiles(base, 'src').filter((file) => !TEST_FILE.test(file))) {
    files.add(source);
    if (source.endsWith('.ts') && !source.endsWith('.d.ts')) {
      const stem = `dist/${source.slice('src/'.length, -'.ts'.length)}`;
      for (const ext of ['.js', '.js.map', '.d.ts', '.d.ts.map']) files.add(stem + ext);
    }
  }
  for (const dir of pkg.extraDirs) for (const file of listFiles(base, dir)) files.add(file);
  return [...files].sort();
}

export interface PackResult {
  name: string;
  version: string;
  filename: string;
  files: { path: string; mode: number }[];
}

/** `npm pack --json` prints lifecycle-script output first, if any; the JSON array is the rest. */
export function parsePackJson(stdout: string): PackResult[] {
  const start = stdout.search(/^\[/m);
  if (start < 0) throw new Error(`npm pack printed no JSON: ${stdout.slice(0, 200)}`);
  return JSON.parse(stdout.slice(start)) as PackResult[];
}

/** Module specifiers in tsc's ESM output: static imports and re-exports, bare side-effect imports, dynamic imports. */
export function importSpecifiers(js: string): string[] {
  const found: string[] = [];
  const patterns = [
    /^\s*(?:import|export)\s[^'"`;]*?\sfrom\s*['"]([^'"]+)['"]/gm,
    /^\s*import\s*['"]([^'"]+)['"]/gm,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const pattern of patterns) for (const match of js.matchAll(pattern)) found.push(match[1]!);
  return found;
}

/**
 * Files a module loads by a path relative to itself rather than by an import: `new URL('./worker.js', import.meta.url)`
 * (worker threads, package.json, the bin) and `createRequire(import.meta.url)('../package.json')`.
 */
export function relativeAssetReferences(js: string): string[] {
  const patterns = [
    /new URL\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*,\s*import\.meta\.url\s*\)/g,
    /createRequire\(\s*import\.meta\.url\s*\)\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g,
  ];
  return patterns.flatMap((pattern) => [...js.matchAll(pattern)].map((match) => match[1]!));
}

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`; `node:fs` and builtins → null. */
export function externalPackageName(specifier: string): string | null {
  if (specifier.startsWith('.') || specifier.startsWith('/')) return null;
  if (specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0]!)) return null;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
}

/** Runs a command without a shell and collects its output; never rejects on a non-zero exit. */
export function run(
  command: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = userEnv(),
): Promise<RunResult> {
  return runProcess(command, args, { cwd, env });
}

/** One line for an assertion message: the command's exit code and the tail of its output. */
export function describeRun(label: string, result: RunResult): string {
  const tail = (text: string) => text.trim().split('\n').slice(-15).join('\n');
  return `${label} exited ${result.code}\n--- stdout\n${tail(result.stdout)}\n--- stderr\n${tail(result.stderr)}`;
}
