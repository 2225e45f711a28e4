/**
 * Writing a report file (`--output`, `--write-baseline`, the action's `sarif-file`) where a hostile checkout
 * may have put something at that path: a symbolic link to a file outside the checkout (which a plain write
 * would overwrite with partly attacker-chosen content), a FIFO (which would block the write forever), a
 * device. The text goes to a new temporary file beside the target, created exclusively (`wx`: never through
 * an existing name), and is then renamed over it — a rename replaces the name itself and never follows a
 * link. A symbolic link or anything but a regular file at the path is refused, naming it.
 */
import { closeSync, lstatSync, openSync, renameSync, unlinkSync, writeSync, type Stats } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';
import { UserFileError } from '@statalog/core';

export interface ReplaceFileOptions {
  /** How the path is named in errors. */
  shown: string;
  /**
   * A directory (the action's workspace, where a checked-out pull request could ship `reports -> /etc`):
   * when the path is inside it, no directory between the two may be a symbolic link.
   */
  within?: string;
}

/** Refuses what replaceFile refuses, without writing; returns what is at the path now (undefined: nothing). */
export function checkReportPath(file: string, options: ReplaceFileOptions): Stats | undefined {
  const { shown } = options;
  if (options.within !== undefined) refuseLinkedDirectories(file, options.within, shown);
  const existing = lstatOrUndefined(file, shown);
  if (existing?.isSymbolicLink())
    throw new UserFileError(
      shown,
      'is a symbolic link; a report is never written through one (remove it or name another file)',
    );
  if (existing !== undefined && !existing.isFile())
    throw new UserFileError(shown, 'exists and is not a regular file; not written');
  return existing;
}

/** `text` may come in chunks (a report too big for one string), written as they come. */
export function replaceFile(file: string, text: string | Iterable<string>, options: ReplaceFileOptions): void {
  const { shown } = options;
  const existing = checkReportPath(file, options);
  // node:crypto is loaded here, not when the CLI starts: only writing a report or a baseline needs it
  const temp = join(
    dirname(file),
    `.${basename(file)}.${process.pid}.${process.getBuiltinModule('node:crypto').randomBytes(6).toString('hex')}.tmp`,
  );
  let fd: number | undefined;
  try {
    fd = openSync(temp, 'wx', existing ? existing.mode & 0o777 : 0o666);
    for (const chunk of typeof text === 'string' ? [text] : text) {
      const bytes = Buffer.from(chunk, 'utf8');
      for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at, bytes.length - at);
    }
    closeSync(fd);
    fd = undefined;
    renameSync(temp, file);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(temp);
    } catch {
      // never created, or already renamed
    }
    throw new UserFileError(shown, `cannot be written (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

function lstatOrUndefined(path: string, shown: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new UserFileError(shown, `cannot be written (${code ?? 'error'})`);
  }
}

function refuseLinkedDirectories(file: string, within: string, shown: string): void {
  const rel = relative(within, dirname(file));
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return; // elsewhere (the runner's temp dir): named by the workflow
  let dir = within;
  for (const part of rel.split(sep)) {
    dir = join(dir, part);
    if (lstatOrUndefined(dir, shown)?.isSymbolicLink())
      throw new UserFileError(
        shown,
        `${relative(within, dir)} is a symbolic link; a report is never written through one`,
      );
  }
}
