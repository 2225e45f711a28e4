/**
 * Escaping for every place a file name or message is printed. File names come from untrusted trees and may
 * hold newlines, `::`, `%`, markdown or terminal escape sequences.
 */

/** Workflow-command data (after `::`): `%`, CR and LF encoded, so nothing can start a new command. */
export function escapeCommandData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Workflow-command property values (`file=…,title=…`): additionally `:` and `,`. */
export function escapeCommandProperty(text: string): string {
  return escapeCommandData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export interface AnnotationProperties {
  file?: string;
  line?: number;
  endLine?: number;
  col?: number;
  endColumn?: number;
  title?: string;
}

/** `::error file=…,line=…::message` with GitHub's escaping. */
export function workflowCommand(
  command: 'error' | 'warning' | 'notice',
  properties: AnnotationProperties,
  message: string,
): string {
  const props = Object.entries(properties)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${escapeCommandProperty(String(v))}`)
    .join(',');
  return `::${command}${props ? ` ${props}` : ''}::${escapeCommandData(message)}`;
}

/**
 * Text for a terminal or a CI log: C0/C1 control characters (escape sequences, backspace, newlines in file
 * names), Unicode line separators and bidi overrides become visible `\xNN`/`\u{…}` escapes. So do the two
 * ways the GitHub runner finds a workflow command in any line a step prints — `::` at the start of a line
 * (after white space) and `##[` anywhere — so a file name can neither forge an annotation nor run
 * `::add-mask::`, `##[set-output …]` or `::stop-commands::` when the text is printed in a workflow.
 */
export function printable(text: string): string {
  return neutraliseCommands(escapeControls(text));
}

function escapeControls(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
  });
}

/** `::` opening the text (after white space) and every `##[`, as `\x3a:` and `##\x5b`: no runner command. */
export function neutraliseCommands(text: string): string {
  return text.replace(/^(\s*):(?=:)/, '$1\\x3a').replace(/##\[/g, '##\\x5b');
}

/**
 * Text for GitHub markdown (job summary, PR comment, table cells): every character markdown or HTML could
 * act on becomes an HTML entity, so a file name renders as itself — never a link, image, mention, heading or
 * a broken table — and newlines become spaces.
 */
export function escapeMarkdown(text: string): string {
  return (
    escapeControls(text.replace(/[\r\n\u2028\u2029]+/g, ' '))
      .replace(/[&<>"'`|\\[\]()!@#*_~$:{}+=-]/g, (c) => `&#${c.charCodeAt(0)};`)
      // GitHub decodes entities before it turns `@name` into a mention and `https://…`, `user@host.tld`
      // or `www.host.tld` into links: a zero-width space keeps those sequences apart (as Renovate does)
      .replace(/&#64;|&#58;/g, '$&&#8203;')
      .replace(/(www)\./gi, '$1&#8203;.')
      // and references: `#7`, `owner/repo#1` (issues, cross-repository mentions) and `GH-42` (GitHub's own
      // autolinked prefix) are kept apart from their numbers the same way
      .replace(/&#35;(?=\d)/g, '$&&#8203;')
      .replace(/\b(GH)&#45;/gi, '$1&#8203;&#45;')
  );
}
