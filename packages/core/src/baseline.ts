import type { Finding } from './finding.js';
import { describeType, parseJsonFile } from './json-file.js';
import { UserFileError } from './user-error.js';
import { RULE_IDS, type RuleId } from './rules.js';

/**
 * A baseline records accepted findings by rule + path + secret hash — never line or commit — so entries
 * survive edits, rebases and squashes, while a different secret on the same line is still new.
 */
export interface BaselineEntry {
  ruleId: RuleId;
  file: string;
  secretHash: string;
  /** For the humans who review the file; not used for matching. */
  masked?: string;
}

export interface Baseline {
  version: 1;
  entries: BaselineEntry[];
}

export function createBaseline(findings: readonly Finding[]): Baseline {
  const seen = new Set<string>();
  const entries: BaselineEntry[] = [];
  for (const f of findings) {
    const key = entryKey(f);
    if (seen.has(key)) continue;
    seen.add(key);
    entries.push({ ruleId: f.ruleId, file: f.file, secretHash: f.secretHash, masked: f.masked });
  }
  entries.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : entryKey(a) < entryKey(b) ? -1 : 1));
  return { version: 1, entries };
}

export function serializeBaseline(baseline: Baseline): string {
  return `${JSON.stringify(baseline, null, 2)}\n`;
}

export function parseBaseline(file: string, text: string): Baseline {
  const raw = parseJsonFile(file, text);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw new UserFileError(file, `must hold a baseline object, not ${describeType(raw)}`);
  const obj = raw as Record<string, unknown>;
  if (obj.version !== 1) throw new UserFileError(file, 'is not a statalog-scan baseline (expected "version": 1)');
  if (!Array.isArray(obj.entries))
    throw new UserFileError(file, `"entries" must be an array, not ${describeType(obj.entries)}`);
  const entries = obj.entries.map((e: unknown, i: number): BaselineEntry => {
    const entry = e as Record<string, unknown> | null;
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry))
      throw new UserFileError(file, `entries[${i}] must be an object, not ${describeType(e)}`);
    if (typeof entry.ruleId !== 'string' || !RULE_IDS.includes(entry.ruleId as RuleId))
      throw new UserFileError(file, `entries[${i}].ruleId must be one of ${RULE_IDS.join(', ')}`);
    if (typeof entry.file !== 'string' || entry.file === '')
      throw new UserFileError(file, `entries[${i}].file must be a non-empty string`);
    if (typeof entry.secretHash !== 'string' || !/^[0-9a-f]{16}$/.test(entry.secretHash))
      throw new UserFileError(file, `entries[${i}].secretHash must be 16 hex characters`);
    return {
      ruleId: entry.ruleId as RuleId,
      file: entry.file,
      secretHash: entry.secretHash,
      ...(typeof entry.masked === 'string' ? { masked: entry.masked } : {}),
    };
  });
  return { version: 1, entries };
}

export interface BaselineResult {
  /** Findings the baseline does not cover. */
  fresh: Finding[];
  /** How many findings it covered. */
  baselined: number;
  /** Entries that matched nothing: the secret is gone, the entry can be pruned. */
  stale: BaselineEntry[];
}

export function applyBaseline(findings: readonly Finding[], baseline: Baseline): BaselineResult {
  const byKey = new Map(baseline.entries.map((e) => [entryKey(e), e]));
  const used = new Set<string>();
  const fresh: Finding[] = [];
  let baselined = 0;
  for (const f of findings) {
    const key = entryKey(f);
    if (byKey.has(key)) {
      used.add(key);
      baselined++;
    } else fresh.push(f);
  }
  return { fresh, baselined, stale: baseline.entries.filter((e) => !used.has(entryKey(e))) };
}

function entryKey(e: { ruleId: string; file: string; secretHash: string }): string {
  return `${e.ruleId}\0${e.file}\0${e.secretHash}`;
}
