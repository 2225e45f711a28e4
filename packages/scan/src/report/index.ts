/** The four output formats. Each formatter is loaded only when its format is asked for. */
import type { Format } from '../args.js';
import type { ScanReport } from '../report-model.js';

export interface RenderOptions {
  /** ANSI colour (text format only): on a TTY, unless NO_COLOR is set. */
  color: boolean;
  /** No summary line, nothing at all when nothing was found (text and github formats). */
  quiet: boolean;
  /** statalog-scan's version, for SARIF. */
  version: string;
}

/**
 * What goes to stdout (or `--output FILE`) and what goes to stderr. `stdout` may be a sequence of chunks,
 * made as they are written: a report of a million findings is never one string (V8 caps a string at about
 * 512 M characters, and holding it would double the memory).
 */
export interface Rendered {
  stdout: string | Iterable<string>;
  stderr: string;
}

/** Lines, each ending in a newline, a few thousand per chunk (nothing for no lines). */
export function* lineChunks(lines: readonly string[]): Generator<string> {
  for (let i = 0; i < lines.length; i += 4096) yield `${lines.slice(i, i + 4096).join('\n')}\n`;
}

/** The chunks of a rendered stdout, in order. */
export function chunksOf(stdout: Rendered['stdout']): Iterable<string> {
  return typeof stdout === 'string' ? [stdout] : stdout;
}

export async function render(report: ScanReport, format: Format, options: RenderOptions): Promise<Rendered> {
  switch (format) {
    case 'text':
      return (await import('./text.js')).renderText(report, options);
    case 'json':
      return (await import('./json.js')).renderJson(report, options);
    case 'sarif':
      return (await import('./sarif.js')).renderSarif(report, options);
    case 'github':
      return (await import('./github.js')).renderGithub(report, options);
  }
}
