/**
 * Command-line options: one table (`OPTIONS`), one parser, one help text. Errors are one line naming the
 * option; the CLI turns them into exit code 2.
 */
import { parseArgs } from 'node:util';
import { UserError } from '@statalog/core/user-error';

export const FORMATS = ['text', 'json', 'sarif', 'github'] as const;
export type Format = (typeof FORMATS)[number];

export const POLICY_FROM = ['base', 'head'] as const;
export type PolicyFrom = (typeof POLICY_FROM)[number];

export const FAIL_ON = ['any', 'live'] as const;
export type FailOn = (typeof FAIL_ON)[number];

/** Every option of `statalog-scan [paths…]`. Subcommands (`install-hook`) parse their own arguments. */
const OPTIONS = {
  // output
  format: { type: 'string', short: 'f' },
  output: { type: 'string', short: 'o' },
  quiet: { type: 'boolean', short: 'q' },
  // what is scanned and what is reported
  config: { type: 'string', short: 'c' },
  baseline: { type: 'string' },
  'write-baseline': { type: 'string' },
  'no-ignore': { type: 'boolean' },
  'include-examples': { type: 'boolean' },
  // archives and images (archives/)
  'archive-depth': { type: 'string' },
  'archive-max-size': { type: 'string' },
  'archive-max-ratio': { type: 'string' },
  // deployed sites (sites/)
  url: { type: 'string', multiple: true },
  // git modes (git/)
  staged: { type: 'boolean' },
  range: { type: 'string' },
  history: { type: 'boolean' },
  'allow-partial': { type: 'boolean' },
  'policy-from': { type: 'string' },
  hook: { type: 'boolean' },
  // verification (verify/)
  verify: { type: 'boolean' },
  'api-url': { type: 'string' },
  'verify-limit': { type: 'string' },
  'fail-on': { type: 'string' },
  // about
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
} as const;

export interface CliArgs {
  paths: string[];
  format: Format;
  output?: string;
  quiet: boolean;
  config?: string;
  baseline?: string;
  writeBaseline?: string;
  noIgnore: boolean;
  includeExamples: boolean;
  /** Archives opened inside one another at most (0: archives are searched as binary files). */
  archiveDepth: number;
  /** Bytes one archive may hold, itself and everything inflated from it. */
  archiveMaxBytes: number;
  /** An archive entry may inflate to this many times its compressed size (0: no ratio cap, the size cap still holds). */
  archiveMaxRatio: number;
  /** `--url`: deployed sites to fetch and scan instead of files. */
  urls: string[];
  staged: boolean;
  range?: string;
  history: boolean;
  /** --range/--history: scan what is there when part of the history is missing (shallow clone, unknown base). */
  allowPartial: boolean;
  /** --range/--history: read the config and baseline from git (`base`, default) or the work tree (`head`). */
  policyFrom: PolicyFrom;
  /** --hook: what the pre-commit framework asks (a range, the files it passes, or the staged changes). */
  hook: boolean;
  /** --hook with file names (positionals) given. */
  hookFiles: boolean;
  verify: boolean;
  apiUrl?: string;
  /** --verify-limit: distinct keys sent per run (default in verify/verify-findings.ts). */
  verifyLimit?: number;
  failOn: FailOn;
  help: boolean;
  version: boolean;
}

/** A bad command line: the message is one line and names the option. */
export class UsageError extends UserError {
  override name = 'UsageError';
}

export function parseCliArgs(argv: readonly string[]): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(describeParseError(error as Error & { code?: string }));
  }
  const v = parsed.values;
  const args: CliArgs = {
    paths: parsed.positionals.length > 0 ? parsed.positionals : ['.'],
    format: oneOf('--format', v.format ?? 'text', FORMATS),
    quiet: v.quiet ?? false,
    noIgnore: v['no-ignore'] ?? false,
    includeExamples: v['include-examples'] ?? false,
    archiveDepth:
      v['archive-depth'] === undefined ? DEFAULT_ARCHIVE_DEPTH : count('--archive-depth', v['archive-depth'], 0, 32),
    archiveMaxBytes:
      v['archive-max-size'] === undefined
        ? DEFAULT_ARCHIVE_MAX_BYTES
        : size('--archive-max-size', v['archive-max-size']),
    archiveMaxRatio:
      v['archive-max-ratio'] === undefined
        ? DEFAULT_ARCHIVE_MAX_RATIO
        : count('--archive-max-ratio', v['archive-max-ratio'], 0, 1_000_000),
    urls: v.url ?? [],
    staged: v.staged ?? false,
    history: v.history ?? false,
    allowPartial: v['allow-partial'] ?? false,
    policyFrom: oneOf('--policy-from', v['policy-from'] ?? 'base', POLICY_FROM),
    hook: v.hook ?? false,
    hookFiles: (v.hook ?? false) && parsed.positionals.length > 0,
    verify: v.verify ?? false,
    failOn: oneOf('--fail-on', v['fail-on'] ?? 'any', FAIL_ON),
    help: v.help ?? false,
    version: v.version ?? false,
  };
  for (const [name, value] of [
    ['output', v.output],
    ['config', v.config],
    ['baseline', v.baseline],
    ['write-baseline', v['write-baseline']],
    ['range', v.range],
    ['api-url', v['api-url']],
    ['verify-limit', v['verify-limit']],
  ] as const) {
    if (value === undefined) continue;
    if (value === '' || value.startsWith('-'))
      throw new UsageError(
        `option --${name} needs a value (got ${value === '' ? 'an empty string' : quoteArg(value)})`,
      );
  }
  if (v.output !== undefined) args.output = v.output;
  if (v.config !== undefined) args.config = v.config;
  if (v.baseline !== undefined) args.baseline = v.baseline;
  if (v['write-baseline'] !== undefined) args.writeBaseline = v['write-baseline'];
  if (v.range !== undefined) args.range = v.range;
  if (v['api-url'] !== undefined) args.apiUrl = v['api-url'];
  if (v['verify-limit'] !== undefined) {
    const n = /^\d{1,7}$/.test(v['verify-limit']) ? Number(v['verify-limit']) : NaN;
    if (!(n >= 1))
      throw new UsageError(
        `option --verify-limit must be a whole number from 1 to 9999999 (got ${quoteArg(v['verify-limit'])})`,
      );
    args.verifyLimit = n;
  }

  const gitModes = [
    args.staged && '--staged',
    args.range !== undefined && '--range',
    args.history && '--history',
    args.hook && '--hook',
  ].filter((mode) => mode !== false);
  if (gitModes.length > 1) throw new UsageError(`options ${gitModes.join(' and ')} cannot be combined`);
  if (gitModes.length === 1 && parsed.positionals.length > 0 && !args.hook)
    throw new UsageError(
      `option ${gitModes[0]!} scans the repository and takes no paths (got ${quoteArg(parsed.positionals[0]!)})`,
    );
  // verification options mean nothing without --verify, and --fail-on live would then pass every run
  if (!args.verify && args.failOn === 'live')
    throw new UsageError('option --fail-on live needs --verify (without it no key is known to be live)');
  if (!args.verify && args.apiUrl !== undefined) throw new UsageError('option --api-url only applies with --verify');
  if (
    args.hook &&
    (args.noIgnore || v['policy-from'] !== undefined || args.allowPartial || args.writeBaseline !== undefined)
  )
    throw new UsageError(
      `option --hook decides what to scan itself; it takes no ${args.noIgnore ? '--no-ignore' : v['policy-from'] !== undefined ? '--policy-from' : args.allowPartial ? '--allow-partial' : '--write-baseline'}`,
    );
  if (v['policy-from'] !== undefined && args.range === undefined && !args.history)
    throw new UsageError('option --policy-from only applies to --range and --history (other scans read the work tree)');
  if (!args.verify && args.verifyLimit !== undefined)
    throw new UsageError('option --verify-limit only applies with --verify');
  if (args.allowPartial && args.range === undefined && !args.history)
    throw new UsageError('option --allow-partial only applies to --range and --history');
  if (args.urls.length > 0) {
    if (gitModes.length > 0) throw new UsageError(`options --url and ${gitModes[0]!} cannot be combined`);
    if (parsed.positionals.length > 0)
      throw new UsageError(`option --url scans sites and takes no paths (got ${quoteArg(parsed.positionals[0]!)})`);
    for (const url of args.urls)
      if (url === '' || url.startsWith('-'))
        throw new UsageError(`option --url needs a value (got ${url === '' ? 'an empty string' : quoteArg(url)})`);
  }
  const archiveOption = (['archive-depth', 'archive-max-size', 'archive-max-ratio'] as const).find(
    (o) => v[o] !== undefined,
  );
  if (archiveOption && (gitModes.length > 0 || args.urls.length > 0))
    throw new UsageError(`option --${archiveOption} only applies to file scans, not ${gitModes[0] ?? '--url'}`);
  if (gitModes.length === 1 && args.noIgnore)
    throw new UsageError(`option --no-ignore only applies to file scans, not ${gitModes[0]!}`);
  return args;
}

/** Mirrors ../archives/limits.ts (not imported: start-up loads only this file). */
const DEFAULT_ARCHIVE_DEPTH = 3;
const DEFAULT_ARCHIVE_MAX_BYTES = 1024 * 1024 * 1024;
const DEFAULT_ARCHIVE_MAX_RATIO = 100;

function count(option: string, value: string, min: number, max: number): number {
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(n >= min && n <= max))
    throw new UsageError(`option ${option} must be a whole number from ${min} to ${max} (got ${quoteArg(value)})`);
  return n;
}

/** `512M`, `2G`, `100K` or a number of bytes; at most 4G, the most one Node buffer holds. */
function size(option: string, value: string): number {
  const m = /^(\d+)([KMG]i?B?)?$/i.exec(value);
  const unit = m?.[2]?.[0]?.toUpperCase();
  const n = m ? Number(m[1]) * (unit === 'K' ? 1024 : unit === 'M' ? 1024 ** 2 : unit === 'G' ? 1024 ** 3 : 1) : NaN;
  if (!(n >= 1024 && n <= 4 * 1024 ** 3))
    throw new UsageError(`option ${option} must be a size from 1K to 4G, such as 512M or 2G (got ${quoteArg(value)})`);
  return n;
}

function oneOf<T extends string>(option: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`option ${option} must be one of ${allowed.join(', ')} (got ${quoteArg(value)})`);
}

/** Shows a user's argument safely: short, printable, quoted. */
function quoteArg(value: string): string {
  const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
  return JSON.stringify(shown);
}

function describeParseError(error: Error & { code?: string }): string {
  // Node's messages quote the option as '--name', '-x' or '-f, --format <value>': name the long form
  const option = /(--[\w-]+)/.exec(error.message)?.[1] ?? /'(-[^' ,]+)/.exec(error.message)?.[1];
  switch (error.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${option ?? ''} (see statalog-scan --help)`.replace('  ', ' ');
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return /does not take an argument/.test(error.message)
        ? `option ${option ?? ''} does not take a value`
        : `option ${option ?? ''} needs a value`;
    default:
      return error.message.split('\n')[0]!;
  }
}

export const HELP = `Usage: statalog-scan [options] [paths...]
       statalog-scan [options] -               (standard input: one file or archive)
       statalog-scan [options] --url URL...
       statalog-scan --staged | --range A..B | --history [options]
       statalog-scan install-hook [--uninstall]

Finds Statalog API keys (Cloud st_ keys, Community STATALOG_API_KEY values, api_key= URLs) in files.
Paths default to the current directory. In a git work tree the files git knows about are scanned
(tracked and untracked-but-not-ignored); elsewhere .gitignore files are honoured.

Output:
  -f, --format FORMAT       text (default), json, sarif or github
  -o, --output FILE         write the report to FILE instead of stdout
  -q, --quiet               print nothing when nothing is found; no summary line

What is scanned and reported:
  -c, --config FILE         config file (default: .statalog-scan.json here, else at the git top level)
      --baseline FILE       report only findings not recorded in FILE; list entries that no longer match
      --write-baseline FILE record the findings in FILE (accepting them) and exit 0
      --no-ignore           scan everything below the paths, ignored and hidden files included
      --include-examples    also report the documentation's example key

Archives, container images and standard input:
  Archives (zip, jar, war, whl, tar, tgz, gz — told by their bytes) are opened in memory, never extracted,
  and every entry is searched: a finding names it as archive.tgz!package/dist/index.js. A docker save
  tarball or an OCI image layout is searched layer by layer, files deleted by a later layer included.
  -                         read standard input as one file or archive (docker save app | statalog-scan -)
      --archive-depth N     open archives nested up to N deep (default 3; 0: search archives as binary files)
      --archive-max-size S  bytes one archive may hold, itself and all it inflates to (default 1G; e.g. 512M)
      --archive-max-ratio N an entry may inflate to N times its size past 16 MiB (default 100; 0: none)
                            what a cap stops is reported as not scanned (exit 2 when nothing is found)

Deployed sites:
      --url URL             fetch the page, its same-origin scripts (and the modules they import) and their
                            source maps, and search them (repeatable; https:// only, or a loopback http://);
                            only the named origins are contacted, without cookies or credentials

Git (scan what git holds instead of the work tree):
      --staged              the staged changes (for a pre-commit hook)
      --range A..B          the lines added by each commit in A..B (B defaults to HEAD)
      --history             the lines added by every commit reachable from any ref
      --allow-partial       with --range/--history: when history is missing (shallow clone, unknown
                            base), scan what is there and say what was not scanned, instead of exit 2
      --policy-from base|head
                            with --range/--history: read the config and baseline from git — at A for
                            --range A..B, at HEAD's commit for --history (base, the default: the scanned
                            commits cannot allow themselves) — or from the work tree (head)
      --hook [files...]     for the pre-commit framework: the range PRE_COMMIT_FROM_REF..PRE_COMMIT_TO_REF
                            when set (pre-commit run --from-ref/--to-ref), else the files it passes when
                            they are not the staged set (--all-files, --files), else the staged changes
  install-hook              install a git pre-commit hook that runs statalog-scan --staged

Verification (off by default; sends each found key to the Statalog API it belongs to, nowhere else):
      --verify              ask the API whether each key is live or revoked
      --api-url URL         the self-hosted Statalog API to check Community keys against (https://…);
                            Cloud keys always go to https://app.statalog.com
      --verify-limit N      check at most N distinct keys per run (default 100); the rest, and any key
                            left when a minute has passed, are reported "not checked" (never revoked)
      --fail-on any|live    exit 1 on any finding (default) or only on live (and not checked) keys

  -h, --help                show this help
  -V, --version             show the version

Exit status: 0 nothing found, 1 findings, 2 usage error, unreadable input or a file that could not be read.
Suppress a deliberate test value with "statalog:allow" on its line.
`;
