/**
 * `--range` and `--history`: the lines each commit adds, without asking git for a single patch.
 *
 * 1. `git log --raw -c` streams, for every commit, which blob each changed path now has (merges: only paths
 *    that differ from every parent, in git's combined format). That is tree diffing only — no file contents.
 * 2. Each blob id not seen before goes to one `git cat-file --batch` (`blob-triage.ts`); its bytes go through
 *    core's byte prefilter. A blob where no anchor survives is forgotten; one where an anchor does is kept
 *    for step 3. A blob is read once however many commits and paths share it.
 * 3. Only for the (commit, path) pairs whose new blob was kept is `detect` run, on the lines the commit adds
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
import { addedSecrets, mayContainSecret, OriginIndex, secretOf, shortSha, sniff, withFields } from '@statalog/core';
import { createConfigFilter } from '../config-filter.js';
import type { ModeContext } from '../modes.js';
import { emptyStats, type ModeResult, type ScanStats } from '../report-model.js';
import { displayPath } from '../settings.js';
import { BlobReader } from './blob-reader.js';
import { BlobTriage, KEEP_UNJUDGED_BYTES, type Verdict } from './blob-triage.js';
import { GitScanError, firstLine, spawnGit } from './exec.js';
import { secretsAtHead } from './head-presence.js';
import { createProgress, type Progress } from './progress.js';
import { COMMIT_FORMAT, RawDiffParser, type CommitHeader, type RawChange } from './raw-diff.js';
import { checkBoundary, readRepoState, selectHistory, selectRange, type CommitSelection, type RepoState } from './revisions.js';

/** Pause `git log` while this many blobs wait for `cat-file`; resume below LOW (above what git may hold back
 * in its output buffer). Bounds memory; lower marks measured no slower. */
const HIGH_WATER = 1024;
const LOW_WATER = 256;
const STALL_MS = 50;
/** Candidate (commit, path) pairs diffed per batch of parent-blob reads. */
const DIFF_BATCH = 256;
const SUBMODULE = '160000';

interface Entry {
  seq: number;
  commit: CommitHeader;
  change: RawChange;
}

/**
 * `kept`: an anchor survived the prefilter; `secret` says, once asked (by step 2 past its memory budget, or by
 * step 3 of a binary blob's parent), whether `detect` finds a secret in it under either syntax.
 */
type BlobState = { kind: 'pending'; entries: Entry[] } | { kind: 'clean' } | { kind: 'kept'; content: Buffer; secret?: boolean };
const CLEAN: BlobState = { kind: 'clean' };

/** What a path of the repository is to the scan: excluded by the config, and how findings name it. */
type PathInfo = (path: string) => { ignored: boolean; file: string };

/** What steps 1 and 2 leave for step 3 and the report. */
interface Streamed {
  blobs: Map<string, BlobState>;
  candidates: Entry[];
  scannedBoundary: string[];
  missing: Array<{ path: string; blob: string }>;
  /** Why the log stopped early (the report is then incomplete: exit 2). */
  stopped: string | undefined;
}

export async function scanCommits(ctx: ModeContext, allowPartial: boolean): Promise<ModeResult> {
  const state = await readRepoState(ctx.cwd);
  const selection: CommitSelection =
    ctx.args.range !== undefined ? await selectRange(ctx.cwd, ctx.args.range, state, allowPartial) : selectHistory(state, allowPartial);

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
  if (streamed.stopped === undefined) checkBoundary(selection, state, streamed.scannedBoundary, allowPartial);
  for (const note of selection.partial) ctx.warn(`partial scan: ${note}`);
  if (selection.partial.length > 0) stats.partial = [...selection.partial];

  const found = await creditAddedSecrets(ctx, streamed, pathInfo.get);
  noteIncomplete(streamed, selection, stats, pathInfo.get);

  const origins = found.findings();
  const atHead = await secretsAtHead(ctx.cwd, state.head, origins.map((f) => secretOf(f)!));
  const findings = origins.map((finding) => withFields(finding, { presentAtHead: atHead.has(secretOf(finding)!) }));
  const scope = new Set(pathInfo.files());
  return { findings, stats, inScope: (file) => scope.has(file) };
}

/** Per path, asked once: the config's verdict and the name findings use (relative to the current directory). */
function pathInfoFor(ctx: ModeContext, state: RepoState): { get: PathInfo; files: () => string[] } {
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
  return { get, files: () => [...known.values()].map((p) => p.file) };
}

/** Steps 1 and 2: stream the raw log, read each new blob once, keep the blobs and pairs step 3 needs. */
async function streamCommits(ctx: ModeContext, selection: CommitSelection, state: RepoState, stats: ScanStats, pathInfo: PathInfo, progress: Progress): Promise<Streamed> {
  const streamed: Streamed = { blobs: new Map(), candidates: [], scannedBoundary: [], missing: [], stopped: undefined };
  const { blobs, candidates } = streamed;

  const triage = new BlobTriage(ctx.cwd, ctx.detect, keepBudget(), {
    verdict(oid: string, verdict: Verdict) {
      const waiting = (blobs.get(oid) as { kind: 'pending'; entries: Entry[] }).entries;
      if (verdict.kind === 'missing') {
        streamed.missing.push({ path: waiting[0]!.change.path, blob: oid });
        blobs.set(oid, CLEAN);
      } else if (verdict.kind === 'kept') {
        blobs.set(oid, { kind: 'kept', content: verdict.content, ...(verdict.secret ? { secret: true } : {}) });
        for (const entry of waiting) candidates.push(entry); // no spread: one blob can be in 100 000 commits
      } else blobs.set(oid, CLEAN);
    },
    read(bytes, binary) {
      stats.files++;
      stats.bytes += bytes;
      if (binary) stats.binary++;
    },
    answered: () => flow.answered(),
  });
  const log = spawnGit(ctx.cwd, [
    'log', ...selection.revisions, '--topo-order', '--raw', '-c', '-M', '-z', '--no-abbrev',
    '--no-color', '--no-ext-diff', '--no-textconv', '--no-notes', `--format=${COMMIT_FORMAT}`,
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
      else if (known.kind === 'kept') candidates.push(entry);
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
    throw error;
  } finally {
    flow.stop();
  }
  return streamed;
}

/** Bytes of blobs step 2 may keep unjudged (STATALOG_HISTORY_KEEP_BYTES: tests take the budget's other path). */
function keepBudget(): number {
  const env = Number(process.env.STATALOG_HISTORY_KEEP_BYTES);
  return process.env.STATALOG_HISTORY_KEEP_BYTES !== undefined && Number.isSafeInteger(env) && env >= 0 ? env : KEEP_UNJUDGED_BYTES;
}

/** Pauses `git log` while too many blobs wait for `cat-file`, so memory stays bounded. */
function flowControl(log: ReturnType<typeof spawnGit>, pending: () => number): { pushed(): void; answered(): void; stop(): void } {
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

/** Steps 3 and 4: `detect` on the kept pairs, secrets on added lines credited to the oldest commit. */
async function creditAddedSecrets(ctx: ModeContext, { blobs, candidates }: Streamed, pathInfo: PathInfo): Promise<OriginIndex> {
  const found = new OriginIndex();
  let parentReader: BlobReader | undefined; // started only if some parent was never seen
  /**
   * A parent's bytes to compare with; undefined when the parent holds no secret, so every secret here is new.
   * Whether a kept parent holds one costs a `detect` of its own, and for text it need not be asked: core
   * compares a parent only when it holds one of the new secrets, and then runs the rules on it anyway. Binary
   * content (and UTF-16, which is also read as binary) compares bytes only, so there (`exact`) it is asked: a
   * parent holding the key's bytes where no rule finds a key must count as holding nothing.
   */
  const parentBytes = (oid: string | undefined, fetched: Map<string, Buffer>, exact: boolean): Buffer | undefined => {
    if (oid === undefined) return undefined;
    const known = blobs.get(oid);
    if (known?.kind === 'kept') return !exact || (known.secret ??= mayContainSecret(known.content, ctx.detect)) ? known.content : undefined;
    // a blob the prefilter forgot holds no secret: nothing to compare with
    return known?.kind === 'clean' ? undefined : fetched.get(oid);
  };
  for (let i = 0; i < candidates.length; i += DIFF_BATCH) {
    const batch = candidates.slice(i, i + DIFF_BATCH);
    const unseen = new Set<string>();
    for (const e of batch) for (const b of e.change.parentBlobs) if (b !== undefined && !blobs.has(b)) unseen.add(b);
    const fetched = unseen.size > 0 ? await readBlobs((parentReader ??= new BlobReader(ctx.cwd)), unseen) : new Map<string, Buffer>();
    for (const entry of batch) {
      const { change, commit } = entry;
      const content = (blobs.get(change.blob!) as { kind: 'kept'; content: Buffer }).content;
      const exact = sniff(content).kind !== 'utf8'; // read as binary too: compared by bytes
      const parents = change.parentBlobs.map((b) => parentBytes(b, fetched, exact));
      const file = pathInfo(change.path).file;
      // 4: git log lists newest first, so a larger seq is an older commit
      for (const m of addedSecrets(change.path, content, parents, ctx.detect).matches) {
        found.add({ ruleId: m.ruleId, file, line: m.line, column: m.column, secret: m.secret, allowed: m.allowed === true }, commit, entry.seq);
      }
    }
  }
  await parentReader?.end();
  return found;
}

/** Blobs step 2 never saw (the base side of a range), from one long-lived `cat-file`. */
async function readBlobs(reader: BlobReader, oids: ReadonlySet<string>): Promise<Map<string, Buffer>> {
  const contents = new Map<string, Buffer>();
  await Promise.all([...oids].map(async (oid) => {
    const content = await reader.readAsync(oid);
    if (content) contents.set(oid, content);
  }));
  return contents;
}

/** Missing blobs and an early stop make the report incomplete, and say where. */
function noteIncomplete({ missing, stopped }: Streamed, selection: CommitSelection, stats: ScanStats, pathInfo: PathInfo): void {
  for (const m of missing) {
    const file = pathInfo(m.path).file;
    stats.skippedFiles.push({ file, reason: `blob ${shortSha(m.blob)} is missing from the repository (a partial clone?)`, error: true });
  }
  if (stopped !== undefined) {
    // the commits after the failure were never listed: the scan is incomplete, whatever it found
    stats.stopped = stopped;
    stats.skippedFiles.push({ file: selection.label, reason: `stopped early (${stopped.slice(selection.label.length + 2)}); later commits`, error: true });
  }
  stats.skipped = stats.skippedFiles.length;
}
