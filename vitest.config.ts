import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

// what packages/action/build.mjs writes into the bundle, for the tests that import the action's sources
const action = JSON.parse(readFileSync(new URL('packages/action/package.json', import.meta.url), 'utf8')) as {
  version: string;
};

export default defineConfig({
  define: { STATALOG_ACTION_VERSION: JSON.stringify(action.version) },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
