/**
 * "Added by this change": the one rule every door that reads history applies (`--staged`, `--range`,
 * `--history` and the Action). `detect` runs over the WHOLE new content (so a rule that reads several lines —
 * a YAML `statalog:` section whose header sits far above, a Kubernetes `name:`/`value:` pair — sees all its
 * context), and a secret counts when no parent had it on that line: the line holding it is an added line
 * relative to every parent (for a merge, a line no parent had — one written while resolving it). A parent in
 * which the same rules find no secret at all counts as empty: the change that made a secret detectable
 * introduced it. Binary content has no lines: a key counts as added when no parent holds it at all.
 */
import type { Match } from '../detect.js';
import { lineAt } from '../position.js';
import { addedLines, lineStarts, splitLines } from './line-diff.js';
import { contentViews, detectView, locate, type ContentOptions, type ContentScan } from './scan-content.js';
import { sniff } from './sniff.js';

/**
 * Secrets on lines that `content` adds relative to each of `parents` (`undefined`: the path did not exist on
 * that side, or held nothing detectable — every line is added). Positions are those of the new content.
 */
export function addedSecrets(
  path: string,
  content: Uint8Array,
  parents: ReadonlyArray<Uint8Array | undefined>,
  options: ContentOptions = {},
): ContentScan {
  const sniffed = sniff(content);
  const result: ContentScan = { sniffed, binary: sniffed.kind === 'binary', matches: [] };
  for (const view of contentViews(content, sniffed)) {
    let matches: Match[] = detectView(view, path, options);
    if (matches.length === 0) continue;
    // parents are decoded (and their views found) only when a secret is there to compare
    for (const parent of parents) {
      if (parent === undefined || matches.length === 0) continue;
      matches = view.binary ? notHeldBy(parent, matches) : onAddedLines(view.text, parent, path, options, matches);
    }
    // no argument spread: a file may hold hundreds of thousands of keys
    for (const m of locate(view.text, matches)) result.matches.push(m);
  }
  return result;
}

/** Binary: a key is new when the parent's bytes, read in every way, do not hold it. */
function notHeldBy(parent: Uint8Array, matches: Match[]): Match[] {
  const texts = contentViews(parent, undefined, false).map((v) => v.text);
  return matches.filter((m) => !texts.some((t) => t.includes(m.secret)));
}

function onAddedLines(
  text: string,
  parent: Uint8Array,
  path: string,
  options: ContentOptions,
  matches: Match[],
): Match[] {
  const parentViews = contentViews(parent, undefined, false);
  const encoded = matches.some((m) => m.encoding !== undefined);
  // a secret the parent does not hold at all is on an added line whatever the diff: skip the diff
  if (!encoded && matches.every((m) => !parentViews.some((v) => v.text.includes(m.secret)))) return matches;
  const parentText = parentViews.find((v) => !v.binary)?.text;
  const parentMatches = parentText === undefined ? [] : parentViews.flatMap((v) => detectView(v, path, options));
  // a parent without any secret (or without text) adds nothing to compare with: every secret here is new
  if (parentMatches.length === 0) return matches;
  // a key the parent already held encoded is not added by encoding it again: a base64 `.env` whose other
  // variables changed, a wrapped block that grew a line
  const encodedInParent = new Set(
    parentMatches.filter((m) => m.encoding !== undefined).map((m) => `${m.ruleId}\0${m.secret}`),
  );
  const starts = lineStarts(text);
  const added = addedLines(splitLines(parentText!), splitLines(text, starts));
  return matches.filter((m) => {
    const first = lineAt(starts, m.start);
    if (m.encoding === undefined) return added[first] === true;
    if (encodedInParent.has(`${m.ruleId}\0${m.secret}`)) return false;
    // base64 wrapped across lines: a key changed inside the block changes a line below its first
    const last = lineAt(starts, Math.max(m.start, m.end - 1));
    for (let line = first; line <= last; line++) if (added[line] === true) return true;
    return false;
  });
}
