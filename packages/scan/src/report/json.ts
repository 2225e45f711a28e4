/**
 * The JSON report: a stable, documented schema (README, "Output formats"). Only these fields are written —
 * never the finding object as is — so a field added to findings later cannot leak into the output unplanned.
 */
import type { Finding } from '@statalog/core';
import type { ScanReport } from '../report-model.js';
import type { Rendered, RenderOptions } from './output.js';

const JSON_SCHEMA_VERSION = 1;

function toJsonReport(report: ScanReport): object {
  return {
    schemaVersion: JSON_SCHEMA_VERSION,
    findings: report.findings.map(toJsonFinding),
    stats: {
      files: report.stats.files,
      bytes: report.stats.bytes,
      binary: report.stats.binary,
      skipped: report.stats.skipped,
      durationMs: report.stats.durationMs,
      ...(report.stats.commits !== undefined ? { commits: report.stats.commits } : {}),
      ...(report.stats.gitMode !== undefined ? { gitMode: report.stats.gitMode } : {}),
      ...(report.stats.partial !== undefined && report.stats.partial.length > 0
        ? { partial: report.stats.partial }
        : {}),
      allowed: report.allowed?.length ?? 0,
      allowedBy: countBy(report),
      ...(report.policy !== undefined ? { policy: report.policy } : {}),
      ...(report.stats.ignoredFiles !== undefined
        ? { ignoredFiles: report.stats.ignoredFiles, ignoredBy: report.stats.ignoredBy ?? [] }
        : {}),
      ...(report.stats.stopped !== undefined ? { incomplete: true, stopped: report.stats.stopped } : {}),
      skippedFiles: report.stats.skippedFiles.map((s) => ({ file: s.file, reason: s.reason, error: s.error })),
    },
    allowed: (report.allowed ?? []).map((a) => ({
      how: a.how,
      ruleId: a.finding.ruleId,
      file: a.finding.file,
      line: a.finding.line,
      column: a.finding.column,
      masked: a.finding.masked,
      fingerprint: a.finding.fingerprint,
      ...(a.finding.commit !== undefined ? { commit: a.finding.commit } : {}),
    })),
    ...(report.baseline
      ? {
          baseline: {
            baselined: report.baseline.baselined,
            stale: report.baseline.stale.map((e) => ({
              ruleId: e.ruleId,
              file: e.file,
              secretHash: e.secretHash,
              ...(e.masked ? { masked: e.masked } : {}),
            })),
          },
        }
      : {}),
  };
}

/** `{ inline, fingerprint, baseline }`: how many findings each kind of allow accepted. */
function countBy(report: ScanReport): Record<string, number> {
  const counts = { inline: 0, fingerprint: 0, baseline: 0 };
  for (const a of report.allowed ?? []) counts[a.how]++;
  return counts;
}

function toJsonFinding(f: Finding): object {
  return {
    ruleId: f.ruleId,
    file: f.file,
    line: f.line,
    column: f.column,
    endColumn: f.endColumn,
    ...(f.encoding !== undefined ? { encoding: f.encoding } : {}),
    masked: f.masked,
    fingerprint: f.fingerprint,
    message: f.message,
    ...(f.commit !== undefined
      ? { commit: f.commit, author: f.author, date: f.date, presentAtHead: f.presentAtHead, occurrences: f.occurrences }
      : {}),
    ...(f.verification ? { verification: f.verification } : {}),
  };
}

/**
 * Pretty JSON in which `##[` is written `##\u005b` (the same string once parsed): a report printed in a
 * GitHub workflow's log cannot hold a legacy workflow command (`##[set-output …]`) taken from a file name.
 */
export function jsonText(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/##\[/g, '##\\u005b');
}

export function renderJson(report: ScanReport, _options: RenderOptions): Rendered {
  const document = toJsonReport({ ...report, findings: [] });
  return {
    stdout: jsonChunks(document, 'findings', '  ', report.findings.length, (i) => toJsonFinding(report.findings[i]!)),
    stderr: '',
  };
}

/** Findings per chunk: big enough to keep writes few, small enough that a chunk is a few hundred kilobytes. */
const FINDINGS_PER_CHUNK = 512;

/**
 * `jsonText(document)` with `count` items (made by `item(i)` as they are written) in its empty array
 * `field` (the first such field at `indent`), in chunks — byte for byte what `jsonText` gives for the whole
 * document, without ever holding it.
 */
export function* jsonChunks(
  document: object,
  field: string,
  indent: string,
  count: number,
  item: (index: number) => object,
): Generator<string> {
  const text = `${jsonText(document)}\n`;
  const marker = `\n${indent}"${field}": [],`;
  const at = text.indexOf(marker);
  const inner = `\n${indent}  `;
  if (count === 0 || at === -1) {
    yield text;
    return;
  }
  let chunk = `${text.slice(0, at)}\n${indent}"${field}": [`;
  for (let i = 0; i < count; i++) {
    chunk += `${i === 0 ? '' : ','}${inner}${jsonText(item(i)).replace(/\n/g, inner)}`;
    if ((i + 1) % FINDINGS_PER_CHUNK === 0) {
      yield chunk;
      chunk = '';
    }
  }
  yield `${chunk}\n${indent}],${text.slice(at + marker.length)}`;
}
