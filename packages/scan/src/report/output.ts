/** What a formatter is given and what it hands back; each formatter and the dispatcher (render.ts) use these. */

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
