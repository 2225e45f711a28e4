/** The scanner's JSON report (docs/schema/report.schema.json) and SARIF log, typed for the tests that read them. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { REPO_ROOT } from './paths.js';
import type { RunResult } from './process.js';

export interface JsonFinding {
  ruleId: string;
  file: string;
  line: number;
  column: number;
  endColumn: number;
  masked: string;
  fingerprint: string;
  message: string;
  /** A key found inside encoded content. */
  encoding?: 'base64' | 'percent';
  /** Git modes only, from here to `occurrences`. */
  commit?: string;
  author?: string;
  date?: string;
  presentAtHead?: boolean;
  occurrences?: number;
  verification?: { status: 'live' | 'revoked' } | { status: 'unknown'; reason: string };
}

export interface SkippedFile {
  file: string;
  reason: string;
  error: boolean;
}

export interface JsonReport {
  schemaVersion: number;
  findings: JsonFinding[];
  stats: {
    files: number;
    bytes: number;
    binary: number;
    skipped: number;
    durationMs: number;
    skippedFiles: SkippedFile[];
    allowed: number;
    allowedBy: { inline: number; fingerprint: number; baseline: number };
    commits?: number;
    gitMode?: 'staged' | 'range' | 'history';
    partial?: string[];
    policy?: string;
    ignoredFiles?: number;
    ignoredBy?: string[];
    incomplete?: true;
    stopped?: string;
  };
  baseline?: { baselined: number; stale: Array<{ ruleId: string; file: string; secretHash: string; masked?: string }> };
  allowed?: Array<{ how: string; ruleId: string; file: string; line: number; column: number; masked: string }>;
}

/** A JSON report from its text; the error shows the start of what was not JSON. */
export function parseReport(text: string, context = ''): JsonReport {
  try {
    return JSON.parse(text) as JsonReport;
  } catch {
    throw new Error(`not a JSON report: ${text.slice(0, 200)} ${context}`.trim());
  }
}

/** The findings of a `--format json` run. */
export function jsonFindings(result: RunResult): JsonFinding[] {
  return parseReport(result.stdout, result.stderr.slice(0, 500)).findings;
}

/** The parts of a SARIF 2.1.0 log the tests look at. */
export interface SarifLog {
  version: string;
  $schema: string;
  runs: Array<{
    tool: { driver: { rules: SarifRule[] } };
    results: SarifResult[];
    invocations?: Array<{ executionSuccessful: boolean }>;
    originalUriBaseIds?: Record<string, { uri: string }>;
    columnKind?: string;
  }>;
}

export interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string; markdown: string };
  properties: Record<string, unknown>;
}

export interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }>;
  partialFingerprints: Record<string, string>;
  properties?: Record<string, unknown>;
}

export function parseSarif(text: string): SarifLog {
  return JSON.parse(text) as SarifLog;
}

/** A validator for the published SARIF 2.1.0 schema (test/schemas). */
export function sarifValidator(): ValidateFunction {
  const path = join(REPO_ROOT, 'test/schemas/sarif-2.1.0-rtm.5.json');
  // Ajv reads the draft-04 schema once its `$schema` is dropped and `id` is given as `$id`
  const {
    $schema: _draft04,
    id,
    ...schema
  } = JSON.parse(readFileSync(path, 'utf8')) as { $schema: string; id: string };
  // unicodeRegExp off: one pattern in the published schema (the language tag) is not valid with the u flag
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, unicodeRegExp: false });
  return ajv.compile({ ...schema, $id: id });
}
