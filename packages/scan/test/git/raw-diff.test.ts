/** The raw-diff parser against real `git log --raw -c -z` output shapes, fed in every possible split. */
import { describe, expect, it } from 'vitest';
import { RawDiffParser, type CommitHeader, type RawChange } from '../../src/git/raw-diff.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const C = 'c'.repeat(40);
const Z = '0'.repeat(40);

// two commits: a rename plus an addition, then a merge (combined format) — as git writes them with -z
const STREAM =
  `\x01${'1'.repeat(40)}\0${'2'.repeat(40)}\0Ana <ana@example.test>\x002024-05-01T12:00:00+00:00\0\n` +
  `:100644 100644 ${A} ${A} R100\0old name.txt\0:odd\nname\0` +
  `:000000 100644 ${Z} ${B} A\0new.bin\0` +
  `\x01${'3'.repeat(40)}\0${'4'.repeat(40)} ${'5'.repeat(40)}\0Bo <bo@example.test>\x002024-05-02T12:00:00+00:00\0\0` +
  `::100644 100644 100644 ${A} ${Z} ${C} MA\0merged.txt\0` +
  `\x01${'6'.repeat(40)}\0\0Cy <cy@example.test>\x002024-05-03T12:00:00+00:00\0`;

function parse(chunks: string[]): { commits: CommitHeader[]; changes: RawChange[] } {
  const commits: CommitHeader[] = [];
  const changes: RawChange[] = [];
  const parser = new RawDiffParser({ commit: (c) => commits.push(c), change: (c) => changes.push(c) });
  for (const chunk of chunks) parser.push(chunk);
  parser.end();
  return { commits, changes };
}

describe('RawDiffParser', () => {
  it('reads commits, renames, additions, merges and odd file names', () => {
    const { commits, changes } = parse([STREAM]);
    expect(commits.map((c) => c.parents.length)).toEqual([1, 2, 0]);
    expect(commits[1]!.author).toBe('Bo <bo@example.test>');
    expect(changes).toEqual([
      { status: 'R', parentBlobs: [A], blob: A, mode: '100644', fromPath: 'old name.txt', path: ':odd\nname' },
      { status: 'A', parentBlobs: [undefined], blob: B, mode: '100644', path: 'new.bin' },
      { status: 'MA', parentBlobs: [A, undefined], blob: C, mode: '100644', path: 'merged.txt' },
    ]);
  });

  it('gives the same result however the stream is split', () => {
    const whole = parse([STREAM]);
    for (let cut = 1; cut < STREAM.length; cut += 7) {
      expect(parse([STREAM.slice(0, cut), STREAM.slice(cut)])).toEqual(whole);
    }
  });

  it('refuses output that ends inside a record', () => {
    const parser = new RawDiffParser({ change: () => {} });
    parser.push(`:100644 100644 ${A} ${B} R090\0only-one-path\0`);
    expect(() => parser.end()).toThrow(/middle of a record/);
  });
});
