/**
 * `--range` and `--history`: the lines each commit adds, without asking git for a single patch.
 *
 * 1. `git log --raw -c` streams, for every commit, which blob each changed path now has (merges: only paths
 *    that differ from every parent, in git's combined format). That is tree diffing only — no file contents.
 * 2. Each blob id not seen before goes to one `git cat-file --batch` (`blob-triage.ts`); its bytes are tested
 *    for core's literal anchors (`st_`, `api_key=`, `tatalog`) and, when one is there, run through `detect`.
 *    A blob is read once however many commits and paths share it.
 * 3. Only for the few (commit, path) pairs whose new blob holds a secret are the added lines computed (see
 *    `added-secrets.ts`), so a key that was added and removed again is found in the commit that added it,
 *    and a key a merge brought along is credited to the commit that wrote it, while one written while
 *    resolving the merge is credited to the merge. The parent blob is usually one step 2 has seen: a blob
 *    with secrets is kept, so it needs no second read; one without any cannot hold the new secret on an
 *    unchanged line, so every secret counts as added without a diff. Only parents outside the scanned
 *    commits (the base side of a range) are read again.
 * 4. The same secret in the same file is one finding: the oldest commit that added it (the last one in
 *    git's newest-first topological order), with how many commits added it.
 */
import { join } from 'node:path';
import { addedSecrets, OriginIndex, secretOf, shortSha, withFields } from '@statalog/core';
import { createConfigFilter } from '../config-filter.js';
import type { ModeContext } from '../modes.js';
import { emptyStats, type ModeResult } from '../report-model.js';
import { displayPath } from '../paths.js';
import { BlobReader } from './blob-reader.js';
import { BlobTriage, type Verdict } from './blob-triage.js';
import { GitScanError, firstLine, spawnGit } from './exec.js';
import { secretsAtHead } from './head-presence.js';
import { createProgress } from './progress.js';
import { COMMIT_FORMAT, RawDiffParser, type CommitHeader, type RawChange } from './raw-diff.js';
import { checkBoundary, readRepoState, selectHistory, selectRange, type CommitSelection } from './revisions.js';

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

type BlobState = { kind: 'pending'; entries: Entry[] } | { kind: 'clean' } | { kind: 'hit'; content: Buffer };
const CLEAN: BlobState = { kind: 'clean' };

export async function scanCommits(ctx: ModeContext, allowPartial: boolean): Promise<ModeResult> {
  const state = await readRepoState(ctx.cwd);
  const selection: CommitSelection =
    ctx.args.range !== undefined ? await selectRange(ctx.cwd, ctx.args.range, state, allowPartial) : selectHistory(state, allowPartial);

  const stats = emptyStats();
  stats.commits = 0;
  stats.gitMode = ctx.args.range !== undefined ? 'range' : 'history';
  const ignoredRaw = createConfigFilter(ctx.settings, state.root);
  const pathInfo = new Map<string, { ignored: boolean; file: string }>();
  const infoFor = (path: string) => {
    let info = pathInfo.get(path);
    if (!info) {
      const absolute = join(state.root, path);
      pathInfo.set(path, (info = { ignored: ignoredRaw(absolute), file: displayPath(ctx.cwd, absolute) }));
    }
    return info;
  };

  const progress = createProgress(ctx, selection.revisions);
  const blobs = new Map<string, BlobState>();
  const candidates: Entry[] = [];
  const scannedBoundary: string[] = [];
  const missing: Array<{ path: string; blob: string }> = [];

  // 1 + 2: stream the raw log, read each new blob once
  const triage = new BlobTriage(ctx.cwd, ctx.detect, {
    verdict(oid: string, verdict: Verdict) {
      const waiting = (blobs.get(oid) as { kind: 'pending'; entries: Entry[] }).entries;
      if (verdict.kind === 'missing') {
        missing.push({ path: waiting[0]!.change.path, blob: oid });
        blobs.set(oid, CLEAN);
      } else if (verdict.kind === 'hit') {
        blobs.set(oid, { kind: 'hit', content: verdict.content });
        for (const entry of waiting) candidates.push(entry); // no spread: one blob can be in 100 000 commits
      } else blobs.set(oid, CLEAN);
    },
    read(bytes, binary) {
      stats.files++;
      stats.bytes += bytes;
      if (binary) stats.binary++;
    },
    answered: () => onAnswer(),
  });
  const pending = (): number => triage.pending;
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
      if (state.boundary.has(header.sha)) scannedBoundary.push(header.sha);
      progress.tick(seq);
    },
    change(change) {
      if (change.blob === undefined || change.mode === SUBMODULE || current === undefined) return;
      if (infoFor(change.path).ignored) return; // (also records the path as scanned, for the baseline)
      const known = blobs.get(change.blob);
      if (known === CLEAN) return; // a blob found clean needs nothing more
      const entry: Entry = { seq, commit: current, change };
      if (known === undefined) {
        blobs.set(change.blob, { kind: 'pending', entries: [entry] });
        triage.request(change.blob);
      } else if (known.kind === 'pending') known.entries.push(entry);
      else if (known.kind === 'hit') candidates.push(entry);
    },
  });

  let logError = '';
  /** Why the log stopped early (the report is then incomplete: exit 2). */
  let stopped: string | undefined;
  let paused = false;
  let stalled: NodeJS.Timeout | undefined;
  const resume = (): void => {
    paused = false;
    clearTimeout(stalled);
    log.stdout.resume();
  };
  const onAnswer = (): void => {
    if (paused && pending() < LOW_WATER) resume();
  };
  log.stdout.setEncoding('utf8');
  log.stdout.on('data', (text: string) => {
    parser.push(text);
    if (!paused && pending() > HIGH_WATER) {
      paused = true;
      log.stdout.pause();
      // cat-file --buffer may sit on its last answers until it gets more input: never wait on that forever
      stalled = setTimeout(resume, STALL_MS);
    }
  });
  log.stderr.on('data', (c: Buffer) => {
    if (logError.length < 4096) logError += c.toString('utf8');
  });
  try {
    const code = await new Promise<number>((resolve, reject) => {
      log.on('error', (error) => reject(new GitScanError(`git log could not be started (${error.message})`)));
      log.on('close', (c) => resolve(c ?? 128));
    });
    if (log.timedOut !== undefined) stopped = `${selection.label}: ${log.timedOut}`;
    else if (code !== 0) stopped = `${selection.label}: git log failed: ${firstLine(logError)}`;
    else parser.end();
    // what git log listed before it failed is still read and reported: the report says where the scan stopped
    await triage.end();
  } catch (error) {
    triage.kill();
    log.kill();
    throw error;
  } finally {
    clearTimeout(stalled);
    progress.done();
  }
  if (stopped === undefined) checkBoundary(selection, state, scannedBoundary, allowPartial);
  for (const note of selection.partial) ctx.warn(`partial scan: ${note}`);
  if (selection.partial.length > 0) stats.partial = [...selection.partial];

  // 3: added lines, only where a secret is
  const found = new OriginIndex();
  let parentReader: BlobReader | undefined; // started only if some parent was never seen
  for (let i = 0; i < candidates.length; i += DIFF_BATCH) {
    const batch = candidates.slice(i, i + DIFF_BATCH);
    const unseen = new Set<string>();
    for (const e of batch) for (const b of e.change.parentBlobs) if (b !== undefined && !blobs.has(b)) unseen.add(b);
    const fetched = unseen.size > 0 ? await readBlobs((parentReader ??= new BlobReader(ctx.cwd)), unseen) : new Map<string, Buffer>();
    for (const entry of batch) {
      const { change, commit } = entry;
      const content = (blobs.get(change.blob!) as { kind: 'hit'; content: Buffer }).content;
      const parentContents = change.parentBlobs.map((b) => {
        if (b === undefined) return undefined;
        const known = blobs.get(b);
        if (known?.kind === 'hit') return known.content;
        // a parent without any secret adds nothing to compare with: every secret here is new to it
        return known?.kind === 'clean' ? undefined : fetched.get(b);
      });
      const file = infoFor(change.path).file;
      // 4: git log lists newest first, so a larger seq is an older commit
      for (const m of addedSecrets(change.path, content, parentContents, ctx.detect).matches) {
        found.add({ ruleId: m.ruleId, file, line: m.line, column: m.column, secret: m.secret, allowed: m.allowed === true }, commit, entry.seq);
      }
    }
  }

  await parentReader?.end();

  for (const m of missing) {
    const file = infoFor(m.path).file;
    stats.skippedFiles.push({ file, reason: `blob ${shortSha(m.blob)} is missing from the repository (a partial clone?)`, error: true });
  }
  if (stopped !== undefined) {
    // the commits after the failure were never listed: the scan is incomplete, whatever it found
    stats.stopped = stopped;
    stats.skippedFiles.push({ file: selection.label, reason: `stopped early (${stopped.slice(selection.label.length + 2)}); later commits`, error: true });
  }
  stats.skipped = stats.skippedFiles.length;

  const origins = found.findings();
  const atHead = await secretsAtHead(ctx.cwd, state.head, origins.map((f) => secretOf(f)!));
  const findings = origins.map((finding) => withFields(finding, { presentAtHead: atHead.has(secretOf(finding)!) }));
  const scope = new Set([...pathInfo.values()].map((p) => p.file));
  return { findings, stats, inScope: (file) => scope.has(file) };
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
