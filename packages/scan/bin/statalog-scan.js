#!/usr/bin/env node
// Committed so that the bin link exists on a fresh clone before the build; the CLI itself is built by `prepare`.
// Runs the bundle (scripts/bundle-scan.mjs: cli.js and core.js instead of ~50 modules, so a faster start for the
// pre-commit hook) unless a tsc build of either package is newer than it — then dist/cli.js as tsc built it, so a
// `tsc -b` without the bundle step never runs stale code. (A published package has no .tsbuildinfo: the bundle.)
import { statSync } from 'node:fs';

const mtime = (path) => statSync(new URL(path, import.meta.url), { throwIfNoEntry: false })?.mtimeMs;
const bundle = mtime('../dist/bundle/cli.js');
const fresh =
  bundle !== undefined &&
  !(mtime('../dist/.tsbuildinfo') > bundle) &&
  !(mtime('../../core/dist/.tsbuildinfo') > bundle);
await import(fresh ? '../dist/bundle/cli.js' : '../dist/cli.js');
