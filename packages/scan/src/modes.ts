/**
 * The contract between the CLI and the modes it loads on demand. The CLI imports nothing heavy at start-up
 * (the pre-commit path must start about as fast as `node -e 0`): each mode, the formatters and the verifier
 * are loaded with `import()` only when the command line asks for them.
 */
import type { Finding } from '@statalog/core';
import type { CliArgs } from './args.js';
import type { ModeResult } from './report-model.js';
import type { Settings } from './settings.js';

export interface ModeContext {
  args: CliArgs;
  settings: Settings;
  /** Absolute; findings name files relative to it. */
  cwd: string;
  /** Options for core's `detect`, from the config and the command line. */
  detect: { selfHostedHosts: readonly string[]; includeExamples: boolean };
  /** One line to stderr (never a secret: names files and reasons only). */
  warn(line: string): void;
}

/** `./files/index.js`: paths on disk. */
export interface FilesModule {
  scanFiles(ctx: ModeContext): Promise<ModeResult>;
}

/** `./git/index.js` (issue 3): --staged, --range, --history, and the install-hook subcommand. */
export interface GitModule {
  scanGit(ctx: ModeContext): Promise<ModeResult>;
  /** `statalog-scan install-hook …` / `uninstall-hook …`: parses its own arguments, returns the exit code. */
  runSubcommand?(name: string, argv: string[], io: { cwd: string; out(text: string): void; warn(line: string): void }): Promise<number>;
}

/** `./verify/index.js` (issue 7): adds `verification` to each finding; never sends a key anywhere else. */
export interface VerifyModule {
  verifyFindings(
    findings: readonly Finding[],
    options: { apiUrl?: string; selfHostedFromConfig?: readonly string[]; env?: Readonly<Record<string, string | undefined>> },
  ): Promise<Finding[]>;
}

/** Subcommands handed to the git module with the rest of the command line. */
export const GIT_SUBCOMMANDS = new Set(['install-hook', 'uninstall-hook']);
