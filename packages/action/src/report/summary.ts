/**
 * The job summary (and the body of the PR comment): a table of what was found, what to do, and what could
 * not be scanned. Every name that comes from the repository (files, authors) goes through escapeMarkdown,
 * so a file called `[x](http://evil)` or `| a |` renders as itself.
 */
import { escapeMarkdown, RULES, type Finding, type RuleId } from '@statalog/core';
import { liveKeys, sortLiveFirst } from '@statalog/scan';
import { short } from '../plan.js';
import { plural, type ScanReport } from './model.js';

export interface MarkdownOptions {
  /** Rows of the findings table; the rest are counted. */
  maxRows: number;
  /** Files named per gap. */
  maxFilesPerGap: number;
}

export const SUMMARY_LIMITS: MarkdownOptions = { maxRows: 300, maxFilesPerGap: 50 };
export const COMMENT_LIMITS: MarkdownOptions = { maxRows: 50, maxFilesPerGap: 10 };

export function reportMarkdown(report: ScanReport, limits: MarkdownOptions): string {
  const out: string[] = [];
  const n = report.findings.length;
  const label = escapeMarkdown(report.label);
  if (n === 0) {
    out.push(`### ✅ No Statalog keys in ${label}`, '');
  } else {
    const removed = report.findings.filter((f) => f.presentAtHead === false).length;
    out.push(
      `### ${report.failing ? '❌' : '⚠️'} ${plural(n, 'Statalog API key')} in ${label}`,
      '',
      `Anyone who can read this repository, a fork or a clone can use ${n === 1 ? 'this key' : 'these keys'} until ${n === 1 ? 'it is' : 'they are'} revoked.` +
        (removed > 0 ? ` ${removed === n ? (n === 1 ? 'It was' : 'They were') : `${removed} of them were`} removed by a later commit, but ${removed === 1 ? 'stays' : 'stay'} in the git history.` : ''),
      '',
      ...findingsTable(report, limits.maxRows),
      '',
      ...whatToDo(report),
    );
  }
  out.push(...notScanned(report, limits.maxFilesPerGap));
  out.push('', `<sub>${escapeMarkdown(statsLine(report))}</sub>`, '');
  return out.join('\n');
}

function findingsTable(report: ScanReport, maxRows: number): string[] {
  const verified = report.findings.some((f) => f.verification !== undefined);
  // verify: live keys first, so the ones to revoke right now are at the top
  const findings = verified ? sortLiveFirst(report.findings) : report.findings;
  const live = liveKeys(report.findings).length;
  const rows = [
    ...(live > 0 ? [`**${plural(live, 'key')} ${live === 1 ? 'is' : 'are'} live** (the Statalog API accepts ${live === 1 ? 'it' : 'them'}): revoke ${live === 1 ? 'it' : 'them'} first.`, ''] : []),
    `| Rule | File | Line | Commit | Key | Still at head |${verified ? ' Verified |' : ''}`,
    `| --- | --- | ---: | --- | --- | --- |${verified ? ' --- |' : ''}`,
  ];
  for (const f of findings.slice(0, maxRows)) {
    const cells = [escapeMarkdown(f.ruleId), escapeMarkdown(f.file), String(f.line), commitCell(f, report.repoUrl), escapeMarkdown(f.masked), atHeadCell(f)];
    if (verified) cells.push(verificationCell(f));
    rows.push(`| ${cells.join(' | ')} |`);
  }
  if (report.findings.length > maxRows) rows.push('', `…and ${report.findings.length - maxRows} more (the SARIF output lists every one).`);
  return rows;
}

/** `**live**`, `revoked`, or `unknown: <reason>` (the reason names a host and a status, never the key). */
function verificationCell(f: Finding): string {
  const v = f.verification;
  if (!v) return 'not checked';
  if (v.status === 'live') return '**live**';
  return v.status === 'revoked' ? 'revoked' : `unknown: ${escapeMarkdown(v.reason)}`;
}

function commitCell(f: Finding, repoUrl: string | undefined): string {
  if (f.commit === undefined) return '—';
  const text = short(f.commit);
  const link = repoUrl && /^[0-9a-f]{40,64}$/.test(f.commit) ? `[${text}](${repoUrl}/commit/${f.commit})` : escapeMarkdown(text);
  return f.occurrences && f.occurrences > 1 ? `${link} (+${f.occurrences - 1})` : link;
}

function atHeadCell(f: Finding): string {
  if (f.presentAtHead === undefined) return '—';
  return f.presentAtHead ? 'yes' : 'no, in history';
}

function whatToDo(report: ScanReport): string[] {
  const rules = [...new Set(report.findings.map((f) => f.ruleId))] as RuleId[];
  return [
    '#### What to do',
    '',
    '1. **Revoke or rotate every key listed**, also the ones a later commit removed: deleting the line does not take a pushed key back.',
    ...rules.map((r) => `   - ${escapeMarkdown(RULES[r].title)}: ${escapeMarkdown(RULES[r].remedy)}`),
    '2. Remove the key from the code and read it from the environment (`STATALOG_API_KEY`) or a secrets manager. Rewriting history after revoking is optional; it does not make an unrevoked key safe.',
    `3. A deliberate test value? Accept it by adding its fingerprint to \`allowedFingerprints\` in ${escapeMarkdown(report.configFile)}, or record a baseline with \`statalog-scan\`. The fingerprints:`,
    '',
    '<details><summary>Fingerprints</summary>',
    '',
    ...report.findings.slice(0, 300).map((f) => `- ${escapeMarkdown(f.fingerprint)}`),
    '',
    '</details>',
  ];
}

function notScanned(report: ScanReport, maxFiles: number): string[] {
  const { coverage } = report;
  const items: string[] = [];
  for (const gap of coverage.gaps) {
    items.push(`- ${escapeMarkdown(gap.text)}${gap.files ? fileList(gap.files, maxFiles) : ''}`);
  }
  const notes = coverage.notes.map((note) => `- ${escapeMarkdown(note)}`);
  return [
    ...(items.length > 0 ? ['', '#### Not scanned', '', ...items] : []),
    ...(notes.length > 0 ? ['', '#### Notes', '', ...notes] : []),
  ];
}

function fileList(files: readonly string[], max: number): string {
  const shown = files.slice(0, max).map((f) => `\n  - ${escapeMarkdown(f)}`).join('');
  return files.length > max ? `${shown}\n  - …and ${files.length - max} more` : shown;
}

/** Binary files are searched for the cloud-key pattern only, as the CLI does. */
function binaryNote(binary: number): string {
  return binary > 0 ? `, ${binary} of them binary (searched for Cloud keys)` : '';
}

export function statsLine(report: ScanReport): string {
  const c = report.coverage;
  const parts = [
    c.commits > 0
      ? `Scanned ${plural(c.commits, 'commit')}${c.merges.length > 0 ? ` (${c.merges.length} of them ${c.merges.length === 1 ? 'a merge' : 'merges'}, judged against every parent)` : ''}` +
        ` (${plural(c.patches, 'patch', 'patches')}` + (c.wholeFiles > 0 ? `, ${plural(c.wholeFiles, 'file')} read whole${binaryNote(c.binary)})` : ')')
      : `Scanned ${plural(c.wholeFiles, 'file')}${binaryNote(c.binary)}`,
    `of ${report.label} with ${plural(report.requests, 'GitHub API request')}.`,
  ];
  const accepted: string[] = [];
  if (c.ignored > 0) accepted.push(`${plural(c.ignored, 'file')} skipped by ignorePaths`);
  if (report.allowed > 0) accepted.push(`${plural(report.allowed, 'finding')} accepted by allowedFingerprints`);
  if (report.baselined > 0) accepted.push(`${plural(report.baselined, 'finding')} accepted by the baseline`);
  return `${parts.join(' ')}${accepted.length > 0 ? ` ${accepted.join('; ')}.` : ''}`;
}
