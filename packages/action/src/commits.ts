/**
 * Which commits a plan covers, oldest first. The pull-request commit list stops at 250 commits, so longer
 * pull requests (and every push or merge-group range) go through the compare API, which paginates past 250.
 */
import type { Client } from './github.js';
import type { Coverage } from './coverage.js';
import { short, type PullRequestPlan } from './plan.js';

export interface CommitRef {
  sha: string;
  parents: string[];
  author: string;
  /** ISO 8601 author date. */
  date: string;
}

interface ApiCommit {
  sha: string;
  parents?: Array<{ sha: string }>;
  commit?: { author?: { name?: string; date?: string } | null };
}

/** pulls.listCommits returns at most this many commits, whatever the pagination. */
const PULL_COMMITS_LIMIT = 250;
const PER_PAGE = 100;

export async function listPullRequestCommits(
  client: Client,
  plan: PullRequestPlan,
  coverage: Coverage,
): Promise<CommitRef[]> {
  if (plan.commits === undefined || plan.commits < PULL_COMMITS_LIMIT) {
    const listed = (await client.octokit.paginate(client.octokit.rest.pulls.listCommits, {
      owner: client.owner,
      repo: client.repo,
      pull_number: plan.number,
      per_page: PER_PAGE,
    })) as ApiCommit[];
    const at = listed.findIndex((c) => c.sha === plan.head);
    // The list is the PR as it is now; the event names a head. Commits pushed since belong to the next run.
    // When the head is missing (the PR was force-pushed since) or the list hit its cap, compare instead.
    if (at >= 0 && listed.length < PULL_COMMITS_LIMIT)
      return checkCount(topoOrder(listed.slice(0, at + 1).map(toRef)), plan, coverage);
  }
  const { commits, total } = await compareCommits(client, plan.base, plan.head);
  return checkCount(commits, { ...plan, commits: Math.max(total, plan.commits ?? 0) }, coverage);
}

function checkCount(commits: CommitRef[], plan: PullRequestPlan, coverage: Coverage): CommitRef[] {
  const expected = plan.commits ?? commits.length;
  if (commits.length < expected)
    coverage.addGap(
      `${expected - commits.length} of the ${expected} commits of ${plan.label} were not returned by the API and were not scanned`,
    );
  return commits;
}

/**
 * The commits of `base...head` (reachable from head, not from the merge base), every page. Throws the
 * RequestError of the first page (404: unknown commit or no common history) for the caller's fallback.
 */
export async function compareCommits(
  client: Client,
  base: string,
  head: string,
): Promise<{ commits: CommitRef[]; total: number }> {
  const all: ApiCommit[] = [];
  const seen = new Set<string>();
  let total = 0;
  for (let page = 1; ; page++) {
    const { data } = await client.octokit.rest.repos.compareCommitsWithBasehead({
      owner: client.owner,
      repo: client.repo,
      basehead: `${base}...${head}`,
      per_page: PER_PAGE,
      page,
    });
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- a proxy or GHES answer may omit it
    const commits = (data.commits ?? []) as ApiCommit[];
    total = typeof data.total_commits === 'number' ? data.total_commits : Math.max(total, seen.size + commits.length);
    const fresh = commits.filter((c) => !seen.has(c.sha));
    for (const c of fresh) seen.add(c.sha);
    all.push(...fresh);
    // a page with nothing new ends it too: a server that ignores `page` must not make this loop forever
    if (commits.length < PER_PAGE || fresh.length === 0 || all.length >= total) break;
  }
  return { commits: topoOrder(all.map(toRef)), total };
}

/** Describes a missing part of a compare, for the coverage report. */
export function checkRangeCount(
  commits: CommitRef[],
  total: number,
  label: string,
  base: string,
  head: string,
  coverage: Coverage,
): void {
  if (commits.length < total)
    coverage.addGap(
      `${total - commits.length} of the ${total} commits of ${label} (${short(base)}...${short(head)}) were not returned by the API and were not scanned`,
    );
}

function toRef(c: ApiCommit): CommitRef {
  return {
    sha: c.sha,
    parents: (c.parents ?? []).map((p) => p.sha),
    author: c.commit?.author?.name ?? '',
    date: c.commit?.author?.date ?? '',
  };
}

/**
 * Parents before children, whatever order the API used (pages of a compare are not documented to be
 * chronological across pages); ties keep the API's order. "The commit that introduced a key" relies on it.
 */
export function topoOrder(commits: CommitRef[]): CommitRef[] {
  const index = new Map(commits.map((c, i) => [c.sha, i]));
  const children = new Map<string, string[]>();
  const waiting = new Map<string, number>();
  for (const c of commits) {
    const inside = c.parents.filter((p) => index.has(p));
    waiting.set(c.sha, inside.length);
    for (const p of inside) children.set(p, [...(children.get(p) ?? []), c.sha]);
  }
  const ready = commits.filter((c) => waiting.get(c.sha) === 0).map((c) => c.sha);
  const out: CommitRef[] = [];
  while (ready.length > 0) {
    // smallest API position first keeps the order stable
    ready.sort((a, b) => index.get(a)! - index.get(b)!);
    const sha = ready.shift()!;
    out.push(commits[index.get(sha)!]!);
    for (const child of children.get(sha) ?? []) {
      const left = waiting.get(child)! - 1;
      waiting.set(child, left);
      if (left === 0) ready.push(child);
    }
  }
  return out.length === commits.length ? out : commits; // a cycle cannot happen in git; keep the input if it did
}

/** A first push lists its whole history: past this many commits, the tree is scanned instead (a gap). */
const FIRST_PUSH_COMMITS_LIMIT = 300;

/**
 * Every commit reachable from `ref` (GET /commits?sha=, newest first), oldest first; undefined when there are
 * more than `limit` (the caller scans the tree instead and says history was not scanned).
 */
export async function listHistory(
  client: Client,
  ref: string,
  limit = FIRST_PUSH_COMMITS_LIMIT,
): Promise<CommitRef[] | undefined> {
  const all: ApiCommit[] = [];
  for (let page = 1; ; page++) {
    const { data } = await client.octokit.rest.repos.listCommits({
      owner: client.owner,
      repo: client.repo,
      sha: ref,
      per_page: PER_PAGE,
      page,
    });
    all.push(...(data as ApiCommit[]));
    if (all.length > limit) return undefined;
    if (data.length < PER_PAGE) break;
  }
  return topoOrder(all.reverse().map(toRef));
}
