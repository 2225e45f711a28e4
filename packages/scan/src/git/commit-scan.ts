/**
 * `--range` and `--history`: the lines each commit adds, without asking git for a single patch.
 *
 * 1. `git log --raw -c` streams, for every commit, which blob each changed path now has (merges: only paths
 *    that differ from every parent, in git's combined format). That is tree diffing only — no file contents.
 * 2. Each blob id not seen before goes to one `git cat-file --batch` (`blob-triage.ts`); its bytes go through
 *    core's byte prefilter. A blob where no anchor survives is forgotten; one where an anchor does is kept
 *    for step 3. A blob is read once however many commits and paths share it.
 * 3. Only for the (commit, path) pairs whose new blob was kept is `detect` run (`added-credit.ts`, as soon as
 *    a pair's parents have their verdict, on a second thread in a long history), on the lines the commit adds
 *    (core's `addedSecrets`, content/added.ts), so a key that was added and removed again is found in the
 *    commit that added it, and a key a merge brought along is credited to the commit that wrote it, while one
 *    written while resolving the merge is credited to the merge. The parent blob is usually one step 2 has
 *    seen: a kept blob needs no second read; a forgotten one cannot hold the new secret on an unchanged line,
 *    so every secret counts as added without a diff. Only parents outside the scanned commits (the base side
 *    of a range) are read again. `detect` runs here and not in step 2: most kept blobs hold no secret, and
 *    one `detect` with the path's syntax costs less than step 2's verdict for both syntaxes plus this one.
 * 4. The same secret in the same file is one finding: the oldest commit that added it (the last one in
 *    git's newest-first topological order), with how many commits added it.
 */
import { join } from 'node:path';
import { secretOf, shortSha, withFields, type OriginIndex } from '@statalog/core';
import { createConfigFilter } from '../config-filter.js';
import type { ModeContext } from '../modes.js';
import { emptyStats, type ModeResult, type ScanStats } from '../report-model.js';
import { displayPath } from '../paths.js';
import { AddedCredit, CLEAN, type BlobState, type Entry, type PathInfo } from './added-credit.js';
import { BlobTriage, KEEP_UNJUDGED_BYTES, type Verdict } from './blob-triage.js';
import { GitScanError, firstLine, spawnGit } from './exec.js';
import { decodedAtHead, secretsAtHead } from './head-presence.js';
import { createProgress, type Progress } from './progress.js';
import { COMMIT_FORMAT, RawDiffParser, type CommitHeader } from './raw-diff.js';
import {
  checkBoundary,
  readRepoState,
  selectHistory,
  selectRange,
  type CommitSelection,
  type RepoState,
} from './revisions.js';

/** Pause `git log` while this many blobs wait for `cat-file`; resume below LOW (above what git may hold back
 * in its output buffer). Bounds memory; lower marks measured no slower. */
const HIGH_WATER = 1024;
const LOW_WATER = 256;
const STALL_MS = 50;
const SUBMODULE = '160000';

/** What steps 1 and 2 leave for step 3 and the report. */
interface Streamed {
  credit: AddedCredit;
  scannedBoundary: string[];
  missing: Array<{ path: string; blob: string }>;
  /** Why the log stopped early (the report is then incomplete: exit 2). */
  stopped: string | undefined;
}

export async function scanCommits(ctx: ModeContext, allowPartial: boolean): Promise<ModeResult> {
  const state = await readRepoState(ctx.cwd);
  const selection: CommitSelection =
    ctx.args.range !== undefined
      ? await selectRange(ctx.cwd, ctx.args.range, state, allowPartial)
      : selectHistory(state, allowPartial);

  const stats = emptyStats();
  stats.commits = 0;
  stats.gitMode = ctx.args.range !== undefined ? 'range' : 'history';
  const pathInfo = pathInfoFor(ctx, state);

  const progress = createProgress(ctx, selection.revisions);
  let streamed: Streamed;
  try {
    streamed = await streamCommits(ctx, selection, state, stats, pathInfo.get, progress);
  } finally {
    progress.done();
  }
  let found: OriginIndex;
  try {
    if (streamed.stopped === undefined) checkBoundary(selection, state, streamed.scannedBoundary, allowPartial);
    for (const note of selection.partial) ctx.warn(`partial scan: ${note}`);
    if (selection.partial.length > 0) stats.partial = [...selection.partial];
    found = await streamed.credit.finish();
  } catch (error) {
    streamed.credit.kill(); // a second thread left running would keep the process alive
    throw error;
  }
  noteIncomplete(streamed, selection, stats, pathInfo.get);

  const origins = found.findings();
  const atHead = await secretsAtHead(
    ctx.cwd,
    state.head,
    origins.map((f) => secretOf(f)!),
  );
  // a key found decoded is not in HEAD's text as such: its file at HEAD is decoded again
  const pathOf = pathInfo.paths();
  const encoded = origins
    .filter((f) => f.encoding !== undefined && !atHead.has(secretOf(f)!) && pathOf.has(f.file))
    .map((f) => ({ path: pathOf.get(f.file)!, secret: secretOf(f)! }));
  const encodedAtHead = await decodedAtHead(ctx.cwd, state.head, encoded, ctx.detect);
  const findings = origins.map((finding) =>
    withFields(finding, {
      presentAtHead:
        atHead.has(secretOf(finding)!) ||
        encodedAtHead.has(`${pathOf.get(finding.file) ?? ''}\0${secretOf(finding) ?? ''}`),
    }),
  );
  const scope = new Set(pathInfo.files());
  return { findings, stats, inScope: (file) => scope.has(file) };
}

/** Per path, asked once: the config's verdict and the name findings use (relative to the current directory). */
function pathInfoFor(
  ctx: ModeContext,
  state: RepoState,
): { get: PathInfo; files: () => string[]; paths: () => Map<string, string> } {
  const ignoredRaw = createConfigFilter(ctx.settings, state.root);
  const known = new Map<string, { ignored: boolean; file: string }>();
  const get: PathInfo = (path) => {
    let info = known.get(path);
    if (!info) {
      const absolute = join(state.root, path);
      known.set(path, (info = { ignored: ignoredRaw(absolute), file: displayPath(ctx.cwd, absolute) }));
    }
    return info;
  };
  return {
    get,
    files: () => [...known.values()].map((p) => p.file),
    paths: () => new Map([...known].map(([path, info]) => [info.file, path])),
  };
}

/** Steps 1 and 2: stream the raw log, read each new blob once, keep the blobs and pairs step 3 needs. */
async function streamCommits(
  ctx: ModeContext,
  selection: CommitSelection,
  state: RepoState,
  stats: ScanStats,
  pathInfo: PathInfo,
  progress: Progress,
): Promise<Streamed> {
  const blobs = new Map<string, BlobState>();
  const credit = new AddedCredit(ctx, blobs, pathInfo);
  const streamed: Streamed = { credit, scannedBoundary: [], missing: [], stopped: undefined };

  const triage = new BlobTriage(ctx.cwd, ctx.detect, keepBudget(), {
    verdict(oid: string, verdict: Verdict) {
      const waiting = (blobs.get(oid) as { kind: 'pending'; entries: Entry[] }).entries;
      if (verdict.kind === 'missing') {
        streamed.missing.push({ path: waiting[0]!.change.path, blob: oid });
        blobs.set(oid, CLEAN);
      } else if (verdict.kind === 'kept') {
        blobs.set(oid, { kind: 'kept', content: verdict.content, ...(verdict.secret ? { secret: true } : {}) });
        for (const entry of waiting) credit.add(entry);
      } else blobs.set(oid, CLEAN);
      credit.resolved(oid); // pairs that have it as a parent
    },
    read(bytes, binary) {
      stats.files++;
      stats.bytes += bytes;
      if (binary) stats.binary++;
    },
    answered: () => flow.answered(),
  });
  const log = spawnGit(ctx.cwd, [
    'log',
    ...selection.revisions,
    '--topo-order',
    '--raw',
    '-c',
    '-M',
    '-z',
    '--no-abbrev',
    '--no-color',
    '--no-ext-diff',
    '--no-textconv',
    '--no-notes',
    `--format=${COMMIT_FORMAT}`,
  ]);
  let seq = 0;
  let current: CommitHeader | undefined;
  const parser = new RawDiffParser({
    commit(header) {
      current = header;
      seq++;
      stats.commits!++;
      if (state.boundary.has(header.sha)) streamed.scannedBoundary.push(header.sha);
      progress.tick(seq);
    },
    change(change) {
      if (change.blob === undefined || change.mode === SUBMODULE || current === undefined) return;
      if (pathInfo(change.path).ignored) return; // (also records the path as scanned, for the baseline)
      const known = blobs.get(change.blob);
      if (known === CLEAN) return; // a blob found clean needs nothing more
      const entry: Entry = { seq, commit: current, change };
      if (known === undefined) {
        blobs.set(change.blob, { kind: 'pending', entries: [entry] });
        triage.request(change.blob);
      } else if (known.kind === 'pending') known.entries.push(entry);
      else if (known.kind === 'kept') credit.add(entry);
    },
  });

  const flow = flowControl(log, () => triage.pending);
  let logError = '';
  log.stdout.setEncoding('utf8');
  log.stdout.on('data', (text: string) => {
    parser.push(text);
    flow.pushed();
  });
  log.stderr.on('data', (c: Buffer) => {
    if (logError.length < 4096) logError += c.toString('utf8');
  });
  try {
    const code = await new Promise<number>((resolve, reject) => {
      log.on('error', (error) => reject(new GitScanError(`git log could not be started (${error.message})`)));
      log.on('close', (c) => resolve(c ?? 128));
    });
    if (log.timedOut !== undefined) streamed.stopped = `${selection.label}: ${log.timedOut}`;
    else if (code !== 0) streamed.stopped = `${selection.label}: git log failed: ${firstLine(logError)}`;
    else parser.end();
    // what git log listed before it failed is still read and reported: the report says where the scan stopped
    await triage.end();
  } catch (error) {
    triage.kill();
    log.kill();
    credit.kill();
    throw error;
  } finally {
    flow.stop();
  }
  return streamed;
}

/** Bytes of blobs step 2 may keep unjudged (STATALOG_HISTORY_KEEP_BYTES: tests take the budget's other path). */
function keepBudget(): number {
  const env = Number(process.env.STATALOG_HISTORY_KEEP_BYTES);
  return process.env.STATALOG_HISTORY_KEEP_BYTES !== undefined && Number.isSafeInteger(env) && env >= 0
    ? env
    : KEEP_UNJUDGED_BYTES;
}

/** Pauses `git log` while too many blobs wait for `cat-file`, so memory stays bounded. */
function flowControl(
  log: ReturnType<typeof spawnGit>,
  pending: () => number,
): { pushed(): void; answered(): void; stop(): void } {
  let paused = false;
  let stalled: NodeJS.Timeout | undefined;
  const resume = (): void => {
    paused = false;
    clearTimeout(stalled);
    log.stdout.resume();
  };
  return {
    pushed() {
      if (paused || pending() <= HIGH_WATER) return;
      paused = true;
      log.stdout.pause();
      // cat-file --buffer may sit on its last answers until it gets more input: never wait on that forever
      stalled = setTimeout(resume, STALL_MS);
    },
    answered() {
      if (paused && pending() < LOW_WATER) resume();
    },
    stop: () => clearTimeout(stalled),
  };
}

/** Missing blobs and an early stop make the report incomplete, and say where. */
function noteIncomplete(
  { missing, stopped }: Streamed,
  selection: CommitSelection,
  stats: ScanStats,
  pathInfo: PathInfo,
): void {
  for (const m of missing) {
    const file = pathInfo(m.path).file;
    stats.skippedFiles.push({
      file,
      reason: `blob ${shortSha(m.blob)} is missing from the repository (a partial clone?)`,
      error: true,
    });
  }
  if (stopped !== undefined) {
    // the commits after the failure were never listed: the scan is incomplete, whatever it found
    stats.stopped = stopped;
    stats.skippedFiles.push({
      file: selection.label,
      reason: `stopped early (${stopped.slice(selection.label.length + 2)}); later commits`,
      error: true,
    });
  }
  stats.skipped = stats.skippedFiles.length;
}
