import { describeType, expectStringArray, parseJsonFile } from './json-file.js';
import { UserFileError } from './user-error.js';
import { normaliseHost } from './url.js';

/** The file users commit at the root of a repository; read by the CLI and the action alike. */
export const CONFIG_FILE_NAME = '.statalog-scan.json';

export interface Config {
  /** Paths not to scan, as globs relative to the config file (gitignore-like: `fixtures/**`, `*.log`). */
  ignorePaths: string[];
  /** Hosts of self-hosted Statalog installations; `api_key=` URLs to them are reported. */
  selfHostedHosts: string[];
  /** Findings to accept: full fingerprints (`rule:path:hash`) or bare secret hashes (any file). */
  allowedFingerprints: string[];
}

export const EMPTY_CONFIG: Config = { ignorePaths: [], selfHostedHosts: [], allowedFingerprints: [] };

const KEYS = new Set(['$schema', 'ignorePaths', 'selfHostedHosts', 'allowedFingerprints']);

/** Parses and validates a config file's text; throws a `UserFileError` with a one-line reason. */
export function parseConfig(file: string, text: string): Config {
  const raw = parseJsonFile(file, text);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw new UserFileError(file, `must hold a JSON object, not ${describeType(raw)}`);
  const obj = raw as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (!KEYS.has(key)) {
      // quote the name only when it is a plain word (a typo such as "ignorePath"): anything else might be
      // content that belongs to no one's eyes, a key pasted in the wrong place included
      const shown = /^[A-Za-z$][A-Za-z$_-]{0,31}$/.test(key) ? ` "${key}"` : '';
      throw new UserFileError(
        file,
        `unknown setting${shown} (known: ignorePaths, selfHostedHosts, allowedFingerprints)`,
      );
    }
  }
  const config: Config = {
    ignorePaths: obj.ignorePaths === undefined ? [] : expectStringArray(file, 'ignorePaths', obj.ignorePaths),
    selfHostedHosts:
      obj.selfHostedHosts === undefined
        ? []
        : expectStringArray(file, 'selfHostedHosts', obj.selfHostedHosts).map(normaliseHost),
    allowedFingerprints:
      obj.allowedFingerprints === undefined
        ? []
        : expectStringArray(file, 'allowedFingerprints', obj.allowedFingerprints),
  };
  config.selfHostedHosts.forEach((h, i) => {
    if (h === '') throw new UserFileError(file, `"selfHostedHosts"[${i}] is not a host name`);
  });
  return config;
}

/** True when the config accepts this finding by full fingerprint or by secret hash. */
export function isAllowedByConfig(config: Config, finding: { fingerprint: string; secretHash: string }): boolean {
  return (
    config.allowedFingerprints.includes(finding.fingerprint) || config.allowedFingerprints.includes(finding.secretHash)
  );
}
