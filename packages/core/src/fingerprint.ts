import type { RuleId } from './rules.js';

/**
 * `node:crypto`, loaded the first time a secret is hashed: a scan that finds nothing never needs it, and
 * loading it costs every thread that imports core several milliseconds (a scan worker, the pre-commit hook).
 */
let crypto: typeof import('node:crypto') | undefined;

/**
 * First 16 hex characters of SHA-256 over the secret. Identifies a secret across files, commits and edits
 * without containing it; 64 bits keep accidental collisions out of reach for any real baseline.
 */
export function secretHash(secret: string): string {
  // the first 8 bytes as hex: a string of its own, not a slice that keeps the whole 64-character digest alive
  crypto ??= process.getBuiltinModule('node:crypto');
  return crypto.createHash('sha256').update(secret, 'utf8').digest().toString('hex', 0, 8);
}

/**
 * `rule:path:hash` — rule + path + secret hash, never a line or a commit, so it survives edits, rebases
 * and squashes, while a different secret on the same line gets a different fingerprint.
 */
export function fingerprint(ruleId: RuleId, file: string, hash: string): string {
  return `${ruleId}:${file}:${hash}`;
}
