/**
 * The config's `ignorePaths`: gitignore-style globs relative to the config file's directory.
 *
 * One rule on top: a pattern that excludes a path the user NAMED on the command line does not apply to that
 * path or to anything under it. `statalog-scan fixtures/sample-app` therefore scans the sample even though
 * this repository's config ignores `fixtures/**`, while `statalog-scan .` skips it. Patterns that match
 * something *inside* the named path (`*.log`, `fixtures/sample-app/vendor/`) still apply.
 */
import { isAbsolute, relative, sep } from 'node:path';
import type { Ignore } from 'ignore';
import { ignore } from './cjs.js';
import type { Settings } from './settings.js';

/** True when the file at this absolute path is excluded by the config. */
export type ConfigFilter = (absolutePath: string, isDirectory?: boolean) => boolean;

const NONE: ConfigFilter = () => false;

/**
 * A filter for files under `namedRoot` (absolute). Call once per path named on the command line; the git
 * modes, which name no paths, pass the repository's top level.
 */
export function createConfigFilter(settings: Settings, namedRoot: string): ConfigFilter {
  const patterns = settings.config.ignorePaths;
  if (patterns.length === 0) return NONE;
  const rootRel = toPosix(relative(settings.configDir, namedRoot));
  const rootOutside = rootRel.startsWith('..') || isAbsolute(rootRel);
  // patterns that would exclude the named path itself (or a directory above it) are set aside
  const kept =
    rootRel === '' || rootOutside
      ? patterns
      : patterns.filter((p) => p.startsWith('!') || !excludesPathOrParent(p, rootRel));
  if (kept.length === 0) return NONE;
  const matcher: Ignore = ignore().add(kept);
  const base = settings.configDir.endsWith(sep) ? settings.configDir : settings.configDir + sep;
  const prefixes = anchoredPrefixes(kept);
  if (prefixes && rootRel !== '' && !rootOutside) {
    // no anchored pattern reaches into the named path (`fixtures/**` while scanning `src/`): nothing under it is
    // excluded, and its files need not be asked one by one
    const under = `${rootRel.toLowerCase()}/`;
    if (!prefixes.some((p) => under.startsWith(p) || p.startsWith(under))) return NONE;
  }
  return (absolutePath, isDirectory = false) => {
    // the common case without path.relative(), which is slow enough to show in a scan of 30,000 files
    const rel = absolutePath.startsWith(base)
      ? toPosix(absolutePath.slice(base.length))
      : toPosix(relative(settings.configDir, absolutePath));
    if (rel === '' || rel.startsWith('../') || rel === '..' || isAbsolute(rel)) return false; // outside the config's tree
    if (prefixes) {
      const lower = rel.toLowerCase(); // the matcher ignores case, as git does by default on macOS and Windows
      if (!prefixes.some((p) => lower.startsWith(p) || p.startsWith(`${lower}/`))) return false;
    }
    return matcher.ignores(isDirectory ? `${rel}/` : rel);
  };
}

/**
 * When every pattern is anchored to the config's directory with a literal start (`fixtures/**`, `/build`,
 * `docs/*.md`), a path that starts with none of those literals cannot match, and the matcher need not be
 * asked — most of a big tree, for the usual config. Undefined when some pattern can match anywhere
 * (`*.log`, `vendor/`, a leading `**`) or negates.
 */
function anchoredPrefixes(patterns: readonly string[]): string[] | undefined {
  const prefixes: string[] = [];
  for (const raw of patterns) {
    const pattern = raw.trim();
    if (pattern.startsWith('!') || pattern.startsWith('#') || pattern.startsWith('\\')) return undefined;
    const body = pattern.startsWith('/') ? pattern.slice(1) : pattern;
    const slash = body.replace(/\/+$/, '').indexOf('/');
    if (!pattern.startsWith('/') && slash === -1) return undefined; // `name` or `name/` matches at any depth
    const glob = body.search(/[*?[\\]/);
    const literal = glob === -1 ? body : body.slice(0, glob);
    if (literal === '') return undefined;
    prefixes.push(literal.toLowerCase());
  }
  return prefixes;
}

function excludesPathOrParent(pattern: string, path: string): boolean {
  const single = ignore().add(pattern);
  // the named path may be a file or a directory: a directory-only pattern (`fixtures/`) must count too
  return single.ignores(path) || single.ignores(`${path}/`);
}

function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}
