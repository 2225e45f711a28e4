/**
 * Reading the value written after a name: the piece the community rule shares between `NAME=value`
 * assignments and `statalog:` sections. Every read is bounded, so a hostile file costs at most
 * `MAX_VALUE` characters per name it holds.
 */

export type Syntax = 'code' | 'config';

/** A value read out of the text — a Community key, an `api_key=` value — and the offsets [start, end) it spans. */
export interface ValueSpan {
  start: number;
  end: number;
  value: string;
}

/** Longest value read. Community keys are tokens of a few dozen characters; a longer run is not one. */
const MAX_VALUE = 512;

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
 * unquoted value is an identifier or an expression: a reference, not a literal). The value is exactly the
 * literal: typographic quotes (`“…”`, pasted from docs or chat) wrap it like ASCII ones, a shell default
 * (`${X:-…}`) gives its word, `JSON.stringify('…')` (webpack DefinePlugin, Vite `define`) its argument.
 */
export function readValue(text: string, v: number, syntax: Syntax): ValueSpan | undefined {
  let q = text[v];
  // string prefixes: r"…" b"…" f"…" u"…" (Python), @"…" (C#)
  if (q !== undefined && 'rbfuRBFU@'.includes(q) && (text[v + 1] === '"' || text[v + 1] === "'")) {
    v++;
    q = text[v];
  }
  // a quote escaped inside a JSON string: `"{\"STATALOG_API_KEY\":\"…\"}"` (logs, serialised configs)
  if (q === '\\' && (text[v + 1] === '"' || text[v + 1] === "'")) return readEscapedQuoted(text, v + 2, text[v + 1]!);
  if (isQuote(q)) return unwrapped(expansionDefault(text, readQuoted(text, v + 1, q)));
  const closers = typographicClosers(q);
  if (closers !== undefined) return readTypographic(text, v + 1, closers);
  if (q === 'J' && text.startsWith(JSON_STRINGIFY, v)) return stringifyArgument(text, v + JSON_STRINGIFY.length);
  if (syntax === 'code') return undefined;
  if (q === '&' || text.startsWith('!!str', v)) {
    // a YAML anchor (`&a value`) or the string tag (`!!str value`) before the value
    let k = v + 1;
    while (k < text.length && k - v < 64 && !isBlank(text.charCodeAt(k)) && !isLineEnd(text, k)) k++;
    if (!isBlank(text.charCodeAt(k))) return undefined;
    return readValue(text, skipBlanks(text, k), syntax);
  }
  if (q === '|' || q === '>') return readBlockScalar(text, v);
  if (q === undefined || '*!#'.includes(q)) return undefined; // YAML aliases, other tags, comments
  return expansionDefault(text, readUnquoted(text, v));
}

function isLineEnd(text: string, i: number): boolean {
  return text[i] === '\n' || text[i] === '\r';
}

const JSON_STRINGIFY = 'JSON.stringify(';

/** `JSON.stringify('…')`: the quoted argument, when it is the whole call. */
function stringifyArgument(text: string, from: number): ValueSpan | undefined {
  const v = skipBlanks(text, from);
  if (!isQuote(text[v])) return undefined;
  const hit = readQuoted(text, v + 1, text[v]);
  return hit && text[skipBlanks(text, hit.end + 1)] === ')' ? hit : undefined;
}

/** `'"…"'` (a define that inlines a JSON string literal): the inner string. */
function unwrapped(hit: ValueSpan | undefined): ValueSpan | undefined {
  if (!hit || hit.value.length < 3) return hit;
  const first = hit.value[0];
  if ((first === '"' || first === "'") && hit.value.endsWith(first)) {
    return { start: hit.start + 1, end: hit.end - 1, value: hit.value.slice(1, -1) };
  }
  return hit;
}

/**
 * `${NAME:-word}` (and `-`, `:=`, `=`, `:?`, `?`, `:+`, `+`): shell and Compose parameter expansion with a
 * literal word, which is what the variable holds when the environment does not set it. Any other value
 * starting with `${` is a reference and stays as it is (the placeholder rule drops it).
 */
export function expansionDefault(text: string, hit: ValueSpan | undefined): ValueSpan | undefined {
  if (!hit || !text.startsWith('${', hit.start)) return hit;
  let k = hit.start + 2;
  const nameStart = k;
  while (k < hit.end && isIdentifierChar(text.charCodeAt(k))) k++;
  if (k === nameStart) return hit;
  return expansionWord(text, k, hit.end) ?? hit;
}

/** After `${NAME` at `i`: the literal word of a `:-`-style operator up to the closing `}` (before `limit`). */
export function expansionWord(text: string, i: number, limit = text.length): ValueSpan | undefined {
  if (text[i] === ':') i++;
  const op = text[i];
  if (op !== '-' && op !== '=' && op !== '?' && op !== '+') return undefined;
  const start = i + 1;
  if (isQuote(text[start])) {
    const quoted = readQuoted(text, start + 1, text[start]);
    return quoted && text[quoted.end + 1] === '}' ? quoted : undefined;
  }
  const end = Math.min(limit, text.length, start + MAX_VALUE);
  for (let k = start; k < end; k++) {
    const c = text[k];
    if (c === '}') return k > start ? { start, end: k, value: text.slice(start, k) } : undefined;
    if (c === '$' || c === '{' || c === '\n' || c === '\r') return undefined; // nested expansion: not a literal
  }
  return undefined;
}

function isIdentifierChar(code: number): boolean {
  return (
    (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || code === 0x5f
  );
}

/** Closing quotes for a typographic opening quote: “…” „…“ ”…” (double), ‘…’ ‚…‘ ’…’ (single), «…». */
function typographicClosers(q: string | undefined): string | undefined {
  switch (q) {
    case '\u201c':
    case '\u201d':
    case '\u201e':
      return '\u201d\u201c';
    case '\u2018':
    case '\u2019':
    case '\u201a':
      return '\u2019\u2018';
    case '\u00ab':
      return '\u00bb';
    default:
      return undefined;
  }
}

function readTypographic(text: string, start: number, closers: string): ValueSpan | undefined {
  const limit = Math.min(text.length, start + MAX_VALUE);
  for (let k = start; k < limit; k++) {
    const c = text[k]!;
    if (c <= ' ') return undefined; // a key is one token: text in quotes is a sentence
    if (closers.includes(c)) return { start, end: k, value: text.slice(start, k) };
  }
  return undefined;
}

/**
 * A YAML block scalar (`key: >-` or `key: |` with the value on the next, deeper-indented line). A key is one
 * line: a block of several lines is text (folded `>` joins them with spaces), not a key.
 */
function readBlockScalar(text: string, v: number): ValueSpan | undefined {
  let k = v + 1;
  // indicators: chomping (`-`, `+`) and an indentation digit, in any order
  for (let n = 0; n < 2 && (text[k] === '-' || text[k] === '+' || (text[k]! >= '1' && text[k]! <= '9')); n++) k++;
  k = skipBlanks(text, k);
  if (text[k] === '#') while (k < text.length && !isLineEnd(text, k)) k++;
  if (k < text.length && !isLineEnd(text, k)) return undefined;
  const parentIndent = indentOfLine(text, v);
  let content: ValueSpan | undefined;
  let contentIndent = -1;
  const limit = Math.min(text.length, k + 4 * MAX_VALUE);
  while (k < limit) {
    if (text[k] === '\r' && text[k + 1] === '\n') k += 2;
    else if (isLineEnd(text, k)) k++;
    const s = k;
    const first = skipBlanks(text, s);
    let e = first;
    while (e < limit && !isLineEnd(text, e)) e++;
    k = e;
    if (first === e) {
      if (e >= text.length) break;
      continue; // a blank line inside or after the block
    }
    const indent = first - s;
    if (content !== undefined) return indent >= contentIndent ? undefined : content; // a second line: text
    if (indent <= parentIndent) return undefined; // an empty block
    let end = e;
    while (end > first && isBlank(text.charCodeAt(end - 1))) end--;
    if (end - first > MAX_VALUE) return undefined;
    content = { start: first, end, value: text.slice(first, end) };
    contentIndent = indent;
  }
  return k >= text.length ? content : undefined;
}

/** Spaces before the first character of the line holding `i` (looked at for up to 200 characters). */
function indentOfLine(text: string, i: number): number {
  let s = i;
  while (s > 0 && i - s < 200 && !isLineEnd(text, s - 1)) s--;
  let n = 0;
  while (text.charCodeAt(s + n) === 0x20) n++;
  return n;
}

/** A quoted value from `start` (after the opening quote) to the closing one on the same line. */
export function readQuoted(text: string, start: number, quote: string): ValueSpan | undefined {
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

function readEscapedQuoted(text: string, start: number, quote: string): ValueSpan | undefined {
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
export function readUnquoted(text: string, v: number): ValueSpan | undefined {
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
  k = trimSentenceEnd(text, v, k);
  return k > v ? { start: v, end: k, value: text.slice(v, k) } : undefined;
}

/**
 * Prose ends a sentence right after a value (`set STATALOG_API_KEY=… .`, `…=abc123.`): the period is not
 * part of the key. A value that ends in `...` is a truncation and keeps its dots for the placeholder rule.
 */
function trimSentenceEnd(text: string, start: number, end: number): number {
  if (end - start >= 3 && text.startsWith('...', end - 3)) return end;
  while (end > start) {
    const c = text.charCodeAt(end - 1);
    if (c !== 0x2e && c !== 0x21 && c !== 0x3f && c !== 0x3a) break; // . ! ? :
    end--;
  }
  return end;
}

function isUnquotedEnd(code: number): boolean {
  return (
    code <= 0x20 ||
    code === 0x22 ||
    code === 0x27 ||
    code === 0x60 || // quotes
    code === 0x2c ||
    code === 0x3b || // , ;
    code === 0x29 ||
    code === 0x5d ||
    code === 0x7d || // ) ] }
    code === 0x5c || // \ (an escaped quote or line end inside a string)
    code === 0x3c ||
    code === 0x3e || // < (the closing tag of <StatalogApiKey>…</StatalogApiKey>), > (a redirect)
    code === 0x26 ||
    code === 0x7c || // & | (shell operators: `KEY=…&& php artisan`, `KEY=… | tee`)
    code === 0x201c ||
    code === 0x201d ||
    code === 0x2018 ||
    code === 0x2019 ||
    code === 0x201e ||
    code === 0xab ||
    code === 0xbb // typographic quotes
  );
}
