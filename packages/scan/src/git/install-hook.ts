/**
 * `statalog-scan install-hook` / `uninstall-hook`: a git pre-commit hook that runs `statalog-scan --staged`.
 *
 * - The hooks directory is git's own answer (`git rev-parse --git-path hooks`), so `core.hooksPath` and
 *   worktrees are respected.
 * - An existing hook is never overwritten: it is renamed to `pre-commit.statalog-previous` and our hook runs
 *   it first (its failure still blocks the commit), then the scan.
 * - Everything we write sits between two marker lines. Uninstalling removes exactly that block; when nothing
 *   else is left the file goes and the previous hook, if any, is put back — byte for byte what was there.
 */
import { chmod, lstat, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { firstLine, runGit } from './exec.js';

const HOOK = 'pre-commit';
const PREVIOUS = `${HOOK}.statalog-previous`;
const BEGIN = '# >>> statalog-scan';
const END = '# <<< statalog-scan';

export interface HookIo {
  cwd: string;
  out(text: string): void;
  warn(line: string): void;
}

const USAGE = `Usage: statalog-scan install-hook [--uninstall]
       statalog-scan uninstall-hook

Installs (or removes) a git pre-commit hook that runs "statalog-scan --staged" and blocks commits that add
a Statalog API key. Respects core.hooksPath; an existing pre-commit hook is kept and run first.
`;

export async function runHookCommand(name: string, argv: readonly string[], io: HookIo): Promise<number> {
  let uninstall = name === 'uninstall-hook';
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      options: { uninstall: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: true,
    });
    if (values.help) {
      io.out(USAGE);
      return 0;
    }
    if (positionals.length > 0) {
      io.warn(`${name} takes no arguments (got ${JSON.stringify(positionals[0]!.slice(0, 40))})`);
      return 2;
    }
    uninstall ||= values.uninstall === true;
  } catch (error) {
    io.warn(
      `${name}: ${(error instanceof Error ? error.message : String(error)).split('\n')[0] ?? ''} (see statalog-scan ${name} --help)`,
    );
    return 2;
  }

  const where = await runGit(io.cwd, ['rev-parse', '--git-path', 'hooks']);
  if (where.code !== 0) {
    io.warn(
      `${name}: ${/not a git repository/i.test(where.stderr) ? 'not inside a git repository' : firstLine(where.stderr)}`,
    );
    return 2;
  }
  const hooksDir = resolve(io.cwd, where.stdout.toString('utf8').replace(/\n$/, ''));
  const husky = huskyDir(hooksDir);
  if (husky !== undefined && !uninstall) {
    // husky owns core.hooksPath: .husky/_ is generated (and rewritten on every install), .husky/<hook> is the
    // user's own script. Writing into either would be lost or would fight husky; the user adds one line instead.
    io.warn(
      `install-hook: this repository uses husky (core.hooksPath is ${hooksDir}); not writing into husky's hooks. ` +
        `Add this line to ${join(husky, HOOK)} instead: node_modules/.bin/statalog-scan --staged`,
    );
    return 2;
  }
  try {
    return uninstall ? await uninstallHook(hooksDir, io) : await installHook(hooksDir, io);
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    io.warn(`${name}: ${e.path ?? hooksDir}: ${e.code ?? e.message}`);
    return 2;
  }
}

/** The `.husky` directory when git's hooks directory is husky's (`.husky/_` for husky 9, `.husky` before). */
function huskyDir(hooksDir: string): string | undefined {
  const parts = hooksDir.split(/[\\/]/);
  const last = parts.at(-1);
  if (last === '_' && parts.at(-2) === '.husky') return dirname(hooksDir);
  if (last === '.husky') return hooksDir;
  return undefined;
}

async function installHook(hooksDir: string, io: HookIo): Promise<number> {
  const hookFile = join(hooksDir, HOOK);
  const previousFile = join(hooksDir, PREVIOUS);
  await mkdir(hooksDir, { recursive: true });
  const existing = await readFile(hookFile, 'utf8').catch(notFound);
  const block = hookBlock();
  if (existing !== undefined && hasBlock(existing)) {
    await writeFile(hookFile, replaceBlock(existing, block));
    io.out(`statalog-scan: updated the pre-commit hook in ${hookFile}\n`);
    return 0;
  }
  if (existing !== undefined || (await exists(hookFile))) {
    if (await exists(previousFile)) {
      io.warn(`install-hook: ${hookFile} exists and so does ${previousFile}; move one of them away first`);
      return 2;
    }
    await rename(hookFile, previousFile);
    io.out(`statalog-scan: kept the existing pre-commit hook as ${previousFile}; it runs first\n`);
  }
  await writeFile(hookFile, `#!/bin/sh\n${block}`, { mode: 0o755 });
  await chmod(hookFile, 0o755);
  io.out(`statalog-scan: installed the pre-commit hook in ${hookFile}\n`);
  return 0;
}

async function uninstallHook(hooksDir: string, io: HookIo): Promise<number> {
  const hookFile = join(hooksDir, HOOK);
  const previousFile = join(hooksDir, PREVIOUS);
  const existing = await readFile(hookFile, 'utf8').catch(notFound);
  if (existing === undefined || !hasBlock(existing)) {
    io.out(`statalog-scan: no statalog-scan hook in ${hookFile}; nothing to remove\n`);
    return 0;
  }
  const rest = replaceBlock(existing, '');
  if (rest.replace(/^#!.*\n?/, '').trim() === '') {
    await rm(hookFile);
    if (await exists(previousFile)) {
      await rename(previousFile, hookFile);
      io.out(`statalog-scan: removed the hook and put the previous pre-commit hook back in ${hookFile}\n`);
    } else io.out(`statalog-scan: removed the pre-commit hook ${hookFile}\n`);
  } else {
    await writeFile(hookFile, rest);
    io.out(`statalog-scan: removed the statalog-scan lines from ${hookFile}; the rest of it was left as it is\n`);
    if (await exists(previousFile))
      io.warn(`uninstall-hook: ${previousFile} was left in place (${hookFile} still has other content)`);
  }
  return 0;
}

/**
 * The lines we own. The scanner is found where it was when the hook was installed (this package's bin), else
 * on PATH; if neither is there the commit is blocked with instructions — a hook that silently stops scanning
 * is worse than none.
 */
function hookBlock(): string {
  const bin = fileURLToPath(new URL('../../bin/statalog-scan.js', import.meta.url));
  return [
    `${BEGIN} (added by "statalog-scan install-hook"; "statalog-scan uninstall-hook" removes exactly these lines)`,
    `statalog_scan_previous="$(dirname "$0")/${PREVIOUS}"`,
    'if [ -x "$statalog_scan_previous" ]; then',
    '  "$statalog_scan_previous" "$@" || exit $?',
    'fi',
    `statalog_scan_node=${shellQuote(process.execPath)}`,
    '[ -x "$statalog_scan_node" ] || statalog_scan_node=node',
    `statalog_scan_bin=${shellQuote(bin)}`,
    'if [ -f "$statalog_scan_bin" ]; then',
    '  "$statalog_scan_node" "$statalog_scan_bin" --staged || exit $?',
    'elif command -v statalog-scan >/dev/null 2>&1; then',
    '  statalog-scan --staged || exit $?',
    'else',
    '  echo "statalog-scan: not found (was $statalog_scan_bin): reinstall it and run statalog-scan install-hook, or remove this hook with statalog-scan uninstall-hook" >&2',
    '  exit 1',
    'fi',
    END,
    '',
  ].join('\n');
}

function hasBlock(text: string): boolean {
  const begin = text.indexOf(`\n${BEGIN}`);
  return begin !== -1 && text.indexOf(`\n${END}`, begin) !== -1;
}

function replaceBlock(text: string, block: string): string {
  const begin = text.indexOf(`\n${BEGIN}`) + 1;
  const endMarker = text.indexOf(`\n${END}`, begin) + 1;
  let end = endMarker + END.length;
  if (text[end] === '\n') end++;
  return text.slice(0, begin) + block + text.slice(end);
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

function notFound(error: NodeJS.ErrnoException): undefined {
  if (error.code === 'ENOENT') return undefined;
  throw error;
}

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}
