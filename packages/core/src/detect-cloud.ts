import { CLOUD_KEY_LENGTH, CLOUD_PREFIX, isHexLower, isWordChar } from './patterns.js';

/**
 * Start offsets of every well-formed cloud key in `text[from, to)`: `st_` + 64 lower-case hex, not
 * touching another letter, digit or `_` on either side (so `test_…` and 65-character runs never match).
 * A hand-written scan instead of a regex: `indexOf` finds the few `st_` anchors, then a fixed 64-step
 * check, so the cost is linear whatever the input.
 */
export function findCloudKeys(text: string, from = 0, to = text.length, binary = false): number[] {
  const found: number[] = [];
  let i = text.indexOf(CLOUD_PREFIX, from);
  while (i !== -1 && i < to) {
    if (isCloudKeyAt(text, i, binary)) {
      found.push(i);
      i = text.indexOf(CLOUD_PREFIX, i + CLOUD_KEY_LENGTH);
    } else {
      i = text.indexOf(CLOUD_PREFIX, i + 1);
    }
  }
  return found;
}

/** @param binary the text is binary content read as latin1: a length byte may precede the key (see below) */
export function isCloudKeyAt(text: string, i: number, binary = false): boolean {
  if (i > 0 && isWordChar(text.charCodeAt(i - 1)) && !isEscapeBefore(text, i) && !(binary && isLengthPrefixBefore(text, i))) return false;
  const end = i + CLOUD_KEY_LENGTH;
  if (end > text.length) return false;
  for (let k = i + CLOUD_PREFIX.length; k < end; k++) if (!isHexLower(text.charCodeAt(k))) return false;
  return end === text.length || (binary ? !continuesBinaryKey(text.charCodeAt(end)) : !isWordChar(text.charCodeAt(end)));
}

/**
 * In binary content the byte after a key is often the next object's type code — `N` (None) or `z` in a
 * `.pyc` — not a letter of the same word: only what would lengthen the key (hex, `_`) rejects it there.
 */
export function continuesBinaryKey(code: number): boolean {
  return isHexLower(code) || code === 0x5f || (code >= 0x41 && code <= 0x46);
}

/**
 * A key right after a string escape (`"\nst_…"`, `"\u003dst_…"`, `"\x3dst_…"`) or a percent-encoding
 * (`api_key%3Dst_…`) is not glued to a word: the letter or digits before it belong to the escape.
 */
function isEscapeBefore(text: string, i: number): boolean {
  if (i >= 2 && text.charCodeAt(i - 2) === 0x5c /* \ */ && 'ntrfvb0'.includes(text[i - 1]!)) return true;
  if (i >= 3 && text.charCodeAt(i - 3) === 0x25 /* % */ && isHex(text.charCodeAt(i - 2)) && isHex(text.charCodeAt(i - 1))) return true;
  if (i >= 4 && text.charCodeAt(i - 4) === 0x5c && text[i - 3] === 'x' && isHex(text.charCodeAt(i - 2)) && isHex(text.charCodeAt(i - 1))) return true;
  if (i < 6 || text.charCodeAt(i - 6) !== 0x5c || text[i - 5] !== 'u') return false;
  for (let k = i - 4; k < i; k++) if (!isHex(text.charCodeAt(k))) return false;
  return true;
}

/**
 * Compiled code stores a string after its length, and a key's length, 67, is the byte `C`: a Java class file's
 * constant pool holds `01 00 43 st_…` (tag, big-endian u2 length), a Python `.pyc` holds `da 43 st_…` (marshal's
 * short ASCII string: `z`/`Z`, with or without its reference flag, then a one-byte length). In binary content
 * that `C` is a length, not a letter glued to the key.
 */
const KEY_LENGTH_BYTE = 0x43;
const SHORT_STRING_TYPES = new Set([0x00, 0x7a /* z */, 0x5a /* Z */, 0xfa /* z | FLAG_REF */, 0xda /* Z | FLAG_REF */]);
function isLengthPrefixBefore(text: string, i: number): boolean {
  return i >= 2 && text.charCodeAt(i - 1) === KEY_LENGTH_BYTE && SHORT_STRING_TYPES.has(text.charCodeAt(i - 2));
}

function isHex(code: number): boolean {
  return isHexLower(code) || (code >= 0x41 && code <= 0x46);
}
