/**
 * Whether a secret found in history is still in the HEAD tree (any file): one `git grep` over HEAD for all
 * of them at once. The secrets go to git on stdin (`-f -`), never on its command line, where any local user
 * could read them in the process list.
 */
import { GitScanError, firstLine, runGit } from './exec.js';

export async function secretsAtHead(cwd: string, head: string | undefined, secrets: readonly string[]): Promise<Set<string>> {
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
