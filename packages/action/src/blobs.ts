/**
 * File contents read through the API, each at most once per run: blobs by id, files by path at a commit,
 * and a commit's whole tree (blob ids by path) for merges. Requests are the Action's budget, so every answer
 * is kept (as a promise, so concurrent asks share one request).
 */
import { statusOf, type Client } from './github.js';

export interface Tree {
  blobs: Map<string, string>;
  truncated: boolean;
}

export class BlobStore {
  private readonly bySha = new Map<string, Promise<Uint8Array>>();
  private readonly byPath = new Map<string, Promise<Uint8Array | undefined>>();
  private readonly trees = new Map<string, Promise<Tree>>();

  constructor(private readonly client: Client) {}

  /** A blob's bytes by its id; rejects when the API will not send it. */
  blob(sha: string): Promise<Uint8Array> {
    let pending = this.bySha.get(sha);
    if (!pending) this.bySha.set(sha, (pending = readBlob(this.client, sha)));
    return pending;
  }

  /** The bytes of `path` at commit `ref`; undefined when the commit has no such file. */
  fileAt(path: string, ref: string): Promise<Uint8Array | undefined> {
    const key = `${ref}\0${path}`;
    let pending = this.byPath.get(key);
    if (!pending) this.byPath.set(key, (pending = readBytesAt(this.client, path, ref)));
    return pending;
  }

  /** Blob ids by path of a commit's whole tree (one request; `truncated` when the API cut it short). */
  tree(ref: string): Promise<Tree> {
    let pending = this.trees.get(ref);
    if (!pending) this.trees.set(ref, (pending = readTree(this.client, ref)));
    return pending;
  }
}

async function readBlob(client: Client, sha: string): Promise<Uint8Array> {
  const { data } = await client.octokit.rest.git.getBlob({ owner: client.owner, repo: client.repo, file_sha: sha });
  return data.encoding === 'base64' ? Buffer.from(data.content, 'base64') : Buffer.from(data.content, 'utf8');
}

async function readBytesAt(client: Client, path: string, ref: string): Promise<Uint8Array | undefined> {
  const file = await readContentEntry(client, path, ref);
  if (file === undefined) return undefined;
  // over 1 MB the API leaves the content out (encoding "none"): the blob has it. A blob the listing just named
  // and the API then cannot find is an error, not an absent file (outside the 404 catch on purpose: fail closed)
  if (typeof file.content === 'string' && file.encoding === 'base64' && (file.content !== '' || file.size === 0))
    return Buffer.from(file.content, 'base64');
  if (typeof file.sha === 'string') return readBlob(client, file.sha);
  return undefined;
}

interface ContentEntry {
  type?: string;
  content?: unknown;
  encoding?: unknown;
  sha?: unknown;
  size?: unknown;
}

/** The contents API's entry for a file at `ref`, or undefined when no file is there (404, a directory). */
async function readContentEntry(client: Client, path: string, ref: string): Promise<ContentEntry | undefined> {
  try {
    // the JSON form, not the raw media type: octokit hands raw text back as a string decoded as UTF-8, which
    // would mangle UTF-16 and binary files; base64 keeps every byte
    const { data } = await client.octokit.rest.repos.getContent({ owner: client.owner, repo: client.repo, path, ref });
    const file = data as ContentEntry;
    return Array.isArray(data) || file.type !== 'file' ? undefined : file;
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
}

export async function readTree(client: Client, ref: string): Promise<Tree> {
  const { data } = await client.octokit.rest.git.getTree({
    owner: client.owner,
    repo: client.repo,
    tree_sha: ref,
    recursive: 'true',
  });
  const blobs = new Map<string, string>();
  for (const entry of data.tree) if (entry.type === 'blob' && entry.path && entry.sha) blobs.set(entry.path, entry.sha);
  return { blobs, truncated: data.truncated };
}
