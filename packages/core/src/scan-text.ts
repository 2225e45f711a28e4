import { detect, type DetectOptions } from './detect.js';
import { createFinding, withFields, type Finding } from './finding.js';
import { createLineIndex } from './position.js';
import { syntaxForPath } from './syntax.js';

/**
 * Findings for one file's text: the whole pipeline for callers that already hold the content as a string
 * (the action's blobs, small inputs, tests). The CLI streams bytes instead and maps positions itself.
 */
export function scanText(text: string, file: string, options: Omit<DetectOptions, 'syntax'> = {}): Finding[] {
  const matches = detect(text, { ...options, syntax: syntaxForPath(file) });
  if (matches.length === 0) return [];
  const lines = createLineIndex(text);
  return matches.map((m) => {
    const { line, column } = lines.position(m.start);
    const finding = createFinding({ ruleId: m.ruleId, file, line, column, secret: m.secret });
    return m.allowed ? withFields(finding, { inlineAllowed: true }) : finding;
  });
}
