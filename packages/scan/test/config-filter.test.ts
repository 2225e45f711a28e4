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

const settings = (ignorePaths: string[]): Settings => ({ config: { ...EMPTY_CONFIG, ignorePaths }, configDir: '/repo', cwd: '/repo' });

const segment = fc.constantFrom('src', 'fixtures', 'Fixtures', 'build', 'docs', 'a', 'b', 'x.log', 'app.ts', 'sample-app', 'vendor');
const pattern = fc.constantFrom('fixtures/**', '/build', 'docs/*.md', 'src/a/', 'a/**/b', '*.log', 'vendor/', '**/tmp', 'build', '!src/keep.ts', 'Docs/x');
const relPath = fc.array(segment, { minLength: 1, maxLength: 4 }).map((parts) => parts.join('/'));

describe('createConfigFilter', () => {
  it('answers as the ignore matcher does, for files and directories (the root is the config directory)', () => {
    fc.assert(
      fc.property(fc.array(pattern, { minLength: 1, maxLength: 4 }), relPath, fc.boolean(), (patterns, rel, isDirectory) => {
        const filter = createConfigFilter(settings(patterns), '/repo');
        const expected = ignore().add(patterns).ignores(isDirectory ? `${rel}/` : rel);
        expect(filter(`/repo/${rel}`, isDirectory)).toBe(expected);
      }),
      { numRuns: 2000 },
    );
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
