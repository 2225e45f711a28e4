/**
 * Why part of an archive was not read. Each is reported as a skipped file with `error: true` — the scan did
 * not look where it was asked to, so without findings the exit code is 2 — and never dropped silently.
 */

/** The archive (or its rest from some entry on) cannot be read: truncated, damaged, an unsupported feature. */
export class DamagedArchive extends Error {
  override name = 'DamagedArchive';
}

/** One entry cannot be read (encrypted, unsupported compression, expands past the ratio cap); the others can. */
export class EntryProblem extends Error {
  override name = 'EntryProblem';
}

/** The outermost archive expands past its total-size cap: nothing more of it is read. */
export class TotalCapReached extends Error {
  override name = 'TotalCapReached';
}
