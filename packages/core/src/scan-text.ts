import { encodedFields, locate } from './content/scan-content.js';
import { detect, type DetectOptions } from './detect.js';
import { createFinding, withFields, type Finding } from './finding.js';
import { syntaxForPath } from './syntax.js';

/**
 * Findings for text a caller already holds as a string (tests, small inputs). Content read as bytes goes
 * through `scanContent`, which also tells the encoding and the binary rule.
 */
export function scanText(text: string, file: string, options: Omit<DetectOptions, 'syntax'> = {}): Finding[] {
  return locate(text, detect(text, { ...options, syntax: syntaxForPath(file) })).map((m) => {
    const finding = createFinding({
      ruleId: m.ruleId,
      file,
      line: m.line,
      column: m.column,
      secret: m.secret,
      ...encodedFields(m),
    });
    return m.allowed ? withFields(finding, { inlineAllowed: true }) : finding;
  });
}
