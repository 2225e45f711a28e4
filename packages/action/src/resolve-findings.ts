/**
 * From what the commits added to what is reported: the secrets masked in the log before anything is printed,
 * the policy applied (inline allows, allowedFingerprints, the baseline), what the change's own edits to the
 * policy would do, `verify`, and where each finding is at head.
 */
import * as core from '@actions/core';
import { printable, secretOf, suppress, withFields, type Finding, type Suppressed } from '@statalog/core';
import type { ActivePlan, Collected } from './collect.js';
import type { RunContext } from './context.js';
import type { Coverage } from './coverage.js';
import type { Client } from './github.js';
import { locateAtHead } from './head-check.js';
import type { Inputs } from './inputs.js';
import { reviewPolicy, type Policy, type PolicyReview } from './policy.js';
import type { ActionReport } from './report/model.js';
import type { Verifier } from './verification.js';

/** At most this many `::add-mask::` lines (see maskSecrets). */
const MAX_MASKED = 100;

export interface Resolved {
  report: ActionReport;
  /**
   * The findings as annotations and SARIF show them, where reviewers look: a key still at head at its head
   * path and line.
   */
  shown: Finding[];
  /** The head commit of what was scanned. */
  head: string;
}

export interface ResolveOptions {
  verifier: Verifier;
  /** Secrets to redact from any error message: every key found is added. */
  known: string[];
}

export async function resolveFindings(
  client: Client,
  plan: ActivePlan,
  inputs: Inputs,
  ctx: RunContext,
  collected: Collected,
  coverage: Coverage,
  options: ResolveOptions,
): Promise<Resolved> {
  const { policy, all, scans, label, head, treeScan } = collected;
  coverage.notes.push(...policy.notes);
  maskSecrets(all, options.known);
  const { suppressed, review } = await applyPolicy(client, plan, inputs, collected, coverage);
  let findings = suppressed.findings;
  if (inputs.verify && findings.length > 0)
    findings = await verify(findings, inputs, policy, collected, coverage, options.verifier);
  let shown = findings;
  if (findings.length > 0 && treeScan) findings = shown = findings.map((f) => withFields(f, { presentAtHead: true }));
  else if (findings.length > 0)
    ({ findings, shown } = await locateAtHead(client, head, findings, scans, {
      selfHostedHosts: policy.files.config.selfHostedHosts,
    }));
  const report: ActionReport = {
    label,
    findings,
    allowed: suppressed.allowed,
    baselined: suppressed.baselined,
    stale: suppressed.stale,
    coverage,
    requests: 0,
    repoUrl: repoUrl(ctx),
    configFile: inputs.config,
    failing: inputs.fail,
    incomplete: coverage.gaps.length > 0,
    allowIncomplete: inputs.allowIncomplete,
    policy: policy.description,
    policyEffects: review.effects,
    fingerprintWarnings: review.warnings,
    earlier: [],
  };
  return { report, shown, head };
}

/**
 * The config, the baseline and inline allows, read where the policy says; and what the change's own edits to
 * them would do (warned about, never applied).
 */
async function applyPolicy(
  client: Client,
  plan: ActivePlan,
  inputs: Inputs,
  collected: Collected,
  coverage: Coverage,
): Promise<{ suppressed: Suppressed; review: PolicyReview }> {
  const { policy, all, touched, label, head, treeScan } = collected;
  const { config, configDir, baseline } = policy.files;
  const suppressed = suppress(all, {
    config,
    configDir,
    cwd: '',
    ...(baseline ? { baseline } : {}),
    // a tree scan read every file, so an entry that matched nothing is stale; added lines cannot tell
    inScope: () => treeScan,
  });
  const whose = plan.kind === 'pull-request' ? "this PR's" : "this change's";
  const review = await reviewPolicy(client, inputs, policy, {
    label,
    head,
    whose,
    treeScan,
    touched,
    all,
    suppressed,
    coverage,
  });
  for (const effect of review.effects) core.warning(printable(`${effect} — not applied: the ${policy.description}`));
  for (const warning of review.warnings) core.warning(printable(warning));
  return { suppressed, review };
}

/**
 * The runner hides a masked secret wherever it appears. Only the first MAX_MASKED distinct keys: one
 * `::add-mask::` line per key, and a pull request planting thousands would flood the log. That loses nothing
 * — no output of this action ever prints a key (only its masked form); the mask is a second line of defence,
 * and `known` still redacts every key from errors.
 */
function maskSecrets(findings: readonly Finding[], known: string[]): void {
  const distinct = new Set<string>();
  for (const f of findings) distinct.add(secretOf(f)!);
  let masked = 0;
  for (const secret of distinct) {
    if (masked++ < MAX_MASKED) core.setSecret(secret);
    known.push(secret);
  }
}

/**
 * Keys go only to hosts the workflow's owner named: a config the scanned commits change is their content, so
 * its selfHostedHosts must not decide where keys are sent (only the api-url input then). With the policy read
 * at the base, the hosts are the base's: the change did not write them.
 */
async function verify(
  findings: Finding[],
  inputs: Inputs,
  policy: Policy,
  collected: Collected,
  coverage: Coverage,
  verifier: Verifier,
): Promise<Finding[]> {
  const { config } = policy.files;
  const configChanged = policy.from !== 'base' && collected.touched.has(inputs.config);
  if (configChanged && config.selfHostedHosts.length > 0)
    coverage.notes.push(
      `verify: the selfHostedHosts of ${inputs.config} were not used, since ${collected.label} changes that file; name the self-hosted API with the api-url input`,
    );
  const selfHostedHosts = configChanged ? [] : config.selfHostedHosts;
  return verifier(findings, {
    selfHostedHosts,
    limit: inputs.verifyLimit,
    ...(inputs.apiUrl !== undefined ? { apiUrl: inputs.apiUrl } : {}),
  });
}

function repoUrl(ctx: RunContext): string | undefined {
  try {
    const url = new URL(`${ctx.serverUrl}/${ctx.owner}/${ctx.repo}`);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href.replace(/\/+$/, '') : undefined;
  } catch {
    return undefined;
  }
}
