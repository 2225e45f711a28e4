/**
 * `presentAtHead`: is the secret still in the file at the head commit? Only the few files with findings
 * are read (one request each), at their head path: renames by later commits are followed. A key that is
 * gone from head is still in the history and must be revoked all the same; the summary says which is
 * which so nobody thinks deleting the line was enough.
 */
import { createLineIndex, secretOf, withFields, type Finding } from '@statalog/core';
import type { CommitHits } from './aggregate.js';
import type { Client } from './github.js';
import { mapBounded } from './pool.js';
import { readFileAt } from './repo-files.js';

export async function markPresentAtHead(client: Client, head: string, findings: readonly Finding[], scans: readonly CommitHits[] = []): Promise<Finding[]> {
  return (await locateAtHead(client, head, findings, scans)).findings;
}

export interface AtHead {
  /** The findings with `presentAtHead` set (their `file` and `line` stay where the key was added). */
  findings: Finding[];
  /**
   * For annotations and SARIF, where reviewers look: a key still at head shown at its head path and line
   * (renames followed); a key only in history stays where it was added. Same fingerprints.
   */
  shown: Finding[];
}

export async function locateAtHead(client: Client, head: string, findings: readonly Finding[], scans: readonly CommitHits[] = []): Promise<AtHead> {
  const paths = findings.map((f) => pathAtHead(f, scans));
  const files = [...new Set(paths)];
  const texts = await mapBounded(files, 4, (file) => readFileAt(client, file, head));
  const byFile = new Map(files.map((file, i) => [file, texts[i] ?? null]));
  const marked: Finding[] = [];
  const shown: Finding[] = [];
  findings.forEach((f, i) => {
    const text = byFile.get(paths[i]!);
    const secret = secretOf(f);
    const at = text != null && secret !== undefined ? text.indexOf(secret) : -1;
    const finding = withFields(f, { presentAtHead: at >= 0 });
    marked.push(finding);
    if (at < 0) {
      shown.push(finding);
      return;
    }
    const { line, column } = createLineIndex(text!).position(at);
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
