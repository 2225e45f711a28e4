/**
 * Encoded content: a base64 run or a percent-encoded run that decodes to text holding one of the rules'
 * anchors is searched again, as gitleaks and trufflehog do — a Kubernetes Secret whose `data:` holds a whole
 * base64 `.env`, a base64 `.env` in a CI variable file, a redirect URL encoded twice (`%253D`).
 *
 * Only runs that hold an ENCODED ANCHOR (content/encoded-prefilter.ts: the base64 forms of `statalog`,
 * `_API_KEY`, `api_key=` and `st_`, or `key%`) are decoded — the very test the content pipeline's prefilter
 * applies to the bytes, so content that prefilter drops holds nothing to decode, and every door (whole
 * files, diff hunks, windows of large files) decodes the same runs. Base64 wrapped across lines is joined.
 *
 * Bounded: runs of one kind never overlap and an anchor inside a run already read is skipped, decoding is
 * linear in the run, decoded text is never longer than the run, and decoding nests at most MAX_DEPTH deep —
 * so the whole search stays linear in the input. Random base64 (images, lockfile integrity hashes, JWT
 * signatures) decodes to bytes that are not text and is dropped before any rule runs.
 */
import { encodedAnchorsIn } from './content/encoded-prefilter.js';
import { ALLOW_MARKER, detect, type DetectOptions, type Match } from './detect.js';

export type Encoding = 'base64' | 'percent';

/** A run of encoded text and what it decodes to. */
export interface EncodedRun {
  start: number;
  end: number;
  encoding: Encoding;
  decoded: string;
}

/** A secret found inside an encoded run; `start`/`end` are the outermost run's, `secret` the decoded key. */
export interface EncodedMatch extends Match {
  encoding: Encoding;
}

/** Shortest base64 run decoded: 24 bytes of content, enough for `STATALOG_API_KEY=` and a short key. */
const MIN_BASE64_RUN = 32;
/**
 * Narrowest line of base64 wrapped across lines (GNU `base64` wraps at 76, PEM and OpenSSL at 64): wrappers
 * cut at a multiple of 4 characters, and a 40-character commit id at the end of a line is not one.
 */
export const MIN_WRAPPED_WIDTH = 48;
/** How deep encodings nest: a base64 `.env` inside a percent-encoded URL, a URL encoded twice. */
export const MAX_DEPTH = 2;

const ANCHOR = /st_|api_key=|statalog/i;

function isBase64Char(c: number): boolean {
  return (
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x61 && c <= 0x7a) ||
    (c >= 0x30 && c <= 0x39) ||
    c === 0x2b ||
    c === 0x2f ||
    c === 0x2d ||
    c === 0x5f // + / - _ (standard and URL-safe alphabets)
  );
}

function isHexDigit(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/** Characters that end a percent-encoded run: whitespace, quotes, brackets and markup. */
function endsPercentRun(c: number): boolean {
  return (
    c <= 0x20 ||
    c === 0x22 ||
    c === 0x27 ||
    c === 0x60 ||
    c === 0x3c ||
    c === 0x3e ||
    c === 0x28 ||
    c === 0x29 ||
    c === 0x7f
  );
}

function isBlank(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

/**
 * Every run of `text` that holds an encoded anchor (content/encoded-prefilter.ts) and decodes to text: the
 * base64 run around the anchor — joined with the lines around it when it is base64 wrapped across lines —
 * and the percent-encoded run around it (a delimiter-free run holding `%XX`). Not checked for the rules'
 * anchors; see `decodedRuns`.
 *
 * Linear: runs of one kind never overlap, and an anchor inside a run already read is skipped.
 */
function encodedRuns(text: string): EncodedRun[] {
  const runs: EncodedRun[] = [];
  let base64Read = -1; // end of the last base64 run read
  let percentRead = -1;
  for (const at of encodedAnchorsIn(text)) {
    if (at >= base64Read && isBase64Char(text.charCodeAt(at))) {
      const run = base64RunAt(text, at);
      base64Read = run.end;
      if (run.decoded !== undefined)
        runs.push({ start: run.start, end: run.end, encoding: 'base64', decoded: run.decoded });
    }
    if (at >= percentRead) {
      let start = at;
      while (start > 0 && !endsPercentRun(text.charCodeAt(start - 1))) start--;
      let end = at;
      while (end < text.length && !endsPercentRun(text.charCodeAt(end))) end++;
      percentRead = end;
      const decoded = percentText(text, start, end);
      if (decoded !== undefined) runs.push({ start, end, encoding: 'percent', decoded });
    }
  }
  return runs.sort((a, b) => a.start - b.start);
}

interface LineRun {
  /** The base64 characters, [start, end). */
  start: number;
  end: number;
  /** After up to two `=` of padding. */
  padded: number;
  /** Nothing but blanks before the run on its line. */
  bare: boolean;
  /** Nothing but blanks after the padding on its line. */
  endsLine: boolean;
}

/** The maximal run of base64 characters around `at` on its line, and what surrounds it. */
function lineRun(text: string, at: number): LineRun {
  let start = at;
  while (start > 0 && isBase64Char(text.charCodeAt(start - 1))) start--;
  let end = at;
  while (end < text.length && isBase64Char(text.charCodeAt(end))) end++;
  let padded = end;
  if (text.charCodeAt(padded) === 0x3d) padded++;
  if (text.charCodeAt(padded) === 0x3d) padded++;
  let before = start;
  while (before > 0 && isBlank(text.charCodeAt(before - 1))) before--;
  let after = padded;
  while (after < text.length && isBlank(text.charCodeAt(after))) after++;
  return {
    start,
    end,
    padded,
    bare: before === 0 || isBreak(text.charCodeAt(before - 1)),
    endsLine: after >= text.length || isBreak(text.charCodeAt(after)),
  };
}

function isBreak(c: number): boolean {
  return c === 0x0a || c === 0x0d;
}

/** The run that ends the line above the one `run` is on, when that line ends with one. */
function runAbove(text: string, run: LineRun): LineRun | undefined {
  let i = run.start;
  while (i > 0 && !isBreak(text.charCodeAt(i - 1))) i--;
  if (i === 0) return undefined;
  i--; // the break
  if (text.charCodeAt(i) === 0x0a && text.charCodeAt(i - 1) === 0x0d) i--;
  while (i > 0 && isBlank(text.charCodeAt(i - 1))) i--;
  return i > 0 && isBase64Char(text.charCodeAt(i - 1)) ? lineRun(text, i - 1) : undefined;
}

/** The bare run the line below the one `run` ends holds, when it holds nothing else. */
function runBelow(text: string, run: LineRun): LineRun | undefined {
  let i = run.padded;
  while (i < text.length && isBlank(text.charCodeAt(i))) i++;
  if (text.charCodeAt(i) === 0x0d) i++;
  if (text.charCodeAt(i) === 0x0a) i++;
  if (i === run.padded || !isBreak(text.charCodeAt(i - 1))) return undefined;
  while (i < text.length && isBlank(text.charCodeAt(i))) i++;
  if (!isBase64Char(text.charCodeAt(i))) return undefined;
  const below = lineRun(text, i);
  return below.bare && below.endsLine ? below : undefined;
}

/**
 * The base64 run around `at`, decoded when it is text. Base64 WRAPPED across lines (GNU `base64`, PEM, a
 * YAML block scalar) is read as one run: lines of one width `w` (a multiple of 4, at least
 * MIN_WRAPPED_WIDTH, no padding) — the first may start after a name, the others hold nothing but the run —
 * and a last line of at most `w` characters with its padding. The run then spans the block, from the first
 * line's run to the last line's padding.
 */
function base64RunAt(text: string, at: number): { start: number; end: number; decoded: string | undefined } {
  const line = lineRun(text, at);
  const isFull = (r: LineRun, w: number): boolean => r.end - r.start === w && r.padded === r.end && r.endsLine;
  const pieces: LineRun[] = [line];
  // the width: this line's, or (a last line) the line above's
  let width = line.end - line.start;
  if (line.endsLine && line.bare && !(width >= MIN_WRAPPED_WIDTH && width % 4 === 0 && line.padded === line.end)) {
    const above = runAbove(text, line);
    width = above && above.end - above.start > width ? above.end - above.start : 0;
  }
  if (width >= MIN_WRAPPED_WIDTH && width % 4 === 0 && line.endsLine) {
    for (let top = line; top.bare;) {
      const above = runAbove(text, top);
      if (above === undefined || !isFull(above, width)) break;
      pieces.unshift(above);
      top = above;
    }
    for (let bottom = line; isFull(bottom, width);) {
      const below = runBelow(text, bottom);
      if (below === undefined || below.end - below.start > width) break;
      pieces.push(below);
      bottom = below;
    }
  }
  if (pieces.length > 1) {
    const joined = (list: LineRun[]): string => list.map((p) => text.slice(p.start, p.padded)).join('');
    const first = pieces[0]!;
    const last = pieces[pieces.length - 1]!;
    const decoded = base64Text(joined(pieces));
    if (decoded !== undefined) return { start: first.start, end: last.padded, decoded };
    // a short last line that does not belong to the block (a word below it): the block without it
    if (last !== line && !isFull(last, width)) {
      const shorter = pieces.slice(0, -1);
      const without = base64Text(joined(shorter));
      if (without !== undefined)
        return { start: first.start, end: shorter[shorter.length - 1]!.padded, decoded: without };
    }
    return { start: first.start, end: last.padded, decoded: undefined };
  }
  const decoded = line.end - line.start >= MIN_BASE64_RUN ? base64Text(text.slice(line.start, line.end)) : undefined;
  return { start: line.start, end: line.padded, decoded };
}

/**
 * The decoded text of a base64 run, when it is text: valid UTF-8 with no control character other than tab,
 * CR and LF. 24 random bytes all printable happen with a probability of about 10^-11: random data never is.
 */
function base64Text(run: string): string | undefined {
  const bytes = Buffer.from(run, 'base64');
  if (bytes.length === 0) return undefined;
  for (let k = 0; k < bytes.length; k++) {
    const b = bytes[k]!;
    if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) || b === 0x7f) return undefined;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** `%XX` escapes decoded (as UTF-8; `+` stays `+`, base64 keys hold it); undefined when there is none. */
function percentText(text: string, start: number, end: number): string | undefined {
  const first = text.indexOf('%', start);
  if (first === -1 || first + 2 >= end) return undefined; // a base64 run around the anchor holds no escape
  const bytes: number[] = [];
  let escapes = 0;
  for (let k = start; k < end; k++) {
    const c = text.charCodeAt(k);
    if (c === 0x25 && k + 2 < end && isHexDigit(text.charCodeAt(k + 1)) && isHexDigit(text.charCodeAt(k + 2))) {
      bytes.push(parseInt(text.slice(k + 1, k + 3), 16));
      escapes++;
      k += 2;
    } else if (c < 0x80) bytes.push(c);
    else for (const b of Buffer.from(text[k]!, 'utf8')) bytes.push(b); // a lone surrogate becomes U+FFFD: harmless
  }
  if (escapes === 0) return undefined;
  return Buffer.from(bytes).toString('utf8');
}

/**
 * The runs worth searching again: decoded text that holds an anchor, or (up to MAX_DEPTH) that holds a run
 * that does. Each result is a run of `text` with the decoded text to search and the outermost encoding.
 */
export function decodedRuns(text: string, depth = 1): EncodedRun[] {
  const found: EncodedRun[] = [];
  for (const run of encodedRuns(text)) {
    if (ANCHOR.test(run.decoded)) found.push(run);
    if (depth < MAX_DEPTH) {
      for (const inner of decodedRuns(run.decoded, depth + 1)) {
        found.push({ start: run.start, end: run.end, encoding: run.encoding, decoded: inner.decoded });
      }
    }
  }
  return found;
}

/**
 * Secrets inside encoded runs of `text`, each pointing at its outermost run, with the encoding. Runs that
 * overlap a plain finding (`plain`, by default what `detect` finds in `text`) are not reported again: a
 * base64 value assigned to STATALOG_API_KEY is already a finding as written. A secret that two nested runs
 * both yield (a base64 `.env` inside a percent-encoded URL, read both ways) is reported once, for the run
 * that starts first. `statalog:allow` on the run's (first) line silences it — or, with `reportAllowed`,
 * flags it `allowed`.
 */
export function detectEncoded(
  text: string,
  options: DetectOptions = {},
  plain: readonly Match[] = detect(text, { ...options, decode: false }),
): EncodedMatch[] {
  const out: EncodedMatch[] = [];
  /** Per rule and secret: where the last run that yielded it ends. */
  const reported = new Map<string, number>();
  let p = 0; // runs come in order of their start, and so do plain matches: one forward pass
  const allowed = options.honourAllowComments === false ? () => false : allowedLines(text);
  for (const run of decodedRuns(text)) {
    while (p < plain.length && plain[p]!.end <= run.start) p++;
    if (p < plain.length && plain[p]!.start < run.end) continue;
    const onAllowedLine = allowed(run.start);
    if (onAllowedLine && options.reportAllowed !== true) continue;
    const inner = detect(run.decoded, {
      ...options,
      syntax: 'config',
      cloudOnly: false,
      honourAllowComments: true,
      decode: false,
    });
    for (const m of inner) {
      const id = `${m.ruleId}\0${m.secret}`;
      const until = reported.get(id);
      if (until !== undefined && run.start < until) continue;
      reported.set(id, Math.max(until ?? 0, run.end));
      out.push({
        ruleId: m.ruleId,
        start: run.start,
        end: run.end,
        secret: m.secret,
        encoding: run.encoding,
        ...(onAllowedLine || m.allowed ? { allowed: true as const } : {}),
      });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

/**
 * `statalog:allow` on the line of an offset, for offsets asked in increasing order: each line is measured
 * once (many runs can share one long line), and nothing is measured when the text has no marker.
 */
function allowedLines(text: string): (at: number) => boolean {
  if (!text.includes(ALLOW_MARKER)) return () => false;
  let lineEnd = -1;
  let allowed = false;
  return (at) => {
    if (at > lineEnd) {
      let from = at;
      while (from > 0 && text[from - 1] !== '\n' && text[from - 1] !== '\r') from--;
      let to = at;
      while (to < text.length && text[to] !== '\n' && text[to] !== '\r') to++;
      allowed = text.slice(from, to).includes(ALLOW_MARKER);
      lineEnd = to;
    }
    return allowed;
  };
}
