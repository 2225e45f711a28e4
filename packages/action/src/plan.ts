/**
 * What to scan for each event: a pure function of the event name and payload, so every case is unit-tested
 * without a network. The API calls that carry a plan out live in commits.ts.
 */
import { shortSha, UserError } from '@statalog/core';

export type ScanPlan = PullRequestPlan | RangePlan | TreePlan | NothingPlan;

/** Every commit of a pull request, up to the head sha the event names. */
export interface PullRequestPlan {
  kind: 'pull-request';
  number: number;
  base: string;
  head: string;
  /** How many commits the payload says the PR has (decides between the PR list and the compare API). */
  commits: number | undefined;
  /** Head in another repository: the token cannot write there, comments may be refused. */
  fork: boolean;
  label: string;
}

/** The commits reachable from `head` and not from `base` (the compare API's `base...head`). */
export interface RangePlan {
  kind: 'range';
  base: string;
  head: string;
  label: string;
  /** What to do when the compare API cannot compare (unknown `before`, unrelated histories). */
  fallback?: RangePlan | TreePlan;
}

/** Every file of the tree at `ref`, read whole; no history. */
export interface TreePlan {
  kind: 'tree';
  ref: string;
  label: string;
  /** Said in the summary: why only the tree, and what was therefore not scanned. */
  note?: string;
  /**
   * The first push of a repository's default branch: every commit reachable from `ref` is listed through the
   * API and scanned like a range, when there are few enough; otherwise the tree, with `note` as a gap.
   */
  history?: { label: string };
}

export interface NothingPlan {
  kind: 'nothing';
  reason: string;
}

export class PlanError extends UserError {
  override name = 'PlanError';
}

const ZERO_SHA = /^0+$/;
const TREE_EVENTS = new Set(['workflow_dispatch', 'schedule', 'repository_dispatch', 'release']);
const SUPPORTED_EVENTS = [
  'pull_request',
  'pull_request_target',
  'push',
  'merge_group',
  'workflow_dispatch',
  'schedule',
  'repository_dispatch',
  'release',
];

export interface PlanInput {
  eventName: string;
  payload: Record<string, unknown>;
  /** GITHUB_SHA and GITHUB_REF, for events without a range. */
  sha: string | undefined;
  ref: string | undefined;
  /** owner/name of the repository the workflow runs in. */
  repository: string;
}

export function planScan(input: PlanInput): ScanPlan {
  const { eventName, payload } = input;
  if (eventName === 'pull_request' || eventName === 'pull_request_target')
    return pullRequestPlan(payload, input.repository);
  if (eventName === 'push') return pushPlan(payload);
  if (eventName === 'merge_group') return mergeGroupPlan(payload);
  if (TREE_EVENTS.has(eventName)) {
    const ref = input.sha ?? input.ref;
    if (!ref) throw new PlanError(`${eventName}: GITHUB_SHA is not set, so there is no commit to scan`);
    return { kind: 'tree', ref, label: `the tree at ${short(ref)} (${eventName})` };
  }
  throw new PlanError(
    `event ${eventName.slice(0, 60)} is not supported: run the action on ${SUPPORTED_EVENTS.join(', ')}`,
  );
}

function pullRequestPlan(payload: Record<string, unknown>, repository: string): PullRequestPlan {
  const pr = object(payload.pull_request);
  const number = pr?.number;
  const base = object(pr?.base);
  const head = object(pr?.head);
  if (!pr || typeof number !== 'number' || !isSha(base?.sha) || !isSha(head?.sha))
    throw new PlanError('the pull_request event payload has no pull_request.number, base.sha and head.sha');
  const headRepo = object(head.repo)?.full_name;
  const baseRepo = object(base.repo)?.full_name ?? repository;
  return {
    kind: 'pull-request',
    number,
    base: base.sha,
    head: head.sha,
    commits: typeof pr.commits === 'number' ? pr.commits : undefined,
    // a deleted fork has head.repo null: treat it as a fork, its token is read-only all the same
    fork:
      typeof headRepo !== 'string' || typeof baseRepo !== 'string' || headRepo.toLowerCase() !== baseRepo.toLowerCase(),
    label: `pull request #${number}`,
  };
}

/**
 * push: the commits between `before` and `after`.
 * - deleted branch or tag: nothing to scan (there is no new commit);
 * - new branch (zero `before`): the commits not on the default branch — the commits the branch brings. The
 *   payload's own `commits` list is capped at 2048 and its contents for a new branch are not specified
 *   precisely, the compare API is. A new default branch (the first push to a repository) or a branch with no
 *   history in common with it: the tree at `after`, and the summary says history was not scanned;
 * - forced push: `before...after` is still right — the compare API starts from the merge base, so exactly the
 *   rewritten commits are scanned. When `before` is gone (garbage-collected) it falls back to the new-branch rule.
 */
function pushPlan(payload: Record<string, unknown>): ScanPlan {
  const ref = typeof payload.ref === 'string' ? payload.ref : '';
  const name = ref.replace(/^refs\/(?:heads|tags)\//, '');
  const before = payload.before;
  const after = payload.after;
  if (payload.deleted === true || (typeof after === 'string' && ZERO_SHA.test(after)))
    return { kind: 'nothing', reason: `the push deleted ${name || 'a ref'}: there are no new commits to scan` };
  if (!isSha(after)) throw new PlanError('the push event payload has no after sha');
  const defaultBranch = object(payload.repository)?.default_branch;
  const tree: TreePlan = {
    kind: 'tree',
    ref: after,
    label: `the tree at ${short(after)} (first push of ${name || 'the branch'})`,
    note: `history not scanned: ${name || 'the branch'} has no earlier commit or branch to compare with, and has too many commits to list, so only the files at ${short(after)} were scanned; scan its history with the statalog-scan CLI on a full clone`,
    history: { label: `every commit of ${name || 'the branch'} (first push)` },
  };
  const newBranch: ScanPlan =
    typeof defaultBranch === 'string' && defaultBranch !== '' && ref !== `refs/heads/${defaultBranch}`
      ? {
          kind: 'range',
          base: defaultBranch,
          head: after,
          label: `the commits of new ${ref.startsWith('refs/tags/') ? 'tag' : 'branch'} ${name} that are not on ${defaultBranch}`,
          fallback: tree,
        }
      : tree;
  if (payload.created === true || typeof before !== 'string' || ZERO_SHA.test(before)) return newBranch;
  if (!isSha(before)) throw new PlanError('the push event payload has a malformed before sha');
  // `before` unknown to GitHub (a forced push whose old tip was garbage-collected): this is not the first push
  // of the branch, and the summary must not say so — the fallbacks name the push and the missing old tip
  const gone = `${short(before)}, the old tip of ${name || 'the branch'}, is no longer known to GitHub`;
  const pushed = `${payload.forced === true ? 'forced ' : ''}push to ${name || 'the branch'}`;
  const goneTree: TreePlan = {
    kind: 'tree',
    ref: after,
    label: `the tree at ${short(after)} (${pushed})`,
    note: `history not scanned: ${gone}, so the pushed commits could not be listed; only the files at ${short(after)} were scanned. Scan the history with the statalog-scan CLI on a full clone`,
  };
  const fallback: RangePlan | TreePlan =
    newBranch.kind === 'range'
      ? { ...newBranch, label: `the commits of the ${pushed} that are not on ${newBranch.base}`, fallback: goneTree }
      : goneTree;
  return {
    kind: 'range',
    base: before,
    head: after,
    label:
      payload.forced === true
        ? `the commits of the forced push to ${name} (from the merge base of ${short(before)} and ${short(after)})`
        : `the commits pushed to ${name}`,
    fallback,
  };
}

function mergeGroupPlan(payload: Record<string, unknown>): RangePlan {
  const group = object(payload.merge_group);
  if (!group || !isSha(group.base_sha) || !isSha(group.head_sha))
    throw new PlanError('the merge_group event payload has no merge_group.base_sha and head_sha');
  const head = group.head_sha;
  return {
    kind: 'range',
    base: group.base_sha,
    head,
    label: 'the commits of the merge queue group',
    fallback: {
      kind: 'tree',
      ref: head,
      label: `the tree at ${short(head)} (merge group)`,
      note: 'history not scanned: the merge group could not be compared with its base',
    },
  };
}

function object(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

export function isSha(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/.test(value);
}

export function short(sha: string): string {
  return /^[0-9a-f]{40,64}$/.test(sha) ? shortSha(sha) : sha;
}
