/**
 * Test support for the core: keys made at run time (no literal key may sit in this repository outside
 * `fixtures/`, which scans itself) and a marker notation for expected positions.
 */
import { randomBytes } from 'node:crypto';
import { scanText, type Finding, type RuleId } from '../src/index.js';

export { cloudKey, communityValue as hexKey } from '../../../test/helpers/keys.js';

/** A base64-ish Community key (`openssl rand -base64 24`, made URL-safe so it can sit in a query). */
export function base64Key(): string {
  return randomBytes(24).toString('base64url');
}

export interface Located {
  ruleId: RuleId;
  line: number;
  column: number;
  endColumn: number;
}

const OPEN = '«';
const CLOSE = '»';

/**
 * `marked` holds the expected secrets between « and »; returns the text without the markers and where
 * each secret is (1-based line and column, exclusive end column), computed independently of the core.
 */
export function unmark(marked: string, ruleIds: readonly RuleId[]): { text: string; expected: Located[] } {
  let text = '';
  const spans: Array<[number, number]> = [];
  let open = -1;
  for (const ch of marked) {
    if (ch === OPEN) open = text.length;
    else if (ch === CLOSE) {
      spans.push([open, text.length]);
      open = -1;
    } else text += ch;
  }
  if (spans.length !== ruleIds.length) throw new Error(`${spans.length} marked secrets but ${ruleIds.length} rule ids`);
  const expected = spans.map(([start, end], i) => {
    const { line, column } = lineColumn(text, start);
    return { ruleId: ruleIds[i]!, line, column, endColumn: column + (end - start) };
  });
  return { text, expected };
}

/** Reference line/column: counts `\r\n`, `\n` and a lone `\r` as one line end. */
export function lineColumn(text: string, index: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < index; i++) {
    const c = text[i];
    if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: index - lineStart + 1 };
}

function locate(findings: readonly Finding[]): Located[] {
  return findings.map(({ ruleId, line, column, endColumn }) => ({ ruleId, line, column, endColumn }));
}

/** Findings of `scanText` reduced to rule and position. */
export function scan(text: string, file: string, options: Parameters<typeof scanText>[2] = {}): Located[] {
  return locate(scanText(text, file, options));
}
