/**
 * Hostile input for the hardening tests: file names built to break output formats, a parser for the GitHub
 * runner's workflow commands (the real rules, both syntaxes), and a runner for the built `statalog-scan`
 * that kills it after a deadline and measures its peak memory and the bytes it read from `/proc/<pid>`.
 * Keys are made at run time; none is written here.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import MarkdownIt from 'markdown-it';
import { cleanEnv } from './env.js';
import { REPO_ROOT, SCAN_BIN } from './paths.js';

/**
 * File names (one path segment each) that have broken scanners and CI logs: separators of every output
 * format, workflow commands of both syntaxes, terminal escapes, bidi overrides, markdown and HTML.
 * Non-UTF-8 names are bytes (`NON_UTF8_NAME`), since a JavaScript string cannot hold them.
 */
export const HOSTILE_NAMES: readonly string[] = [
  'with space.env',
  'new\nline.env',
  'carriage\rreturn.env',
  'tab\there.env',
  'emoji-🔑-key.env',
  '-rf.env',
  '--format=json.env',
  'a::b.env',
  '::error file=forged.txt,line=1::forged annotation.env',
  '::add-mask::visible.env',
  '::set-output name=findings::0.env',
  '::stop-commands::resume.env',
  '  ::warning::indented.env',
  'legacy ##[set-output name=findings;]0.env',
  '##[error]forged.env',
  'percent%0Aencoded%25.env',
  'comma,colon:.env',
  'esc\u001b[31mred\u001b[0m.env',
  'bell\u0007backspace\u0008.env',
  'bidi\u202etxt.exe.env',
  'c1\u009b31m.env',
  'line\u2028separator.env',
  '[link](https:%2F%2Fevil.example).env',
  '![img](x).env',
  '<img src=x onerror=alert(1)>.env',
  '@octocat mention.env',
  'table | cell.env',
  '`code`*bold*_em_.env',
  'www.evil.example.env',
  'GH-42 and #7.env',
  'owner/repo#1.env',
];

/** `bad` + bytes 0xff 0xfe (never valid UTF-8) + `name.env`. */
export const NON_UTF8_NAME = Buffer.concat([Buffer.from('bad'), Buffer.from([0xff, 0xfe]), Buffer.from('name.env')]);
/** How a non-UTF-8 name is shown: each invalid byte as U+FFFD, as git modes and TextDecoder show it. */
export const NON_UTF8_SHOWN = NON_UTF8_NAME.toString('utf8');

// ---------------------------------------------------------------------------------------------------------
// The runner's workflow commands (actions/runner src/Runner.Common/ActionCommand.cs): a line is a command
// when, after leading white space, it starts with `::name …::` (V2), or when it contains `##[name …]`
// anywhere (the legacy syntax, still parsed, with `set-output`, `add-mask`, `stop-commands`…).

export interface WorkflowCommand {
  command: string;
  properties: Record<string, string>;
  data: string;
}

/** Commands the runner acts on (its registered extensions, plus stop-commands). */
const RUNNER_COMMANDS = new Set([
  'set-env',
  'set-output',
  'save-state',
  'add-path',
  'add-mask',
  'add-matcher',
  'remove-matcher',
  'warning',
  'error',
  'notice',
  'debug',
  'group',
  'endgroup',
  'echo',
  'stop-commands',
]);

function unescapeProperty(text: string): string {
  return text
    .replaceAll('%0D', '\r')
    .replaceAll('%0A', '\n')
    .replaceAll('%3A', ':')
    .replaceAll('%2C', ',')
    .replaceAll('%25', '%');
}

function unescapeData(text: string): string {
  return text.replaceAll('%0D', '\r').replaceAll('%0A', '\n').replaceAll('%25', '%');
}

/** The V2 command a line is, as the runner parses it; undefined when it is not one. */
export function parseCommandV2(line: string): WorkflowCommand | undefined {
  const message = line.trimStart();
  if (!message.startsWith('::')) return undefined;
  const end = message.indexOf('::', 2);
  if (end < 0) return undefined;
  const info = message.slice(2, end);
  const space = info.indexOf(' ');
  const command = space < 0 ? info : info.slice(0, space);
  if (!RUNNER_COMMANDS.has(command.toLowerCase())) return undefined;
  const properties: Record<string, string> = {};
  if (space > 0) {
    for (const part of info
      .slice(space + 1)
      .trim()
      .split(',')
      .filter(Boolean)) {
      const eq = part.indexOf('=');
      if (eq > 0 && eq < part.length - 1) properties[part.slice(0, eq)] = unescapeProperty(part.slice(eq + 1));
    }
  }
  return { command, properties, data: unescapeData(message.slice(end + 2)) };
}

/** True when the runner would take the line for a legacy `##[command]` (anywhere in the line). */
function isLegacyCommand(line: string): boolean {
  const at = line.indexOf('##[');
  if (at < 0) return false;
  const close = line.indexOf(']', at);
  if (close < 0) return false;
  const info = line.slice(at + 3, close);
  const space = info.indexOf(' ');
  return RUNNER_COMMANDS.has((space < 0 ? info : info.slice(0, space)).toLowerCase());
}

/**
 * Every line of `text` the runner would act on (split as the runner reads lines: at CR, LF or CRLF).
 * `allowed` says which V2 commands are expected (the scanner's own annotations); anything else is returned.
 */
export function unexpectedCommands(text: string, allowed: (c: WorkflowCommand) => boolean = () => false): string[] {
  return text.split(/\r\n|\r|\n/).filter((line) => {
    const v2 = parseCommandV2(line);
    if (v2) return !allowed(v2);
    return isLegacyCommand(line);
  });
}

// ---------------------------------------------------------------------------------------------------------

/** True when `text` holds a C0/C1 control character or a bidi override a terminal would act on. */
export function hasTerminalControls(text: string): boolean {
  return /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029]/.test(text);
}

export interface MeasuredRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Peak resident set (VmHWM) in bytes, polled from /proc while the process ran. */
  peakRss: number;
  /** Bytes the process read through read(2)-like calls (`rchar` of /proc/<pid>/io), last value seen. */
  readBytes: number;
  /** True when the deadline passed and the process was killed. */
  killed: boolean;
}

/**
 * Runs the built binary with a kill timer (a scan that blocks on a FIFO must fail the test, not hang it),
 * polling `/proc/<pid>/status` and `/proc/<pid>/io` for peak memory and bytes read.
 */
export function runMeasured(
  args: readonly string[],
  options: { cwd?: string; deadlineMs?: number; env?: Record<string, string | undefined> } = {},
): Promise<MeasuredRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SCAN_BIN, ...args], {
      cwd: options.cwd ?? REPO_ROOT,
      env: cleanEnv(options.env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let peakRss = 0;
    let readBytes = 0;
    let killed = false;
    const poll = (): void => {
      try {
        const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (hwm) peakRss = Math.max(peakRss, Number(hwm[1]) * 1024);
        const io = /rchar: (\d+)/.exec(readFileSync(`/proc/${child.pid}/io`, 'utf8'));
        if (io) readBytes = Math.max(readBytes, Number(io[1]));
      } catch {
        // the process is gone: the last values stand
      }
    };
    const timer = setInterval(poll, 10);
    const deadline = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, options.deadlineMs ?? 120_000);
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    // the last poll before exit: a zombie's /proc entry is gone, so poll on 'exit' (before 'close')
    child.on('exit', poll);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearInterval(timer);
      clearTimeout(deadline);
      resolve({
        code,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        peakRss,
        readBytes,
        killed,
      });
    });
  });
}

export const MB = 1024 * 1024;
export const GB = 1024 * MB;

// ---------------------------------------------------------------------------------------------------------
// Markdown as GitHub renders it (job summary, PR comment): rendered with markdown-it (CommonMark + tables,
// raw HTML passed through, bare URLs linked like GitHub's autolinks), then inspected.

const markdown = new MarkdownIt({ html: true, linkify: true });

export interface RenderedMarkdown {
  html: string;
  /** Every `href`/`src` in the rendered HTML. */
  links: string[];
  images: number;
  /** Text outside tags and outside code spans (GitHub autolinks nothing in code), entities decoded. */
  text: string;
  /** The text of each code span, entities decoded: what a reader copies. */
  code: string[];
  /** Cells per row of each table (header row first). */
  tables: number[][];
}

export function renderMarkdown(source: string): RenderedMarkdown {
  const html = markdown.render(source);
  const links = [...html.matchAll(/\s(?:href|src)="([^"]*)"/g)].map((m) => m[1]!);
  const images = (html.match(/<img\b/gi) ?? []).length;
  const decode = (t: string): string =>
    t
      .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
  const code = [...html.matchAll(/<code>([\s\S]*?)<\/code>/g)].map((m) => decode(m[1]!));
  const text = decode(html.replace(/<code>[\s\S]*?<\/code>/g, '').replace(/<[^>]*>/g, ''));
  const tables = [...html.matchAll(/<table>([\s\S]*?)<\/table>/g)].map((t) =>
    [...t[1]!.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((r) => (r[1]!.match(/<t[hd]\b/g) ?? []).length),
  );
  return { html, links, images, text, code, tables };
}

/**
 * What GitHub would turn into a mention, a team mention or an autolink in rendered text: `@name`, bare
 * `http(s)://`, `www.` and `user@host.tld` sequences, and references — `#7`, `owner/repo#1`, `GH-42` (a
 * zero-width space between the parts defeats them).
 */
export function autolinkable(text: string): string[] {
  return [
    ...text.matchAll(
      /@[A-Za-z0-9][A-Za-z0-9-]*|https?:\/\/\S+|\bwww\.\S+|[\w.+-]+@[\w-]+\.[\w.]+|\bGH-\d+|[\w.-]+\/[\w.-]+#\d+|(?<![\w&])#\d+/gi,
    ),
  ].map((m) => m[0]);
}
