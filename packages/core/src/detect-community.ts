/**
 * The Community key has no format: it is whatever an operator assigns to STATALOG_API_KEY. So the rule
 * looks for the variable's name and reads the value assigned to it, in any of the syntaxes the name
 * lives in (.env, shell, YAML, JSON, TOML, INI, XML, Dockerfile ENV, source code), and keeps only literals.
 * It also reads the key of a `statalog` section (`statalog:` → `api_key:`, `[statalog]` → `key =`,
 * `"Statalog": { "ApiKey": … }`), the nested spelling of `statalog.api_key` (see detect-section.ts).
 */
import { isWordChar } from './patterns.js';
import {
  expansionDefault,
  expansionWord,
  isBlank,
  isQuote,
  readQuoted,
  readUnquoted,
  readValue,
  skipBlanks,
  type Syntax,
  type ValueSpan,
} from './read-value.js';
import { readSection } from './detect-section.js';

export type { Syntax } from './read-value.js';

/** Every spelling starts with the word; the rest of the name is read by hand (no backtracking). */
const WORD = /statalog/gi;
const WORD_LENGTH = 8;
/** How much of the line before a name the context checks look at. */
const PREFIX_SPAN = 80;

export function findCommunityKeys(text: string, syntax: Syntax): ValueSpan[] {
  const hits: ValueSpan[] = [];
  const seen = new Set<number>();
  let sectionEnd = -1;
  const word = WORD; // shared: nothing below calls back into this function, so lastIndex cannot be disturbed
  word.lastIndex = 0;
  for (let m = word.exec(text); m !== null; m = word.exec(text)) {
    const at = m.index;
    const nameEnd = nameEndAt(text, at + WORD_LENGTH);
    let hit: ValueSpan | undefined;
    if (nameEnd !== -1) {
      hit = valueAfterName(text, at, nameEnd, syntax);
    } else if (at >= sectionEnd) {
      // one section is read once: a `statalog` word inside a section already read does not start another
      const section = readSection(text, at, at + WORD_LENGTH, syntax);
      if (section) {
        sectionEnd = section.end;
        hit = section.hit;
      }
    }
    if (hit && !seen.has(hit.start)) {
      seen.add(hit.start);
      hits.push(hit);
    }
  }
  return hits;
}

/**
 * After the word `statalog` at `i`'s left: the rest of a key name — STATALOG_API_KEY, statalog_api_key,
 * statalogApiKey, statalog.api.key, statalog-api-key, STATALOG_KEY, .NET's Statalog:ApiKey and
 * Statalog__ApiKey — or -1. An environment suffix (STATALOG_API_KEY_PROD, statalogApiKeyStaging) is part of
 * the name; any other word character after it makes another name: STATALOG_API_KEY_FILE, _PATH, _ARN,
 * _SECRET_ID (pointers to a key, not keys) and statalogApiKeyId. A name wrapped in `__` (a bundler define,
 * `__STATALOG_API_KEY__`) ends after the `__`.
 */
function nameEndAt(text: string, i: number): number {
  i = afterSeparator(text, i, true);
  if (startsWithIgnoreCase(text, i, 'api')) {
    i += 3;
    i = afterSeparator(text, i, false);
  }
  if (!startsWithIgnoreCase(text, i, 'key')) return -1;
  i += 3;
  const suffixed = envSuffixEnd(text, i);
  if (suffixed !== -1) return suffixed;
  if (i >= text.length || !isWordChar(text.charCodeAt(i))) return i;
  if (text.startsWith('__', i) && !isWordChar(text.charCodeAt(i + 2))) return i + 2;
  return -1;
}

/** Environments a key name may be suffixed with: each holds a key of its own. */
const ENV_SUFFIXES = [
  'production',
  'prod',
  'staging',
  'stage',
  'development',
  'dev',
  'testing',
  'test',
  'qa',
  'uat',
  'live',
  'local',
  'preview',
  'sandbox',
  'ci',
];

/** After a key name at `i`: `_PROD`, `-staging`, `.dev`, `Prod` (camelCase) — where the suffix ends, or -1. */
function envSuffixEnd(text: string, i: number): number {
  const separated = isNameSeparator(text.charCodeAt(i));
  const s = separated ? i + 1 : i;
  if (!separated && !(text.charCodeAt(s) >= 0x41 && text.charCodeAt(s) <= 0x5a)) return -1; // camelCase hump
  for (const suffix of ENV_SUFFIXES) {
    if (startsWithIgnoreCase(text, s, suffix) && !isWordChar(text.charCodeAt(s + suffix.length)))
      return s + suffix.length;
  }
  return -1;
}

/** Skips one name separator (`_` `.` `-`, `__`; `:` between the section and the key in .NET spellings). */
function afterSeparator(text: string, i: number, colon: boolean): number {
  const c = text.charCodeAt(i);
  if (c === 0x5f && text.charCodeAt(i + 1) === 0x5f) return i + 2;
  if (isNameSeparator(c)) return i + 1;
  // `Statalog:ApiKey` (.NET spells configuration keys in PascalCase): a colon right before an upper-case
  // `A` or `K` — not `statalog: key` (YAML), `statalog::key` or a cache key such as `statalog:key:42`
  if (colon && c === 0x3a && (text[i + 1] === 'A' || text[i + 1] === 'K')) return i + 1;
  return i;
}

function isNameSeparator(code: number): boolean {
  return code === 0x5f || code === 0x2e || code === 0x2d; // _ . -
}

function startsWithIgnoreCase(text: string, i: number, lower: string): boolean {
  for (let k = 0; k < lower.length; k++) if ((text.charCodeAt(i + k) | 0x20) !== lower.charCodeAt(k)) return false;
  return true;
}

/** The identifier the name is part of starts here (`NEXT_PUBLIC_STATALOG_API_KEY`, `--statalog-api-key`). */
function identifierStart(text: string, at: number): number {
  let s = at;
  while (s > 0 && at - s < PREFIX_SPAN) {
    const c = text.charCodeAt(s - 1);
    if (!isWordChar(c) && c !== 0x2d && c !== 0x2e && c !== 0x24 /* $ */) break;
    s--;
  }
  return s;
}

/** Up to PREFIX_SPAN characters of the line before `i`; starts with `\0` when the line starts earlier. */
function linePrefix(text: string, i: number): string {
  let s = i;
  while (s > 0 && i - s < PREFIX_SPAN) {
    const c = text.charCodeAt(s - 1);
    if (c === 0x0a || c === 0x0d) return text.slice(s, i);
    s--;
  }
  return s === 0 ? text.slice(0, i) : `\0${text.slice(s, i)}`;
}

/** `ENV NAME value` (Dockerfile), `setenv`/`SetEnv` (csh, Apache), `setx` (Windows), `fastcgi_param` (nginx), `set -x` (fish), `dotnet user-secrets set`. */
const SPACE_ASSIGNMENT =
  /^\s*(?:ENV|setenv|setx|fastcgi_param|(?:dotnet\s+)?user-secrets\s+set|set(?:\s+-[a-zA-Z]{1,4}){0,3})\s+$/i;
/**
 * The name is the value of a `name`, `key`, `option_name` or `variable` entry and the value sits in a sibling
 * `value` entry — Kubernetes `- name: X` + `value:`, ECS JSON, Postman and Insomnia exports
 * (`{"key": "X", "value": "…"}`), Vercel and Render (`- key: X` + `value:`), Elastic Beanstalk
 * `option_name:`, XML `<env name="X" value="…"/>` and .NET `<add key="X" value="…"/>`.
 */
const NAMED_ENTRY = /(?:^|[\s{,<\0])["']?(?:name|key|option_name|variable)["']?\s*[:=]\s*["']?$/i;
/** A call whose second argument is a default or a value: env('X', '…'), os.Setenv("X", "…"), define('X', '…'). */
const CALL_OPENING = /\(\s*["'`]$/;
/** A row of a SQL dump or seed whose first column is an id: `(1, 'statalog_api_key', '…')`, `(NULL,'…','…')`. */
const SQL_ROW_OPENING = /\(\s*(?:\d{1,12}|NULL|DEFAULT)\s*,\s*["'`]$/i;

function valueAfterName(text: string, nameStart: number, nameEnd: number, syntax: Syntax): ValueSpan | undefined {
  const identStart = identifierStart(text, nameStart);
  const openQuote = text[identStart - 1];
  // `${STATALOG_API_KEY:-…}`: the literal default of a shell or Compose expansion, nothing else
  if (openQuote === '{' && text[identStart - 2] === '$' && identStart === nameStart)
    return expansionWord(text, nameEnd);
  let i = nameEnd;
  let nameQuoted = false;
  if (isQuote(text[i])) {
    nameQuoted = true;
    i++;
  } else if (text[i] === '\\' && (text[i + 1] === '"' || text[i + 1] === "'")) {
    nameQuoted = true; // `\"STATALOG_API_KEY\":\"…\"` inside a JSON string
    i += 2;
  } else if (text[i] === '>' && openQuote === '<') {
    return readXmlElement(text, i + 1); // <StatalogApiKey>…</StatalogApiKey>
  }
  while (text[i] === ']' || text[i] === ')') i++;
  const afterName = i;
  i = skipBlanks(text, i);
  const prefixEnd = isQuote(openQuote) || openQuote === '\\' ? identStart - 1 : identStart;
  const prefix = linePrefix(text, prefixEnd);

  // `ENV STATALOG_API_KEY value`, `--statalog-api-key value`
  const spaced = i > afterName && text[i] !== '=' && text[i] !== ':' && i < text.length && !isLineEnd(text, i);
  if (spaced && syntax === 'config') {
    if (SPACE_ASSIGNMENT.test(prefix) || text.startsWith('--', identStart)) return readValue(text, i, 'config');
    // a CLI setter whose flag carries the value: `gh secret set STATALOG_API_KEY --body "…"`,
    // `aws ssm put-parameter --name STATALOG_API_KEY --value …`
    const flag = VALUE_FLAG.exec(text.slice(i, i + 20));
    if (flag) return readValue(text, skipBlanks(text, i + flag[0].length), 'config');
  }
  const entry = NAMED_ENTRY.exec(prefix);
  if (entry && !text.slice(identStart, nameStart).includes('.')) {
    // without a `value` sibling the name is an expression's operand: `key = STATALOG_API_KEY or "…"`
    const sibling =
      valueKeyWithin(text, i, 200, syntax) ?? valueKeyBefore(text, entryStart(prefixEnd, prefix, entry), syntax);
    if (sibling) return sibling;
  }
  // a CSV row `STATALOG_API_KEY,<value>` (a secrets manager's export): the name is the row's first field
  if (
    syntax === 'config' &&
    text[i] === ',' &&
    (prefix === '' || prefix === '\0' || ((prefix === '"' || prefix === "'") && nameQuoted))
  ) {
    return readValue(text, i + 1, syntax);
  }
  // HCL: variable "statalog_api_key" { default = "…" }
  if (nameQuoted && text[i] === '{') return blockDefault(text, i + 1);
  // app.json (Heroku): "STATALOG_API_KEY": { "description": "…", "value": "…" }
  if (nameQuoted && text[i] === ':' && text[skipBlanks(text, i + 1)] === '{')
    return valueKeyWithin(text, skipBlanks(text, i + 1) + 1, 300, syntax);

  let op = operatorAt(text, i);
  if (syntax === 'code' && (op === ':' || op === '?:' || op === undefined)) {
    // a type between the name and `=`: `statalogApiKey: string = "…"` (TS, Python, Kotlin, Swift, Rust),
    // `var statalogAPIKey string = "…"` (Go)
    const eq = equalsAfterType(text, op === undefined ? i : i + op.length);
    if (eq !== -1) {
      i = eq;
      op = '=';
    }
  }
  if (op === undefined) return undefined;
  // a comma only passes a value in a call: env('STATALOG_API_KEY', 'default'), os.Setenv("…", "…")
  if (op === ',') {
    const opening = prefix + (openQuote ?? '');
    if (!(
      nameQuoted &&
      (CALL_OPENING.test(opening) || SQL_ROW_OPENING.test(opening) || opensCall(text, identStart - 1))
    ))
      return undefined;
    // a keyword default among the call's arguments: env("X", default="…"), add_argument("--x", default="…")
    return readValue(text, skipSpace(text, i + 1, 40), syntax) ?? keywordDefault(text, i + 1, syntax);
  }
  const v = skipBlanks(text, i + op.length);
  if (v >= text.length || isLineEnd(text, v)) return undefined;
  // the name opens a string that holds the whole assignment: "STATALOG_API_KEY=…" (putenv, docker -e,
  // compose lists, systemd Environment=): the value runs to that string's closing quote
  if (!nameQuoted && op === '=' && isQuote(openQuote)) {
    return text[v] === openQuote ? undefined : expansionDefault(text, readUnquoted(text, v));
  }
  return readValue(text, v, syntax);
}

/** A flag that carries the value of the name before it. */
const VALUE_FLAG = /^(?:--body|-b|--value|--secret-string)(?:[ \t]+|=)/;

/** True when the quote at `q` opens a call's first argument, the `(` maybe on the line before. */
function opensCall(text: string, q: number): boolean {
  let k = q - 1;
  while (k >= 0 && q - k < 40 && (isBlank(text.charCodeAt(k)) || isLineEnd(text, k))) k--;
  return text[k] === '(';
}

function skipSpace(text: string, i: number, max: number): number {
  const limit = Math.min(text.length, i + max);
  while (i < limit && (isBlank(text.charCodeAt(i)) || isLineEnd(text, i))) i++;
  return i;
}

/**
 * `default=…` / `default: …` among the remaining arguments of a call, up to the call's closing `)` and at
 * most 400 characters on. Strings are skipped whole, so a `)` or `default=` inside one does not count.
 */
function keywordDefault(text: string, from: number, syntax: Syntax): ValueSpan | undefined {
  const limit = Math.min(text.length, from + 400);
  let depth = 0;
  for (let k = from; k < limit; k++) {
    const c = text[k]!;
    if (isQuote(c)) {
      const hit = readQuoted(text, k + 1, c);
      if (!hit) return undefined;
      k = hit.end;
    } else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      if (depth-- === 0) return undefined;
    } else if (depth === 0 && c === 'd' && text.startsWith('default', k) && !isWordChar(text.charCodeAt(k - 1))) {
      let v = skipBlanks(text, k + 7);
      if (text[v] !== '=' && text[v] !== ':') continue;
      if (text[v + 1] === '=') return undefined;
      v = skipBlanks(text, v + 1);
      return readValue(text, v, syntax);
    }
  }
  return undefined;
}

function isLineEnd(text: string, i: number): boolean {
  return text[i] === '\n' || text[i] === '\r';
}

/** Assignment-like operators that put a value into the name (or give it a literal default). */
function operatorAt(text: string, i: number): string | undefined {
  const c = text[i];
  const d = text[i + 1];
  if (c === ':' && d === '=') return ':=';
  if (c === '=' && d === '>') return '=>';
  // compound assignments that set a default: `??=` (JS, PHP), `||=` (JS, Ruby)
  if ((c === '?' && d === '?') || (c === '|' && d === '|')) return text[i + 2] === '=' ? c + d + '=' : c + d;
  if (c === '?' && (d === '=' || d === ':')) return c + d;
  if (c === '=') return d === '=' || d === '~' ? undefined : '=';
  if (c === ':') return d === ':' ? undefined : ':';
  if (c === ',') return ',';
  if (c === 'o' && d === 'r' && isBlank(text.charCodeAt(i + 2))) return 'or';
  return undefined;
}

/** After a name in code: `: Type =`, `?: Type =` or ` Type =` — the offset of that `=`, or -1. */
function equalsAfterType(text: string, i: number): number {
  i = skipBlanks(text, i);
  const start = i;
  const limit = Math.min(text.length, i + 60);
  while (i < limit) {
    const c = text.charCodeAt(i);
    const typeChar =
      isWordChar(c) ||
      c === 0x2e ||
      c === 0x3c ||
      c === 0x3e ||
      c === 0x5b ||
      c === 0x5d || // . < > [ ]
      c === 0x26 ||
      c === 0x2a ||
      c === 0x7c ||
      c === 0x3f ||
      isBlank(c); // & * | ? blank
    if (!typeChar) break;
    i++;
  }
  if (i === start || !/[A-Za-z&*[]/.test(text[start] ?? '')) return -1;
  return text[i] === '=' && text[i + 1] !== '=' && text[i + 1] !== '>' ? i : -1;
}

/** Where the `name`/`key` entry that `NAMED_ENTRY` matched at the end of the line prefix starts in `text`. */
function entryStart(prefixEnd: number, prefix: string, entry: RegExpExecArray): number {
  const delimiter = /^[\s{,<\0]/.test(entry[0]) ? 1 : 0;
  return prefixEnd - (prefix.length - entry.index) + delimiter;
}

/**
 * A sibling `value` written BEFORE the `name`/`key` entry that holds the name (`{"value": "…", "key":
 * "STATALOG_API_KEY"}` — Postman and Insomnia export either order; `- value: …` + `name: X`): the last
 * `value` entry within 200 characters before the entry, with nothing between the two but separators — no
 * other entry, no bracket, no YAML list item starting between them.
 */
function valueKeyBefore(text: string, entryAt: number, syntax: Syntax): ValueSpan | undefined {
  const from = Math.max(0, entryAt - 200);
  const window = text.slice(from, entryAt);
  let last: RegExpExecArray | undefined;
  const values = /["']?\bvalue["']?\s*[:=]\s*/g;
  for (let m = values.exec(window); m !== null; m = values.exec(window)) last = m;
  if (last === undefined) return undefined;
  const hit = readValue(text, from + last.index + last[0].length, syntax);
  if (!hit) return undefined;
  const between = text.slice(hit.end, entryAt);
  if (!/^["'`]?[ \t]*(?:[,;]?[ \t]*(?:\r?\n|\r)?[ \t]*)$/.test(between)) return undefined;
  return hit;
}

/** Finds `value: …` / `"value": "…"` / `value="…"` within `span` characters after `from`, before any other `name`. */
function valueKeyWithin(text: string, from: number, span: number, syntax: Syntax): ValueSpan | undefined {
  const window = text.slice(from, from + span);
  const m = /["']?\bvalue["']?\s*[:=]\s*/.exec(window);
  if (!m || /\b(?:name|key)["']?\s*[:=]/.test(window.slice(0, m.index))) return undefined;
  return readValue(text, from + m.index + m[0].length, syntax);
}

/** `{ type = string  default = "…" }` up to the block's closing brace, within 400 characters. */
function blockDefault(text: string, from: number): ValueSpan | undefined {
  // the brace is looked for inside the span only: an unbounded indexOf ran to the end of the text for every
  // name, quadratic on a file of repeated `variable "statalog_api_key" {`
  const span = text.slice(from, from + 400);
  const close = span.indexOf('}');
  const window = close === -1 ? span : span.slice(0, close);
  const m = /\bdefault\s*=\s*/.exec(window);
  return m ? readValue(text, from + m.index + m[0].length, 'config') : undefined;
}

/** The text of `<StatalogApiKey>value</StatalogApiKey>`, if it is a single token. */
function readXmlElement(text: string, from: number): ValueSpan | undefined {
  const hit = readUnquoted(text, from);
  return hit && text[hit.end] === '<' ? hit : undefined;
}
