/**
 * What every scan mode (files, --staged, --range, --history) hands back, and what every formatter reads.
 * Mode-agnostic on purpose: a formatter never needs to know how the findings were collected.
 */
import type { AllowedFinding, BaselineEntry, Finding } from '@statalog/core';

/** A file the scan did not read, and why. Never dropped silently: listed here and on stderr. */
export interface SkippedFile {
  /** As the findings name files: relative to the current directory, `/`-separated. */
  file: string;
  reason: string;
  /**
   * True when the file should have been read but could not be (permission denied, I/O error, vanished):
   * the scan is incomplete, so without findings the exit code is 2, not 0. False for what is skipped by
   * design (symlinks, FIFOs, sockets, devices).
   */
  error: boolean;
}

export interface ScanStats {
  /** Files (or blobs) read. */
  files: number;
  /** Bytes read. */
  bytes: number;
  /** Of `files`, how many were binary (searched for the cloud-key pattern only). */
  binary: number;
  /** How many entries were not read (`skippedFiles.length`, kept as a number for the JSON schema). */
  skipped: number;
  skippedFiles: SkippedFile[];
  durationMs: number;
  /** Git modes: how many commits were looked at. */
  commits?: number;
  /** Git modes: which one collected the findings (absent for file scans). */
  gitMode?: 'staged' | 'range' | 'history';
  /** `--allow-partial`: what could not be scanned (shallow history, unknown base); absent when nothing is missing. */
  partial?: string[];
  /**
   * Entries under the named paths that ignore rules left out (a `.gitignore`, `.git/info/exclude`, git's
   * `core.excludesFile`, the config's `ignorePaths`; an ignored directory counts once), and the first few rules
   * that did it. Absent when nothing was ignored — or, in a git work tree whose listing is long, not counted.
   */
  ignoredFiles?: number;
  ignoredBy?: string[];
  /**
   * Why the scan stopped before the end (git log failed or stopped answering): the report holds what was read
   * until then and the run exits 2 even with findings. Absent when the scan ran to its end.
   */
  stopped?: string;
}

export interface BaselineSummary {
  /** Findings the baseline accepted (not reported). */
  baselined: number;
  /** Entries in scope of this scan that matched nothing: the secret is gone, the entry can be pruned. */
  stale: BaselineEntry[];
}

export interface ScanReport {
  /** Sorted with core's `compareFindings`; config allow-list and baseline already applied. */
  findings: Finding[];
  stats: ScanStats;
  /** Present when a baseline was applied. */
  baseline?: BaselineSummary;
  /** Findings accepted instead of reported (inline `statalog:allow`, allowedFingerprints, baseline), with how. */
  allowed?: AllowedFinding[];
  /** `--range`/`--history`: where the config and baseline were read (`A` = at the range's start). */
  policy?: string;
}

/**
 * What a mode returns before suppression: findings as detected (core's `detect` already honours
 * `statalog:allow`), the stats, and which files the scan covered — so the baseline can tell a stale entry
 * (its file was scanned, the secret is gone) from one that was simply out of scope.
 */
export interface ModeResult {
  findings: Finding[];
  stats: ScanStats;
  /** True when a baseline entry's file (as findings name files) was within reach of this scan. */
  inScope: (file: string) => boolean;
}

export function emptyStats(): ScanStats {
  return { files: 0, bytes: 0, binary: 0, skipped: 0, skippedFiles: [], durationMs: 0 };
}

/** True when some file could not be read: the scan did not look everywhere it was asked to. */
export function isIncomplete(stats: ScanStats): boolean {
  return stats.stopped !== undefined || stats.skippedFiles.some((s) => s.error);
}
