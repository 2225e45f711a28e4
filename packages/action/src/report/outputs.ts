/** The SARIF file (for github/codeql-action/upload-sarif) and the reason line the step fails with. */
import { mkdirSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { printable, toSarif, type Finding } from '@statalog/core';
import { checkReportPath, replaceFile } from '@statalog/scan';
import { ACTION_VERSION } from '../version.js';
import { plural, type ActionReport } from './model.js';

/**
 * Writes SARIF 2.1.0 (masked keys only, as toSarif guarantees); returns the absolute path written. The
 * workspace may hold a checkout of the pull request: a symbolic link at the path, or a linked directory on
 * the way to it, is refused (exit 2) instead of being written through, outside the checkout.
 */
export function writeSarif(path: string, workspace: string, findings: readonly Finding[]): string {
  const absolute = resolve(workspace, path);
  const shown = relative(workspace, absolute) || path;
  const text = `${JSON.stringify(toSarif(findings, { toolName: 'statalog-key-guard', version: ACTION_VERSION }), null, 2)}\n`;
  // checked before mkdir, which would follow a linked directory
  checkReportPath(absolute, { shown, within: workspace });
  mkdirSync(dirname(absolute), { recursive: true });
  replaceFile(absolute, text, { shown, within: workspace });
  return absolute;
}

/** The one line the step fails (or warns) with. */
export function reasonLine(report: ActionReport): string {
  const n = report.findings.length;
  const atHead = report.findings.filter((f) => f.presentAtHead === true).length;
  const gone = report.findings.filter((f) => f.presentAtHead === false).length;
  const detail = gone > 0 ? ` (${atHead} still at head, ${gone} only in history)` : '';
  return printable(
    `${plural(n, 'Statalog API key')} in ${report.label}${detail}: revoke ${n === 1 ? 'it' : 'them'} — a key removed by a later commit is still in the git history. The job summary lists ${n === 1 ? 'it' : 'them'} and says what to do.`,
  );
}

/** The one line an incomplete scan without findings ends with. */
export function incompleteLine(report: ActionReport): string {
  const gaps = report.coverage.gaps;
  return printable(
    `Not everything in ${report.label} was scanned (${plural(gaps.length, 'gap')}: ${gaps
      .map((g) => g.text)
      .join('; ')
      .slice(
        0,
        300,
      )}), so finding no key in what was read does not mean there is none: the job summary lists what and why. Set allow-incomplete: true to accept this.`,
  );
}
