/**
 * The config's ignorePaths filter against the `ignore` matcher it wraps: the shortcut for anchored patterns
 * must never change an answer, and a pattern that excludes a named path must not apply under it.
 */
import { EMPTY_CONFIG } from '@statalog/core';
import fc from 'fast-check';
import ignore from 'ignore';
import { describe, expect, it } from 'vitest';
import { createConfigFilter } from '../src/config-filter.js';
import type { Settings } from '../src/settings.js';

const settings = (ignorePaths: string[]): Settings => ({
  config: { ...EMPTY_CONFIG, ignorePaths },
  configDir: '/repo',
  cwd: '/repo',
});

const segment = fc.constantFrom(
  'src',
  'fixtures',
  'Fixtures',
  'build',
  'docs',
  'a',
  'b',
  'x.log',
  'app.ts',
  'sample-app',
  'vendor',
);
const pattern = fc.constantFrom(
  'fixtures/**',
  '/build',
  'docs/*.md',
  'src/a/',
  'a/**/b',
  '*.log',
  'vendor/',
  '**/tmp',
  'build',
  '!src/keep.ts',
  'Docs/x',
);
const relPath = fc.array(segment, { minLength: 1, maxLength: 4 }).map((parts) => parts.join('/'));

describe('createConfigFilter', () => {
  it('answers as the ignore matcher does, for files and directories (the root is the config directory)', () => {
    fc.assert(
      fc.property(
        fc.array(pattern, { minLength: 1, maxLength: 4 }),
        relPath,
        fc.boolean(),
        (patterns, rel, isDirectory) => {
          const filter = createConfigFilter(settings(patterns), '/repo');
          const expected = ignore()
            .add(patterns)
            .ignores(isDirectory ? `${rel}/` : rel);
          expect(filter(`/repo/${rel}`, isDirectory)).toBe(expected);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('for a named path no pattern excludes, answers under it as the filter of the config directory does', () => {
    // covers the shortcut that skips the matcher for a whole named path no anchored pattern reaches into
    fc.assert(
      fc.property(
        fc.array(pattern, { minLength: 1, maxLength: 4 }),
        relPath,
        relPath,
        fc.boolean(),
        (patterns, root, rel, isDirectory) => {
          const parts = root.split('/');
          const matcher = ignore().add(patterns);
          const excluded = parts.some((_, k) => {
            const up = parts.slice(0, k + 1).join('/');
            return matcher.ignores(up) || matcher.ignores(`${up}/`);
          });
          fc.pre(!excluded);
          const named = createConfigFilter(settings(patterns), `/repo/${root}`);
          const whole = createConfigFilter(settings(patterns), '/repo');
          expect(named(`/repo/${root}/${rel}`, isDirectory)).toBe(whole(`/repo/${root}/${rel}`, isDirectory));
          expect(named(`/repo/${root}`, true)).toBe(whole(`/repo/${root}`, true));
        },
      ),
      { numRuns: 2000 },
    );
    const deeper = createConfigFilter(settings(['fixtures/**', 'Src/A/']), '/repo/src');
    expect(deeper('/repo/src/a/x.ts')).toBe(true); // a pattern that reaches into the named path still applies
    expect(deeper('/repo/src/b/x.ts')).toBe(false);
    expect(createConfigFilter(settings(['fixtures/**']), '/repo/src')('/repo/src/fixtures/x.ts')).toBe(false);
  });

  it('does not apply a pattern that excludes the named path to anything under it', () => {
    const filter = createConfigFilter(settings(['fixtures/**', '*.log']), '/repo/fixtures/sample-app');
    expect(filter('/repo/fixtures/sample-app/src/app.ts')).toBe(false);
    expect(filter('/repo/fixtures/sample-app/logs/access.log')).toBe(true);
    expect(filter('/repo/fixtures/other/app.ts')).toBe(false); // outside the named path this filter is not asked
    const whole = createConfigFilter(settings(['fixtures/**']), '/repo');
    expect(whole('/repo/fixtures/sample-app/src/app.ts')).toBe(true);
    expect(whole('/elsewhere/fixtures/x')).toBe(false);
  });
});
