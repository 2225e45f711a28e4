/**
 * Where a run's result goes: annotations and lines in the log, the pull request comment, the job summary, the
 * outputs and the SARIF file, and the step's verdict. A run that found nothing to scan, and one that could not
 * scan, publish too: a later step can rely on the outputs, and a step that could not scan never looks like one
 * that passed.
 */
import * as core from '@actions/core';
import { escapeMarkdown, printable, redact, type Finding } from '@statalog/core';
import type { ActivePlan } from './collect.js';
import type { RunContext } from './context.js';
import { describeApiError, statusOf, type Client } from './github.js';
import type { Inputs } from './inputs.js';
import { allowedLines, annotationLines, logLines } from './report/annotations.js';
import { upsertComment } from './report/comment.js';
import type { ActionReport } from './report/model.js';
import { incompleteLine, reasonLine, writeSarif } from './report/outputs.js';
import { reportMarkdown, statsLine, SUMMARY_LIMITS } from './report/summary.js';
import type { Resolved } from './resolve-findings.js';

/** Exit code for a usage or runtime error (findings exit 1 through core.setFailed). */
const EXIT_ERROR = 2;

export async function publish(
  client: Client,
  plan: ActivePlan,
  inputs: Inputs,
  ctx: RunContext,
  resolved: Resolved,
): Promise<void> {
  const { report, shown, head } = resolved;
  const { findings, incomplete } = report;
  writeLog(report, shown, inputs);
  if (inputs.comment && plan.kind === 'pull-request') {
    report.requests = client.requests();
    const outcome = await upsertComment(client, plan.number, report, head, ctx.runUrl, (m) =>
      core.warning(printable(m)),
    );
    if (outcome !== 'skipped' && outcome !== 'refused') core.info(`statalog-scan: pull request comment ${outcome}.`);
  } else if (inputs.comment) {
    core.info(`statalog-scan: comment is only posted on pull request events, not on ${printable(ctx.eventName)}.`);
  }
  report.requests = client.requests();
  await writeSummary(reportMarkdown(report, SUMMARY_LIMITS));
  core.info(`statalog-scan: ${printable(statsLine(report))}`);

  writeOutputs(inputs, ctx, shown, incomplete, report.allowed.length);
  // findings fail with 1; an incomplete scan with findings still says it is incomplete, in the summary
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
    core.info(`statalog-scan: no Statalog keys in ${printable(report.label)}.`);
  }
}

/** The log: annotations first (they carry file and line), then a plain list and what was not scanned. */
function writeLog(report: ActionReport, shown: readonly Finding[], inputs: Inputs): void {
  const { findings, allowed, coverage } = report;
  for (const line of annotationLines(shown, inputs.fail ? 'error' : 'warning')) process.stdout.write(`${line}\n`);
  if (findings.length > 0) core.info(['Statalog keys found:', ...logLines(findings)].join('\n'));
  if (allowed.length > 0) core.info(['Accepted, not reported:', ...allowedLines(allowed)].join('\n'));
  if (report.incomplete) {
    const gaps = coverage.gaps;
    core.warning(
      printable(
        `not everything was scanned (${gaps.length} ${gaps.length === 1 ? 'gap' : 'gaps'}): ${gaps
          .map((g) => g.text)
          .join('; ')
          .slice(0, 600)}. The job summary names the files.`,
      ),
    );
  }
}

/** An event with nothing to scan (a deleted branch, a push of no commits): said, and the outputs written. */
export function publishNothing(inputs: Inputs, ctx: RunContext, reason: string): void {
  core.info(`statalog-scan: ${printable(reason)}.`);
  writeOutputs(inputs, ctx, [], false);
}

/** A run that could not scan: one line (no secret in it), exit 2, and a summary and outputs that say so. */
export async function publishFailure(error: unknown, known: readonly string[]): Promise<void> {
  const message =
    statusOf(error) !== undefined ? describeApiError(error) : error instanceof Error ? error.message : String(error);
  const reason = printable(redact(message.split(/\r?\n/)[0]!, known));
  core.setFailed(`statalog-scan: ${reason}`);
  process.exitCode = EXIT_ERROR;
  await writeSummary(
    `### ❗ Could not scan: ${escapeMarkdown(reason)}\n\nNothing was judged: this is not a pass. Fix the cause above and run the check again.\n`,
  ).catch(() => {});
  if (process.env.GITHUB_OUTPUT) {
    // outside a runner there is nowhere to put them (core would print a deprecated command instead)
    core.setOutput('findings', '');
    core.setOutput('incomplete', 'true');
    core.setOutput('sarif-file', '');
  }
}

/** Outputs (and the SARIF file) — also written when there was nothing to scan, so later steps can rely on them. */
function writeOutputs(
  inputs: Inputs,
  ctx: RunContext,
  findings: readonly Finding[],
  incomplete: boolean,
  allowed = 0,
): void {
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
