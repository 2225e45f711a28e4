/**
 * The contract between the CLI and the modes it loads on demand. The CLI imports nothing heavy at start-up
 * (the pre-commit path must start about as fast as `node -e 0`): each mode, the formatters and the verifier
 * are loaded with `import()` only when the command line asks for them.
 */
import type { CliArgs } from './args.js';
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

/** Subcommands handed to the git module with the rest of the command line. */
export const GIT_SUBCOMMANDS = new Set(['install-hook', 'uninstall-hook']);
