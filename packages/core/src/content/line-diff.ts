/**
 * Which lines of a new text are added relative to an old one — what `git diff` marks with `+`.
 *
 * Computed here rather than by asking git for patches: the scanner reads each blob once (`cat-file`) and
 * only diffs the few blob pairs whose new side holds a secret, so a patch for every commit is never needed.
 * The algorithm is Myers' O(ND) diff (the one git uses by default) on the part between the common prefix and
 * suffix; when the edit script is very long (a rewritten file) it falls back to counting: a new line is added
 * when it occurs more often in the new text than in the old one. Either way a line that merely moved, or a
 * file renamed without change, adds nothing.
 */

/** Above this many edits the exact diff costs more than it is worth; see the counting fallback. */
const MAX_EDITS = 2000;

/** Start offsets of the lines of `text`, split like git splits them (on `\n`). */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1 && i + 1 < text.length; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

export function splitLines(text: string, starts: readonly number[] = lineStarts(text)): string[] {
  const lines = new Array<string>(starts.length);
  for (let i = 0; i < starts.length; i++)
    lines[i] = text.slice(starts[i], i + 1 < starts.length ? starts[i + 1]! : text.length);
  return lines;
}

/** `added[i]` is true when new line `i` is an added line. Lines compare with their `\n`, as in git. */
export function addedLines(oldLines: readonly string[], newLines: readonly string[]): boolean[] {
  const added = new Array<boolean>(newLines.length).fill(false);
  let prefix = 0;
  while (prefix < oldLines.length && prefix < newLines.length && oldLines[prefix] === newLines[prefix]) prefix++;
  let suffix = 0;
  while (
    suffix < oldLines.length - prefix &&
    suffix < newLines.length - prefix &&
    oldLines[oldLines.length - 1 - suffix] === newLines[newLines.length - 1 - suffix]
  )
    suffix++;
  const a = oldLines.slice(prefix, oldLines.length - suffix);
  const b = newLines.slice(prefix, newLines.length - suffix);
  if (b.length === 0) return added;
  if (a.length === 0) {
    for (let i = 0; i < b.length; i++) added[prefix + i] = true;
    return added;
  }
  const inserted = myersInsertions(intern(a, b)) ?? countingInsertions(a, b);
  for (const i of inserted) added[prefix + i] = true;
  return added;
}

/** Lines as small integers, so the inner loop compares numbers instead of strings. */
function intern(a: readonly string[], b: readonly string[]): { a: Int32Array; b: Int32Array } {
  const ids = new Map<string, number>();
  const id = (line: string): number => {
    let n = ids.get(line);
    if (n === undefined) ids.set(line, (n = ids.size));
    return n;
  };
  return { a: Int32Array.from(a, id), b: Int32Array.from(b, id) };
}

/**
 * Indexes of `b` that Myers' shortest edit script inserts, or undefined when it needs more than MAX_EDITS
 * edits. Keeps the frontier of every round (O(D²) memory, bounded by MAX_EDITS) to walk the path back.
 */
function myersInsertions({ a, b }: { a: Int32Array; b: Int32Array }): number[] | undefined {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, MAX_EDITS);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = -1;
  for (let d = 0; d <= max && found < 0; d++) {
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = d;
        break;
      }
    }
    trace.push(v.slice(offset - d, offset + d + 1)); // frontier after round d, for k in [-d, d]
  }
  if (found < 0) return undefined;

  const inserted: number[] = [];
  let x = n;
  let y = m;
  for (let d = found; d > 0; d--) {
    const prev = trace[d - 1]!; // index j holds k = j - (d - 1)
    const at = (k: number): number => prev[k + d - 1]!;
    const k = x - y;
    const down = k === -d || (k !== d && at(k - 1) < at(k + 1));
    const prevK = down ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    // round d ended a snake at (x, y); it began right after this edit, which started where round d - 1 ended
    if (down) inserted.push(prevY);
    x = prevX;
    y = prevY;
  }
  return inserted.reverse();
}

/** Fallback for huge edit scripts: a new line is added when the old text has no unmatched copy of it left. */
function countingInsertions(a: readonly string[], b: readonly string[]): number[] {
  const counts = new Map<string, number>();
  for (const line of a) counts.set(line, (counts.get(line) ?? 0) + 1);
  const inserted: number[] = [];
  b.forEach((line, i) => {
    const c = counts.get(line) ?? 0;
    if (c > 0) counts.set(line, c - 1);
    else inserted.push(i);
  });
  return inserted;
}
