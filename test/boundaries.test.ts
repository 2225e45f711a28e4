// The seams between the modules, checked on every import of the sources (static, `export … from` and `import()`):
// the git modes do not reach into the files mode, core stays pure (no I/O, no dependencies), the report formatters
// do not load the verifier or their own dispatcher, and git is started in one place only.
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers/paths.js';

interface Import {
  /** Repository-relative, `/`-separated. */
  from: string;
  specifier: string;
  /** For a relative specifier: the repository-relative file it names (`.js` as written, `.ts` on disk). */
  target?: string;
}

function sourcesUnder(dir: string): string[] {
  return readdirSync(join(REPO_ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts'))
    .map((e) => relative(REPO_ROOT, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort();
}

/** `process.getBuiltinModule('node:…')` with a literal name: a built-in loaded when first needed is imported too. */
const LAZY_BUILTIN = /process\.getBuiltinModule\(\s*(['"])([^'"]+)\1\s*\)/g;

function importsOf(file: string): Import[] {
  const source = readFileSync(join(REPO_ROOT, file), 'utf8');
  // preProcessFile lists import and export declarations, import() and require() with a literal specifier
  const { importedFiles } = ts.preProcessFile(source, true, true);
  const lazy = Array.from(source.matchAll(LAZY_BUILTIN), (m) => ({ fileName: m[2]! }));
  return [...importedFiles, ...lazy].map(({ fileName: specifier }) => {
    if (!specifier.startsWith('.')) return { from: file, specifier };
    const target = relative(REPO_ROOT, resolve(REPO_ROOT, dirname(file), specifier))
      .split(sep)
      .join('/')
      .replace(/\.js$/, '.ts');
    return { from: file, specifier, target };
  });
}

const SOURCES = ['packages/core/src', 'packages/scan/src', 'packages/eslint-plugin/src', 'packages/action/src'].flatMap(
  sourcesUnder,
);
const IMPORTS = SOURCES.flatMap(importsOf);
const under = (dir: string) => (path: string | undefined) => path !== undefined && path.startsWith(`${dir}/`);
const shown = (i: Import) => `${i.from} imports ${i.specifier}`;

/** Node built-ins that compute and touch nothing outside the process: what core may use. */
const PURE_BUILTINS = new Set(['buffer', 'crypto', 'path', 'string_decoder', 'url', 'util']);

describe('module boundaries', () => {
  it('reads the imports of every source file', () => {
    // a parser that found nothing would make every rule below pass
    expect(SOURCES.length).toBeGreaterThan(100);
    expect(
      IMPORTS.filter((i) => i.from.startsWith('packages/scan/src/git/') && i.target !== undefined).length,
    ).toBeGreaterThan(20);
    expect(IMPORTS.some((i) => i.from === 'packages/scan/src/cli.ts' && i.specifier === './git/scan-git.js')).toBe(
      true,
    );
    expect(
      IMPORTS.some((i) => i.from === 'packages/scan/src/files/pool.ts' && i.specifier === 'node:worker_threads'),
    ).toBe(true);
  });

  it('the git modes do not import the files mode (they share core, not files/ internals)', () => {
    const crossing = IMPORTS.filter(
      (i) => under('packages/scan/src/git')(i.from) && under('packages/scan/src/files')(i.target),
    );
    expect(crossing.map(shown)).toEqual([]);
  });

  it('core imports no Node I/O module and no package: it is pure functions on strings and bytes', () => {
    const impure = IMPORTS.filter((i) => {
      if (!under('packages/core/src')(i.from) || i.target !== undefined) return false;
      const name = i.specifier.replace(/^node:/, '');
      const builtin = i.specifier.startsWith('node:') || builtinModules.includes(name);
      return !builtin || !PURE_BUILTINS.has(name.split('/')[0]!);
    });
    expect(impure.map(shown)).toEqual([]);
    // and nothing of core reaches outside packages/core/src through a relative path
    const escaping = IMPORTS.filter(
      (i) => under('packages/core/src')(i.from) && i.target !== undefined && !under('packages/core/src')(i.target),
    );
    expect(escaping.map(shown)).toEqual([]);
  });

  it('the report formatters do not import the verifier, nor the dispatcher that loads them', () => {
    const formatters = IMPORTS.filter((i) => under('packages/scan/src/report')(i.from));
    expect(formatters.filter((i) => under('packages/scan/src/verify')(i.target)).map(shown)).toEqual([]);
    expect(formatters.filter((i) => i.target === 'packages/scan/src/report/render.ts').map(shown)).toEqual([]);
  });

  it('every git process starts in git/exec.ts, where the safe configuration lives', () => {
    const spawning = IMPORTS.filter(
      (i) => /^(?:node:)?child_process$/.test(i.specifier) && i.from !== 'packages/scan/src/git/exec.ts',
    );
    expect(spawning.map(shown)).toEqual([]);
  });
});
