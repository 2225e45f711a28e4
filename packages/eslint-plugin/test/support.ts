import { randomBytes } from 'node:crypto';
import { redact } from '@statalog/core';
import { RuleTester } from '@typescript-eslint/rule-tester';
import { afterAll, describe, it } from 'vitest';

// RuleTester drives vitest: each valid/invalid case becomes an `it`
RuleTester.afterAll = afterAll;
RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

/** TS parser (the RuleTester default); `tsx` cases set `jsx: true`. */
export const ruleTester = new RuleTester();
export const tsx = { parserOptions: { ecmaFeatures: { jsx: true } } } as const;

/** A fresh, random cloud key: never written in this repository's sources. */
export function cloudKey(): string {
  return `st_${randomBytes(32).toString('hex')}`;
}

/** A random Community-style key value (24 characters, always with a digit), built at run time. */
export function communityValue(): string {
  return `c0${randomBytes(11).toString('hex')}`;
}

/** Line, column, endLine and endColumn (1-based, end exclusive) of the `nth` occurrence of `needle` in `code`. */
export function at(code: string, needle: string, nth = 0): { line: number; column: number; endLine: number; endColumn: number } {
  let index = -1;
  for (let i = 0; i <= nth; i++) {
    index = code.indexOf(needle, index + 1);
    if (index === -1) throw new Error(`at(): occurrence ${nth} of the needle is not in the code`);
  }
  const start = position(code, index);
  const end = position(code, index + needle.length);
  return { line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
}

function position(code: string, index: number): { line: number; column: number } {
  const before = code.slice(0, index);
  const line = before.split('\n').length;
  return { line, column: index - before.lastIndexOf('\n') };
}

/** Line and column of where `needle` starts (for reports on whole nodes). */
export function startOf(code: string, needle: string, nth = 0): { line: number; column: number } {
  const { line, column } = at(code, needle, nth);
  return { line, column };
}

interface Cases {
  valid: ReadonlyArray<string | { code: string; name?: string }>;
  invalid: ReadonlyArray<{ code: string; name?: string }>;
}

/**
 * Names every case after its code with the test secrets masked, so test titles (and CI logs) never show a
 * key; cases with options or a filename say so in the name, keeping names unique.
 */
export function maskedNames<T extends Cases>(tests: T, secrets: readonly string[]): T {
  const name = (item: { code: string; name?: string; filename?: string; options?: unknown; settings?: unknown }): string => {
    if (item.name) return item.name;
    let text = redact(item.code, secrets).replace(/\s*\n\s*/g, ' ⏎ ');
    if (item.filename) text += ` [${item.filename}]`;
    if (item.options) text += ` [options ${JSON.stringify(item.options)}]`;
    if (item.settings) text += ` [settings ${JSON.stringify(item.settings)}]`;
    return text;
  };
  return {
    ...tests,
    valid: tests.valid.map((item) => (typeof item === 'string' ? { code: item, name: name({ code: item }) } : { ...item, name: name(item) })),
    invalid: tests.invalid.map((item) => ({ ...item, name: name(item) })),
  };
}
