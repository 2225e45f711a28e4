import type { Encoding } from './decode.js';
import { fingerprint, secretHash } from './fingerprint.js';
import { mask, redact } from './mask.js';
import { RULES, type RuleId } from './rules.js';

/** Where a git-mode finding came from (absent for plain file scans). */
export interface GitOrigin {
  /** Full sha of the commit that introduced the secret (the oldest one seen). */
  commit: string;
  author: string;
  /** ISO 8601 author date. */
  date: string;
  /** True while the secret is still in the HEAD tree; false when it lives only in history. */
  presentAtHead: boolean;
  /** How many times the same secret was added in the scanned commits. */
  occurrences: number;
}

export type Verification = { status: 'live' } | { status: 'revoked' } | { status: 'unknown'; reason: string };

/**
 * What every tool reports. It never holds the secret itself: the raw value is kept aside (see
 * `secretOf`) so that no serialiser, however careless, can print it.
 */
export interface Finding extends Partial<GitOrigin> {
  ruleId: RuleId;
  /** Relative to the current directory (or the repository), `/`-separated. */
  file: string;
  line: number;
  /** 1-based, in UTF-16 code units (what editors, SARIF and ESLint count). */
  column: number;
  /** 1-based, exclusive. */
  endColumn: number;
  /**
   * Set when the secret was found inside encoded content: the position is the encoded run's (its first line)
   * and `masked`, the hash and the fingerprint are the decoded key's.
   */
  encoding?: Encoding;
  masked: string;
  secretHash: string;
  /** `rule:file:hash` (see fingerprint.ts); computed when read. */
  readonly fingerprint: string;
  /** Why it matters and what to do (with the masked key only); computed from the rule when read. */
  readonly message: string;
  verification?: Verification;
  /**
   * Set by a door that asked `detect` for `reportAllowed`: the line carries `statalog:allow`. Such a finding
   * is not reported; core's `suppress` lists it as allowed inline, so allows stay visible and countable.
   */
  inlineAllowed?: true;
}

export interface FindingInput {
  ruleId: RuleId;
  file: string;
  line: number;
  column: number;
  secret: string;
  /** The line carries `statalog:allow`: the finding is accepted (listed as allowed), not reported. */
  allowed?: boolean;
  /** Found inside an encoded run (see `Finding.encoding`). */
  encoding?: Encoding;
  /** UTF-16 code units the finding covers on its line when that is not the secret: an encoded run's. */
  length?: number;
}

const secrets = new WeakMap<Finding, string>();

/**
 * Every finding's prototype. `message` and `fingerprint` are derived (from the rule, the masked key, the file
 * and the hash), so they are computed when read instead of stored: a stored message is some 500 bytes per
 * finding once a formatter has read it whole, half of what a finding may cost (a million findings must
 * fit). Copies (`withFields`) share the prototype.
 */
const FINDING_PROTOTYPE: object = Object.defineProperties(
  {},
  {
    message: {
      get(this: Finding): string {
        return RULES[this.ruleId].message(this.masked);
      },
    },
    fingerprint: {
      get(this: Finding): string {
        return fingerprint(this.ruleId, this.file, this.secretHash);
      },
    },
  },
);

export function createFinding(input: FindingInput): Finding {
  const masked = mask(input.secret);
  const hash = secretHash(input.secret);
  // a hostile tree can name a file after the very key it holds: the path is printed everywhere, so the
  // secret is masked in it too (the same masked path every run, so baselines still match)
  const file =
    input.secret.length >= 8 && input.file.includes(input.secret) ? redact(input.file, [input.secret]) : input.file;
  const finding = Object.assign(Object.create(FINDING_PROTOTYPE) as Finding, {
    ruleId: input.ruleId,
    file,
    line: input.line,
    column: input.column,
    endColumn: input.column + (input.length ?? input.secret.length),
    ...(input.encoding !== undefined ? { encoding: input.encoding } : {}),
    masked,
    secretHash: hash,
    ...(input.allowed ? { inlineAllowed: true as const } : {}),
  });
  secrets.set(finding, input.secret);
  return finding;
}

/** The raw secret behind a finding, for the few places that must use it (verification, log masking). */
export function secretOf(finding: Finding): string | undefined {
  return secrets.get(finding);
}

/** Copies a finding with some fields changed, keeping its secret attached. */
export function withFields(finding: Finding, fields: Partial<Finding>): Finding {
  const copy = Object.assign(Object.create(FINDING_PROTOTYPE) as Finding, finding, fields);
  const secret = secrets.get(finding);
  if (secret !== undefined) secrets.set(copy, secret);
  return copy;
}

/** Stable order: file, line, column, rule. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
    a.line - b.line ||
    a.column - b.column ||
    (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0)
  );
}
