/**
 * The content pipeline every door runs: bytes → sniff → prefilter → decode → detect → line and column. The
 * tree scan (files that fit its read buffer), `--staged`, `--range`, `--history` and the Action all call
 * `scanContent` (or `addedSecrets`, which runs it over a new blob and its parents), so a key one door finds,
 * every door finds at the same line and column.
 *
 * - UTF-8 (BOM skipped, invalid bytes tolerated) and UTF-16 with or without a BOM are text: every rule.
 * - Binary content (a NUL in the first 8 KiB, no BOM) is searched as latin1 — one character per byte, so an
 *   ASCII key compiled into a bundle, a `.pyc` or a database survives — for the cloud-key pattern only.
 * - UTF-16 without a BOM is a guess from its NUL bytes: the bytes are also searched as binary.
 * - Text that holds an encoded anchor (encoded-prefilter.ts) is also decoded: base64 and percent-encoded
 *   runs holding one are searched again (decode.ts), each finding pointing at its run with its `encoding`.
 */
import type { FindingInput } from '../finding.js';
import { createLineIndex } from '../position.js';
import type { Encoding } from '../decode.js';
import { detect, type DetectOptions, type Match } from '../detect.js';
import { syntaxForPath } from '../syntax.js';
import { encodedAnchorsIn, mayHoldEncodedSecret } from './encoded-prefilter.js';
import { mayHoldSecret } from './prefilter.js';
import { sniff, type Sniffed } from './sniff.js';

/** What a door may choose; the syntax and the binary rule follow from the path and the bytes. */
export type ContentOptions = Omit<DetectOptions, 'syntax' | 'cloudOnly'>;

/** A secret with its 1-based line and UTF-16 column in the content, counted as editors count them. */
export interface LocatedMatch extends Match {
  line: number;
  column: number;
  /** An encoded run's: UTF-16 code units it covers on its (first) line. */
  length?: number;
}

/** One way of reading the content as text: all of it, or (binary) the cloud-key pattern only. */
export interface ContentView {
  text: string;
  binary: boolean;
  /** Text holding an encoded anchor: its encoded runs are decoded and searched too. */
  encoded: boolean;
}

export interface ContentScan {
  sniffed: Sniffed;
  /** True when the content was read as binary (the cloud-key pattern only). */
  binary: boolean;
  matches: LocatedMatch[];
}

const latin1 = (bytes: Uint8Array, from = 0): string => asBuffer(bytes).toString('latin1', from);

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * The texts `detect` must read for these bytes. `filter` (default true) drops UTF-8 and binary content whose
 * bytes hold no anchor before anything is decoded — the common case, and the reason scans are fast.
 */
export function contentViews(bytes: Uint8Array, sniffed: Sniffed = sniff(bytes), filter = true): ContentView[] {
  switch (sniffed.kind) {
    case 'utf8': {
      const encoded = mayHoldEncodedSecret(bytes);
      if (filter && !encoded && !mayHoldSecret(bytes, false)) return [];
      return [{ text: asBuffer(bytes).toString('utf8', sniffed.start), binary: false, encoded }];
    }
    case 'binary':
      if (filter && !mayHoldSecret(bytes, true)) return [];
      return [{ text: latin1(bytes), binary: true, encoded: false }];
    case 'utf16': {
      const decoder = new TextDecoder(sniffed.bigEndian ? 'utf-16be' : 'utf-16le', { ignoreBOM: true });
      const text = decoder.decode(bytes.subarray(sniffed.start));
      const views: ContentView[] = [{ text, binary: false, encoded: encodedAnchorsIn(text).length > 0 }];
      if (sniffed.guessed && (!filter || mayHoldSecret(bytes, true)))
        views.push({ text: latin1(bytes), binary: true, encoded: false });
      return views;
    }
  }
}

/**
 * Every secret `detect` finds in one view, in the syntax of `path`. Matches on a `statalog:allow` line come
 * back flagged `allowed` (never dropped here): every door lists what an inline allow accepted.
 */
export function detectView(view: ContentView, path: string, options: ContentOptions): Match[] {
  return detect(view.text, {
    reportAllowed: true,
    ...options,
    syntax: syntaxForPath(path),
    cloudOnly: view.binary,
    decode: view.encoded && options.decode !== false,
  });
}

/** Positions for matches of one view. */
export function locate(text: string, matches: readonly Match[]): LocatedMatch[] {
  if (matches.length === 0) return [];
  const lines = createLineIndex(text);
  return matches.map((m) =>
    m.encoding === undefined
      ? { ...m, ...lines.position(m.start) }
      : { ...m, ...lines.position(m.start), length: firstLineLength(text, m.start, m.end) },
  );
}

/** UTF-16 code units of [start, end) up to the first line break: what an encoded run covers on its line. */
export function firstLineLength(text: string, start: number, end: number): number {
  let k = start;
  while (k < end && text.charCodeAt(k) !== 0x0a && text.charCodeAt(k) !== 0x0d) k++;
  return k - start;
}

/** The fields a match found inside an encoded run adds to a finding (none for a plain match). */
export function encodedFields(m: { encoding?: Encoding; length?: number }): { encoding?: Encoding; length?: number } {
  return m.encoding === undefined
    ? {}
    : { encoding: m.encoding, ...(m.length !== undefined ? { length: m.length } : {}) };
}

/** A located match as a finding's input, for `file` (inline allows flagged, encoded runs described). */
export function findingInputOf(
  m: Pick<LocatedMatch, 'ruleId' | 'line' | 'column' | 'secret' | 'allowed' | 'encoding' | 'length'>,
  file: string,
): FindingInput {
  return {
    ruleId: m.ruleId,
    file,
    line: m.line,
    column: m.column,
    secret: m.secret,
    ...(m.allowed ? { allowed: true } : {}),
    ...encodedFields(m),
  };
}

/** Every secret in a file's bytes, with its position; `path` picks the syntax (code or config). */
export function scanContent(bytes: Uint8Array, path: string, options: ContentOptions = {}): ContentScan {
  const sniffed = sniff(bytes);
  const matches: LocatedMatch[] = [];
  // no argument spread: a file may hold hundreds of thousands of keys
  for (const view of contentViews(bytes, sniffed))
    for (const m of locate(view.text, detectView(view, path, options))) matches.push(m);
  return { sniffed, binary: sniffed.kind === 'binary', matches: dedupe(matches) };
}

/**
 * True when some path's syntax could find a secret in these bytes: `config` and `code` together, since one
 * blob may sit under paths of both kinds. A cheap verdict for history scans, which read each blob once.
 */
export function mayContainSecret(bytes: Uint8Array, options: ContentOptions = {}): boolean {
  for (const view of contentViews(bytes)) {
    const base = {
      reportAllowed: true,
      ...options,
      cloudOnly: view.binary,
      decode: view.encoded && options.decode !== false,
    };
    if (detect(view.text, { ...base, syntax: 'config' }).length > 0) return true;
    if (!view.binary && detect(view.text, { ...base, syntax: 'code' }).length > 0) return true;
  }
  return false;
}

/** Two views of guessed UTF-16 can see the same key: one finding per rule, secret and place. */
function dedupe(matches: LocatedMatch[]): LocatedMatch[] {
  if (matches.length < 2) return matches;
  const seen = new Set<string>();
  return matches.filter((m) => {
    const key = `${m.ruleId}\0${m.line}\0${m.column}\0${m.secret}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
