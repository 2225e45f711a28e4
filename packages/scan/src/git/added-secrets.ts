/**
 * The secrets a change adds to a file: core's `detect` runs over the WHOLE new blob (so patterns that span
 * lines — a Kubernetes `name: STATALOG_API_KEY` / `value: …` pair — are seen with all their context, more
 * than a diff hunk would give), and a match counts only when the line holding the secret is an added line
 * relative to every parent (for a merge: a line no parent had, i.e. one written during the merge itself). A
 * parent in which the same rules find no secret at all counts as empty: the change that made a secret
 * detectable (a `name: STATALOG_API_KEY` line above a `value:` that was already there) introduced it.
 *
 * Binary blobs (a NUL in the first 8000 bytes, git's own test) are searched for the cloud-key pattern only;
 * there are no lines to diff, so a key counts as added when no parent blob holds it.
 */
import { createLineIndex, detect, lineAt, syntaxForPath, type Match } from '@statalog/core';
import { hasCandidate } from '../files/windows.js';
import { addedLines, lineStarts, splitLines } from './line-diff.js';

export interface DetectSettings {
  selfHostedHosts: readonly string[];
  includeExamples: boolean;
}

export interface AddedSecret {
  match: Match;
  /** 1-based line and UTF-16 column in the new blob, counted like file scans count them. */
  line: number;
  column: number;
}

const BINARY_PROBE = 8000;

export function isBinary(content: Buffer): boolean {
  return content.subarray(0, BINARY_PROBE).includes(0);
}

/**
 * Cheap test before any decoding: can this content hold a secret at all? The file scanner's byte-level
 * prefilter: core's literal anchors (`st_` followed by 64 hex, `api_key=`, `statalog` in its usual cases),
 * the cloud-key one only for binary content.
 */
export function mayHoldSecret(content: Buffer, binary: boolean): boolean {
  return hasCandidate({ buf: content, from: 0, to: content.length, dataStart: 0, dataEnd: content.length, binary });
}

export function decode(content: Buffer, binary: boolean): string {
  // latin1 keeps one character per byte, so every ASCII key in a binary blob survives decoding
  return binary ? content.toString('latin1') : content.toString('utf8');
}

function detectOptions(path: string, binary: boolean, settings: DetectSettings) {
  return {
    selfHostedHosts: settings.selfHostedHosts,
    includeExamples: settings.includeExamples,
    syntax: syntaxForPath(path),
    cloudOnly: binary,
  };
}

/**
 * Secrets on lines that `content` adds to each of `parents` (`undefined`: the path did not exist on that
 * side, so every line is added). Positions are those of the new blob.
 */
export function addedSecrets(
  path: string,
  content: Buffer,
  parents: ReadonlyArray<Buffer | undefined>,
  settings: DetectSettings,
): AddedSecret[] {
  const binary = isBinary(content);
  if (!mayHoldSecret(content, binary)) return [];
  const text = decode(content, binary);
  const options = detectOptions(path, binary, settings);
  let matches = detect(text, options);
  if (matches.length === 0) return [];

  if (binary) {
    matches = matches.filter((m) => parents.every((p) => p === undefined || !p.includes(m.secret, 0, 'latin1')));
  } else {
    const starts = lineStarts(text);
    let newLines: string[] | undefined;
    for (const parent of parents) {
      if (parent === undefined) continue; // everything is new relative to a side without the file
      // a secret the parent does not hold at all is on an added line whatever the diff: skip the diff
      if (matches.every((m) => !parent.includes(m.secret))) continue;
      const oldText = decode(parent, isBinary(parent));
      if (detect(oldText, options).length === 0) continue; // no secret before this change: all of them are new
      newLines ??= splitLines(text, starts);
      const added = addedLines(splitLines(oldText), newLines);
      matches = matches.filter((m) => added[lineAt(starts, m.start)] === true);
      if (matches.length === 0) return [];
    }
  }
  const lines = createLineIndex(text);
  return matches.map((match) => ({ match, ...lines.position(match.start) }));
}
