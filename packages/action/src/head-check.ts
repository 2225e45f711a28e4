/**
 * `presentAtHead`: is the secret still in the file at the head commit? Only the few files with findings
 * are read (one request each), at their head path: renames by later commits are followed. A key that is
 * gone from head is still in the history and must be revoked all the same; the summary says which is
 * which so nobody thinks deleting the line was enough.
 */
import {
  contentViews,
  createLineIndex,
  scanContent,
  secretOf,
  withFields,
  type ContentOptions,
  type Finding,
  type LocatedMatch,
} from '@statalog/core';
import { mapBounded } from '@statalog/scan';
import type { CommitHits } from './aggregate.js';
import { BlobStore } from './blobs.js';
import type { Client } from './github.js';

export interface AtHead {
  /** The findings with `presentAtHead` set (their `file` and `line` stay where the key was added). */
  findings: Finding[];
  /**
   * For annotations and SARIF, where reviewers look: a key still at head shown at its head path and line
   * (renames followed; its fingerprint then names the head path, as a tree scan of head would); a key only in
   * history stays where it was added.
   */
  shown: Finding[];
}

export async function locateAtHead(
  client: Client,
  head: string,
  findings: readonly Finding[],
  scans: readonly CommitHits[] = [],
  options: ContentOptions = {},
): Promise<AtHead> {
  const store = new BlobStore(client);
  const paths = findings.map((f) => pathAtHead(f, scans));
  const files = [...new Set(paths)];
  const contents = await mapBounded(files, 4, (file) => store.fileAt(file, head));
  // read the way the scan read it: a key in a UTF-16 file is there although its bytes are not
  const byFile = new Map(
    files.map((file, i) => [
      file,
      contents[i] === undefined ? [] : contentViews(contents[i], undefined, false).map((v) => v.text),
    ]),
  );
  // a key found decoded is not in the text as such: the file at head is decoded again (once per file)
  const decoded = new Map<string, LocatedMatch[]>();
  const decodedIn = (file: string): LocatedMatch[] => {
    let matches = decoded.get(file);
    if (matches === undefined) {
      const content = contents[files.indexOf(file)];
      decoded.set(
        file,
        (matches =
          content === undefined
            ? []
            : scanContent(content, file, options).matches.filter((m) => m.encoding !== undefined)),
      );
    }
    return matches;
  };
  const marked: Finding[] = [];
  const shown: Finding[] = [];
  findings.forEach((f, i) => {
    const secret = secretOf(f);
    let position: { line: number; column: number } | undefined;
    if (secret !== undefined && f.encoding !== undefined) {
      const m = decodedIn(paths[i]!).find((d) => d.ruleId === f.ruleId && d.secret === secret);
      if (m) position = { line: m.line, column: m.column };
    } else if (secret !== undefined) {
      const text = (byFile.get(paths[i]!) ?? []).find((t) => t.includes(secret));
      if (text !== undefined) position = createLineIndex(text).position(text.indexOf(secret));
    }
    const finding = withFields(f, { presentAtHead: position !== undefined });
    marked.push(finding);
    if (position === undefined) {
      shown.push(finding);
      return;
    }
    const { line, column } = position;
    shown.push(withFields(finding, { file: paths[i]!, line, column, endColumn: column + (f.endColumn - f.column) }));
  });
  return { findings: marked, shown };
}

/** The finding's file as the commits after the one that introduced it renamed it (oldest first). */
export function pathAtHead(finding: Finding, scans: readonly CommitHits[]): string {
  const from = scans.findIndex((s) => s.commit?.sha === finding.commit);
  let path = finding.file;
  if (from < 0) return path;
  for (const scan of scans.slice(from + 1)) {
    const rename = scan.renames?.find((r) => r.from === path);
    if (rename) path = rename.to;
  }
  return path;
}
