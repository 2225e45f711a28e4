/** Plain-language counts shared by the text and github formats. */
import type { ScanReport } from '../report-model.js';
import { describeVerifications } from '../verification.js';

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]!}`;
}

/** `12 files, 48 KB, 1 binary, 2 skipped (1 unreadable)` — what was looked at. */
export function describeScope(report: ScanReport): string {
  const s = report.stats;
  const parts = [plural(s.files, 'file'), formatBytes(s.bytes)];
  if (s.commits !== undefined) parts.unshift(plural(s.commits, 'commit'));
  if (s.binary > 0) parts.push(`${s.binary} binary`);
  if (s.skipped > 0) {
    const unreadable = s.skippedFiles.filter((f) => f.error).length;
    parts.push(`${s.skipped} skipped${unreadable > 0 ? ` (${unreadable} unreadable)` : ''}`);
  }
  if (s.ignoredFiles !== undefined && s.ignoredFiles > 0) parts.push(`${s.ignoredFiles} ignored`);
  return parts.join(', ');
}

/** `3 Statalog keys in 2 files`, with `--verify` `3 Statalog keys in 2 files — 1 live, 2 revoked` */
export function describeFindings(report: ScanReport): string {
  const files = new Set(report.findings.map((f) => f.file)).size;
  const verified = describeVerifications(report.findings);
  return `${plural(report.findings.length, 'Statalog key')} in ${plural(files, 'file')}${verified ? ` — ${verified}` : ''}`;
}

export function describeBaseline(report: ScanReport): string | undefined {
  const b = report.baseline;
  if (!b) return undefined;
  const accepted = `${plural(b.baselined, 'finding')} accepted by the baseline`;
  return b.stale.length === 0
    ? accepted
    : `${accepted}; ${plural(b.stale.length, 'entry', 'entries')} no longer ${b.stale.length === 1 ? 'matches' : 'match'} anything (prune ${b.stale.length === 1 ? 'it' : 'them'})`;
}

/** `2 accepted: 1 by statalog:allow, 1 by allowedFingerprints` (the baseline has its own phrase); undefined when none. */
export function describeAllowed(report: ScanReport): string | undefined {
  const allowed = (report.allowed ?? []).filter((a) => a.how !== 'baseline');
  if (allowed.length === 0) return undefined;
  const inline = allowed.filter((a) => a.how === 'inline').length;
  const parts = [
    inline > 0 ? `${inline} by statalog:allow` : '',
    allowed.length - inline > 0 ? `${allowed.length - inline} by allowedFingerprints` : '',
  ].filter(Boolean);
  return `${plural(allowed.length, 'finding')} accepted (${parts.join(', ')})`;
}

export const HOW_ALLOWED: Record<string, string> = {
  inline: 'statalog:allow on the line',
  fingerprint: 'allowedFingerprints',
  baseline: 'baseline',
};
