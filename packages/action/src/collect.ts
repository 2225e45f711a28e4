/**
 * Collecting the findings of a change, before any policy is applied: through the REST API (the default, no
 * checkout needed) or with local git when the workspace holds a full checkout of the range. Either way the
 * policy is loaded from where policy-from says, once the commits are known.
 */
import { join } from 'node:path';
import * as core from '@actions/core';
import { compareFindings, printable, withFields, type Finding } from '@statalog/core';
import { localRangeAvailable, scanLocalRange } from '@statalog/scan';
import { aggregate, type CommitHits } from './aggregate.js';
import { checkRangeCount, compareCommits, listHistory, listPullRequestCommits, type CommitRef } from './commits.js';
import type { RunContext } from './context.js';
import type { Coverage } from './coverage.js';
import { describeApiError, statusOf, type Client } from './github.js';
import { createPathFilter } from './ignore-filter.js';
import type { Inputs } from './inputs.js';
import { isSha, short, type ScanPlan } from './plan.js';
import { loadPolicy, type Policy } from './policy.js';
import { Scanner } from './scanner.js';

export type ActivePlan = Exclude<ScanPlan, { kind: 'nothing' }>;

/** The local path when it can run, else the API path. */
export async function collect(
  client: Client,
  plan: ActivePlan,
  inputs: Inputs,
  ctx: RunContext,
  coverage: Coverage,
): Promise<Collected> {
  return (
    (await scanLocally(client, plan, inputs, ctx, coverage)) ?? (await scanThroughApi(client, plan, inputs, coverage))
  );
}

export interface Collected {
  policy: Policy;
  /** Every finding, before the policy: sorted, one per rule + file + secret. */
  all: Finding[];
  /** Paths the scanned commits added or changed. */
  touched: ReadonlySet<string>;
  /** Per-commit hits and renames, oldest first, for following a finding's file to head (no hits on the local path). */
  scans: CommitHits[];
  label: string;
  head: string;
  treeScan: boolean;
}

/** The default path: commits (or the tree) listed and read through the REST API. */
async function scanThroughApi(
  client: Client,
  plan: ActivePlan,
  inputs: Inputs,
  coverage: Coverage,
): Promise<Collected> {
  const target = await resolveTarget(client, plan, coverage);
  const policy = await loadPolicy(client, inputs, target.base, target.head);
  const { files } = policy;
  const scanner = new Scanner(
    client,
    { selfHostedHosts: files.config.selfHostedHosts },
    createPathFilter(files.config.ignorePaths, files.configDir),
    coverage,
  );
  const scans = target.kind === 'tree' ? await scanner.scanTree(target.ref) : await scanner.scanCommits(target.commits);
  coverage.via = 'the GitHub API';
  return {
    policy,
    all: aggregate(scans),
    touched: scanner.touched,
    scans,
    label: target.label,
    head: target.head,
    treeScan: target.kind === 'tree',
  };
}

/**
 * The fast path: when the workspace holds a full checkout with both ends of the range (actions/checkout
 * with fetch-depth: 0), the commits are scanned with local git — no API budget, no file limits. Git only
 * reads the object database (no hooks, filters, textconv or diff drivers run); nothing is spawned unless
 * the workspace has a .git. Anything else, or any failure, and the API path runs instead.
 */
async function scanLocally(
  client: Client,
  plan: ActivePlan,
  inputs: Inputs,
  ctx: RunContext,
  coverage: Coverage,
): Promise<Collected | undefined> {
  if (plan.kind === 'tree' || !isSha(plan.base)) return undefined;
  const { base, head } = plan;
  if (!(await localRangeAvailable(ctx.workspace, base, head).catch(() => false))) return undefined;
  const policy = await loadPolicy(client, inputs, base, head);
  const { files } = policy;
  try {
    const scanSettings = { config: files.config, configDir: join(ctx.workspace, files.configDir), cwd: ctx.workspace };
    const local = await scanLocalRange(
      ctx.workspace,
      base,
      head,
      scanSettings,
      { selfHostedHosts: files.config.selfHostedHosts, includeExamples: false },
      (m) => core.warning(printable(m)),
    );
    const { stats } = local.result;
    coverage.commits = stats.commits ?? 0;
    coverage.wholeFiles = stats.files;
    // what git could not read is a gap here as on the API path: fail closed
    const unread = stats.skippedFiles.filter((f) => f.error);
    if (unread.length > 0)
      coverage.addGap(
        'local git could not read these files, so they were not scanned',
        unread.map((f) => `${f.file} (${f.reason})`),
      );
    for (const part of stats.partial ?? []) coverage.addGap(`local git: ${part}`);
    coverage.via = "local git (the workspace's checkout)";
    const all = local.result.findings.map((f) => withFields(f, { presentAtHead: undefined })).sort(compareFindings);
    const scans: CommitHits[] = local.commits.map((c) => ({
      commit: { sha: c.sha, parents: [], author: '', date: '' },
      hits: [],
      renames: c.renames,
    }));
    return { policy, all, touched: local.touched, scans, label: plan.label, head, treeScan: false };
  } catch (error) {
    coverage.notes.push(
      `the workspace's checkout could not be scanned with git (${printable(error instanceof Error ? error.message.split(/\r?\n/)[0]! : String(error))}); scanned through the GitHub API instead`,
    );
    return undefined;
  }
}

type Target =
  | { kind: 'commits'; commits: CommitRef[]; base: string | undefined; head: string; label: string }
  | { kind: 'tree'; ref: string; base: undefined; head: string; label: string };

/** The commits (or the tree) a plan covers, after any fallback: listed before the policy is read. */
async function resolveTarget(client: Client, plan: ActivePlan, coverage: Coverage): Promise<Target> {
  switch (plan.kind) {
    case 'pull-request': {
      const commits = await listPullRequestCommits(client, plan, coverage);
      return { kind: 'commits', commits, base: plan.base, head: plan.head, label: plan.label };
    }
    case 'range': {
      let listed;
      try {
        listed = await compareCommits(client, plan.base, plan.head);
      } catch (error) {
        const status = statusOf(error);
        if (!plan.fallback || (status !== 404 && status !== 422)) throw error;
        coverage.notes.push(
          `${short(plan.base)}...${short(plan.head)} could not be compared (${describeApiError(error)}); scanned ${plan.fallback.label} instead`,
        );
        return resolveTarget(client, plan.fallback, coverage);
      }
      checkRangeCount(listed.commits, listed.total, plan.label, plan.base, plan.head, coverage);
      if (listed.commits.length === 0)
        coverage.notes.push(`${plan.label}: no commits that are not already on ${short(plan.base)}`);
      return { kind: 'commits', commits: listed.commits, base: plan.base, head: plan.head, label: plan.label };
    }
    case 'tree': {
      if (plan.history) {
        // a first push: its history is the change; scanned commit by commit when it is short enough
        const commits = await listHistory(client, plan.ref);
        if (commits) return { kind: 'commits', commits, base: undefined, head: plan.ref, label: plan.history.label };
      }
      if (plan.note) coverage.addGap(plan.note);
      return { kind: 'tree', ref: plan.ref, base: undefined, head: plan.ref, label: plan.label };
    }
  }
}
