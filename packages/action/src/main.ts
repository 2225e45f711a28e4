/**
 * The action: read the inputs and the event, collect what the commits the event brings added (through the
 * REST API, or with local git on a full checkout: collect.ts), judge it with the policy read at the base of
 * the change (policy.ts, suppress), and report — annotations, job summary, optional PR comment and SARIF,
 * outputs. Nothing from the pull request is run: files are read as data.
 */
import * as core from '@actions/core';
import { escapeMarkdown, printable, redact, secretOf, suppress, withFields, type Finding } from '@statalog/core';
import { collect, type ActivePlan } from './collect.js';
import { readRunContext, type RunContext } from './context.js';
import { Coverage } from './coverage.js';
import { budgetFromEnv, createClient, describeApiError, statusOf, type Client } from './github.js';
import { locateAtHead } from './head-check.js';
import { readInputs, type Inputs } from './inputs.js';
import { planScan } from './plan.js';
import { reviewPolicy } from './policy.js';
import { allowedLines, annotationLines, logLines } from './report/annotations.js';
import { upsertComment } from './report/comment.js';
import type { ScanReport } from './report/model.js';
import { incompleteLine, reasonLine, writeSarif } from './report/outputs.js';
import { reportMarkdown, statsLine, SUMMARY_LIMITS } from './report/summary.js';
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
      finish(inputs, ctx, [], false);
      return;
    }
    const client = createClient({
      token: inputs.token,
      baseUrl: ctx.apiUrl,
      owner: ctx.owner,
      repo: ctx.repo,
      warn: (m) => core.warning(printable(m)),
      info: (m) => core.info(printable(m)),
      ...budgetFromEnv(env),
    });
    await scanAndReport(client, plan, inputs, ctx, known, options.verifier ?? defaultVerifier);
  } catch (error) {
    const message = statusOf(error) !== undefined ? describeApiError(error) : error instanceof Error ? error.message : String(error);
    const reason = printable(redact(message.split(/\r?\n/)[0]!, known));
    core.setFailed(`statalog-scan: ${reason}`);
    process.exitCode = EXIT_ERROR;
    // a summary and outputs on every exit: a step that could not scan must not look like one that passed
    await writeSummary(`### ❗ Could not scan: ${escapeMarkdown(reason)}\n\nNothing was judged: this is not a pass. Fix the cause above and run the check again.\n`).catch(() => {});
    if (process.env.GITHUB_OUTPUT) {
      // outside a runner there is nowhere to put them (core would print a deprecated command instead)
      core.setOutput('findings', '');
      core.setOutput('incomplete', 'true');
      core.setOutput('sarif-file', '');
    }
  }
}

async function scanAndReport(client: Client, plan: ActivePlan, inputs: Inputs, ctx: RunContext, known: string[], verifier: Verifier): Promise<void> {
  const coverage = new Coverage();
  const collected = await collect(client, plan, inputs, ctx, coverage);
  const { policy, all, touched, scans, label, head, treeScan } = collected;
  const settings = policy.settings;
  coverage.notes.push(...policy.notes);
  // Mask the secrets before anything else is printed: the runner then hides them wherever they appear. Only
  // the first MAX_MASKED distinct keys: one `::add-mask::` line per key, and a pull request planting
  // thousands would flood the log. That loses nothing — no output of this action ever prints a key (only
  // its masked form); the mask is a second line of defence, and `known` still redacts every key from errors.
  const distinct = new Set<string>();
  for (const f of all) distinct.add(secretOf(f)!);
  let masked = 0;
  for (const secret of distinct) {
    if (masked++ < MAX_MASKED) core.setSecret(secret);
    known.push(secret);
  }
  const suppressed = suppress(all, {
    config: settings.config,
    configDir: settings.configDir,
    cwd: '',
    ...(settings.baseline ? { baseline: settings.baseline } : {}),
    // a tree scan read every file, so an entry that matched nothing is stale; added lines cannot tell
    inScope: () => treeScan,
  });
  let findings = suppressed.findings;
  const policyFile = (path: string | undefined): boolean => path !== undefined && touched.has(path);
  const { effects: policyEffects, warnings: fingerprintWarnings } = await reviewPolicy(client, inputs, policy, {
    label,
    head,
    whose: plan.kind === 'pull-request' ? "this PR's" : "this change's",
    treeScan,
    touched,
    all,
    suppressed,
    coverage,
  });
  for (const effect of policyEffects) core.warning(printable(`${effect} — not applied: the ${policy.description}`));
  for (const warning of fingerprintWarnings) core.warning(printable(warning));

  if (inputs.verify && findings.length > 0) {
    // Keys go only to hosts the workflow's owner named: a config the scanned commits change is their
    // content, so its selfHostedHosts must not decide where keys are sent (only the api-url input then).
    // With the policy read at the base, the hosts are the base's: the change did not write them.
    const configChanged = policy.from !== 'base' && policyFile(inputs.config);
    if (configChanged && settings.config.selfHostedHosts.length > 0)
      coverage.notes.push(`verify: the selfHostedHosts of ${inputs.config} were not used, since ${label} changes that file; name the self-hosted API with the api-url input`);
    const selfHostedHosts = configChanged ? [] : settings.config.selfHostedHosts;
    findings = await verifier(findings, { selfHostedHosts, limit: inputs.verifyLimit, ...(inputs.apiUrl !== undefined ? { apiUrl: inputs.apiUrl } : {}) });
  }

  // where reviewers look: annotations and SARIF show a key still at head at its head path and line
  let shown = findings;
  if (findings.length > 0 && treeScan) findings = shown = findings.map((f) => withFields(f, { presentAtHead: true }));
  else if (findings.length > 0) ({ findings, shown } = await locateAtHead(client, head, findings, scans, { selfHostedHosts: settings.config.selfHostedHosts }));
  const incomplete = coverage.gaps.length > 0;
  const report: ScanReport = {
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
    incomplete,
    allowIncomplete: inputs.allowIncomplete,
    policy: policy.description,
    policyEffects,
    fingerprintWarnings,
    earlier: [],
  };

  // the log: annotations first (they carry file and line), then a plain list and what was not scanned
  for (const line of annotationLines(shown, inputs.fail ? 'error' : 'warning')) process.stdout.write(`${line}\n`);
  if (findings.length > 0) core.info(['Statalog keys found:', ...logLines(findings)].join('\n'));
  if (suppressed.allowed.length > 0) core.info(['Accepted, not reported:', ...allowedLines(suppressed.allowed)].join('\n'));
  if (incomplete) {
    core.warning(printable(`not everything was scanned (${coverage.gaps.length} ${coverage.gaps.length === 1 ? 'gap' : 'gaps'}): ${coverage.gaps.map((g) => g.text).join('; ').slice(0, 600)}. The job summary names the files.`));
  }

  if (inputs.comment && plan.kind === 'pull-request') {
    report.requests = client.requests();
    const outcome = await upsertComment(client, plan.number, report, head, ctx.runUrl, (m) => core.warning(printable(m)));
    if (outcome !== 'skipped' && outcome !== 'refused') core.info(`statalog-scan: pull request comment ${outcome}.`);
  } else if (inputs.comment) {
    core.info(`statalog-scan: comment is only posted on pull request events, not on ${printable(ctx.eventName)}.`);
  }
  report.requests = client.requests();
  await writeSummary(reportMarkdown(report, SUMMARY_LIMITS));
  core.info(`statalog-scan: ${printable(statsLine(report))}`);

  finish(inputs, ctx, shown, incomplete, suppressed.allowed.length);
  if (findings.length > 0) {
    if (inputs.fail) core.setFailed(reasonLine(report));
    else core.warning(reasonLine(report));
  } else if (incomplete && !inputs.allowIncomplete) {
    // fail closed: "could not look" is never "clean"
    core.error(printable(incompleteLine(report)));
    process.exitCode = EXIT_ERROR;
  } else if (incomplete) {
    core.warning(printable(`${incompleteLine(report)} (allow-incomplete: true, so the step passes)`));
  } else {
    core.info(`statalog-scan: no Statalog keys in ${printable(label)}.`);
  }
  // findings fail with 1; an incomplete scan with findings still says it is incomplete, in the summary
}

/** Outputs (and the SARIF file) — also written when there was nothing to scan, so later steps can rely on them. */
function finish(inputs: Inputs, ctx: RunContext, findings: readonly Finding[], incomplete: boolean, allowed = 0): void {
  core.setOutput('findings', String(findings.length));
  core.setOutput('incomplete', String(incomplete));
  core.setOutput('allowed', String(allowed));
  let sarif = '';
  if (inputs.sarifFile !== undefined) sarif = writeSarif(inputs.sarifFile, ctx.workspace, findings);
  core.setOutput('sarif-file', sarif);
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
