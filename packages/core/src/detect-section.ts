/**
 * The nested spelling of `statalog.api_key`: a `statalog` section whose `api_key` (or `apiKey`, `api-key`,
 * `key`) entry holds a literal.
 *
 *   statalog:                [statalog]            "Statalog": {           'statalog' => [
 *     api_key: 4f1c…         api_key = "4f1c…"       "ApiKey": "4f1c…"       'key' => '4f1c…',
 *
 * YAML (Spring, Rails, Helm values), TOML/INI sections, JSON (`appsettings.json`), object literals in code
 * (`statalog: { apiKey: '…' }`, `new Statalog({ apiKey: '…' })`, PHP arrays in `config/services.php`).
 * Only the section's direct entries count, and only within SECTION_SPAN characters of the header.
 */
import { isWordChar } from './patterns.js';
import { isBlank, isQuote, readValue, skipBlanks, type ValueSpan, type Syntax } from './read-value.js';

/** How far past a `statalog` section's header its key is looked for (scanners: keep this much context). */
const SECTION_SPAN = 2048;

const KEY_NAME = /^(?:api[_.-]?)?key$/i;
const API_KEY_NAME = /^api[_.-]?key$/i;
/** A YAML/INI/TOML entry whose name is a key name: `  api_key: `, `key = `, `"apiKey": `. */
const ENTRY = /^["']?((?:api[_.-]?)?key)["']?[ \t]*(?:=|:(?=[ \t]|$))[ \t]*/i;
const INI_HEADER_BEFORE = /^[ \t]*\[\[?[\w."' -]{0,100}$/;
const YAML_KEY_BEFORE = /^[ \t]*(?:-[ \t]+)?["']?$/;

export interface SectionResult {
  /** Where the section ends (or where reading it stopped). */
  end: number;
  hit?: ValueSpan;
}

/** Reads the section opened by the word `statalog` at [wordStart, wordEnd), if that word opens one. */
export function readSection(
  text: string,
  wordStart: number,
  wordEnd: number,
  syntax: Syntax,
): SectionResult | undefined {
  if (wordStart > 0 && isWordChar(text.charCodeAt(wordStart - 1))) return undefined;
  if (wordEnd < text.length && isWordChar(text.charCodeAt(wordEnd))) return undefined;
  let i = wordEnd;
  if (isQuote(text[i]) || (text[i] === '\\' && text[i + 1] === '"')) i += text[i] === '\\' ? 2 : 1;
  i = skipBlanks(text, i);
  const lineStart = lineStartOf(text, wordStart);
  // a header sits near its line's start; deep in a long (minified) line only the object forms apply
  const before = lineStart === -1 ? '\0' : text.slice(lineStart, wordStart);

  if (text[i] === ']' && INI_HEADER_BEFORE.test(before)) return iniSection(text, lineEndOf(text, i));
  if (text[i] === ':' && YAML_KEY_BEFORE.test(before)) {
    const rest = skipBlanks(text, i + 1);
    if (rest >= text.length || isLineEnd(text, rest) || text[rest] === '#') {
      return yamlSection(text, lineEndOf(text, rest), wordStart - lineStart - (isQuote(text[wordStart - 1]) ? 1 : 0));
    }
  }
  // an object, array or argument list: `statalog: {`, `"statalog": {`, `'statalog' => [`, `statalog = {`,
  // `Statalog({`, `Statalog(api_key=…)`, `statalog {` (HCL block)
  let k = i;
  if (text[k] === '(') {
    // a call: Statalog({ apiKey: … }) or Statalog(api_key=…). Only the api-key spellings count here: a
    // tracking call such as statalog({ key: 'signup-button' }) names an event, not a credential
    const arg = skipSpace(text, k + 1, 20);
    return braceSection(text, text[arg] === '{' ? arg : k, syntax, API_KEY_NAME);
  }
  if (text.startsWith('=>', k)) k += 2;
  else if ((text[k] === ':' && text[k + 1] !== ':') || (text[k] === '=' && text[k + 1] !== '=')) k++;
  k = skipSpace(text, k, 20);
  if (text[k] === '{' || (text[k] === '[' && k > i)) return braceSection(text, k, syntax);
  return undefined;
}

function isLineEnd(text: string, i: number): boolean {
  return text[i] === '\n' || text[i] === '\r';
}

/** Start of the line holding `i`, or -1 when it is more than 120 characters back (not a header). */
function lineStartOf(text: string, i: number): number {
  let s = i;
  while (s > 0 && !isLineEnd(text, s - 1)) {
    if (i - s > 120) return -1;
    s--;
  }
  return s;
}

function lineEndOf(text: string, i: number): number {
  const limit = Math.min(text.length, i + SECTION_SPAN);
  while (i < limit && !isLineEnd(text, i)) i++;
  return i;
}

/** Skips blanks and line breaks, at most `max` characters. */
function skipSpace(text: string, i: number, max: number): number {
  const limit = Math.min(text.length, i + max);
  while (i < limit && (isBlank(text.charCodeAt(i)) || isLineEnd(text, i))) i++;
  return i;
}

/** The lines after a header, one at a time, up to SECTION_SPAN: [start, end) without the line break. */
function* linesAfter(text: string, headerEnd: number): Generator<[number, number]> {
  const limit = Math.min(text.length, headerEnd + SECTION_SPAN);
  let s = headerEnd;
  while (s < limit) {
    if (text[s] === '\r' && text[s + 1] === '\n') s += 2;
    else if (isLineEnd(text, s)) s++;
    if (s >= limit) return;
    let e = s;
    while (e < limit && !isLineEnd(text, e)) e++;
    yield [s, e];
    s = e;
  }
}

/** `[statalog]` … up to the next `[header]`. */
function iniSection(text: string, headerEnd: number): SectionResult {
  let end = headerEnd;
  for (const [s, e] of linesAfter(text, headerEnd)) {
    const first = skipBlanks(text, s);
    if (text[first] === '[') return { end: s };
    end = e;
    const m = ENTRY.exec(text.slice(first, e));
    if (m) {
      const hit = readValue(text, first + m[0].length, 'config');
      if (hit) return { end: e, hit };
    }
  }
  return { end };
}

/** `statalog:` … the lines indented deeper than the header's key; its direct entries only. */
function yamlSection(text: string, headerEnd: number, keyColumn: number): SectionResult {
  let end = headerEnd;
  let childIndent = -1;
  for (const [s, e] of linesAfter(text, headerEnd)) {
    const first = skipBlanks(text, s);
    if (first >= e || text[first] === '#') continue; // blank or comment line
    const indent = first - s;
    if (indent <= keyColumn) return { end: s };
    end = e;
    if (childIndent === -1) childIndent = indent;
    if (indent !== childIndent) continue;
    const m = ENTRY.exec(text.slice(first, e));
    if (m) {
      const hit = readValue(text, first + m[0].length, 'config');
      if (hit) return { end: e, hit };
    }
  }
  return { end };
}

/**
 * `{ … }`, `[ … ]` or `( … )` from the opener at `open`: the entries at depth 1 (`apiKey: …`, `"ApiKey": …`,
 * `'key' => …`, `api_key=…`). Strings are skipped whole so a brace inside one does not count.
 */
function braceSection(text: string, open: number, syntax: Syntax, names: RegExp = KEY_NAME): SectionResult {
  const limit = Math.min(text.length, open + SECTION_SPAN);
  let depth = 0;
  let k = open;
  while (k < limit) {
    const c = text[k]!;
    if (c === '{' || c === '[' || c === '(') {
      depth++;
      k++;
    } else if (c === '}' || c === ']' || c === ')') {
      depth--;
      k++;
      if (depth === 0) return { end: k };
    } else if (isQuote(c)) {
      const close = closingQuote(text, k + 1, c, limit);
      if (close === -1) return { end: limit };
      if (depth === 1) {
        const hit = entryValue(text, text.slice(k + 1, close), close + 1, syntax, names);
        if (hit) return { end: hit.end, hit };
      }
      k = close + 1;
    } else if (isIdentifierStart(c.charCodeAt(0))) {
      let e = k + 1;
      while (e < limit && isWordChar(text.charCodeAt(e))) e++;
      if (depth === 1 && !isWordChar(text.charCodeAt(k - 1))) {
        const hit = entryValue(text, text.slice(k, e), e, syntax, names);
        if (hit) return { end: hit.end, hit };
      }
      k = e;
    } else if ((c === '/' && text[k + 1] === '/') || c === '#') {
      while (k < limit && !isLineEnd(text, k)) k++; // a comment may hold an apostrophe
    } else k++;
  }
  return { end: limit };
}

function isIdentifierStart(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || code === 0x5f || code === 0x24;
}

function closingQuote(text: string, from: number, quote: string, limit: number): number {
  for (let k = from; k < limit; k++) {
    const c = text[k];
    if (c === '\\') k++;
    else if (c === quote) return k;
    else if (c === '\n' && quote !== '`') return -1;
  }
  return -1;
}

/** The value of an entry named `name` whose name ends at `i`, when the name is a key name. */
function entryValue(text: string, name: string, i: number, syntax: Syntax, names: RegExp): ValueSpan | undefined {
  if (!names.test(name)) return undefined;
  i = skipBlanks(text, i);
  if (text.startsWith('=>', i)) i += 2;
  else if ((text[i] === ':' && text[i + 1] !== ':') || (text[i] === '=' && text[i + 1] !== '=')) i++;
  else return undefined;
  return readValue(text, skipBlanks(text, i), syntax);
}
