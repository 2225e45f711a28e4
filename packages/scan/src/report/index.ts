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

/** What goes to stdout (or `--output FILE`) and what goes to stderr. */
export interface Rendered {
  stdout: string;
  stderr: string;
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
