#!/usr/bin/env node
// Part of `npm run version-packages`, after `changeset version`: the action reports its version (SARIF, User-Agent)
// from the constant in packages/action/src/version.ts, which its tests keep equal to packages/action/package.json.
// changesets bumps only package.json; this carries the new version into the constant so that the "Version packages"
// pull request passes its own tests, and the bundle rebuilt after it reports the version it is released as.
//
// Usage: node scripts/sync-action-version.mjs [repository root]   (default: the current directory)
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(process.argv[2] ?? '.');
const manifest = join(root, 'packages/action/package.json');
const source = join(root, 'packages/action/src/version.ts');
const CONSTANT = /(export const ACTION_VERSION = )(['"])[^'"]*\2/;

const { version } = JSON.parse(readFileSync(manifest, 'utf8'));
const text = existsSync(source) ? readFileSync(source, 'utf8') : '';
if (!CONSTANT.test(text)) {
  // Nothing to carry: the action no longer keeps its version as a literal.
  console.log(`sync-action-version: no ACTION_VERSION literal in ${source}; nothing to do`);
} else {
  const next = text.replace(CONSTANT, `$1$2${version}$2`);
  if (next !== text) writeFileSync(source, next);
  console.log(`sync-action-version: ACTION_VERSION = ${version}`);
}
