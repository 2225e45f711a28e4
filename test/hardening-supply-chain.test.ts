/**
 * Hardening, supply chain: what a user installs with `@statalog/scan` or `@statalog/eslint-plugin` runs no
 * install script (none in the whole runtime dependency closure, no native build), every package of that
 * closure is pinned in the committed lockfile with an integrity hash, and the action runs from its committed
 * bundle with nothing installed at run time (the bundle's reproducibility is packages/action/test/check-dist).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers/paths.js';

interface Manifest {
  name: string;
  version: string;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  gypfile?: boolean;
}

/** What npm runs when it installs a package from the registry (`prepare` runs only for git and local installs). */
const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall'];

/** Node's lookup: `node_modules/<name>` in `from` and each directory above it. */
function resolvePackage(name: string, from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) throw new Error(`${name} is not installed (needed from ${relative(REPO_ROOT, from)})`);
  }
}

/** Every installed package a published package needs at run time, by directory. */
function runtimeClosure(packageDir: string): Map<string, Manifest> {
  const seen = new Map<string, Manifest>();
  const visit = (dir: string): void => {
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
    for (const name of Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies })) {
      const found = resolvePackage(name, dir);
      if (seen.has(found)) continue;
      seen.set(found, JSON.parse(readFileSync(join(found, 'package.json'), 'utf8')) as Manifest);
      visit(found);
    }
  };
  visit(packageDir);
  return seen;
}

describe('published packages', () => {
  for (const pkg of ['scan', 'eslint-plugin', 'core']) {
    it(`@statalog/${pkg}: no package of its runtime closure has an install script or a native build`, () => {
      const closure = runtimeClosure(join(REPO_ROOT, 'packages', pkg));
      const own = JSON.parse(readFileSync(join(REPO_ROOT, 'packages', pkg, 'package.json'), 'utf8')) as Manifest;
      const offenders: string[] = [];
      for (const [dir, manifest] of [[join(REPO_ROOT, 'packages', pkg), own] as const, ...closure]) {
        for (const script of INSTALL_SCRIPTS)
          if (manifest.scripts?.[script] !== undefined) offenders.push(`${manifest.name}: scripts.${script}`);
        if (manifest.gypfile || existsSync(join(dir, 'binding.gyp')))
          offenders.push(`${manifest.name}: native build (binding.gyp)`);
      }
      expect(offenders).toEqual([]);
      if (pkg !== 'core') expect(closure.size).toBeGreaterThan(1);
    });
  }

  it('the lockfile is committed and pins every package of the runtime closures, with an integrity hash', () => {
    expect(
      execFileSync('git', ['ls-files', '--error-unmatch', 'package-lock.json'], {
        cwd: REPO_ROOT,
        encoding: 'utf8',
      }).trim(),
    ).toBe('package-lock.json');
    const lock = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8')) as {
      lockfileVersion: number;
      packages: Record<string, { version?: string; integrity?: string; resolved?: string; link?: boolean }>;
    };
    expect(lock.lockfileVersion).toBeGreaterThanOrEqual(3);
    const problems: string[] = [];
    for (const pkg of ['scan', 'eslint-plugin']) {
      for (const [dir, manifest] of runtimeClosure(join(REPO_ROOT, 'packages', pkg))) {
        const key = relative(REPO_ROOT, dir).split('\\').join('/');
        const entry = lock.packages[key];
        if (!entry) problems.push(`${key}: not in the lockfile`);
        else if (entry.link)
          continue; // a workspace package (@statalog/core)
        else if (entry.version !== manifest.version)
          problems.push(`${key}: lockfile ${entry.version}, installed ${manifest.version}`);
        else if (!entry.integrity?.startsWith('sha512-')) problems.push(`${key}: no sha512 integrity`);
        else if (entry.resolved !== undefined && !entry.resolved.startsWith('https://registry.npmjs.org/'))
          problems.push(`${key}: resolved from ${entry.resolved}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('the action runs its committed bundle and installs nothing at run time', () => {
    const actionYml = readFileSync(join(REPO_ROOT, 'packages/action/action.yml'), 'utf8');
    expect(actionYml).toMatch(/^runs:\n {2}using: node\d+\n {2}main: dist\/index\.js\n?$/m);
    expect(actionYml).not.toMatch(/\b(pre|post):|npm (ci|install)|steps:/);
    expect(
      execFileSync('git', ['ls-files', '--error-unmatch', 'packages/action/dist/index.js'], {
        cwd: REPO_ROOT,
        encoding: 'utf8',
      }).trim(),
    ).toBe('packages/action/dist/index.js');
    expect(existsSync(join(REPO_ROOT, 'packages/action/test/check-dist.test.ts'))).toBe(true);
  });
});

describe('SECURITY.md names the runtime dependencies as they are', () => {
  const security = readFileSync(join(REPO_ROOT, 'SECURITY.md'), 'utf8');
  /** The backticked names on SECURITY.md's line for `@statalog/<pkg>` (after "needs"). */
  function stated(pkg: string): string[] {
    const line = security.split('\n').find((l) => l.trimStart().startsWith(`- \`@statalog/${pkg}\` needs`));
    expect(line, `SECURITY.md has no "- \`@statalog/${pkg}\` needs" line`).toBeDefined();
    const after = line!.slice(line!.indexOf('needs'));
    if (/needs nothing/.test(after)) return [];
    return [...after.matchAll(/`([^`]+)`/g)].map((m) => m[1]!).sort();
  }
  /** Every package `npm ls --omit=dev --all` shows under the workspace (its whole runtime closure). */
  function closure(pkg: string): string[] {
    const out = execFileSync('npm', ['ls', '--omit=dev', '--all', '--json', '--workspace', `@statalog/${pkg}`], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    const tree = JSON.parse(out) as { dependencies?: Record<string, { dependencies?: Record<string, unknown> }> };
    const names = new Set<string>();
    const walk = (node: { dependencies?: Record<string, unknown> } | undefined): void => {
      for (const [name, child] of Object.entries(node?.dependencies ?? {})) {
        if (names.has(name)) continue;
        names.add(name);
        walk(child as { dependencies?: Record<string, unknown> });
      }
    };
    walk(tree.dependencies?.[`@statalog/${pkg}`]);
    return [...names].sort();
  }

  it('@statalog/scan: the whole closure', () => {
    expect(stated('scan')).toEqual(closure('scan'));
  });

  it('@statalog/core: nothing', () => {
    expect(stated('core')).toEqual([]);
    expect(closure('core')).toEqual([]);
  });

  it('@statalog/eslint-plugin: its direct dependencies (ESLint is a peer)', () => {
    const own = JSON.parse(readFileSync(join(REPO_ROOT, 'packages/eslint-plugin/package.json'), 'utf8')) as Manifest;
    expect(stated('eslint-plugin')).toEqual(Object.keys(own.dependencies ?? {}).sort());
    expect(closure('eslint-plugin')).toEqual(expect.arrayContaining(stated('eslint-plugin')));
  });
});
