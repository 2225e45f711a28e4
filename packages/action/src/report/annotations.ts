/**
 * `::error` annotations at file and line. GitHub shows at most 10 annotations of a kind per step, so the
 * first 10 findings are annotated and a notice says how many more the job summary lists.
 */
import { printable, RULES, workflowCommand, type AllowedFinding, type Finding } from '@statalog/core';
import { short } from '../plan.js';

const ANNOTATION_LIMIT = 10;

export function annotationLines(findings: readonly Finding[], level: 'error' | 'warning'): string[] {
  const lines = findings.slice(0, ANNOTATION_LIMIT).map((f) =>
    workflowCommand(
      level,
      {
        file: f.file,
        line: f.line,
        col: f.column,
        endColumn: f.endColumn,
        title: f.encoding !== undefined ? `${RULES[f.ruleId].title} (${f.encoding})` : RULES[f.ruleId].title,
      },
      `${f.message}${origin(f)}`,
    ),
  );
  const more = findings.length - ANNOTATION_LIMIT;
  if (more > 0)
    lines.push(
      workflowCommand(
        'notice',
        { title: 'More Statalog keys' },
        `${more} more Statalog ${more === 1 ? 'key is' : 'keys are'} not annotated (GitHub shows ${ANNOTATION_LIMIT} annotations per step): the job summary lists all ${findings.length}.`,
      ),
    );
  return lines;
}

/** Where the key came from, for a message: which commit added it, and whether it is still there. */
function origin(f: Finding): string {
  if (f.commit === undefined) return '';
  const added = ` Added in commit ${short(f.commit)}${f.occurrences && f.occurrences > 1 ? ` (and ${f.occurrences - 1} more times)` : ''}`;
  return f.presentAtHead === false
    ? `${added}; a later commit removed it, but it stays in the git history, so revoke it anyway.`
    : `${added}.`;
}

/** One plain line per finding for the job log (file names made printable). */
export function logLines(findings: readonly Finding[]): string[] {
  return findings.map((f) => {
    const at =
      f.commit === undefined
        ? ''
        : ` added in ${short(f.commit)}${f.presentAtHead === false ? ', removed since (still in history)' : f.presentAtHead ? ', still at head' : ''}`;
    return `  ${printable(f.file)}:${f.line}:${f.column}  ${f.ruleId}  ${f.masked}${at}`;
  });
}

const HOW: Record<AllowedFinding['how'], string> = {
  inline: 'statalog:allow on the line',
  fingerprint: 'allowedFingerprints',
  baseline: 'baseline',
};

/** How an allowed finding was accepted, in words. */
export function howAllowed(how: AllowedFinding['how']): string {
  return HOW[how];
}

/** One plain line per accepted finding for the job log: where, which key (masked), how it was accepted. */
export function allowedLines(allowed: readonly AllowedFinding[]): string[] {
  return allowed.map(
    ({ finding: f, how }) => `  ${printable(f.file)}:${f.line}  ${f.ruleId}  ${f.masked}  accepted by ${HOW[how]}`,
  );
}
