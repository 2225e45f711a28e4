/**
 * `presentAtHead`: is the secret still in the file at the head commit? Only the few files with findings
 * are read (one request each). A key that is gone from head is still in the history and must be revoked
 * all the same; the summary says which is which so nobody thinks deleting the line was enough.
 */
import { secretOf, withFields, type Finding } from '@statalog/core';
import type { Client } from './github.js';
import { mapBounded } from './pool.js';
import { readFileAt } from './repo-files.js';

export async function markPresentAtHead(client: Client, head: string, findings: readonly Finding[]): Promise<Finding[]> {
  const files = [...new Set(findings.map((f) => f.file))];
  const texts = await mapBounded(files, 4, (file) => readFileAt(client, file, head));
  const byFile = new Map(files.map((file, i) => [file, texts[i] ?? null]));
  return findings.map((f) => {
    const text = byFile.get(f.file);
    const secret = secretOf(f);
    return withFields(f, { presentAtHead: text != null && secret !== undefined && text.includes(secret) });
  });
}
