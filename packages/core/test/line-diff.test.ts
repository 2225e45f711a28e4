/**
 * The added-lines diff: on random small texts it must be a shortest edit script (as many kept lines as the
 * longest common subsequence), keep the lines it does not mark as added in order, and agree with git on
 * the cases git users know.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lineAt } from '@statalog/core';
import { addedLines, lineStarts, splitLines } from '../src/content/line-diff.js';

function lcsLength(a: readonly string[], b: readonly string[]): number {
  const row = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    let diag = 0;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j]!;
      row[j] = a[i - 1] === b[j - 1] ? diag + 1 : Math.max(row[j]!, row[j - 1]!);
      diag = up;
    }
  }
  return row[b.length]!;
}

/** True when `sub` is a subsequence of `seq`. */
function isSubsequence(sub: readonly string[], seq: readonly string[]): boolean {
  let i = 0;
  for (const s of seq) if (i < sub.length && sub[i] === s) i++;
  return i === sub.length;
}

const lines = fc.array(fc.constantFrom('a\n', 'b\n', 'c\n', 'key\n', '\n'), { maxLength: 30 });

describe('addedLines', () => {
  it('keeps a longest common subsequence and marks exactly the rest as added', () => {
    fc.assert(
      fc.property(lines, lines, (oldLines, newLines) => {
        const added = addedLines(oldLines, newLines);
        expect(added).toHaveLength(newLines.length);
        const kept = newLines.filter((_, i) => !added[i]);
        expect(isSubsequence(kept, oldLines)).toBe(true);
        expect(kept.length).toBe(lcsLength(oldLines, newLines));
      }),
      { numRuns: 500 },
    );
  });

  it('marks an inserted line, not the identical lines around it', () => {
    expect(addedLines(['a\n', 'b\n', 'c\n'], ['a\n', 'b\n', 'new\n', 'c\n'])).toEqual([false, false, true, false]);
  });

  it('marks nothing for a pure move of distinct lines beyond what a diff must add', () => {
    const added = addedLines(['x\n', 'y\n', 'z\n'], ['z\n', 'x\n', 'y\n']);
    expect(added.filter(Boolean)).toHaveLength(1);
  });

  it('marks everything when the old side is empty and nothing when the texts are equal', () => {
    expect(addedLines([], ['a\n', 'b\n'])).toEqual([true, true]);
    expect(addedLines(['a\n', 'b'], ['a\n', 'b'])).toEqual([false, false]);
  });

  it('treats a changed last line without a newline as added (git compares the newline too)', () => {
    expect(addedLines(['a\n', 'b'], ['a\n', 'b\n'])).toEqual([false, true]);
  });

  it('falls back to counting for very long edit scripts and still marks only new lines', () => {
    const oldLines = Array.from({ length: 5000 }, (_, i) => `old ${i}\n`);
    const newLines = Array.from({ length: 5000 }, (_, i) => (i === 2500 ? 'old 7\n' : `new ${i}\n`));
    const added = addedLines(oldLines, newLines);
    expect(added[2500]).toBe(false);
    expect(added.filter(Boolean)).toHaveLength(4999);
  });
});

describe('line positions', () => {
  it('splits on \\n like git and finds the line of an offset', () => {
    const text = 'one\r\ntwo\n\nfour';
    const starts = lineStarts(text);
    expect(splitLines(text, starts)).toEqual(['one\r\n', 'two\n', '\n', 'four']);
    expect(lineAt(starts, text.indexOf('four'))).toBe(3);
    expect(lineAt(starts, 0)).toBe(0);
    expect(lineStarts('a\n')).toEqual([0]);
  });
});
