// The real-package tree for the files benchmark: copies of the repository's own node_modules — real npm packages,
// minified bundles, source maps, type declarations, a native binary — in .bench/packages/copy-0, copy-1, …, whole
// copies until the tree holds at least 300 MB. Not a benchmark itself (run.mjs only runs *.bench.mjs).
//
// Deterministic from the lockfile: node_modules is what `npm ci` installs from package-lock.json; the files are
// enumerated in sorted order, symbolic links (the workspace packages, .bin) and tool caches are left out, and
// manifest.json records the lockfile's hash, every file's path and size, and one hash over all their contents. A
// rebuild from the same lockfile is byte-for-byte the same tree; a tree whose manifest no longer matches the
// installed node_modules is rebuilt (and says why).
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { root } from './lib.mjs';

const MANIFEST_VERSION = 1;
const TARGET_BYTES = 300e6;
// caches that tools write into node_modules after the install: not from the lockfile, so not in the tree
const SKIP_DIRS = new Set(['.cache', '.vite', '.vitest', '.tmp']);

export const packagesDir = join(root, '.bench', 'packages');
const manifestPath = join(packagesDir, 'manifest.json');

/** Every regular file under node_modules, relative, sorted by code unit: the same list from the same install. */
function listFiles(dir, rel = '', out = []) {
  const names = readdirSync(join(dir, rel)).sort();
  for (const name of names) {
    const path = rel ? `${rel}/${name}` : name;
    const stat = lstatSync(join(dir, path));
    if (stat.isSymbolicLink()) continue;
    if (stat.isDirectory()) {
      if (!SKIP_DIRS.has(name)) listFiles(dir, path, out);
    } else if (stat.isFile()) out.push([path, stat.size]);
  }
  return out;
}

const lockHash = () =>
  createHash('sha256')
    .update(readFileSync(join(root, 'package-lock.json')))
    .digest('hex');

/** One hash over every listed file's path and content, in order. */
function contentHash(base, files) {
  const hash = createHash('sha256');
  for (const [path] of files)
    hash
      .update(path)
      .update('\0')
      .update(readFileSync(join(base, path)));
  return hash.digest('hex');
}

/**
 * Builds the tree when it is missing, stale or `regenerate` is set; returns { dir, files, bytes, copies, manifest }
 * where `files` and `bytes` count the whole tree (every copy).
 */
export function ensurePackageTree({ regenerate = false } = {}) {
  const source = join(root, 'node_modules');
  if (!existsSync(source)) throw new Error('bench: node_modules is missing; run npm ci first');
  const files = listFiles(source);
  const lock = lockHash();
  const existing = existsSync(manifestPath) ? JSON.parse(readFileSync(manifestPath, 'utf8')) : undefined;
  const stale = !existing
    ? 'not built yet'
    : existing.version !== MANIFEST_VERSION
      ? 'the builder changed'
      : existing.lockfile !== lock
        ? 'package-lock.json changed'
        : JSON.stringify(existing.files) !== JSON.stringify(files)
          ? 'node_modules differs from the manifest (run npm ci)'
          : undefined;
  if (stale || regenerate) {
    console.log(`building the real-package tree under ${packagesDir} (${regenerate ? 'asked to' : stale})…`);
    const t = Date.now();
    const perCopy = files.reduce((sum, [, size]) => sum + size, 0);
    const copies = Math.ceil(TARGET_BYTES / perCopy);
    rmSync(packagesDir, { recursive: true, force: true });
    for (let c = 0; c < copies; c++) {
      for (const [path] of files) {
        const to = join(packagesDir, `copy-${c}`, path);
        mkdirSync(dirname(to), { recursive: true });
        copyFileSync(join(source, path), to);
      }
    }
    const manifest = {
      version: MANIFEST_VERSION,
      lockfile: lock,
      copies,
      bytesPerCopy: perCopy,
      content: contentHash(join(packagesDir, 'copy-0'), files),
      files,
    };
    writeFileSync(manifestPath, JSON.stringify(manifest));
    console.log(`  done in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  return {
    dir: packagesDir,
    copies: manifest.copies,
    files: manifest.files.length * manifest.copies,
    bytes: manifest.bytesPerCopy * manifest.copies,
    manifest,
  };
}
