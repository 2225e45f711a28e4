import { secretOf } from '@statalog/core';
import { mapBounded } from '@statalog/scan';
import { describe, expect, test } from 'vitest';
import { aggregate } from '../src/aggregate.js';
import { topoOrder, type CommitRef } from '../src/commits.js';
import { nextLink } from '../src/commit-files.js';
import { describeApiError } from '../src/github.js';
import { pathAtHead } from '../src/head-check.js';
import { createPathFilter } from '../src/ignore-filter.js';
import { cloudKey } from '../../../test/helpers/keys.js';

const ref = (sha: string, parents: string[] = []): CommitRef => ({
  sha,
  parents,
  author: 'Ana',
  date: `2024-05-0${sha.length}T00:00:00Z`,
});

describe('aggregate', () => {
  test('one finding per rule, file and secret: the oldest commit introduced it, the rest are occurrences', () => {
    const key = cloudKey();
    const hit = (file: string, line: number) => ({ ruleId: 'cloud-key' as const, file, line, column: 1, secret: key });
    const findings = aggregate([
      { commit: ref('1'), hits: [hit('a.env', 4)] },
      { commit: ref('22'), hits: [hit('a.env', 9), hit('b.env', 1)] },
      { commit: ref('333'), hits: [hit('a.env', 2)] },
    ]);
    expect(findings.map((f) => [f.file, f.line, f.commit, f.occurrences])).toEqual([
      ['a.env', 4, '1', 3],
      ['b.env', 1, '22', 1],
    ]);
    expect(secretOf(findings[0]!)).toBe(key);
    expect(JSON.stringify(findings)).not.toContain(key);
  });

  test('tree scans carry no commit', () => {
    const [f] = aggregate([
      { commit: undefined, hits: [{ ruleId: 'cloud-key', file: 'x', line: 1, column: 1, secret: cloudKey() }] },
    ]);
    expect(f!.commit).toBeUndefined();
    expect(f!.occurrences).toBeUndefined();
  });
});

describe('pathAtHead', () => {
  test('follows the renames of the commits after the one that introduced the key', () => {
    const [f] = aggregate([
      { commit: ref('1'), hits: [{ ruleId: 'cloud-key', file: 'a.env', line: 1, column: 1, secret: cloudKey() }] },
    ]);
    const scans = [
      { commit: ref('0'), hits: [], renames: [{ from: 'a.env', to: 'never.env' }] },
      { commit: ref('1'), hits: [] },
      { commit: ref('2'), hits: [], renames: [{ from: 'a.env', to: 'config/b.env' }] },
      { commit: ref('3'), hits: [], renames: [{ from: 'config/b.env', to: 'config/c.env' }] },
    ];
    expect(pathAtHead(f!, scans)).toBe('config/c.env');
    expect(pathAtHead(f!, [])).toBe('a.env');
  });
});

describe('topoOrder', () => {
  test('parents before children whatever the input order; ties keep the input order', () => {
    const commits = [ref('c', ['b']), ref('a'), ref('b', ['a']), ref('x', ['outside'])];
    expect(topoOrder(commits).map((c) => c.sha)).toEqual(['a', 'b', 'c', 'x']);
  });
});

describe('helpers', () => {
  test('nextLink reads rel="next" among other relations', () => {
    expect(
      nextLink(
        '<https://api.github.com/x?page=1>; rel="prev", <https://api.github.com/x?page=3>; rel="next", <https://api.github.com/x?page=9>; rel="last"',
      ),
    ).toBe('https://api.github.com/x?page=3');
    expect(nextLink('<https://api.github.com/x?page=1>; rel="first"')).toBeUndefined();
    expect(nextLink(undefined)).toBeUndefined();
  });

  test('ignorePaths: gitignore globs relative to the config directory', () => {
    const root = createPathFilter(['fixtures/**', '*.log', '!keep.log'], '');
    expect(['fixtures/a/b.env', 'x/y.log'].map(root)).toEqual([true, true]);
    expect(['src/fixtures.ts', 'keep.log'].map(root)).toEqual([false, false]);
    const nested = createPathFilter(['gen/'], 'tools');
    expect(['tools/gen/a.ts', 'gen/a.ts', 'tools/src/a.ts'].map(nested)).toEqual([true, false, false]);
  });

  test('describeApiError: method, path and status; no query, headers or body', () => {
    const error = Object.assign(new Error('Not Found - https://docs.github.com/rest'), {
      status: 404,
      request: {
        method: 'GET',
        url: 'https://api.github.com/repos/a/b/contents/x?ref=abc',
        headers: { authorization: 'token secret' },
      },
    });
    expect(describeApiError(error)).toBe('GitHub API GET /repos/a/b/contents/x answered 404 (Not Found)');
  });

  test('mapBounded keeps the order and the limit', async () => {
    let running = 0;
    let peak = 0;
    const out = await mapBounded([5, 1, 4, 2, 3], 2, async (n) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setImmediate(r));
      running--;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30]);
    expect(peak).toBe(2);
  });
});
