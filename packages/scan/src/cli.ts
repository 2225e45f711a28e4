/**
 * `statalog-scan`: parse the command line, run one mode, apply config + baseline, optionally verify, print,
 * exit 0 (nothing found), 1 (findings) or 2 (usage or runtime error, or a file that could not be read).
 *
 * Start-up is kept cheap for the pre-commit hook (`--staged` must cost at most twice `node -e 0`): this file
 * imports only the argument parser and two small pieces of core at the top; the modes, the formatters and the
 * verifier are `import()`ed when used.
 */
import { createRequire } from 'node:module';
// the escaper alone (a few lines, no dependencies): stderr and every report escape names the same way
import { printable } from '@statalog/core/escape';
import { UserError } from '@statalog/core/user-error';
import type { Finding } from '@statalog/core';
import { HELP, parseCliArgs, type CliArgs } from './args.js';
import { GIT_SUBCOMMANDS, type ModeContext } from './modes.js';
import type { PolicyAt } from './policy-at.js';
import { isIncomplete, type ModeResult, type ScanReport } from './report-model.js';
import type { Settings } from './settings.js';

export interface Io {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

type Warn = (line: string) => void;

/** One run, once the command line is understood: what to scan, with which settings, and how to verify. */
interface Run {
  ctx: ModeContext;
  /** `--range`/`--history`: where the config and baseline were read. */
  policy: string | undefined;
  /** `--verify`: adds `verification` to each finding. */
  verify: ((findings: Finding[]) => Promise<Finding[]>) | undefined;
}

const PROGRAM = 'statalog-scan';

export async function main(argv: readonly string[], io: Io): Promise<number> {
  const startedAt = performance.now();
  const warn: Warn = (line) => void io.stderr.write(`${PROGRAM}: ${maskKeyShapes(printable(line))}\n`);
  try {
    const subcommand = argv[0];
    if (subcommand !== undefined && GIT_SUBCOMMANDS.has(subcommand)) {
      const { runHookCommand } = await import('./git/install-hook.js');
      return await runHookCommand(subcommand, argv.slice(1), {
        cwd: io.cwd,
        out: (t) => void io.stdout.write(t),
        warn,
      });
    }
    const args = parseCliArgs(argv);
    if (args.help || args.version) {
      io.stdout.write(args.help ? HELP : `${version()}\n`);
      return 0;
    }
    const run = await prepare(args, io, warn);
    const report = await scan(run, warn);
    report.stats.durationMs = Math.round(performance.now() - startedAt);
    await publish(report, run.ctx, io);
    return await exitCode(report, run.ctx.args);
  } catch (error) {
    warn(describeError(error));
    return 2;
  }
}

/** Resolves `--hook`, reads the settings (from git for `--range`/`--history`), and readies `--verify`. */
async function prepare(parsed: CliArgs, io: Io, warn: Warn): Promise<Run> {
  let args = parsed;
  // --hook (the pre-commit framework): becomes a range, a file list or the staged scan (see hook-mode.ts)
  const hookPlan = args.hook ? await (await import('./hook-mode.js')).planHook(args, io.env, io.cwd) : undefined;
  if (hookPlan?.mode === 'range') args = { ...args, range: hookPlan.range, paths: ['.'] };
  else if (hookPlan?.mode === 'staged') args = { ...args, staged: true, paths: ['.'] };
  // the pre-commit path: git reads the staged changes while the rest loads (git/staged-start.ts)
  if (args.staged) (await import('./git/staged-start.js')).startStagedRead(io.cwd);

  const { settings, policy } = await readSettings(args, io.cwd, warn);
  if (hookPlan?.mode === 'files') {
    // pre-commit names every file it was told to; the config's ignorePaths still decide what is scanned
    const { files } = await (await import('./hook-mode.js')).withoutIgnored(hookPlan.files, settings);
    args = { ...args, paths: files };
  }
  const ctx: ModeContext = {
    args,
    settings,
    cwd: settings.cwd,
    detect: { selfHostedHosts: settings.config.selfHostedHosts, includeExamples: args.includeExamples },
    warn,
  };
  const verify = args.verify ? await prepareVerify(args, settings, policy, io.env, warn) : undefined;
  return { ctx, policy: policy?.description, verify };
}

/**
 * The config and baseline. `--range` and `--history` judge commits, so their policy is read from git, not
 * from a work tree the commits may have written (policy-at.ts).
 */
async function readSettings(
  args: CliArgs,
  cwd: string,
  warn: Warn,
): Promise<{ settings: Settings; policy?: PolicyAt }> {
  const options = {
    cwd,
    ...(args.config !== undefined ? { configPath: args.config } : {}),
    ...(args.baseline !== undefined ? { baselinePath: args.baseline } : {}),
  };
  if (args.range === undefined && !args.history)
    return { settings: (await import('./settings.js')).loadSettings(options) };
  const { loadPolicy } = await import('./policy-at.js');
  const policy = await loadPolicy({
    ...options,
    ...(args.range !== undefined ? { range: args.range } : {}),
    history: args.history,
    from: args.policyFrom,
  });
  for (const note of policy.notes) warn(note);
  return { settings: policy.settings, policy };
}

/**
 * `--verify`, loaded only when asked. Verifying nothing checks --api-url and STATALOG_CLOUD_API_URL up front,
 * so a bad value fails (exit 2) before the scan, not after it.
 */
async function prepareVerify(
  args: CliArgs,
  settings: Settings,
  policy: PolicyAt | undefined,
  env: NodeJS.ProcessEnv,
  warn: Warn,
): Promise<Run['verify']> {
  const { verifyFindings } = await import('./verify/verify-findings.js');
  // keys go only to hosts the scanned commits did not write (see policy-at.ts)
  const untrustedHosts = policy?.configFromChange === true && settings.config.selfHostedHosts.length > 0;
  if (untrustedHosts)
    warn(
      "--verify: the config's selfHostedHosts were not used, since the scanned commits change the config; name the self-hosted API with --api-url",
    );
  const options = {
    ...(args.apiUrl !== undefined ? { apiUrl: args.apiUrl } : {}),
    ...(args.verifyLimit !== undefined ? { limit: args.verifyLimit } : {}),
    selfHostedFromConfig: untrustedHosts ? [] : settings.config.selfHostedHosts,
    env,
  };
  await verifyFindings([], options);
  return (findings) => verifyFindings(findings, options);
}

/** Runs the mode, applies the config and baseline, verifies what they leave, and writes `--write-baseline`. */
async function scan(run: Run, warn: Warn): Promise<ScanReport> {
  const { args, settings } = run.ctx;
  const result = await runMode(args, run.ctx);
  const { compareFindings } = await import('@statalog/core');
  const { applySuppressions } = await import('./settings.js');
  const { displayPath } = await import('./paths.js');
  const detected = [...result.findings].sort(compareFindings);
  const suppressed = applySuppressions(detected, settings, { inScope: result.inScope });
  // by position, never quoted: a pasted key in the wrong place must not be printed back
  for (const entry of suppressed.malformed)
    warn(
      `${settings.configFile ? printable(displayPath(settings.cwd, settings.configFile)) : 'config'}: allowedFingerprints[${settings.config.allowedFingerprints.indexOf(entry)}] is neither rule:path:hash nor a 16-hex secret hash, so it accepts nothing`,
    );
  const report: ScanReport = {
    // the verifier adds `verification` to each finding (only those left after the config and baseline)
    findings: run.verify ? await run.verify(suppressed.findings) : suppressed.findings,
    stats: result.stats,
    ...(suppressed.baseline ? { baseline: suppressed.baseline } : {}),
    allowed: suppressed.allowed,
    ...(run.policy !== undefined ? { policy: run.policy } : {}),
  };

  if (args.writeBaseline !== undefined) {
    const { writeBaseline } = await import('./baseline-file.js');
    const { entries, file } = writeBaseline(
      args.writeBaseline,
      detected.filter((f) => !f.inlineAllowed),
      settings,
      result.inScope,
    );
    if (!args.quiet)
      warn(
        `wrote ${entries} baseline ${entries === 1 ? 'entry' : 'entries'} to ${printable(displayPath(settings.cwd, file))}`,
      );
  }
  for (const skipped of result.stats.skippedFiles) {
    if (skipped.error) warn(`${printable(skipped.file)}: ${skipped.reason}; not scanned`);
  }
  return report;
}

async function runMode(args: CliArgs, ctx: ModeContext): Promise<ModeResult> {
  if (args.staged || args.range !== undefined || args.history) return (await import('./git/scan-git.js')).scanGit(ctx);
  if (args.urls.length > 0) return (await import('./sites/scan-sites.js')).scanSites(ctx);
  return (await import('./files/index.js')).scanFiles(ctx);
}

/** The report in the asked format, to stdout or `--output FILE`; what a format says besides goes to stderr. */
async function publish(report: ScanReport, ctx: ModeContext, io: Io): Promise<void> {
  const { args } = ctx;
  const { render } = await import('./report/render.js');
  const { chunksOf } = await import('./report/output.js');
  const rendered = await render(report, args.format, {
    color: args.output === undefined && wantsColor(io.stdout, io.env),
    quiet: args.quiet,
    version: version(),
  });
  if (rendered.stderr) io.stderr.write(rendered.stderr);
  if (args.output !== undefined) {
    const { writeOutputFile } = await import('./output-file.js');
    writeOutputFile(ctx.cwd, args.output, chunksOf(rendered.stdout));
  } else {
    for (const chunk of chunksOf(rendered.stdout)) if (chunk) io.stdout.write(chunk);
  }
}

/**
 * 1 when findings are reported (with `--fail-on live`, only live keys count), else 2 when some file could
 * not be read — "could not look" must never pass as "clean" — else 0. `--write-baseline` accepts the findings
 * it records, so it exits 0 unless something could not be read.
 */
async function exitCode(report: ScanReport, args: CliArgs): Promise<number> {
  // a key not checked under --fail-on live still fails (verification.ts)
  const failing =
    args.failOn === 'live'
      ? (await import('./verification.js')).failingFindings(report.findings, args.failOn)
      : report.findings;
  const incomplete = isIncomplete(report.stats);
  if (report.stats.stopped !== undefined) return 2; // a scan that stopped early is a runtime error, findings or not
  if (args.writeBaseline !== undefined) return incomplete ? 2 : 0;
  if (failing.length > 0) return 1;
  return incomplete ? 2 : 0;
}

function wantsColor(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  // isTTY is undefined, not false, on a pipe or file, whatever the type says
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-boolean-literal-compare
  return stream.isTTY === true && env.TERM !== 'dumb';
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return `error: ${String(error)}`;
  const first = printable(error.message.split(/\r?\n/)[0] ?? '');
  // a UserError's message is written for users and names the option or file; anything else is a bug or an OS error
  return error instanceof UserError ? first : `error: ${first}`;
}

/**
 * Last line of defence for stderr: a cloud key quoted back from an argument or a path (`--range st_…`, a
 * file named after a key) shows as its masked prefix, like every key this tool prints.
 */
function maskKeyShapes(line: string): string {
  return line.replace(/(?<![A-Za-z0-9])st_([0-9a-f]{4})[0-9a-f]{8,}/g, 'st_$1…');
}

/** package.json's version, written into the bundle by scripts/bundle-scan.mjs. */
declare const STATALOG_SCAN_VERSION: string | undefined;

function version(): string {
  if (typeof STATALOG_SCAN_VERSION === 'string') return STATALOG_SCAN_VERSION;
  // tsc's output (run when the bundle is missing or older than the build) reads package.json, by the package's name
  return (createRequire(import.meta.url)('@statalog/scan/package.json') as { version: string }).version;
}

// This file is the program (bin/statalog-scan.js imports it); the library entry point is index.ts.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  // `statalog-scan | head`: the reader left; stop printing but still exit with the scan's own code
  if (error.code !== 'EPIPE') throw error;
});
process.exitCode = await main(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
});
