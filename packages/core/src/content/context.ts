/**
 * When is a diff hunk enough? A door that sees only a patch (the Action: three lines of context around each
 * change) can judge an added line alone unless a rule reads lines far above it: a YAML/INI/JSON `statalog`
 * section's `api_key:` entry whose header sits further up, a `value:` that pairs with a `name:
 * STATALOG_API_KEY` line, a block scalar's continuation. Those rules all report a literal that stands as an
 * entry's value (or alone on its line) without the word `statalog` on its own line — this says which added
 * lines look like that, so the door reads the whole file for them. A false "yes" costs a blob read; a false
 * "no" would be a missed key, so it errs on "yes".
 */
import { MIN_WRAPPED_WIDTH } from '../decode.js';
import { isLiteralSecret } from '../detect.js';
import type { Syntax } from '../detect-community.js';

/** An entry whose name a multi-line rule may read as the key (`key`, `api_key`, `apiKey`, `ApiKey`, `value`…). */
const ENTRY = /^[\s>*#/-]*(?:-\s+)?["'`]?([A-Za-z_$][\w$.-]{0,80})["'`]?\s*(?:=>|:=|[:=])\s*(.*)$/;
const CONTEXT_NAME = /(?:^|[_.-])(?:api[_.-]?)?key$|apikey$|^value$|^secret$|^token$/i;
/** A value alone on its line, made of the characters keys are made of. */
const BARE_VALUE = /^[\w+/=.~-]+$/;

/** True when `line` (an added line, without its `+`) could be reported only with lines above the hunk. */
export function mayNeedContext(line: string, syntax: Syntax): boolean {
  if (/statalog/i.test(line)) return false; // the line names the rule's anchor itself: the hunk is enough
  const entry = ENTRY.exec(line);
  if (entry) return CONTEXT_NAME.test(entry[1]!) && isLiteralSecret(unwrap(entry[2]!));
  if (syntax === 'code') return false; // code spells multi-line forms as object entries
  // a value alone on its line: a YAML block scalar, an array element, an XML/HTML text node
  const bare = unwrap(line.trim());
  return BARE_VALUE.test(bare) && isLiteralSecret(bare);
}

/** The bare value: quotes, a trailing comma or semicolon, tags and anchors taken off. */
function unwrap(value: string): string {
  let v = value
    .trim()
    .replace(/[,;]+$/, '')
    .trim();
  v = v.replace(/^(?:!!?\w+\s+|&\w+\s+)+/, ''); // YAML tags and anchors
  const q = v.charAt(0);
  if ((q === '"' || q === "'" || q === '`') && v.length >= 2 && v.endsWith(q)) v = v.slice(1, -1);
  return v.replace(/^<[^>]*>|<\/[^>]*>$/g, '');
}

/** A line that ends with a run as a base64 wrapper writes it: a multiple of 4 characters, no padding. */
const FULL_WRAPPED_LINE = new RegExp(`(?:^|[^A-Za-z0-9+/_-])([A-Za-z0-9+/_-]{${MIN_WRAPPED_WIDTH},})[ \\t]*$`);
/** A line holding nothing but base64 (the block's middle or last line). */
const BARE_BASE64_LINE = /^[ \t]*[A-Za-z0-9+/_-]+={0,2}[ \t]*$/;

function endsWithFullWrappedRun(line: string): boolean {
  const m = FULL_WRAPPED_LINE.exec(line);
  return m !== null && m[1]!.length % 4 === 0;
}

/**
 * True when an added line of a hunk may belong to base64 wrapped across lines (decode.ts reads such a block
 * as one run, from its first line to its last): a line ending with a full-width run may continue below the
 * hunk or start above it, and a bare base64 line right after one may be a block's middle or end. A false
 * "yes" costs a blob read; a false "no" would decode part of a block.
 */
export function mayCutWrappedBase64(lines: readonly string[], added: readonly boolean[], atFileStart = false): boolean {
  for (let i = 0; i < lines.length; i++) {
    if (!added[i]) continue;
    if (endsWithFullWrappedRun(lines[i]!)) return true;
    if (BARE_BASE64_LINE.test(lines[i]!) && (i === 0 ? !atFileStart : endsWithFullWrappedRun(lines[i - 1]!)))
      return true;
  }
  return false;
}
