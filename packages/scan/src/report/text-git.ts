/**
 * The "What to do" of the git modes, where the right action depends on where the key is:
 * - `--staged`: the commit is blocked and nothing is in history yet — remove the key (read it from the
 *   environment) or unstage the file; mark a deliberate test value with `statalog:allow`.
 * - `--range` / `--history`, key still in HEAD: remove it AND revoke it — it is in every clone already.
 * - only in history: revoke it; deleting the line does not help.
 */
import { printable, RULES, type Finding } from '@statalog/core';
import type picocolors from 'picocolors';
import type { ScanReport } from '../report-model.js';
import { plural } from './summary.js';

type Colors = ReturnType<typeof picocolors.createColors>;

export function gitWhatToDo(report: ScanReport, c: Colors, ruleWidth: number): string[] | undefined {
  const findings = report.findings;
  if (report.stats.gitMode === 'staged') return stagedWhatToDo(findings, c);
  if (!findings.some((f) => f.commit !== undefined)) return undefined;
  const atHead = findings.filter((f) => f.presentAtHead === true);
  const historyOnly = findings.filter((f) => f.presentAtHead !== true);
  const lines = [c.bold('What to do')];
  if (atHead.length > 0)
    lines.push(
      `  ${c.red(`Still in HEAD (${atHead.length})`)}: remove the key from the file AND revoke it — it is already in the history of every clone and fork.`,
      `    ${atHead.map(where).join(', ')}`,
    );
  if (historyOnly.length > 0)
    lines.push(
      `  ${c.yellow(`Only in history (${historyOnly.length})`)}: revoke it — deleting the line does not help, every clone and fork keeps the commit.`,
      `    ${historyOnly.map(where).join(', ')}`,
    );
  lines.push('  How to revoke:');
  const rules = [...new Set(findings.map((f) => f.ruleId))].sort();
  for (const id of rules) lines.push(`    ${c.red(id.padEnd(ruleWidth))}  ${RULES[id].remedy}`);
  lines.push(
    '  Rewriting history (git filter-repo, BFG) afterwards is optional: it does not reach clones that exist already.',
  );
  lines.push(`  To accept a deliberate test value, add "statalog:allow" to its line.`);
  return lines;
}

function stagedWhatToDo(findings: readonly Finding[], c: Colors): string[] {
  const files = [...new Set(findings.map((f) => f.file))];
  return [
    c.bold(`Commit blocked: the staged changes add ${plural(findings.length, 'Statalog key')}.`),
    '  It is not in any commit yet, so removing it now is enough (unless it was shared somewhere else — then revoke it too):',
    '  1. Delete the key from the file and read it from the environment instead (STATALOG_API_KEY, e.g. process.env.STATALOG_API_KEY),',
    '     then stage the file again: git add <file>',
    `  2. Or leave the file out of this commit: ${files.map((f) => `git restore --staged -- ${shellArg(f)}`).join('; ')}`,
    '  A deliberate test value (a revoked or fake key in a test)? Add "statalog:allow" to its line, in a comment, and stage it again.',
  ];
}

function where(f: Finding): string {
  return `${printable(f.file)}:${f.line} ${printable(f.masked)}`;
}

/** A file name as it would be typed in a shell (quoted when it needs to be), and printable. */
function shellArg(file: string): string {
  const safe = /^[\w./@%+=:,-]+$/.test(file);
  return printable(safe ? file : `'${file.replace(/'/g, `'\\''`)}'`);
}
