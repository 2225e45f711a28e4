/**
 * The config's ignorePaths, with the CLI's semantics: gitignore-style globs relative to the config file's
 * directory (the `ignore` package, as the CLI uses); paths outside that directory are never ignored.
 */
import ignore from 'ignore';

export type PathFilter = (path: string) => boolean;

export function createPathFilter(patterns: readonly string[], configDir: string): PathFilter {
  if (patterns.length === 0) return () => false;
  const matcher = ignore().add([...patterns]);
  const prefix = configDir === '' ? '' : `${configDir}/`;
  return (path) => {
    if (!path.startsWith(prefix)) return false;
    const rel = path.slice(prefix.length);
    return rel !== '' && matcher.ignores(rel);
  };
}
