/**
 * GitHub Actions workflow commands. Only `::error`/`::warning` commands go to stdout — built by core's
 * `workflowCommand`, whose escaping keeps a file name or message from starting a command of its own — and
 * the human summary goes to stderr.
 */
import { printable, RULES, workflowCommand } from '@statalog/core';
import type { ScanReport } from '../report-model.js';
import { lineChunks, type Rendered, type RenderOptions } from './output.js';
import { describeBaseline, describeFindings, describeScope } from './summary.js';

export function renderGithub(report: ScanReport, options: RenderOptions): Rendered {
  const out: string[] = [];
  for (const f of report.findings) {
    const labels = [f.encoding, f.verification?.status === 'live' ? 'live' : undefined].filter(Boolean);
    const title = labels.length > 0 ? `${RULES[f.ruleId].title} (${labels.join(', ')})` : RULES[f.ruleId].title;
    out.push(
      workflowCommand('error', { file: f.file, line: f.line, col: f.column, endColumn: f.endColumn, title }, f.message),
    );
  }
  for (const e of report.baseline?.stale ?? []) {
    out.push(
      workflowCommand(
        'warning',
        { file: e.file, title: 'Stale baseline entry' },
        // `masked` is read from the baseline file as written: its control characters (ESC…) are shown, not sent
        `The baseline accepts a ${e.ruleId} finding ${printable(e.masked ?? e.secretHash)} in this file that no longer exists; remove the entry from the baseline.`,
      ),
    );
  }
  let stderr = '';
  if (!options.quiet) {
    const head = report.findings.length > 0 ? describeFindings(report) : 'No Statalog keys found';
    const baseline = describeBaseline(report);
    stderr = `statalog-scan: ${head} (${describeScope(report)}) in ${report.stats.durationMs} ms${baseline ? `; ${baseline}` : ''}\n`;
  }
  return { stdout: lineChunks(out), stderr };
}
