/**
 * Scanning commits through the API with core's content pipeline, as `--range` and `--history` do: a secret
 * counts for a commit when no parent had it on that line of that file (core's `addedSecrets`), merges
 * included (every parent is read). The patch is the fast path where it is enough (`patchIsEnough`); a file
 * without a patch (binary, UTF-16, a diff over 1 MB), an added line a multi-line rule may need context for,
 * and every file a merge changed are judged by their whole blob against the parents' blobs. Files the API
 * does not list are found from the trees; a tree scan serves events with no range. Everything not scanned
 * is recorded in the coverage.
 */
import {
  addedSecrets,
  findingInputOf,
  scanContent,
  shortSha,
  type ContentScan,
  type FindingInput,
} from '@statalog/core';
import { mapBounded } from '@statalog/scan';
import type { CommitHits } from './aggregate.js';
import { BlobStore } from './blobs.js';
import { getCommitFiles, type CommitFile } from './commit-files.js';
import type { CommitRef } from './commits.js';
import type { Coverage } from './coverage.js';
import { describeApiError, statusOf, type Client } from './github.js';
import type { PathFilter } from './ignore-filter.js';
import { patchIsEnough, scanPatch, type ScanOptions } from './patch.js';
import { readTarball, type TarFile } from './tarball.js';

/** Commits in flight at once: enough to hide latency, few enough to stay clear of secondary rate limits. */
const COMMIT_CONCURRENCY = 4;
/** Files past the API's 3000-file limit read as blobs, over the whole run; the rest are named as not scanned. */
const UNLISTED_BLOB_BUDGET = 1000;

export class Scanner {
  /** Every path a scanned commit added or changed (to notice a PR that edits the config or baseline). */
  readonly touched = new Set<string>();
  private readonly store: BlobStore;
  private unlistedBudget = UNLISTED_BLOB_BUDGET;

  constructor(
    private readonly client: Client,
    private readonly options: ScanOptions,
    private readonly ignored: PathFilter,
    private readonly coverage: Coverage,
  ) {
    this.store = new BlobStore(client);
  }

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
      const { data } = await client.octokit.rest.repos.downloadTarballArchive({
        owner: client.owner,
        repo: client.repo,
        ref,
      });
      files = readTarball(data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(0));
    } catch (error) {
      const status = statusOf(error);
      if (status === 401 || status === 403 || (status !== undefined && status >= 500)) throw error;
      coverage.notes.push(
        `the tarball of ${shortSha(ref)} could not be read (${describeApiError(error)}); the files were read one by one from the tree`,
      );
      return [{ commit: undefined, hits: await this.scanTreeBlobs(ref) }];
    }
    const hits: FindingInput[] = [];
    for (const file of files) {
      if (this.ignored(file.path)) {
        coverage.ignored++;
      } else {
        coverage.wholeFiles++;
        for (const hit of this.hitsOf(scanContent(file.data, file.path, this.options), file.path)) hits.push(hit);
      }
    }
    return [{ commit: undefined, hits }];
  }

  private async scanTreeBlobs(ref: string): Promise<FindingInput[]> {
    const { data } = await this.client.octokit.rest.git.getTree({
      owner: this.client.owner,
      repo: this.client.repo,
      tree_sha: ref,
      recursive: 'true',
    });
    if (data.truncated)
      this.coverage.addGap(
        `the tree at ${shortSha(ref)} is too large for the API to list whole: some of its files were not scanned`,
      );
    const blobs = data.tree.filter((e) => e.type === 'blob' && e.path && e.sha);
    const where = `the tree at ${shortSha(ref)}`;
    const results = await mapBounded(blobs, COMMIT_CONCURRENCY, async (entry) => {
      if (this.ignored(entry.path)) {
        this.coverage.ignored++;
        return [];
      }
      return this.scanAdded({ sha: entry.sha, path: entry.path, parents: [], where });
    });
    return results.flat();
  }

  private async scanCommit(commit: CommitRef): Promise<CommitHits> {
    const { coverage } = this;
    const where = `commit ${shortSha(commit.sha)}`;
    const merge = commit.parents.length > 1;
    const { files, unlisted, treeTruncated } = await getCommitFiles(this.client, commit.sha, commit.parents[0]);
    coverage.commits++;
    if (merge) coverage.merges.push(commit.sha);
    const hits: FindingInput[] = [];
    const renames: Array<{ from: string; to: string }> = [];
    for (const file of files) {
      if (file.status === 'removed') continue;
      if (file.status === 'renamed' && file.previous_filename)
        renames.push({ from: file.previous_filename, to: file.filename });
      this.touched.add(file.filename);
      if (this.ignored(file.filename)) {
        coverage.ignored++;
      } else if (!merge && typeof file.patch === 'string' && patchIsEnough(file.patch, file.filename)) {
        coverage.patches++;
        for (const hit of scanPatch(file.patch, file.filename, this.options)) hits.push(hit);
      } else if (!merge && file.status === 'renamed' && file.changes === 0) {
        // a pure rename adds no line
      } else if (file.sha) {
        // an added file had no parent version to compare with (a merge's may come from another parent)
        const parents = !merge && file.status === 'added' ? [] : commit.parents;
        for (const hit of await this.scanAdded({
          sha: file.sha,
          path: file.filename,
          oldPath: oldPathOf(file),
          parents,
          where,
        }))
          hits.push(hit);
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
        for (const hit of await this.scanAdded({ sha: file.sha, path: file.path, parents: commit.parents, where }))
          hits.push(hit);
      } else rest.push(file.path);
    }
    if (unlisted.length > 0)
      coverage.notes.push(
        `${where} changes more files than the ${files.length} the commit API lists; the other ${unlisted.length} were found by comparing its tree with its parent's and read whole`,
      );
    if (rest.length > 0)
      coverage.addGap(
        `${where}: ${rest.length} changed files past the API's file limit were not scanned (over the run's budget of ${UNLISTED_BLOB_BUDGET} extra files)`,
        rest,
      );
    if (treeTruncated)
      coverage.addGap(
        `${where} changes more files than the commit API lists, and its tree is too large for the API to list whole: some of its changed files were not scanned`,
      );
    return { commit, hits, renames };
  }

  /**
   * A changed file judged whole: its blob at the commit against the same file in every parent (the first
   * parent's under its old name after a rename), through core's `addedSecrets`. A file identical to one
   * parent's adds nothing (a merge bringing in the other side's work) and is not read at all.
   */
  private async scanAdded(file: {
    sha: string;
    path: string;
    oldPath?: string;
    parents: readonly string[];
    where: string;
  }): Promise<FindingInput[]> {
    const { coverage, store } = this;
    try {
      const parentShas =
        file.parents.length > 1
          ? await Promise.all(
              file.parents.map((p, i) => this.blobIdAt(p, i === 0 ? (file.oldPath ?? file.path) : file.path)),
            )
          : [];
      if (parentShas.includes(file.sha)) return [];
      const content = await store.blob(file.sha);
      const parents = await Promise.all(
        file.parents.map(async (p, i) => {
          const known = parentShas[i];
          if (known === null) return undefined; // the parent has no such file: every line is added
          return known !== undefined
            ? store.blob(known)
            : store.fileAt(i === 0 ? (file.oldPath ?? file.path) : file.path, p);
        }),
      );
      coverage.wholeFiles++;
      return this.hitsOf(addedSecrets(file.path, content, parents, this.options), file.path);
    } catch (error) {
      const status = statusOf(error);
      // auth and server failures are the run's failure; a blob the API will not send is a gap
      if (status === undefined || status >= 500 || status === 401 || status === 403) throw error;
      coverage.addGap(
        `${file.where}: the API could not send this file (${describeApiError(error)}), so it was not scanned`,
        [file.path],
      );
      return [];
    }
  }

  /**
   * The blob id of `path` in commit `ref`'s tree: null when the tree has no such file, undefined when the
   * tree is too large for the API to list whole (the file is then read by path).
   */
  private async blobIdAt(ref: string, path: string): Promise<string | null | undefined> {
    const tree = await this.store.tree(ref);
    return tree.blobs.get(path) ?? (tree.truncated ? undefined : null);
  }

  private hitsOf(scan: ContentScan, file: string): FindingInput[] {
    if (scan.binary) this.coverage.binary++;
    return scan.matches.map((m) => findingInputOf(m, file));
  }
}

function oldPathOf(file: CommitFile): string | undefined {
  return file.status === 'renamed' || file.status === 'copied' ? file.previous_filename : undefined;
}
