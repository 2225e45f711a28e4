/**
 * The job summary (and the body of the PR comment): a table of what was found, what to do, and what could
 * not be scanned. Every name that comes from the repository (files, authors) goes through escapeMarkdown,
 * so a file called `[x](http://evil)` or `| a |` renders as itself.
 */
import { escapeMarkdown, RULES, type Finding, type RuleId } from '@statalog/core';
import { liveKeys, sortLiveFirst } from '@statalog/scan';
import { short } from '../plan.js';
import { howAllowed } from './annotations.js';
import { plural, type ActionReport } from './model.js';

export interface MarkdownOptions {
  /** Rows of the findings table; the rest are counted. */
  maxRows: number;
  /** Files named per gap. */
  maxFilesPerGap: number;
}

export const SUMMARY_LIMITS: MarkdownOptions = { maxRows: 300, maxFilesPerGap: 50 };
export const COMMENT_LIMITS: MarkdownOptions = { maxRows: 50, maxFilesPerGap: 10 };

export function reportMarkdown(report: ActionReport, limits: MarkdownOptions): string {
  const out: string[] = [];
  const n = report.findings.length;
  const label = escapeMarkdown(report.label);
  if (n === 0 && report.incomplete) {
    // fail closed: what could not be read may hold a key, so this is never a ✅
    out.push(
      `### ❗ Not everything was scanned in ${label}`,
      '',
      `No Statalog key was found in what could be read, but the files listed under **Not scanned** were not read${report.allowIncomplete ? ' (allow-incomplete: true, so the check passes)' : ', so the check fails (exit 2)'}. Re-run the check, or scan the history with the statalog-scan CLI on a full clone.`,
      '',
    );
  } else if (n === 0) {
    out.push(`### ✅ No Statalog keys in ${label}`, '');
  } else {
    const removed = report.findings.filter((f) => f.presentAtHead === false).length;
    out.push(
      `### ${report.failing ? '❌' : '⚠️'} ${plural(n, 'Statalog API key')} in ${label}`,
      '',
      `Anyone who can read this repository, a fork or a clone can use ${n === 1 ? 'this key' : 'these keys'} until ${n === 1 ? 'it is' : 'they are'} revoked.` +
        (removed > 0
          ? ` ${removed === n ? (n === 1 ? 'It was' : 'They were') : `${removed} of them were`} removed by a later commit, but ${removed === 1 ? 'stays' : 'stay'} in the git history.`
          : ''),
      '',
      ...findingsTable(report, limits.maxRows),
      '',
      ...whatToDo(report),
    );
    if (report.incomplete)
      out.push('', '❗ **Not everything was scanned**: see below. There may be more keys than these.');
  }
  out.push(...earlierKeys(report));
  out.push(...policyEdits(report));
  out.push(...accepted(report, limits.maxRows));
  out.push(...notScanned(report, limits.maxFilesPerGap));
  out.push('', `<sub>${escapeMarkdown(statsLine(report))}</sub>`, '');
  return out.join('\n');
}

function findingsTable(report: ActionReport, maxRows: number): string[] {
  const verified = report.findings.some((f) => f.verification !== undefined);
  // verify: live keys first, so the ones to revoke right now are at the top
  const findings = verified ? sortLiveFirst(report.findings) : report.findings;
  const live = liveKeys(report.findings).length;
  const rows = [
    ...(live > 0
      ? [
          `**${plural(live, 'key')} ${live === 1 ? 'is' : 'are'} live** (the Statalog API accepts ${live === 1 ? 'it' : 'them'}): revoke ${live === 1 ? 'it' : 'them'} first.`,
          '',
        ]
      : []),
    `| Rule | File | Line | Commit | Key | Still at head |${verified ? ' Verified |' : ''}`,
    `| --- | --- | ---: | --- | --- | --- |${verified ? ' --- |' : ''}`,
  ];
  for (const f of findings.slice(0, maxRows)) {
    const cells = [
      escapeMarkdown(f.ruleId),
      escapeMarkdown(f.file),
      String(f.line),
      commitCell(f, report.repoUrl),
      escapeMarkdown(f.masked),
      atHeadCell(f),
    ];
    if (verified) cells.push(verificationCell(f));
    rows.push(`| ${cells.join(' | ')} |`);
  }
  if (report.findings.length > maxRows)
    rows.push('', `…and ${report.findings.length - maxRows} more (the SARIF output lists every one).`);
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
  const link =
    repoUrl && /^[0-9a-f]{40,64}$/.test(f.commit) ? `[${text}](${repoUrl}/commit/${f.commit})` : escapeMarkdown(text);
  return f.occurrences && f.occurrences > 1 ? `${link} (+${f.occurrences - 1})` : link;
}

function atHeadCell(f: Finding): string {
  if (f.presentAtHead === undefined) return '—';
  return f.presentAtHead ? 'yes' : 'no, in history';
}

function whatToDo(report: ActionReport): string[] {
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
    ...report.findings
      .slice(0, 300)
      .map((f) => `- ${codeSpan(f.fingerprint)} (or the bare secret hash ${codeSpan(f.secretHash)})`),
    '',
    '</details>',
  ];
}

/**
 * A code span that copies exactly: no escaping and no zero-width characters inside (Markdown does not
 * interpret a code span), fenced with more backticks than the text holds in a row. Line breaks in a file
 * name cannot survive a span; `\n` is shown instead (and the bare hash always works).
 */
function codeSpan(text: string): string {
  const clean = text.replace(/\r?\n|\r/g, '\\n');
  const longest = Math.max(0, ...(clean.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = clean.startsWith('`') || clean.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${clean}${pad}${fence}`;
}

/** Keys an earlier run of this pull request found that are not in it any more: pushed all the same. */
function earlierKeys(report: ActionReport): string[] {
  if (report.earlier.length === 0) return [];
  return [
    '',
    `#### ${plural(report.earlier.length, 'key')} pushed in an earlier version of this pull request`,
    '',
    'A force-push or a later commit does not unpush a key: GitHub kept the old commits, and anyone who fetched them has the key.',
    '',
    ...report.earlier.map(
      (k) =>
        `- ${escapeMarkdown(k.masked)} (${escapeMarkdown(k.file)}${k.commit ? `, commit ${escapeMarkdown(short(k.commit))}` : ''}) was pushed in an earlier version of this PR — revoke it`,
    ),
  ];
}

/** What the change's own edits to the config or baseline would do once merged: for reviewers, not applied. */
function policyEdits(report: ActionReport): string[] {
  const lines = [
    ...report.policyEffects.map((e) => `- ${escapeMarkdown(e)}`),
    ...report.fingerprintWarnings.map((w) => `- ⚠️ ${escapeMarkdown(w)}`),
  ];
  if (lines.length === 0) return [];
  return [
    '',
    '#### Policy',
    '',
    `Judged with the ${escapeMarkdown(report.policy)}.${report.policyEffects.length > 0 ? ' The edits below were **not applied**; review them before merging:' : ''}`,
    '',
    ...lines,
  ];
}

/** Every finding accepted instead of reported, with how: an allow is never a silent pass. */
function accepted(report: ActionReport, maxRows: number): string[] {
  const stale = report.stale;
  if (report.allowed.length === 0 && stale.length === 0) return [];
  const out: string[] = [];
  if (report.allowed.length > 0) {
    out.push(
      '',
      `#### ${plural(report.allowed.length, 'finding')} accepted, not reported`,
      '',
      '| File | Line | Key | Accepted by |',
      '| --- | ---: | --- | --- |',
    );
    for (const { finding: f, how } of report.allowed.slice(0, maxRows))
      out.push(`| ${escapeMarkdown(f.file)} | ${f.line} | ${escapeMarkdown(f.masked)} | ${howAllowed(how)} |`);
    if (report.allowed.length > maxRows) out.push('', `…and ${report.allowed.length - maxRows} more.`);
  }
  if (stale.length > 0) {
    out.push(
      '',
      `${plural(stale.length, 'baseline entry', 'baseline entries')} matched nothing in the tree (remove ${stale.length === 1 ? 'it' : 'them'} from the baseline):`,
      '',
    );
    for (const e of stale.slice(0, maxRows))
      out.push(`- ${escapeMarkdown(e.file)} ${escapeMarkdown(e.ruleId)} ${escapeMarkdown(e.masked ?? e.secretHash)}`);
  }
  return out;
}

function notScanned(report: ActionReport, maxFiles: number): string[] {
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
  const shown = files
    .slice(0, max)
    .map((f) => `\n  - ${escapeMarkdown(f)}`)
    .join('');
  return files.length > max ? `${shown}\n  - …and ${files.length - max} more` : shown;
}

/** Binary files are searched for the cloud-key pattern only, as the CLI does. */
function binaryNote(binary: number): string {
  return binary > 0 ? `, ${binary} of them binary (searched for Cloud keys)` : '';
}

export function statsLine(report: ActionReport): string {
  const c = report.coverage;
  const parts =
    c.via === 'the GitHub API'
      ? [
          c.commits > 0
            ? `Scanned ${plural(c.commits, 'commit')}${c.merges.length > 0 ? ` (${c.merges.length} of them ${c.merges.length === 1 ? 'a merge' : 'merges'}, judged against every parent)` : ''}` +
              ` (${plural(c.patches, 'patch', 'patches')}` +
              (c.wholeFiles > 0 ? `, ${plural(c.wholeFiles, 'file')} read whole${binaryNote(c.binary)})` : ')')
            : `Scanned ${plural(c.wholeFiles, 'file')}${binaryNote(c.binary)}`,
          `of ${report.label} with ${plural(report.requests, 'GitHub API request')}.`,
        ]
      : [
          `Scanned ${plural(c.commits, 'commit')} (${plural(c.wholeFiles, 'blob')} read) of ${report.label} with ${c.via}, and ${plural(report.requests, 'GitHub API request')}.`,
        ];
  const taken: string[] = [];
  const inline = report.allowed.filter((a) => a.how === 'inline').length;
  const byFingerprint = report.allowed.filter((a) => a.how === 'fingerprint').length;
  if (c.ignored > 0) taken.push(`${plural(c.ignored, 'file')} skipped by ignorePaths`);
  if (inline > 0) taken.push(`${plural(inline, 'finding')} accepted by statalog:allow`);
  if (byFingerprint > 0) taken.push(`${plural(byFingerprint, 'finding')} accepted by allowedFingerprints`);
  if (report.baselined > 0) taken.push(`${plural(report.baselined, 'finding')} accepted by the baseline`);
  return `${parts.join(' ')}${taken.length > 0 ? ` ${taken.join('; ')}.` : ''} ${report.policy.charAt(0).toUpperCase()}${report.policy.slice(1)}.`;
}
