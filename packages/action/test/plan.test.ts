import { describe, expect, test } from 'vitest';
import { planScan, PlanError, type PlanInput } from '../src/plan.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const ZERO = '0'.repeat(40);
const input = (eventName: string, payload: Record<string, unknown>, extra: Partial<PlanInput> = {}): PlanInput => ({
  eventName,
  payload,
  sha: undefined,
  ref: undefined,
  repository: 'acme/shop',
  ...extra,
});
const repository = { full_name: 'acme/shop', default_branch: 'main' };

describe('pull requests', () => {
  const pr = (head: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    pull_request: {
      number: 5,
      commits: 3,
      base: { sha: A, repo: { full_name: 'acme/shop' } },
      head: { sha: B, ...head },
      ...extra,
    },
  });

  test.each(['pull_request', 'pull_request_target'])('%s: every commit from base to the event head', (event) => {
    expect(planScan(input(event, pr({ repo: { full_name: 'acme/shop' } })))).toEqual({
      kind: 'pull-request',
      number: 5,
      base: A,
      head: B,
      commits: 3,
      fork: false,
      label: 'pull request #5',
    });
  });

  test('a head in another repository, or in a deleted fork, is a fork', () => {
    expect(planScan(input('pull_request', pr({ repo: { full_name: 'mallory/shop' } })))).toMatchObject({ fork: true });
    expect(planScan(input('pull_request', pr({ repo: null })))).toMatchObject({ fork: true });
    expect(planScan(input('pull_request', pr({ repo: { full_name: 'ACME/Shop' } })))).toMatchObject({ fork: false });
  });

  test('a payload without shas is refused', () => {
    expect(() => planScan(input('pull_request', { pull_request: { number: 1 } }))).toThrow(PlanError);
    expect(() =>
      planScan(input('pull_request', { pull_request: { number: 1, base: { sha: 'main' }, head: { sha: B } } })),
    ).toThrow(/base\.sha and head\.sha/);
  });
});

describe('push', () => {
  test('before...after, with the new-branch rule as the fallback', () => {
    const plan = planScan(input('push', { ref: 'refs/heads/dev', before: A, after: B, repository }));
    expect(plan).toMatchObject({
      kind: 'range',
      base: A,
      head: B,
      label: 'the commits pushed to dev',
      fallback: { kind: 'range', base: 'main', head: B },
    });
  });

  test('a forced push still compares before...after (from their merge base)', () => {
    expect(
      planScan(input('push', { ref: 'refs/heads/dev', before: A, after: B, forced: true, repository })),
    ).toMatchObject({
      kind: 'range',
      base: A,
      label: expect.stringContaining('forced push to dev (from the merge base'),
    });
  });

  test('a forced push whose old tip is gone is never "the first push": it names the push and the missing tip', () => {
    const main = planScan(input('push', { ref: 'refs/heads/main', before: A, after: B, forced: true, repository }));
    expect(main).toMatchObject({
      kind: 'range',
      base: A,
      fallback: { kind: 'tree', ref: B, label: `the tree at bbbbbbbbbbbb (forced push to main)` },
    });
    const fallback = (main as { fallback: { label: string; note: string; history?: unknown } }).fallback;
    expect(fallback.note).toMatch(
      /^history not scanned: aaaaaaaaaaaa, the old tip of main, is no longer known to GitHub/,
    );
    expect(fallback.history).toBeUndefined();
    expect(JSON.stringify(main)).not.toContain('first push');
    const dev = planScan(input('push', { ref: 'refs/heads/dev', before: A, after: B, forced: true, repository }));
    expect(dev).toMatchObject({
      fallback: { kind: 'range', base: 'main', label: 'the commits of the forced push to dev that are not on main' },
    });
  });

  test('a new branch: the commits not on the default branch; unrelated history falls back to the tree', () => {
    const plan = planScan(
      input('push', { ref: 'refs/heads/topic', before: ZERO, after: B, created: true, repository }),
    );
    expect(plan).toMatchObject({
      kind: 'range',
      base: 'main',
      head: B,
      label: 'the commits of new branch topic that are not on main',
      fallback: { kind: 'tree', ref: B },
    });
  });

  test('a new tag is handled like a new branch', () => {
    expect(
      planScan(input('push', { ref: 'refs/tags/v1.2.0', before: ZERO, after: B, created: true, repository })),
    ).toMatchObject({ kind: 'range', base: 'main', label: expect.stringContaining('new tag v1.2.0') });
  });

  test('the first push of the default branch: the tree, with a note that history was not scanned', () => {
    const plan = planScan(input('push', { ref: 'refs/heads/main', before: ZERO, after: B, created: true, repository }));
    expect(plan).toMatchObject({
      kind: 'tree',
      ref: B,
      note: expect.stringContaining('history not scanned'),
      history: { label: 'every commit of main (first push)' },
    });
  });

  test('a deleted branch: nothing to scan', () => {
    expect(
      planScan(input('push', { ref: 'refs/heads/old', before: A, after: ZERO, deleted: true, repository })),
    ).toEqual({
      kind: 'nothing',
      reason: 'the push deleted old: there are no new commits to scan',
    });
  });

  test('malformed shas are refused', () => {
    expect(() => planScan(input('push', { ref: 'refs/heads/x', before: A, after: 'HEAD' }))).toThrow(/no after sha/);
    expect(() => planScan(input('push', { ref: 'refs/heads/x', before: 'x', after: B }))).toThrow(/malformed before/);
  });
});

describe('other events', () => {
  test('merge_group: base_sha...head_sha', () => {
    expect(planScan(input('merge_group', { merge_group: { base_sha: A, head_sha: B } }))).toMatchObject({
      kind: 'range',
      base: A,
      head: B,
    });
  });

  test.each(['workflow_dispatch', 'schedule', 'repository_dispatch', 'release'])(
    '%s: the tree at GITHUB_SHA',
    (event) => {
      expect(planScan(input(event, {}, { sha: B, ref: 'refs/heads/main' }))).toMatchObject({ kind: 'tree', ref: B });
      expect(() => planScan(input(event, {}))).toThrow(/GITHUB_SHA is not set/);
    },
  );

  test('anything else is refused with the list of supported events', () => {
    expect(() => planScan(input('issue_comment', {}))).toThrow(
      /^event issue_comment is not supported: run the action on pull_request, pull_request_target, push, merge_group, workflow_dispatch/,
    );
  });
});
