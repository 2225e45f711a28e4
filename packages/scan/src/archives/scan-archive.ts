/**
 * An archive, all the way down: every regular entry goes through the path a file of its size on disk takes
 * (core's `scanContent`, or the large-file windows: scan-entry.ts), with the entry's own name picking the
 * syntax, so a key inside `app.tgz!package/dist/index.js` is found at the line and column a file on disk would
 * give. An entry that is itself an archive is opened in turn, up to the
 * depth limit. Everything stays in memory: an entry's name is a name, never a path to write to, so `../`,
 * absolute, symlink and device entries cannot touch the file system.
 *
 * Links, directories, devices and FIFOs have no bytes of their own (a link's target is another entry, or
 * nothing in the archive): they are counted, and reported once per archive as skipped by design.
 * Whatever could not be read — a cap, a truncated or damaged archive, an encrypted entry — is reported with
 * `error: true`.
 */
import { encodedFields, type Encoding, type RuleId } from '@statalog/core';
import type { ScanOptions } from '../files/batch.js';
import { archiveKind, isTar, unopenableKind, unopenableReason, type ArchiveKind } from './kind.js';
import { Budget, type ArchiveLimits } from './limits.js';
import { DamagedArchive, EntryProblem, TotalCapReached } from './problems.js';
import { scanEntry } from './scan-entry.js';
import { shownName } from '../shown-name.js';
import { tarEntries } from './tar.js';
import { zipEntries } from './zip.js';

/** Where, inside the outermost archive: `package/dist/index.js`, nested `b.tgz!c/d.js`; '' is the archive itself. */
export type EntryPath = string;

export interface EntryHit {
  entry: EntryPath;
  ruleId: RuleId;
  line: number;
  column: number;
  secret: string;
  /** Found inside an encoded run (see core's `Finding.encoding`), and what it covers on its line. */
  encoding?: Encoding;
  length?: number;
}

export interface EntrySkip {
  entry: EntryPath;
  reason: string;
  error: boolean;
}

export interface ArchiveScan {
  /** Entries searched. */
  files: number;
  /** Their bytes (inflated). */
  bytes: number;
  binary: number;
  hits: EntryHit[];
  skipped: EntrySkip[];
}

/** `outer!inner` — how findings name an entry (a key in an entry's name is masked: shown-name.ts). */
export function entryFile(outer: string, entry: EntryPath): string {
  return entry === '' ? outer : `${outer}!${shownName(entry)}`;
}

/**
 * Scans `bytes` (an archive of `kind`, named `name` — its last segment names a gunzipped file) and
 * everything in it. `alreadyRead` counts against the size cap (the archive's own bytes).
 */
export function scanArchive(bytes: Uint8Array, name: string, options: ScanOptions, limits: ArchiveLimits): ArchiveScan {
  const walk = new Walk(options, limits, bytes.length);
  try {
    walk.content(bytes, '', name, 0);
  } catch (error) {
    if (!(error instanceof TotalCapReached)) throw error;
    walk.stopAt('', error); // the outermost gzip stream itself expands past the cap
  }
  return walk.result;
}

class Walk {
  readonly result: ArchiveScan = { files: 0, bytes: 0, binary: 0, hits: [], skipped: [] };
  private readonly budget: Budget;

  constructor(
    private readonly options: ScanOptions,
    private readonly limits: ArchiveLimits,
    size: number,
  ) {
    this.budget = new Budget(limits, size);
  }

  /** Bytes at `at`: an archive to open (within the depth limit), or content to search. */
  content(bytes: Uint8Array, at: EntryPath, name: string, depth: number): void {
    const kind = archiveKind(bytes);
    if (kind) {
      if (depth < this.limits.depth) return this.open(bytes, at, name, kind, depth + 1);
      this.skip(
        at,
        `archive nested more than ${this.limits.depth} deep (--archive-depth): searched as a binary file, its entries were not opened`,
        true,
      );
    } else {
      const unopenable = unopenableKind(bytes);
      if (unopenable) this.skip(at, unopenableReason(unopenable), true);
    }
    const { binary, matches } = scanEntry(bytes, name, this.options);
    this.result.files++;
    this.result.bytes += bytes.length;
    if (binary) this.result.binary++;
    for (const m of matches)
      this.result.hits.push({
        entry: at,
        ruleId: m.ruleId,
        line: m.line,
        column: m.column,
        secret: m.secret,
        ...encodedFields(m),
      });
  }

  private open(bytes: Uint8Array, at: EntryPath, name: string, kind: ArchiveKind, depth: number): void {
    const linked = { links: 0, special: 0 };
    try {
      if (kind === 'gzip') return this.gzip(bytes, at, name, depth);
      const entries = kind === 'zip' ? zipEntries(bytes, (data) => this.budget.inflateRaw(data)) : tarEntries(bytes);
      for (const entry of entries) {
        if (entry.type === 'directory') continue;
        if (entry.type !== 'file') {
          linked[entry.type === 'link' ? 'links' : 'special']++;
          continue;
        }
        const entryAt = join(at, entry.name);
        let data: Uint8Array;
        try {
          data = entry.read();
        } catch (error) {
          if (error instanceof EntryProblem) {
            this.skip(entryAt, error.message, true);
            continue;
          }
          throw this.stopAt(entryAt, error);
        }
        try {
          this.content(data, entryAt, entry.name, depth);
        } catch (error) {
          throw this.stopAt(entryAt, error);
        }
        if (entry.truncated)
          this.skip(entryAt, 'the archive ends inside this entry (truncated): its rest was not read', true);
      }
    } catch (error) {
      if (error instanceof DamagedArchive || error instanceof EntryProblem) this.skip(at, error.message, true);
      else throw error;
    } finally {
      if (linked.links + linked.special > 0) {
        const parts = [
          linked.links > 0 && `${linked.links} link${linked.links === 1 ? '' : 's'}`,
          linked.special > 0 &&
            `${linked.special} device, FIFO or other special entr${linked.special === 1 ? 'y' : 'ies'}`,
        ];
        this.skip(
          at,
          `${parts.filter(Boolean).join(' and ')} in the archive: names only, nothing to read, never followed`,
          false,
        );
      }
    }
  }

  /** A gzip stream holds one file: a tar (`.tgz`: its entries sit right under the gzip's name) or anything else. */
  private gzip(bytes: Uint8Array, at: EntryPath, name: string, depth: number): void {
    const { out, truncated } = this.budget.gunzip(bytes);
    if (truncated) this.skip(at, 'truncated gzip stream: its end was not read', true);
    if (isTar(out)) return this.open(out, at, name, 'tar', depth);
    const inner = gunzippedName(name);
    this.content(out, join(at, inner), inner, depth);
  }

  /** The size cap stops the whole outermost archive: said once, at the entry where it was reached. */
  stopAt(entryAt: EntryPath, error: unknown): unknown {
    if (error instanceof TotalCapReached && !(error as { reported?: boolean }).reported) {
      this.skip(entryAt, `${error.message}: this entry and the rest of the archive were not read`, true);
      (error as { reported?: boolean }).reported = true;
    }
    return error;
  }

  private skip(entry: EntryPath, reason: string, error: boolean): void {
    this.result.skipped.push({ entry, reason, error });
  }
}

function join(at: EntryPath, name: string): EntryPath {
  return at === '' ? name : `${at}!${name}`;
}

/** `app.js.gz` holds `app.js`; `x.tgz` a `x.tar`; a gzip stream without a suffix keeps its name. */
function gunzippedName(name: string): string {
  const base = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('!')) + 1);
  if (/\.tgz$/i.test(base)) return `${base.slice(0, -4)}.tar`;
  const stripped = base.replace(/\.(gz|gzip)$/i, '');
  return stripped === '' ? base : stripped;
}
