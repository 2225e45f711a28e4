/** Line/column lookup for a string: 1-based lines, 1-based UTF-16 columns; `\n`, `\r\n` and lone `\r` end lines. */
export interface LineIndex {
  position(index: number): { line: number; column: number };
}

export function createLineIndex(text: string): LineIndex {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) starts.push(i + 1);
    else if (c === 0x0d) {
      if (text.charCodeAt(i + 1) === 0x0a) i++;
      starts.push(i + 1);
    }
  }
  return {
    position(index) {
      const line = lineAt(starts, index);
      return { line: line + 1, column: index - starts[line]! + 1 };
    },
  };
}

/** Index of the line holding `offset`, given the ascending start offsets of the lines (binary search). */
export function lineAt(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
