/**
 * The fast path: secrets ADDED by a unified-diff patch (what the commits API returns per file). Each hunk's
 * new side — context and added lines, in order — is handed to the core detector as one text, so a rule that
 * needs the surrounding lines (an allow comment, a quoted value) sees them; only matches on added lines are
 * kept, at their new-side line numbers. `patchIsEnough` says when the three lines of context may not hold
 * what a rule needs; the scanner then judges the whole file against its parents, as every other door does.
 */
import {
  detect,
  encodedAnchorsIn,
  lineAt,
  mayCutWrappedBase64,
  mayNeedContext,
  syntaxForPath,
  type FindingInput,
} from '@statalog/core';

export interface ScanOptions {
  selfHostedHosts: readonly string[];
}

interface Hunk {
  /** New-side lines (no prefix), in order. */
  lines: string[];
  /** New-side line number of each line. */
  numbers: number[];
  added: boolean[];
}

const HUNK_HEADER = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/;

export function parseHunks(patch: string): Hunk[] {
  const hunks: Hunk[] = [];
  let hunk: Hunk | undefined;
  let next = 0;
  for (const raw of patch.split('\n')) {
    const header = HUNK_HEADER.exec(raw);
    if (header) {
      hunk = { lines: [], numbers: [], added: [] };
      hunks.push(hunk);
      next = Number(header[1]);
      continue;
    }
    if (!hunk) continue; // anything before the first hunk (GitHub sends none, git's file headers would be here)
    const kind = raw.charAt(0);
    if (kind === '+' || kind === ' ') {
      hunk.lines.push(raw.slice(1));
      hunk.numbers.push(next++);
      hunk.added.push(kind === '+');
    }
    // '-' lines are the old side; '\ No newline at end of file' and the empty tail after a final '\n' are nothing
  }
  return hunks;
}

/**
 * True when the patch alone judges the file exactly as the whole file would: every hunk that adds a line a
 * multi-line rule could report (see core's `mayNeedContext`) starts at the file's first line, so nothing
 * above it is unseen, and no added line holds encoded content (an encoded anchor, or base64 wrapped across
 * lines).
 */
export function patchIsEnough(patch: string, file: string): boolean {
  const syntax = syntaxForPath(file);
  for (const hunk of parseHunks(patch)) {
    // a lone CR ends a line for every other door (as for editors), not for git's diff: the hunk's line
    // numbers would not be the file's
    if (hunk.lines.some((line) => hasLoneCr(line))) return false;
    // encoded content: whether a key found decoded is new depends on what the parent held decoded (a base64
    // `.env` re-encoded after another variable changed adds nothing), and base64 wrapped across lines is one
    // run that the hunk may hold only part of — the whole file decides
    if (hunk.lines.some((line, i) => hunk.added[i] && encodedAnchorsIn(line).length > 0)) return false;
    if (mayCutWrappedBase64(hunk.lines, hunk.added, hunk.numbers[0] === 1)) return false;
    if (hunk.numbers[0] === 1) continue;
    for (let i = 0; i < hunk.lines.length; i++)
      if (hunk.added[i] && mayNeedContext(hunk.lines[i]!, syntax)) return false;
  }
  return true;
}

function hasLoneCr(line: string): boolean {
  const cr = line.indexOf('\r');
  return cr !== -1 && cr < line.length - 1;
}

export function scanPatch(patch: string, file: string, options: ScanOptions): FindingInput[] {
  const hits: FindingInput[] = [];
  const syntax = syntaxForPath(file);
  for (const hunk of parseHunks(patch)) {
    if (!hunk.added.includes(true)) continue;
    // a UTF-8 byte-order mark is not text: columns count from after it, as in every other door
    if (hunk.numbers[0] === 1 && hunk.lines[0]!.startsWith('\ufeff')) hunk.lines[0] = hunk.lines[0]!.slice(1);
    const text = hunk.lines.join('\n');
    const starts: number[] = [];
    let offset = 0;
    for (const line of hunk.lines) {
      starts.push(offset);
      offset += line.length + 1;
    }
    // no decoding here: an added line holding an encoded anchor sends the file down the whole-file path
    for (const match of detect(text, { syntax, selfHostedHosts: options.selfHostedHosts, reportAllowed: true })) {
      const index = lineAt(starts, match.start);
      if (!hunk.added[index]) continue;
      hits.push({
        ruleId: match.ruleId,
        file,
        line: hunk.numbers[index]!,
        column: match.start - starts[index]! + 1,
        secret: match.secret,
        ...(match.allowed ? { allowed: true } : {}),
      });
    }
  }
  return hits;
}
