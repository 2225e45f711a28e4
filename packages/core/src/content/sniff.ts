/**
 * What a run of bytes is: UTF-8 text, UTF-16 text, or binary. Every door asks this one function, so a file the
 * tree scan reads as text is text for `--staged`, `--range`, `--history` and the Action too.
 */

/** Bytes looked at for a NUL: a NUL in the first 8 KiB (and no byte-order mark) makes the content binary. */
const BINARY_SNIFF = 8192;

export type Sniffed =
  /** `start`: where the text begins (3 after a UTF-8 byte-order mark). */
  | { kind: 'utf8'; start: number }
  /**
   * `start`: 2 after a byte-order mark, 0 without one. `guessed`: no mark, recognised by its NUL bytes — such
   * content is also searched as binary, so a wrong guess cannot hide a cloud key.
   */
  | { kind: 'utf16'; bigEndian: boolean; start: number; guessed: boolean }
  | { kind: 'binary' };

/** Tells the encoding from the first `length` bytes (all of them by default); never reads past `length`. */
export function sniff(bytes: Uint8Array, length = bytes.length): Sniffed {
  if (length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe)
    return { kind: 'utf16', bigEndian: false, start: 2, guessed: false };
  if (length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff)
    return { kind: 'utf16', bigEndian: true, start: 2, guessed: false };
  if (length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { kind: 'utf8', start: 3 };
  const sample = bytes.subarray(0, Math.min(length, BINARY_SNIFF));
  if (sample.indexOf(0) === -1) return { kind: 'utf8', start: 0 };
  const unmarked = utf16ByNulBytes(sample);
  return unmarked === undefined
    ? { kind: 'binary' }
    : { kind: 'utf16', bigEndian: unmarked === 'be', start: 0, guessed: true };
}

/**
 * UTF-16 without a byte-order mark (Windows PowerShell 5 and regedit write it): text that is mostly ASCII has a
 * NUL in every other byte — the high byte of each unit — and almost none in the other half. Binary data has
 * NULs in both halves. Undefined when the sample does not look like UTF-16.
 */
function utf16ByNulBytes(sample: Uint8Array): 'le' | 'be' | undefined {
  let even = 0;
  let odd = 0;
  const units = sample.length >> 1;
  for (let i = 0; i + 1 < sample.length; i += 2) {
    if (sample[i] === 0) even++;
    if (sample[i + 1] === 0) odd++;
  }
  // integer comparisons (odd ≥ units/4, even ≤ odd/16): a fraction here made V8 throw its optimised code away
  if (odd * 4 >= units && even * 16 <= odd) return 'le';
  if (even * 4 >= units && odd * 16 <= even) return 'be';
  return undefined;
}
