/**
 * The action: read the inputs and the event, list the commits the event brings through the REST API, scan
 * what each commit added, and report — annotations, job summary, optional PR comment and SARIF, outputs.
 * Nothing from the pull request is checked out or run: files are read through the API as data.
 */
import * as core from '@actions/core';
import { applyBaseline, isAllowedByConfig, printable, redact, secretOf, withFields, type Finding } from '@statalog/core';
import { aggregate, type CommitHits } from './aggregate.js';
import { checkRangeCount, compareCommits, listPullRequestCommits } from './commits.js';
import { readRunContext, type RunContext } from './context.js';
import { Coverage } from './coverage.js';
import { createClient, describeApiError, retryBaseFromEnv, statusOf, type Client } from './github.js';
import { markPresentAtHead } from './head-check.js';
import { createPathFilter } from './ignore-filter.js';
import { readInputs, type Inputs } from './inputs.js';
import { planScan, short, type ScanPlan } from './plan.js';
import { annotationLines, logLines } from './report/annotations.js';
import { commentBody, upsertComment } from './report/comment.js';
import type { ScanReport } from './report/model.js';
import { reasonLine, writeSarif } from './report/outputs.js';
import { reportMarkdown, statsLine, SUMMARY_LIMITS } from './report/summary.js';
import { loadSettings } from './repo-files.js';
import { Scanner } from './scanner.js';
import { verifier as defaultVerifier, type Verifier } from './verification.js';

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  /** Live-key verification, when wired (see verification.ts). */
  verifier?: Verifier;
}

/** At most this many `::add-mask::` lines (see scanAndReport). */
const MAX_MASKED = 100;

/** Exit code for a usage or runtime error (findings exit 1 through core.setFailed). */
const EXIT_ERROR = 2;

export async function run(options: RunOptions = {}): Promise<void> {
  const env = options.env ?? process.env;
  const known: string[] = [];
  try {
    const inputs = readInputs((name) => core.getInput(name));
    known.push(inputs.token);
    const ctx = readRunContext(env);
    const plan = planScan({ eventName: ctx.eventName, payload: ctx.payload, sha: ctx.sha, ref: ctx.ref, repository: `${ctx.owner}/${ctx.repo}` });
    if (plan.kind === 'nothing') {
      core.info(`statalog-scan: ${printable(plan.reason)}.`);
      finish(inputs, ctx, []);
      return;
    }
    const client = createClient({
      token: inputs.token,
      baseUrl: ctx.apiUrl,
      owner: ctx.owner,
      repo: ctx.repo,
      warn: (m) => core.warning(printable(m)),
      retryBaseMs: retryBaseFromEnv(env),
    });
    await scanAndReport(client, plan, inputs, ctx, known, options.verifier ?? defaultVerifier);
  } catch (error) {
    const message = statusOf(error) !== undefined ? describeApiError(error) : error instanceof Error ? error.message : String(error);
    core.setFailed(`statalog-scan: ${printable(redact(message.split(/\r?\n/)[0]!, known))}`);
    process.exitCode = EXIT_ERROR;
  }
}

async function scanAndReport(client: Client, plan: Exclude<ScanPlan, { kind: 'nothing' }>, inputs: Inputs, ctx: RunContext, known: string[], verifier: Verifier | undefined): Promise<void> {
  const head = plan.kind === 'tree' ? plan.ref : plan.head;
  const settings = await loadSettings(client, head, inputs);
  const coverage = new Coverage();
  const scanner = new Scanner(client, { selfHostedHosts: settings.config.selfHostedHosts }, createPathFilter(settings.config.ignorePaths, settings.configDir), coverage);
  const { scans, label } = await collect(client, scanner, plan, coverage);

  let findings = aggregate(scans);
  // Mask the secrets before anything else is printed: the runner then hides them wherever they appear. Only
  // the first MAX_MASKED distinct keys: one `::add-mask::` line per key, and a pull request planting
  // thousands would flood the log. That loses nothing — no output of this action ever prints a key (only
  // its masked form); the mask is a second line of defence, and `known` still redacts every key from errors.
  const distinct = new Set<string>();
  for (const f of findings) distinct.add(secretOf(f)!);
  let masked = 0;
  for (const secret of distinct) {
    if (masked++ < MAX_MASKED) core.setSecret(secret);
    known.push(secret);
  }
  const allowedCount = findings.filter((f) => isAllowedByConfig(settings.config, f)).length;
  findings = findings.filter((f) => !isAllowedByConfig(settings.config, f));
  let baselined = 0;
  if (settings.baseline) {
    const applied = applyBaseline(findings, settings.baseline);
    findings = applied.fresh;
    baselined = applied.baselined;
  }
  if (findings.length > 0)
    findings = plan.kind === 'tree' ? findings.map((f) => withFields(f, { presentAtHead: true })) : await markPresentAtHead(client, head, findings, scans);
  if (inputs.verify && findings.length > 0) {
    // Keys go only to hosts the workflow's owner named: a config the scanned commits change is their
    // content, so its selfHostedHosts must not decide where keys are sent (only the api-url input then).
    const configChanged = scanner.touched.has(inputs.config);
    if (configChanged && settings.config.selfHostedHosts.length > 0)
      coverage.notes.push(`verify: the selfHostedHosts of ${inputs.config} were not used, since ${label} changes that file; name the self-hosted API with the api-url input`);
    const selfHostedHosts = configChanged ? [] : settings.config.selfHostedHosts;
    if (verifier) findings = await verifier(findings, { selfHostedHosts, limit: inputs.verifyLimit, ...(inputs.apiUrl !== undefined ? { apiUrl: inputs.apiUrl } : {}) });
    else core.warning('verify: live-key verification is not available in this version of the action; the findings are reported unverified.');
  }

  for (const path of [inputs.config, inputs.baseline]) {
    if (path !== undefined && scanner.touched.has(path)) {
      const note = `${label} changes ${path}, and this scan used that changed version: review the change, since a config or baseline can hide findings`;
      coverage.notes.push(note);
      core.warning(printable(note));
    }
  }

  const report: ScanReport = {
    label,
    findings,
    allowed: allowedCount,
    baselined,
    coverage,
    requests: 0,
    repoUrl: repoUrl(ctx),
    configFile: inputs.config,
    failing: inputs.fail,
  };

  // the log: annotations first (they carry file and line), then a plain list and what was not scanned
  for (const line of annotationLines(findings, inputs.fail ? 'error' : 'warning')) process.stdout.write(`${line}\n`);
  if (findings.length > 0) core.info(['Statalog keys found:', ...logLines(findings)].join('\n'));
  if (coverage.gaps.length > 0) {
    core.warning(printable(`not everything was scanned (${coverage.gaps.length} ${coverage.gaps.length === 1 ? 'gap' : 'gaps'}): ${coverage.gaps.map((g) => g.text).join('; ').slice(0, 600)}. The job summary names the files.`));
  }

  if (inputs.comment && plan.kind === 'pull-request') {
    report.requests = client.requests();
    const outcome = await upsertComment(client, plan.number, commentBody(report, head, ctx.runUrl), findings.length > 0, (m) => core.warning(printable(m)));
    if (outcome !== 'skipped' && outcome !== 'refused') core.info(`statalog-scan: pull request comment ${outcome}.`);
  } else if (inputs.comment) {
    core.info(`statalog-scan: comment is only posted on pull request events, not on ${printable(ctx.eventName)}.`);
  }
  report.requests = client.requests();
  await writeSummary(reportMarkdown(report, SUMMARY_LIMITS));
  core.info(`statalog-scan: ${printable(statsLine(report))}`);

  finish(inputs, ctx, findings);
  if (findings.length === 0) {
    core.info(`statalog-scan: no Statalog keys in ${printable(label)}.`);
  } else if (inputs.fail) {
    core.setFailed(reasonLine(report));
  } else {
    core.warning(reasonLine(report));
  }
}

/** Outputs (and the SARIF file) — also written when there was nothing to scan, so later steps can rely on them. */
function finish(inputs: Inputs, ctx: RunContext, findings: readonly Finding[]): void {
  core.setOutput('findings', String(findings.length));
  let sarif = '';
  if (inputs.sarifFile !== undefined) sarif = writeSarif(inputs.sarifFile, ctx.workspace, findings);
  core.setOutput('sarif-file', sarif);
}

interface Collected {
  scans: CommitHits[];
  /** The label of the plan actually carried out (a fallback has its own). */
  label: string;
}

async function collect(client: Client, scanner: Scanner, plan: Exclude<ScanPlan, { kind: 'nothing' }>, coverage: Coverage): Promise<Collected> {
  switch (plan.kind) {
    case 'pull-request': {
      const commits = await listPullRequestCommits(client, plan, coverage);
      return { scans: await scanner.scanCommits(commits), label: plan.label };
    }
    case 'range': {
      let listed;
      try {
        listed = await compareCommits(client, plan.base, plan.head);
      } catch (error) {
        const status = statusOf(error);
        if (!plan.fallback || (status !== 404 && status !== 422)) throw error;
        coverage.notes.push(`${short(plan.base)}...${short(plan.head)} could not be compared (${describeApiError(error)}); scanned ${plan.fallback.label} instead`);
        return collect(client, scanner, plan.fallback, coverage);
      }
      checkRangeCount(listed.commits, listed.total, plan.label, plan.base, plan.head, coverage);
      if (listed.commits.length === 0) coverage.notes.push(`${plan.label}: no commits that are not already on ${short(plan.base)}`);
      return { scans: await scanner.scanCommits(listed.commits), label: plan.label };
    }
    case 'tree':
      if (plan.note) coverage.addGap(plan.note);
      return { scans: await scanner.scanTree(plan.ref), label: plan.label };
  }
}

async function writeSummary(markdown: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return; // a local run has no summary file
  await core.summary.addRaw(markdown, true).write();
}

function repoUrl(ctx: RunContext): string | undefined {
  try {
    const url = new URL(`${ctx.serverUrl}/${ctx.owner}/${ctx.repo}`);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href.replace(/\/+$/, '') : undefined;
  } catch {
    return undefined;
  }
}
