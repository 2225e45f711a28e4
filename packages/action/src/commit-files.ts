/**
 * The files of one commit with their patches. The commit API sends 300 files per page and at most 3000 in
 * all; past that, the trees of the commit and its parent name exactly the files the API left out.
 */
import { readTree } from './blobs.js';
import type { Client } from './github.js';

export interface CommitFile {
  filename: string;
  status: string;
  /** Absent for binary files and for diffs too large for the API. */
  patch?: string;
  /** Blob sha of the new version. */
  sha?: string | null;
  /** For renames: the path before. */
  previous_filename?: string;
  changes: number;
}

export interface CommitFiles {
  files: CommitFile[];
  /** Changed files the API did not list (only when it hit its 3000-file limit). */
  unlisted: Array<{ path: string; sha: string }>;
  /** The trees were too large to list completely: unlisted files may be missing from `unlisted`. */
  treeTruncated: boolean;
}

const COMMIT_FILES_LIMIT = 3000;

export async function getCommitFiles(client: Client, sha: string, parent: string | undefined): Promise<CommitFiles> {
  const { octokit, owner, repo } = client;
  const first = await octokit.rest.repos.getCommit({ owner, repo, ref: sha });
  const files = [...((first.data.files ?? []) as CommitFile[])];
  let next = nextLink(first.headers.link);
  while (next) {
    const page = await octokit.request({ method: 'GET', url: next });
    files.push(...((page.data as { files?: CommitFile[] }).files ?? []));
    next = nextLink(page.headers.link);
  }
  if (files.length < COMMIT_FILES_LIMIT) return { files, unlisted: [], treeTruncated: false };

  const listed = new Set(files.map((f) => f.filename));
  const [tree, parentTree] = await Promise.all([
    readTree(client, sha),
    parent ? readTree(client, parent) : Promise.resolve({ blobs: new Map<string, string>(), truncated: false }),
  ]);
  const unlisted: Array<{ path: string; sha: string }> = [];
  for (const [path, blob] of tree.blobs)
    if (!listed.has(path) && parentTree.blobs.get(path) !== blob) unlisted.push({ path, sha: blob });
  return { files, unlisted, treeTruncated: tree.truncated || parentTree.truncated };
}

/** The `rel="next"` URL of a Link header. */
export function nextLink(link: string | undefined): string | undefined {
  if (!link) return undefined;
  for (const part of link.split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part);
    if (m) return m[1];
  }
  return undefined;
}
