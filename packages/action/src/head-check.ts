/**
 * `presentAtHead`: is the secret still in the file at the head commit? Only the few files with findings
 * are read (one request each), at their head path: renames by later commits are followed. A key that is
 * gone from head is still in the history and must be revoked all the same; the summary says which is
 * which so nobody thinks deleting the line was enough.
 */
import { holdsSecret, secretOf, withFields, type Finding } from '@statalog/core';
import type { CommitHits } from './aggregate.js';
import { BlobStore } from './blobs.js';
import type { Client } from './github.js';
import { mapBounded } from './pool.js';

export async function markPresentAtHead(client: Client, head: string, findings: readonly Finding[], scans: readonly CommitHits[] = []): Promise<Finding[]> {
  const store = new BlobStore(client);
  const paths = findings.map((f) => pathAtHead(f, scans));
  const files = [...new Set(paths)];
  const contents = await mapBounded(files, 4, (file) => store.fileAt(file, head));
  const byFile = new Map(files.map((file, i) => [file, contents[i]]));
  return findings.map((f, i) => {
    const bytes = byFile.get(paths[i]!);
    const secret = secretOf(f);
    // read the way the scan read it: a key in a UTF-16 file is there although its bytes are not
    return withFields(f, { presentAtHead: bytes !== undefined && secret !== undefined && holdsSecret(bytes, secret) });
  });
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
