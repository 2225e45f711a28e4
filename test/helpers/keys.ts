/**
 * Keys made at run time — no key-shaped value is ever written into this repository outside fixtures/ — and the
 * checks that no output shows one.
 */
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import type { RunResult } from './process.js';

/** A fresh, well-formed Cloud key: `st_` and 64 random lower-case hex characters. */
export const cloudKey = (): string => `st_${randomBytes(32).toString('hex')}`;

/** A fresh Community key as the Community docs suggest generating it: 64 hex characters, no prefix. */
export const communityValue = (): string => randomBytes(32).toString('hex');

/** A shorter Community key value: 24 characters, always with a digit (the shortest the ESLint rules report). */
export const shortCommunityValue = (): string => `c0${randomBytes(11).toString('hex')}`;

/** `st_abcd…wxyz`, what core's mask() shows for a Cloud key. */
export function masked(key: string): string {
  return `st_${key.slice(3, 7)}…${key.slice(-4)}`;
}

/** Which of `secrets` (or a 16-character piece of one) occur in `text`. */
export function leakedSecrets(text: string, secrets: readonly string[]): string[] {
  return secrets.filter((s) => {
    if (text.includes(s)) return true;
    // a long secret also leaks when a good part of it shows (the masked form shows at most 4+4 hex)
    for (let i = 0; i + 16 <= s.length; i += 4) if (text.includes(s.slice(i, i + 16))) return true;
    return false;
  });
}

/** Every secret is masked in every output: none of them appears in stdout or stderr. */
export function expectNoSecrets(result: RunResult, secrets: readonly string[]): void {
  for (const secret of secrets) {
    expect(result.stdout.includes(secret), 'secret in stdout').toBe(false);
    expect(result.stderr.includes(secret), 'secret in stderr').toBe(false);
  }
}
