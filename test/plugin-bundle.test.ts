// The ESLint plugin's entry point is its bundle (scripts/bundle-plugin.mjs → packages/eslint-plugin/dist/bundle/):
// the plugin's modules and core in one file. It must be newer than the tsc builds it was made from (a `tsc -b`
// alone leaves it stale), be what the package exports, and carry the package's own name and version.
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers/paths.js';

const PLUGIN_DIR = join(REPO_ROOT, 'packages/eslint-plugin');
const BUNDLE = join(PLUGIN_DIR, 'dist/bundle/index.js');
const manifest = JSON.parse(readFileSync(join(PLUGIN_DIR, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  main: string;
  exports: Record<string, { default?: string } | string>;
};

describe('the ESLint plugin bundle', () => {
  it('is newer than the tsc builds it was made from (npm test builds it; else `npm run bundle`)', () => {
    const built = statSync(BUNDLE, { throwIfNoEntry: false })?.mtimeMs;
    expect(built, 'packages/eslint-plugin/dist/bundle/index.js is missing: run `npm run bundle`').toBeDefined();
    for (const info of ['packages/eslint-plugin/dist/.tsbuildinfo', 'packages/core/dist/.tsbuildinfo']) {
      expect(
        statSync(join(REPO_ROOT, info)).mtimeMs,
        `${info} is newer than the plugin bundle: run \`npm run bundle\``,
      ).toBeLessThanOrEqual(built!);
    }
  });

  it('is the package entry point, and imports nothing of core at run time (core is inside it)', () => {
    const entry = manifest.exports['.'];
    expect(typeof entry === 'object' ? entry.default : entry).toBe('./dist/bundle/index.js');
    expect(manifest.main).toBe('./dist/bundle/index.js');
    expect(createRequire(join(REPO_ROOT, 'package.json')).resolve('@statalog/eslint-plugin')).toBe(BUNDLE);
    const source = readFileSync(BUNDLE, 'utf8');
    expect(source).not.toMatch(/from ["']@statalog\/core/);
    expect(source).not.toMatch(/from ["']\.\.?\//);
  });

  it('carries the package name and version it was built from', async () => {
    const plugin = ((await import(BUNDLE)) as { default: { meta: { name: string; version: string } } }).default;
    expect(plugin.meta).toMatchObject({ name: manifest.name, version: manifest.version });
  });
});
