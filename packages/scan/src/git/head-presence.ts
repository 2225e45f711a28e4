/**
 * Whether a secret found in history is still in the HEAD tree (any file): one `git grep` over HEAD for all
 * of them at once; a secret found by decoding (a base64 `.env`) is looked for in its file at HEAD, decoded. The secrets go to git on stdin (`-f -`), never on its command line, where any local user
 * could read them in the process list.
 */
import { scanContent, type ContentOptions } from '@statalog/core';
import { BlobReader } from './blob-reader.js';
import { GitScanError, firstLine, runGit } from './exec.js';

export async function secretsAtHead(
  cwd: string,
  head: string | undefined,
  secrets: readonly string[],
): Promise<Set<string>> {
  const wanted = [...new Set(secrets)].filter((s) => s !== '' && !/[\r\n]/.test(s));
  const present = new Set<string>();
  if (head === undefined || wanted.length === 0) return present;
  const result = await runGit(
    cwd,
    ['grep', '--no-color', '--no-textconv', '--no-line-number', '--no-column', '-h', '-o', '-a', '-F', '-f', '-', head],
    `${wanted.join('\n')}\n`,
  );
  if (result.code > 1) throw new GitScanError(`git grep failed while checking HEAD: ${firstLine(result.stderr)}`);
  const set = new Set(wanted);
  for (const line of result.stdout.toString('latin1').split('\n')) if (set.has(line)) present.add(line);
  return present;
}

/**
 * Which of these secrets, found decoded in `path`, the file at HEAD still yields: `path\0secret` for each.
 * One `cat-file` reads the files (a path holding a line break cannot be named to it: not looked at).
 */
export async function decodedAtHead(
  cwd: string,
  head: string | undefined,
  wanted: ReadonlyArray<{ path: string; secret: string }>,
  options: ContentOptions,
): Promise<Set<string>> {
  const present = new Set<string>();
  const paths = [...new Set(wanted.map((w) => w.path))].filter((p) => !/[\r\n]/.test(p));
  if (head === undefined || paths.length === 0) return present;
  const reader = new BlobReader(cwd);
  try {
    await Promise.all(
      paths.map(async (path) => {
        const content = await reader.readAsync(`${head}:${path}`);
        if (content === undefined) return;
        for (const m of scanContent(content, path, options).matches) present.add(`${path}\0${m.secret}`);
      }),
    );
  } finally {
    await reader.end();
  }
  return present;
}
