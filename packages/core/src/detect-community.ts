/**
 * The Community key has no format: it is whatever an operator assigns to STATALOG_API_KEY. So the rule
 * looks for the variable's name and reads the value assigned to it, in any of the syntaxes the name
 * lives in (.env, shell, YAML, JSON, TOML, INI, Dockerfile ENV, source code), and keeps only literals.
 */

export type Syntax = 'code' | 'config';

export interface CommunityHit {
  start: number;
  end: number;
  value: string;
}

/**
 * The name and its spellings: STATALOG_API_KEY, statalog_api_key, statalogApiKey, statalog.api.key,
 * STATALOG_KEY, statalog-api-key, with any prefix (NEXT_PUBLIC_…). Not followed by a word character, so
 * STATALOG_API_KEY_FILE (a pointer to a file) and statalogApiKeyId are other names. No nested quantifiers.
 */
const NAME = /statalog[_.-]?(?:api[_.-]?)?key(?![A-Za-z0-9_])/gi;

const MAX_VALUE = 4096;

export function findCommunityKeys(text: string, syntax: Syntax): CommunityHit[] {
  const hits: CommunityHit[] = [];
  NAME.lastIndex = 0;
  for (let m = NAME.exec(text); m !== null; m = NAME.exec(text)) {
    const hit = valueAfterName(text, m.index, m.index + m[0].length, syntax);
    if (hit && !hits.some((h) => h.start === hit.start)) hits.push(hit);
  }
  return hits;
}

function isBlank(code: number): boolean {
  return code === 0x20 || code === 0x09;
}

function skipBlanks(text: string, i: number): number {
  while (i < text.length && isBlank(text.charCodeAt(i))) i++;
  return i;
}

function lineStart(text: string, i: number): number {
  const n = text.lastIndexOf('\n', i - 1);
  const r = text.lastIndexOf('\r', i - 1);
  return Math.max(n, r) + 1;
}

function valueAfterName(text: string, nameStart: number, nameEnd: number, syntax: Syntax): CommunityHit | undefined {
  let i = nameEnd;
  const quote = text[i];
  const nameQuoted = quote === '"' || quote === "'" || quote === '`';
  if (nameQuoted) i++;
  while (text[i] === ']' || text[i] === ')') i++;
  i = skipBlanks(text, i);
  const prefix = text.slice(Math.max(lineStart(text, nameStart), nameStart - 200), nameStart);

  // `ENV STATALOG_API_KEY value` (Dockerfile), `setenv STATALOG_API_KEY value` (csh)
  if (/^\s*(?:ENV|setenv)\s+$/i.test(prefix) && i > nameEnd && /[^=\s]/.test(text[i] ?? '')) {
    return readValue(text, i, 'config');
  }

  if (/(?:^|[\s{,])["']?name["']?\s*[:=]\s*["']?$/.test(prefix)) {
    // the name is itself the value of a `name` key: `- name: STATALOG_API_KEY` + `value: …` (Kubernetes),
    // `{"name": "STATALOG_API_KEY", "value": "…"}` (ECS task definitions)
    return valueKeyWithin(text, i, 200);
  }
  const op = operatorAt(text, i);
  if (op === undefined) return undefined;
  // a comma only passes a value in a call: env('STATALOG_API_KEY', 'default'), os.Setenv("…", "…")
  if (op === ',' && !(nameQuoted && /\(\s*["'`]$/.test(prefix))) return undefined;
  const v = skipBlanks(text, i + op.length);
  if (v >= text.length || text[v] === '\n' || text[v] === '\r') return undefined;
  return readValue(text, v, syntax);
}

/** Assignment-like operators that put a value into the name (or give it a literal default). */
function operatorAt(text: string, i: number): string | undefined {
  const two = text.slice(i, i + 2);
  if (two === ':=' || two === '=>' || two === '?=' || two === '||' || two === '??' || two === '?:') return two;
  const c = text[i];
  if (c === '=') return text[i + 1] === '=' || text[i + 1] === '~' ? undefined : '=';
  if (c === ':') return text[i + 1] === ':' ? undefined : ':';
  if (c === ',') return ',';
  if (text.startsWith('or ', i)) return 'or';
  return undefined;
}

/** Finds `value: …` / `"value": "…"` within `span` characters after `from`, before any other `name`. */
function valueKeyWithin(text: string, from: number, span: number): CommunityHit | undefined {
  const window = text.slice(from, from + span);
  const m = /["']?\bvalue["']?\s*[:=]\s*/.exec(window);
  if (!m || /\bname["']?\s*[:=]/.test(window.slice(0, m.index))) return undefined;
  return readValue(text, from + m.index + m[0].length, 'config');
}

/** Reads a quoted literal, or an unquoted one where the syntax allows it (config files, not code). */
function readValue(text: string, v: number, syntax: Syntax): CommunityHit | undefined {
  let q = text[v];
  // string prefixes: r"…" b"…" f"…" u"…" (Python), @"…" (C#)
  if (q !== undefined && 'rbfuRBFU@'.includes(q) && (text[v + 1] === '"' || text[v + 1] === "'")) {
    v++;
    q = text[v];
  }
  if (q === '"' || q === "'" || q === '`') {
    const start = v + 1;
    for (let k = start; k < text.length && k - start < MAX_VALUE; k++) {
      const c = text[k];
      if (c === '\\') {
        k++;
        continue;
      }
      if (c === '\n' || c === '\r') return undefined;
      if (c === q) return { start, end: k, value: text.slice(start, k) };
    }
    return undefined;
  }
  if (syntax === 'code') return undefined; // an identifier or expression: a reference, not a literal
  if (q === undefined || '|>&*!#'.includes(q)) return undefined; // YAML block scalars, anchors, aliases, tags, comments
  let k = v;
  while (k < text.length && k - v < MAX_VALUE && !isUnquotedEnd(text.charCodeAt(k))) k++;
  return k > v ? { start: v, end: k, value: text.slice(v, k) } : undefined;
}

function isUnquotedEnd(code: number): boolean {
  return (
    code <= 0x20 ||
    code === 0x22 || code === 0x27 || code === 0x60 || // quotes
    code === 0x2c || code === 0x3b || // , ;
    code === 0x29 || code === 0x5d || code === 0x7d // ) ] }
  );
}
