/** The four output formats. Each formatter is loaded only when its format is asked for. */
import type { Format } from '../args.js';
import type { ScanReport } from '../report-model.js';
import type { Rendered, RenderOptions } from './output.js';

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
