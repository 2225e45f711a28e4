/**
 * Encoded content: a base64 run or a percent-encoded run that decodes to text holding one of the rules'
 * anchors is searched again, as gitleaks and trufflehog do — a Kubernetes Secret whose `data:` holds a whole
 * base64 `.env`, a base64 `.env` in a CI variable file, a redirect URL encoded twice (`%253D`).
 *
 * Bounded: runs are found in one left-to-right pass (each character belongs to at most one run), decoding
 * is linear in the run, decoded text is never longer than the run, and decoding nests at most MAX_DEPTH
 * deep — so the whole search stays linear in the input. Random base64 (images, lockfile integrity hashes,
 * JWT signatures) decodes to bytes that are not text and is dropped before any rule runs.
 */
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
export const MIN_BASE64_RUN = 32;
/** How deep encodings nest: a base64 `.env` inside a percent-encoded URL, a URL encoded twice. */
export const MAX_DEPTH = 2;

const ANCHOR = /st_|api_key=|statalog/i;

function isBase64Char(c: number): boolean {
  return (
    (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) ||
    c === 0x2b || c === 0x2f || c === 0x2d || c === 0x5f // + / - _ (standard and URL-safe alphabets)
  );
}

function isHexDigit(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/** Characters that end a percent-encoded run: whitespace, quotes, brackets and markup. */
function endsPercentRun(c: number): boolean {
  return c <= 0x20 || c === 0x22 || c === 0x27 || c === 0x60 || c === 0x3c || c === 0x3e || c === 0x28 || c === 0x29 || c === 0x7f;
}

/**
 * Every base64 run of at least MIN_BASE64_RUN characters and every percent-encoded run (a delimiter-free
 * run holding `%XX`) in `text` that decodes to text — not checked for anchors; see `decodedRuns`.
 */
export function encodedRuns(text: string): EncodedRun[] {
  const runs: EncodedRun[] = [];
  // base64: maximal runs of the alphabet, then up to two `=` of padding
  for (let i = 0; i < text.length; ) {
    if (!isBase64Char(text.charCodeAt(i))) {
      i++;
      continue;
    }
    const start = i;
    while (i < text.length && isBase64Char(text.charCodeAt(i))) i++;
    let end = i;
    if (text.charCodeAt(end) === 0x3d) end++;
    if (text.charCodeAt(end) === 0x3d) end++;
    if (i - start >= MIN_BASE64_RUN) {
      const decoded = base64Text(text.slice(start, i));
      if (decoded !== undefined) runs.push({ start, end, encoding: 'base64', decoded });
    }
    i = end;
  }
  // percent: maximal delimiter-free runs that hold an escape
  for (let i = text.indexOf('%'); i !== -1; ) {
    let start = i;
    while (start > 0 && !endsPercentRun(text.charCodeAt(start - 1))) start--;
    let end = i;
    while (end < text.length && !endsPercentRun(text.charCodeAt(end))) end++;
    const decoded = percentText(text, start, end);
    if (decoded !== undefined) runs.push({ start, end, encoding: 'percent', decoded });
    i = text.indexOf('%', end);
  }
  return runs.sort((a, b) => a.start - b.start);
}

/**
 * The decoded text of a base64 run, when it is text: valid UTF-8 with no control character other than tab,
 * CR and LF. 24 random bytes all printable happen with a probability of about 10^-11: random data never is.
 */
function base64Text(run: string): string | undefined {
  const bytes = Buffer.from(run, 'base64');
  if (bytes.length === 0) return undefined;
  for (const b of bytes) if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) || b === 0x7f) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** `%XX` escapes decoded (as UTF-8; `+` stays `+`, base64 keys hold it); undefined when there is none. */
function percentText(text: string, start: number, end: number): string | undefined {
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
 * base64 value assigned to STATALOG_API_KEY is already a finding as written. `statalog:allow` on the run's
 * line silences it.
 */
export function detectEncoded(text: string, options: DetectOptions = {}, plain: readonly Match[] = detect(text, { ...options, decode: false })): EncodedMatch[] {
  const out: EncodedMatch[] = [];
  const seen = new Set<string>();
  let p = 0; // runs come in order of their start, and so do plain matches: one forward pass
  const allowed = options.honourAllowComments === false ? () => false : allowedLines(text);
  for (const run of decodedRuns(text)) {
    while (p < plain.length && plain[p]!.end <= run.start) p++;
    if (p < plain.length && plain[p]!.start < run.end) continue;
    if (allowed(run.start)) continue;
    const inner = detect(run.decoded, { ...options, syntax: 'config', cloudOnly: false, honourAllowComments: true, decode: false });
    for (const m of inner) {
      const id = `${run.start}:${m.ruleId}:${m.secret}`;
      if (seen.has(id)) continue;
      seen.add(id);
      out.push({ ruleId: m.ruleId, start: run.start, end: run.end, secret: m.secret, encoding: run.encoding });
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

/**
 * Literal strings a prefilter must look for so that encoded content reaches `detectEncoded`: the base64
 * spellings of the rules' anchors at each of the three byte alignments (only the characters fully
 * determined by the anchor), and the percent-encoded `api_key=`. `statalog` and `st_` survive
 * percent-encoding unchanged, so the plain anchors already cover them.
 */
export function encodedAnchors(): string[] {
  const anchors = new Set<string>();
  for (const word of ['statalog', 'Statalog', 'STATALOG', 'api_key=']) {
    for (let offset = 0; offset < 3; offset++) anchors.add(stableBase64(word, offset));
  }
  anchors.add(stableBase64('st_', 0)); // a base64 cloud key on its own starts so: `c3Rf`
  for (const eq of ['%3D', '%3d', '%253D', '%253d']) anchors.add(`api_key${eq}`);
  return [...anchors];
}

/** The base64 characters of `word` placed `offset` bytes into a 3-byte group that do not depend on its neighbours. */
function stableBase64(word: string, offset: number): string {
  const padded = Buffer.concat([Buffer.alloc(offset), Buffer.from(word, 'latin1')]);
  const encoded = padded.toString('base64');
  const firstFullGroup = offset === 0 ? 0 : 1; // the group holding the padding is not determined
  const fullGroups = Math.floor(padded.length / 3);
  return encoded.slice(firstFullGroup * 4, fullGroups * 4);
}
