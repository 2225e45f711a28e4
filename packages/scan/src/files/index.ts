/** The files mode: `statalog-scan [paths…]`. Lists, scans (on every core for big trees), turns hits into findings. */
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { createFinding, type Finding } from '@statalog/core';
import { DEFAULT_ARCHIVE_LIMITS, entryFile, type ArchiveScan } from '../archives/index.js';
import type { ModeContext } from '../modes.js';
import { emptyStats, type ModeResult, type ScanStats } from '../report-model.js';
import { listFiles, resolveRoots, type ListedFile, type NamedRoot } from './list.js';
import { ScanPool } from './pool.js';
import { readStdin, scanStdin, STDIN_NAME } from './stdin.js';

export async function scanFiles(ctx: ModeContext): Promise<ModeResult> {
  // `-` is standard input, read once whatever how often it is named
  const readsStdin = ctx.args.paths.includes('-');
  const roots = resolveRoots(
    ctx.args.paths.filter((p) => p !== '-'),
    ctx.settings,
  );
  const stats = emptyStats();
  const findings: Finding[] = [];
  const detectOptions = { selfHostedHosts: ctx.detect.selfHostedHosts, includeExamples: ctx.detect.includeExamples };
  const archives = {
    ...DEFAULT_ARCHIVE_LIMITS,
    depth: ctx.args.archiveDepth,
    maxBytes: ctx.args.archiveMaxBytes,
    maxRatio: ctx.args.archiveMaxRatio,
  };
  const options = { ...detectOptions, archives };

  if (readsStdin) {
    const { bytes, complete } = await readStdin(process.stdin, archives.maxBytes);
    addArchive(STDIN_NAME, scanStdin(bytes, complete, detectOptions, archives), findings, stats);
  }

  let pending: NamedRoot[] = roots;
  while (pending.length > 0) {
    const pool = new ScanPool(options);
    const listing = await listFiles(pending, {
      settings: ctx.settings,
      noIgnore: ctx.args.noIgnore,
      progress: (files) => pool.listed(files),
    }).catch(async (error: unknown) => {
      await pool.close(); // workers started early would wait for their list forever
      throw error;
    });
    for (const skipped of listing.skipped) stats.skippedFiles.push(skipped); // no spread: a tree can hold 100 000 FIFOs
    if (listing.ignored.count > 0) {
      stats.ignoredFiles = (stats.ignoredFiles ?? 0) + listing.ignored.count;
      const rules = new Set([...(stats.ignoredBy ?? []), ...listing.ignored.rules]);
      stats.ignoredBy = [...rules].slice(0, 5);
    }
    const { files } = listing;
    const results = await pool.scan(files);
    const submodules: ListedFile[] = [];
    for (const result of results) {
      stats.files += result.files;
      stats.bytes += result.bytes;
      stats.binary += result.binary;
      for (const [index, outcome] of result.notable) {
        const listed = files[index]!;
        switch (outcome.kind) {
          case 'scanned':
            for (const hit of outcome.hits) findings.push(createFinding({ ...hit, file: listed.file }));
            outcome.hits.length = 0; // the findings hold what matters now: let the hits go (200 000 of them in one file)
            break;
          case 'archive':
            addArchive(listed.file, outcome.archive, findings, stats, false);
            break;
          case 'skipped':
            stats.skippedFiles.push({ file: listed.file, reason: outcome.reason, error: outcome.error });
            break;
          case 'directory':
            // a submodule whose path is not UTF-8 cannot be handed to git as a string: said, not lost
            if (listed.bytes)
              stats.skippedFiles.push({
                file: listed.file,
                reason: 'submodule whose path is not valid UTF-8',
                error: true,
              });
            else submodules.push(listed);
            break;
          case 'gone':
            break;
        }
      }
    }
    // a git submodule is listed as one path; list and scan it as a tree of its own
    pending = submodules.map((s) => ({
      path: s.path,
      isDirectory: true,
      isFile: false,
      filter: rootOf(roots, s.path)?.filter ?? (() => false),
    }));
  }
  // ignore rules that came with the scanned content (its own .gitignore, .git/info/exclude, a config in the
  // tree) can hide all of it: "0 files" must then say why
  const ignored = stats.ignoredFiles ?? 0;
  if (ignored > 0 && ignored >= stats.files) {
    const all =
      stats.files === 0 ? 'everything' : `most of what was named (${ignored} ignored, ${stats.files} scanned)`;
    ctx.warn(
      `ignore rules left out ${all}: ${(stats.ignoredBy ?? []).join('; ')}${ctx.args.noIgnore ? '' : " (--no-ignore scans what git and .gitignore files ignore; the config's ignorePaths always apply)"}`,
    );
  }
  stats.skippedFiles.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  stats.skipped = stats.skippedFiles.length;
  return {
    findings,
    stats,
    inScope: (file) =>
      (readsStdin && (file === STDIN_NAME || file.startsWith(`${STDIN_NAME}!`))) ||
      isInScope(roots, resolve(ctx.cwd, file)) ||
      isInScope(roots, resolve(ctx.cwd, archiveOf(file))),
  };
}

/** `outer!entry` findings and skips; `counted`: false when the batch already added the archive's counts. */
function addArchive(outer: string, scanned: ArchiveScan, findings: Finding[], stats: ScanStats, counted = true): void {
  if (counted) {
    stats.files += scanned.files;
    stats.bytes += scanned.bytes;
    stats.binary += scanned.binary;
  }
  for (const { entry, ...hit } of scanned.hits) findings.push(createFinding({ ...hit, file: entryFile(outer, entry) }));
  for (const { entry, reason, error } of scanned.skipped)
    stats.skippedFiles.push({ file: entryFile(outer, entry), reason, error });
}

/** `dist/app.tgz!package/index.js` lies where `dist/app.tgz` does. */
function archiveOf(file: string): string {
  const bang = file.indexOf('!');
  return bang === -1 ? file : file.slice(0, bang);
}

function rootOf(roots: readonly NamedRoot[], path: string): NamedRoot | undefined {
  return roots.find((r) => isWithin(r.path, path));
}

function isWithin(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/** A baseline entry is in scope when its file lies under a scanned path and the config does not exclude it. */
function isInScope(roots: readonly NamedRoot[], path: string): boolean {
  return roots.some((r) => isWithin(r.path, path) && !r.filter(path));
}
