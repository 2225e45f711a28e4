import { CLOUD_KEY_LENGTH, CLOUD_PREFIX, isHexLower, isWordChar } from './patterns.js';

/**
 * Start offsets of every well-formed cloud key in `text[from, to)`: `st_` + 64 lower-case hex, not
 * touching another letter, digit or `_` on either side (so `test_…` and 65-character runs never match).
 * A hand-written scan instead of a regex: `indexOf` finds the few `st_` anchors, then a fixed 64-step
 * check, so the cost is linear whatever the input.
 *
 * In binary content (`binary`) the boundaries follow what compilers and databases write around a string:
 * anything may come before the key — a length byte (`C`, 0x43, for 67 in a `.pyc` or a `.class` constant
 * pool), the previous column of a SQLite row (`statalogst_…`) — and the key ends where the hex ends (see
 * `isCloudKeyEnd`). `test_`-style look-alikes are a problem of text, not of compiled files.
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

export function isCloudKeyAt(text: string, i: number, binary = false): boolean {
  if (!binary && i > 0 && isWordChar(text.charCodeAt(i - 1)) && !isEscapeBefore(text, i)) return false;
  const end = i + CLOUD_KEY_LENGTH;
  if (end > text.length) return false;
  for (let k = i + CLOUD_PREFIX.length; k < end; k++) if (!isHexLower(text.charCodeAt(k))) return false;
  return end === text.length || isCloudKeyEnd(text.charCodeAt(end), text.charCodeAt(end + 1), binary);
}

/**
 * Whether the 64 hex characters of a key may be followed by `next` (and then `after`; NaN or undefined past
 * the end). In text: anything but a letter, digit or `_`. In binary content the hex run must end there —
 * a 65th hex character makes a longer hex string, not a key — except for a hex letter followed by a control
 * byte: a type tag before binary data, as `marshal` writes `c` (a code object) right after a `.pyc` string.
 * A letter that is not hex (`N` for None, `z` for the next string in a `.pyc`) ends the key.
 */
export function isCloudKeyEnd(next: number, after: number | undefined, binary: boolean): boolean {
  if (!binary) return !isWordChar(next);
  if (!isHexLower(next)) return true;
  return next >= 0x61 && after !== undefined && after < 0x20;
}

/**
 * A key right after a string escape (`"\nst_…"`, `"\u003dst_…"`, `"\x3dst_…"`) or a percent-encoding
 * (`api_key%3Dst_…`) is not glued to a word: the letter or digits before it belong to the escape.
 */
function isEscapeBefore(text: string, i: number): boolean {
  if (i >= 2 && text.charCodeAt(i - 2) === 0x5c /* \ */ && 'ntrfvb0'.includes(text[i - 1]!)) return true;
  if (
    i >= 3 &&
    text.charCodeAt(i - 3) === 0x25 /* % */ &&
    isHex(text.charCodeAt(i - 2)) &&
    isHex(text.charCodeAt(i - 1))
  )
    return true;
  if (
    i >= 4 &&
    text.charCodeAt(i - 4) === 0x5c &&
    text[i - 3] === 'x' &&
    isHex(text.charCodeAt(i - 2)) &&
    isHex(text.charCodeAt(i - 1))
  )
    return true;
  if (i < 6 || text.charCodeAt(i - 6) !== 0x5c || text[i - 5] !== 'u') return false;
  for (let k = i - 4; k < i; k++) if (!isHex(text.charCodeAt(k))) return false;
  return true;
}

function isHex(code: number): boolean {
  return isHexLower(code) || (code >= 0x41 && code <= 0x46);
}
