/**
 * The ONE place where findings are accepted: inline `statalog:allow` (flagged by `detect`'s `reportAllowed`),
 * the config's `allowedFingerprints` and a baseline. The CLI (every mode) and the Action both call it, so an
 * allow means the same thing whichever door the finding came through — and every accepted finding is
 * returned with how it was accepted, never dropped silently.
 *
 * An `allowedFingerprints` entry accepts a finding when it is
 *   - the finding's full fingerprint `rule:path:hash` (path as findings name files),
 *   - the fingerprint with the path relative to the config file's directory (written from there), or
 *   - the bare 16-hex secret hash (that secret in any file).
 */
import { relative, resolve, sep } from 'node:path';
import type { Baseline, BaselineEntry } from './baseline.js';
import { applyBaseline } from './baseline.js';
import type { Config } from './config.js';
import type { Finding } from './finding.js';
import { fingerprint } from './fingerprint.js';
import { RULE_IDS } from './rules.js';

export type AllowedHow = 'inline' | 'fingerprint' | 'baseline';

export interface AllowedFinding {
  finding: Finding;
  how: AllowedHow;
}

export interface SuppressOptions {
  config: Config;
  /**
   * The config file's directory and the directory findings' paths are relative to. Both absolute (the CLI)
   * or both relative to the same root (the Action: `ci` and `''` in a repository). Omitted: the same.
   */
  configDir?: string;
  cwd?: string;
  baseline?: Baseline;
  /** Whether a baseline entry's file was within reach of this scan; entries outside are never stale. */
  inScope?: (file: string) => boolean;
}

export interface Suppressed {
  /** What to report, in the order given. */
  findings: Finding[];
  /** What was accepted, in the order given, with how. */
  allowed: AllowedFinding[];
  /** How many findings the baseline accepted (also in `allowed` with `how: 'baseline'`). */
  baselined: number;
  /** Baseline entries in scope that matched nothing: the secret is gone, the entry can be pruned. */
  stale: BaselineEntry[];
  /** `allowedFingerprints` entries that accepted no finding of this scan. */
  unmatched: string[];
  /** `allowedFingerprints` entries that cannot match anything: neither `rule:path:hash16` nor `hash16`. */
  malformed: string[];
}

const HASH = /^[0-9a-f]{16}$/;

export function suppress(findings: readonly Finding[], options: SuppressOptions): Suppressed {
  const { config } = options;
  const entries = config.allowedFingerprints;
  const entrySet = new Set(entries);
  const used = new Set<string>();
  const allowed: AllowedFinding[] = [];
  const kept: Finding[] = [];
  const fromConfig = configRelative(options.configDir, options.cwd);
  for (const f of findings) {
    if (f.inlineAllowed) {
      allowed.push({ finding: f, how: 'inline' });
      continue;
    }
    const entry = entries.length === 0 ? undefined : matchingEntry(f, entrySet, fromConfig);
    if (entry !== undefined) {
      used.add(entry);
      allowed.push({ finding: f, how: 'fingerprint' });
    } else kept.push(f);
  }
  let reported = kept;
  let baselined = 0;
  let stale: BaselineEntry[] = [];
  if (options.baseline) {
    const applied = applyBaseline(kept, options.baseline);
    const fresh = new Set(applied.fresh);
    for (const f of kept) if (!fresh.has(f)) allowed.push({ finding: f, how: 'baseline' });
    reported = applied.fresh;
    baselined = applied.baselined;
    const inScope = options.inScope ?? (() => true);
    stale = applied.stale.filter((e) => inScope(e.file));
  }
  const malformed = entries.filter((e) => !isWellFormed(e));
  return {
    findings: reported,
    allowed,
    baselined,
    stale,
    unmatched: entries.filter((e) => !used.has(e) && isWellFormed(e)),
    malformed,
  };
}

function matchingEntry(
  f: Finding,
  entries: ReadonlySet<string>,
  fromConfig: ((file: string) => string) | undefined,
): string | undefined {
  if (entries.has(f.fingerprint)) return f.fingerprint;
  if (entries.has(f.secretHash)) return f.secretHash;
  if (fromConfig) {
    const relativeToConfig = fingerprint(f.ruleId, fromConfig(f.file), f.secretHash);
    if (entries.has(relativeToConfig)) return relativeToConfig;
  }
  return undefined;
}

/** Maps a finding's path to the same file named from the config's directory; undefined when they coincide. */
function configRelative(
  configDir: string | undefined,
  cwd: string | undefined,
): ((file: string) => string) | undefined {
  if (configDir === undefined || configDir === (cwd ?? configDir)) return undefined;
  const base = cwd ?? '';
  return (file) => {
    const rel = relative(resolve(configDir), resolve(base, file));
    return sep === '/' ? rel : rel.split(sep).join('/');
  };
}

/** `hash16` or `rule:path:hash16` with a known rule: anything else can never accept a finding. */
function isWellFormed(entry: string): boolean {
  if (HASH.test(entry)) return true;
  const first = entry.indexOf(':');
  const last = entry.lastIndexOf(':');
  if (first <= 0 || last <= first + 1) return false;
  return (RULE_IDS as readonly string[]).includes(entry.slice(0, first)) && HASH.test(entry.slice(last + 1));
}
