/**
 * What a run scanned and — as precisely as the API allows — what it did not. Everything here ends up in the
 * job summary; gaps also become one warning in the log.
 */
export interface Gap {
  /** One sentence without file names (they are listed in `files`, escaped where they are printed). */
  text: string;
  files?: string[];
}

export class Coverage {
  commits = 0;
  /** Files whose added lines (patch) were scanned. */
  patches = 0;
  /** Files read whole: no patch in the API answer, tree scans, files past the API's file limit. */
  wholeFiles = 0;
  /** Files skipped because the config's ignorePaths match them. */
  ignored = 0;
  /** Of the files read whole, how many were binary (searched for the cloud-key pattern, as the CLI does). */
  binary = 0;
  /** Merge commits: scanned like any commit, against every parent (what was written while resolving them). */
  readonly merges: string[] = [];
  readonly gaps: Gap[] = [];
  /** Said in the summary without being a gap (a fallback taken, a config changed by the PR). */
  readonly notes: string[] = [];

  addGap(text: string, files?: string[]): void {
    this.gaps.push(files && files.length > 0 ? { text, files } : { text });
  }
}
