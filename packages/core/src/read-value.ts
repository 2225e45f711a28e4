/**
 * Reading the value written after a name: the piece the community rule shares between `NAME=value`
 * assignments and `statalog:` sections. Every read is bounded, so a hostile file costs at most
 * `MAX_VALUE` characters per name it holds.
 */

export type Syntax = 'code' | 'config';

export interface CommunityHit {
  start: number;
  end: number;
  value: string;
}

/** Longest value read. Community keys are tokens of a few dozen characters; a longer run is not one. */
export const MAX_VALUE = 512;

export function isBlank(code: number): boolean {
  return code === 0x20 || code === 0x09;
}

export function skipBlanks(text: string, i: number): number {
  while (i < text.length && isBlank(text.charCodeAt(i))) i++;
  return i;
}

export function isQuote(c: string | undefined): c is '"' | "'" | '`' {
  return c === '"' || c === "'" || c === '`';
}

/**
 * Reads a quoted literal, or an unquoted one where the syntax allows it (config files, not code, where an
 * unquoted value is an identifier or an expression: a reference, not a literal).
 */
export function readValue(text: string, v: number, syntax: Syntax): CommunityHit | undefined {
  let q = text[v];
  // string prefixes: r"…" b"…" f"…" u"…" (Python), @"…" (C#)
  if (q !== undefined && 'rbfuRBFU@'.includes(q) && (text[v + 1] === '"' || text[v + 1] === "'")) {
    v++;
    q = text[v];
  }
  // a quote escaped inside a JSON string: `"{\"STATALOG_API_KEY\":\"…\"}"` (logs, serialised configs)
  if (q === '\\' && (text[v + 1] === '"' || text[v + 1] === "'")) return readEscapedQuoted(text, v + 2, text[v + 1]!);
  if (isQuote(q)) return readQuoted(text, v + 1, q);
  if (syntax === 'code') return undefined;
  if (q === undefined || '|>&*!#'.includes(q)) return undefined; // YAML block scalars, anchors, aliases, tags, comments
  return readUnquoted(text, v);
}

/** A quoted value from `start` (after the opening quote) to the closing one on the same line. */
export function readQuoted(text: string, start: number, quote: string): CommunityHit | undefined {
  const limit = Math.min(text.length, start + MAX_VALUE);
  for (let k = start; k < limit; k++) {
    const c = text[k];
    if (c === '\\') {
      k++;
      continue;
    }
    if (c === '\n' || c === '\r') return undefined;
    if (c === quote) return { start, end: k, value: text.slice(start, k) };
  }
  return undefined;
}

function readEscapedQuoted(text: string, start: number, quote: string): CommunityHit | undefined {
  const limit = Math.min(text.length, start + MAX_VALUE);
  for (let k = start; k < limit; k++) {
    const c = text[k];
    if (c === '\n' || c === '\r') return undefined;
    if (c === '\\') {
      if (text[k + 1] === quote) return { start, end: k, value: text.slice(start, k) };
      k++;
    }
  }
  return undefined;
}

/**
 * An unquoted value: up to whitespace, a quote, `,` `;` `)` `]` `}` or the end of the line — a `}` that
 * closes a `{` of the value itself (`${STATALOG_KEY}`) belongs to it. A `(` or an inner `[` makes it an
 * expression (`get_secret("statalog")`, `os.environ["X"]` in a Markdown code block), not a literal.
 */
export function readUnquoted(text: string, v: number): CommunityHit | undefined {
  const limit = Math.min(text.length, v + MAX_VALUE + 1);
  let k = v;
  let braces = 0;
  for (; k < limit; k++) {
    const c = text.charCodeAt(k);
    if (c === 0x7b /* { */) braces++;
    else if (c === 0x7d /* } */ && braces > 0) braces--;
    else if (isUnquotedEnd(c)) break;
    else if (c === 0x28 /* ( */ || (c === 0x5b /* [ */ && k > v)) return undefined; // a call or an index: an expression
  }
  if (k === limit && limit === v + MAX_VALUE + 1) return undefined; // a run this long is not a key
  return k > v ? { start: v, end: k, value: text.slice(v, k) } : undefined;
}

function isUnquotedEnd(code: number): boolean {
  return (
    code <= 0x20 ||
    code === 0x22 || code === 0x27 || code === 0x60 || // quotes
    code === 0x2c || code === 0x3b || // , ;
    code === 0x29 || code === 0x5d || code === 0x7d || // ) ] }
    code === 0x5c || // \ (an escaped quote or line end inside a string)
    code === 0x3c // < (the closing tag of <StatalogApiKey>…</StatalogApiKey>)
  );
}
