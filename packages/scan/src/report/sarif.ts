/**
 * SARIF 2.1.0 for GitHub code scanning: core's `toSarif` plus an `invocations` entry that says whether the
 * scan could read everything (files that could not be read become tool execution notifications).
 */
import { toArtifactUri, toSarif } from '@statalog/core';
import type { ScanReport } from '../report-model.js';
import type { Rendered, RenderOptions } from './output.js';
import { jsonChunks } from './json.js';

export function renderSarif(report: ScanReport, options: RenderOptions): Rendered {
  const log = toSarif(report.findings, { version: options.version }) as { runs: Array<Record<string, unknown>> };
  const unreadable = report.stats.skippedFiles.filter((s) => s.error);
  log.runs[0]!.invocations = [
    {
      executionSuccessful: unreadable.length === 0,
      toolExecutionNotifications: unreadable.map((s) => ({
        level: 'error',
        message: { text: `Could not be read: ${s.reason}` },
        locations: [{ physicalLocation: { artifactLocation: { uri: toArtifactUri(s.file), uriBaseId: '%SRCROOT%' } } }],
      })),
    },
  ];
  const stale = report.baseline?.stale ?? [];
  const stderr =
    stale.length > 0
      ? `statalog-scan: ${stale.length} baseline ${stale.length === 1 ? 'entry no longer matches' : 'entries no longer match'} anything; run with --format text to list them\n`
      : '';
  // results are written in chunks (a million findings make more SARIF than one string can hold)
  const results = log.runs[0]!.results as unknown[];
  log.runs[0]!.results = [];
  return { stdout: jsonChunks(log, 'results', '      ', results.length, (i) => results[i] as object), stderr };
}
