/**
 * Scanning commits through the API: each commit's added lines from its patches, blobs read whole where the
 * API sends no patch, files the API does not list read from the trees — and a tree scan for events with
 * no range. Everything not scanned is recorded in the coverage.
 */
import type { CommitHits } from './aggregate.js';
import { getCommitFiles } from './commit-files.js';
import type { CommitRef } from './commits.js';
import { decodeText, isBinary, scanWhole } from './content.js';
import type { Coverage } from './coverage.js';
import { describeApiError, statusOf, type Client } from './github.js';
import type { PathFilter } from './ignore-filter.js';
import { scanPatch, type Hit, type ScanOptions } from './patch.js';
import { short } from './plan.js';
import { mapBounded } from './pool.js';
import { readTarball, type TarFile } from './tarball.js';

/** Commits in flight at once: enough to hide latency, few enough to stay clear of secondary rate limits. */
const COMMIT_CONCURRENCY = 4;
/** Files past the API's 3000-file limit read as blobs, over the whole run; the rest are named as not scanned. */
const UNLISTED_BLOB_BUDGET = 1000;

export class Scanner {
  /** Every path a scanned commit added or changed (to notice a PR that edits the config or baseline). */
  readonly touched = new Set<string>();
  private readonly blobs = new Map<string, Promise<Hit[]>>();
  private unlistedBudget = UNLISTED_BLOB_BUDGET;

  constructor(
    private readonly client: Client,
    private readonly options: ScanOptions,
    private readonly ignored: PathFilter,
    private readonly coverage: Coverage,
  ) {}

  /** Hits per commit, in the order given (oldest first). */
  scanCommits(commits: readonly CommitRef[]): Promise<CommitHits[]> {
    return mapBounded(commits, COMMIT_CONCURRENCY, (commit) => this.scanCommit(commit));
  }

  /**
   * Every file at `ref`, from one tarball request. Where the tarball endpoint is not available (or answers
   * something that is not a gzipped tar), the recursive tree and one blob per file — slower, same result.
   */
  async scanTree(ref: string): Promise<CommitHits[]> {
    const { client, coverage } = this;
    let files: TarFile[];
    try {
      const { data } = await client.octokit.rest.repos.downloadTarballArchive({ owner: client.owner, repo: client.repo, ref });
      files = readTarball(data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(0));
    } catch (error) {
      const status = statusOf(error);
      if (status === 401 || status === 403 || (status !== undefined && status >= 500)) throw error;
      coverage.notes.push(`the tarball of ${short(ref)} could not be read (${describeApiError(error)}); the files were read one by one from the tree`);
      return [{ commit: undefined, hits: await this.scanTreeBlobs(ref) }];
    }
    const hits: Hit[] = [];
    for (const file of files) {
      if (this.ignored(file.path)) {
        coverage.ignored++;
      } else if (isBinary(file.data)) {
        coverage.binary.push(file.path);
      } else {
        coverage.wholeFiles++;
        hits.push(...scanWhole(decodeText(file.data), file.path, this.options));
      }
    }
    return [{ commit: undefined, hits }];
  }

  private async scanTreeBlobs(ref: string): Promise<Hit[]> {
    const { data } = await this.client.octokit.rest.git.getTree({ owner: this.client.owner, repo: this.client.repo, tree_sha: ref, recursive: 'true' });
    if (data.truncated) this.coverage.addGap(`the tree at ${short(ref)} is too large for the API to list whole: some of its files were not scanned`);
    const blobs = data.tree.filter((e) => e.type === 'blob' && e.path && e.sha);
    const where = `the tree at ${short(ref)}`;
    const results = await mapBounded(blobs, COMMIT_CONCURRENCY, async (entry) => {
      if (this.ignored(entry.path!)) {
        this.coverage.ignored++;
        return [];
      }
      return this.scanBlob(entry.sha!, entry.path!, where);
    });
    return results.flat();
  }

  private async scanCommit(commit: CommitRef): Promise<CommitHits> {
    const { coverage } = this;
    if (commit.parents.length > 1) {
      // A merge's diff against its first parent repeats what the merged branch brought (already on the base
      // branch, or scanned in its own commits); git log -p shows no diff for merges either.
      coverage.merges.push(commit.sha);
      return { commit, hits: [] };
    }
    const where = `commit ${short(commit.sha)}`;
    const { files, unlisted, treeTruncated } = await getCommitFiles(this.client, commit.sha, commit.parents[0]);
    coverage.commits++;
    const hits: Hit[] = [];
    const renames: Array<{ from: string; to: string }> = [];
    for (const file of files) {
      if (file.status === 'removed') continue;
      if (file.status === 'renamed' && file.previous_filename) renames.push({ from: file.previous_filename, to: file.filename });
      this.touched.add(file.filename);
      if (this.ignored(file.filename)) {
        coverage.ignored++;
      } else if (typeof file.patch === 'string') {
        coverage.patches++;
        hits.push(...scanPatch(file.patch, file.filename, this.options));
      } else if (file.status === 'renamed' && file.changes === 0) {
        // a pure rename adds no line
      } else if (file.sha) {
        hits.push(...(await this.scanBlob(file.sha, file.filename, where)));
      } else {
        coverage.addGap(`${where}: the API sent neither a patch nor a blob for this file`, [file.filename]);
      }
    }
    const rest: string[] = [];
    for (const file of unlisted) {
      this.touched.add(file.path);
      if (this.ignored(file.path)) {
        coverage.ignored++;
      } else if (this.unlistedBudget > 0) {
        this.unlistedBudget--;
        hits.push(...(await this.scanBlob(file.sha, file.path, where)));
      } else rest.push(file.path);
    }
    if (unlisted.length > 0)
      coverage.notes.push(
        `${where} changes more files than the ${files.length} the commit API lists; the other ${unlisted.length} were found by comparing its tree with its parent's and read whole`,
      );
    if (rest.length > 0)
      coverage.addGap(`${where}: ${rest.length} changed files past the API's file limit were not scanned (over the run's budget of ${UNLISTED_BLOB_BUDGET} extra files)`, rest);
    if (treeTruncated)
      coverage.addGap(`${where} changes more files than the commit API lists, and its tree is too large for the API to list whole: some of its changed files were not scanned`);
    return { commit, hits, renames };
  }

  /** A blob read whole; cached, as the same content under the same path is often in several commits. */
  private scanBlob(sha: string, path: string, where: string): Promise<Hit[]> {
    const key = `${sha}\0${path}`;
    let pending = this.blobs.get(key);
    if (!pending) {
      const { coverage } = this;
      pending = readBlob(this.client, sha).then(
        (bytes) => {
          if (isBinary(bytes)) {
            coverage.binary.push(path);
            return [];
          }
          coverage.wholeFiles++;
          return scanWhole(decodeText(bytes), path, this.options);
        },
        (error: unknown) => {
          const status = statusOf(error);
          // auth and server failures are the run's failure; a blob the API will not send is a gap
          if (status === undefined || status >= 500 || status === 401 || status === 403) throw error;
          coverage.addGap(`${where}: the API could not send this file (${describeApiError(error)}), so it was not scanned`, [path]);
          return [];
        },
      );
      this.blobs.set(key, pending);
    }
    return pending;
  }
}

async function readBlob(client: Client, sha: string): Promise<Uint8Array> {
  const { data } = await client.octokit.rest.git.getBlob({ owner: client.owner, repo: client.repo, file_sha: sha });
  return data.encoding === 'base64' ? Buffer.from(data.content, 'base64') : Buffer.from(data.content, 'utf8');
}
