/**
 * Human output: findings grouped by file (in sorted order), one line each with position, rule, masked key
 * and — for git findings — the commit that introduced it; then what to do per rule, then one summary line.
 * Every file name and message goes through core's `printable`, so a crafted file name cannot move the cursor
 * or recolour the terminal.
 */
import { printable, RULES, shortSha, type Finding } from '@statalog/core';
// a static import: the bundle inlines it (2.6 KB, no require), so the text report needs no CommonJS loader
import picocolors from 'picocolors';
import type { ScanReport } from '../report-model.js';
import { liveKeys } from '../verification.js';
import { lineChunks, type Rendered, type RenderOptions } from './output.js';
import { gitWhatToDo } from './text-git.js';
import { describeAllowed, describeBaseline, describeFindings, describeScope, HOW_ALLOWED, plural } from './summary.js';

export function renderText(report: ScanReport, options: RenderOptions): Rendered {
  const c = picocolors.createColors(options.color);
  const lines: string[] = [];
  const findings = report.findings;
  if (findings.length === 0 && options.quiet) return { stdout: '', stderr: '' };

  // --verify: keys that work right now come first, once each, with what to do about them now
  const live = liveKeys(findings);
  if (live.length > 0) {
    lines.push(
      c.red(
        c.bold(
          `${plural(live.length, 'LIVE key')}: ${live.length === 1 ? 'it works' : 'they work'} right now, act on ${live.length === 1 ? 'it' : 'them'} first`,
        ),
      ),
    );
    for (const k of live)
      lines.push(`  ${c.bold(printable(k.masked))}  ${printable(k.locations.join(', '))}`, `    ${k.action}`);
    lines.push('');
  }

  // widths by loops: `Math.max(...list)` passes every finding as an argument and overflows the stack
  let posWidth = 0;
  let ruleWidth = 0;
  for (const f of findings) {
    posWidth = Math.max(posWidth, `${f.line}:${f.column}`.length);
    ruleWidth = Math.max(ruleWidth, f.ruleId.length);
  }
  let currentFile: string | undefined;
  findings.forEach((f) => {
    if (f.file !== currentFile) {
      if (currentFile !== undefined) lines.push('');
      lines.push(c.underline(printable(f.file)));
      currentFile = f.file;
    }
    const parts = [
      `  ${c.dim(`${f.line}:${f.column}`.padEnd(posWidth))}`,
      c.red(f.ruleId.padEnd(ruleWidth)),
      c.bold(printable(f.masked)),
      // a key found decoded: the position is its encoded run's, which holds no such text
      f.encoding !== undefined ? `${RULES[f.ruleId].title} (${f.encoding})` : RULES[f.ruleId].title,
    ];
    const origin = describeOrigin(f);
    if (origin) parts.push(c.dim(origin));
    const verification = describeVerification(f, c);
    if (verification) parts.push(verification);
    lines.push(parts.join('  '));
  });

  const gitLines = findings.length > 0 && !options.quiet ? gitWhatToDo(report, c, ruleWidth) : undefined;
  if (gitLines) {
    lines.push('');
    for (const line of gitLines) lines.push(line);
  } else if (findings.length > 0 && !options.quiet) {
    lines.push('', c.bold('What to do'));
    const rules = [...new Set(findings.map((f) => f.ruleId))].sort();
    for (const id of rules) lines.push(`  ${c.red(id.padEnd(ruleWidth))}  ${RULES[id].remedy}`);
    lines.push(`  To accept a deliberate test value, add "statalog:allow" to its line.`);
  }

  const stale = report.baseline?.stale ?? [];
  if (stale.length > 0) {
    lines.push('', c.bold('Baseline entries that no longer match anything (remove them from the baseline):'));
    for (const e of stale) lines.push(`  ${printable(e.file)}  ${e.ruleId}  ${printable(e.masked ?? e.secretHash)}`);
  }

  // allows are visible: an inline allow or an allowedFingerprints entry is listed, never a silent pass
  const accepted = (report.allowed ?? []).filter((a) => a.how !== 'baseline');
  if (accepted.length > 0 && !options.quiet) {
    if (lines.length > 0) lines.push('');
    lines.push(c.bold('Accepted, not reported:'));
    for (const { finding: f, how } of accepted)
      lines.push(
        `  ${printable(f.file)}:${f.line}  ${f.ruleId}  ${printable(f.masked)}  ${c.dim(`(${HOW_ALLOWED[how]!})`)}`,
      );
  }

  if (!options.quiet) {
    if (lines.length > 0) lines.push('');
    const time = `${report.stats.durationMs} ms`;
    const scope = describeScope(report);
    const baseline = describeBaseline(report);
    const unreadable = report.stats.skippedFiles.filter((s) => s.error).length;
    const summary =
      findings.length > 0
        ? `${c.red('✖')} ${describeFindings(report)} (${scope}) in ${time}`
        : unreadable > 0
          ? `${c.yellow('!')} No Statalog keys found in what could be read — ${unreadable === 1 ? '1 path was' : `${unreadable} paths were`} not scanned (${scope}) in ${time}`
          : `${c.green('✔')} No Statalog keys found (${scope}) in ${time}`;
    const allowed = describeAllowed(report);
    lines.push([summary, allowed, baseline, report.policy].filter(Boolean).join('; '));
  }
  return { stdout: lineChunks(lines), stderr: '' };
}

/** `added in 1a2b3c4 by Ana, 2024-05-01; still in HEAD` for git findings; undefined for files. */
function describeOrigin(f: Finding): string | undefined {
  if (f.commit === undefined) return undefined;
  const parts = [`added in ${shortSha(f.commit)}`];
  if (f.author) parts.push(`by ${printable(f.author)}`);
  if (f.date) parts.push(f.date.slice(0, 10));
  let text = parts.join(' ');
  if (f.occurrences !== undefined && f.occurrences > 1) text += ` (${f.occurrences} times)`;
  if (f.presentAtHead !== undefined) text += f.presentAtHead ? '; still in HEAD' : '; only in history';
  return text;
}

function describeVerification(f: Finding, c: ReturnType<typeof picocolors.createColors>): string | undefined {
  const v = f.verification;
  if (!v) return undefined;
  if (v.status === 'live') return c.red(c.bold('LIVE'));
  if (v.status === 'revoked') return c.green('revoked');
  return c.yellow(`unverified: ${printable(v.reason)}`);
}
