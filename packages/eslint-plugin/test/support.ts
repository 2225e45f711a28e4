import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as espree from 'espree';
import { redact } from '@statalog/core';
import { RuleTester } from '@typescript-eslint/rule-tester';
import { afterAll, describe, it } from 'vitest';

export { cloudKey, shortCommunityValue } from '../../../test/helpers/keys.js';

// RuleTester drives vitest: each valid/invalid case becomes an `it`
RuleTester.afterAll = afterAll;
RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

/** TS parser (the RuleTester default); `tsx` cases set `jsx: true`. */
export const ruleTester = new RuleTester();
export const tsx = { parserOptions: { ecmaFeatures: { jsx: true } } } as const;

/** Line, column, endLine and endColumn (1-based, end exclusive) of the `nth` occurrence of `needle` in `code`. */
export function at(
  code: string,
  needle: string,
  nth = 0,
): { line: number; column: number; endLine: number; endColumn: number } {
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
  const name = (item: {
    code: string;
    name?: string;
    filename?: string;
    options?: unknown;
    settings?: unknown;
  }): string => {
    if (item.name) return item.name;
    let text = redact(item.code, secrets).replace(/\s*\n\s*/g, ' ⏎ ');
    if (item.filename) text += ` [${item.filename}]`;
    if (item.options) text += ` [options ${JSON.stringify(item.options)}]`;
    if (item.settings) text += ` [settings ${JSON.stringify(item.settings)}]`;
    return text;
  };
  return {
    ...tests,
    valid: tests.valid.map((item) =>
      typeof item === 'string' ? { code: item, name: name({ code: item }) } : { ...item, name: name(item) },
    ),
    invalid: tests.invalid.map((item) => ({ ...item, name: name(item) })),
  };
}

/** The small framework projects (a package.json each) under fixtures/eslint-frameworks. */
const FRAMEWORKS = fileURLToPath(new URL('../../../fixtures/eslint-frameworks/', import.meta.url));

/** An absolute filename inside one of those projects: its role comes from that project's package.json. */
export function inProject(project: string, path: string): string {
  return join(FRAMEWORKS, project, path);
}

/** The message data of a report about browser code, for a reason. */
export function browserData(reason: string): { place: string; exposure: string; reason: string } {
  return {
    place: 'browser code',
    exposure: "anyone can read it from the site's JavaScript or the network panel",
    reason,
  };
}

/** The message data of a report about mobile app code, for a reason. */
export function appData(reason: string): { place: string; exposure: string; reason: string } {
  return { place: 'app code', exposure: 'anyone who installs the app can read it from the app bundle', reason };
}

/** ESLint's default parser, for the JavaScript cases (JSX on). */
const js = {
  parser: espree,
  ecmaVersion: 'latest',
  sourceType: 'module',
  parserOptions: { ecmaFeatures: { jsx: true } },
} as const;

type AnyCase = { code: string; name?: string; languageOptions?: unknown; tsOnly?: boolean };

/**
 * Every case twice: with the typescript-eslint parser (the RuleTester default) and with espree, ESLint's own.
 * Cases marked `tsOnly` (TypeScript syntax) or with their own languageOptions run once.
 */
export function withEspree<T extends { valid: ReadonlyArray<string | AnyCase>; invalid: ReadonlyArray<AnyCase> }>(
  tests: T,
): T {
  const twice = <C extends AnyCase>(items: ReadonlyArray<C>): C[] =>
    items.flatMap((item) => {
      const { tsOnly, ...rest } = item;
      if (tsOnly || item.languageOptions) return [rest as C];
      return [rest as C, { ...rest, name: `${item.name ?? item.code} [espree]`, languageOptions: js } as C];
    });
  return {
    ...tests,
    valid: twice(tests.valid.map((item) => (typeof item === 'string' ? { code: item } : item))),
    invalid: twice(tests.invalid),
  };
}
