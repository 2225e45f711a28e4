/**
 * Hardening, git isolation: nothing in a scanned repository makes the scan run a
 * program, show history other than what was committed, or hang — and a history scan that git cannot finish
 * still reports what it read, marked incomplete, with exit 2.
 *
 * - a partial clone whose `.git/config` names a command as `remote.origin.uploadpack` (and re-allows the file
 *   transport): `--history` and `--staged` never start it — the missing blobs are unreadable (listed, exit 2);
 * - `refs/replace` cannot hide a commit that added a key from `--history`;
 * - `core.excludesFile` naming a FIFO does not hang a file scan: git is stopped after its idle timeout (made
 *   short here through STATALOG_SCAN_GIT_TIMEOUT_MS) and the scan exits 2 with one line naming the command.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TempRepo } from './helpers/git.js';
import { cloudKey, expectNoSecrets, masked } from './helpers/keys.js';
import { jsonFindings } from './helpers/report.js';

const repos: TempRepo[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) r.cleanup();
});

function repo(name?: string): TempRepo {
  const r = TempRepo.create(name);
  repos.push(r);
  return r;
}

describe('a partial clone cannot make the scan fetch (and so run its uploadpack command)', () => {
  /** A source with a key in an old commit, cloned without blobs; the clone's config then turns hostile. */
  function hostileClone(): { clone: TempRepo; marker: string; oldKey: string } {
    const source = repo('source');
    source.git('config', 'uploadpack.allowFilter', 'true');
    source.git('config', 'uploadpack.allowAnySHA1InWant', 'true');
    const oldKey = cloudKey();
    source.write('config/old.env', `STATALOG_API_KEY=${oldKey}\n`);
    source.commit('an old key');
    source.write('config/old.env', 'STATALOG_API_KEY=\n');
    source.write('README.md', '# app\n');
    source.commit('key removed');
    const clone = source.sibling('clone');
    repos.push(clone);
    execFileSync('git', ['clone', '-q', '--filter=blob:none', `file://${source.dir}`, clone.dir], {
      env: source.env,
      stdio: 'ignore',
    });
    const marker = join(clone.base, 'MARKER');
    // what a hostile repository ships: a fetch command of its own, and the file transport re-allowed
    clone.git('config', 'remote.origin.uploadpack', `touch '${marker}'; git-upload-pack`);
    clone.git('config', 'protocol.file.allow', 'always');
    return { clone, marker, oldKey };
  }

  it('--history: the missing blob is listed as unreadable (exit 2); the command never runs', async () => {
    const { clone, marker, oldKey } = hostileClone();
    const result = await clone.scan(['--history', '--format', 'json']);
    expect(existsSync(marker), "the repository's uploadpack command ran").toBe(false);
    expect(result.code, result.stderr).toBe(2);
    const report = JSON.parse(result.stdout) as {
      stats: { skippedFiles: Array<{ file: string; reason: string; error: boolean }> };
    };
    expect(report.stats.skippedFiles).toEqual([
      expect.objectContaining({ file: 'config/old.env', error: true, reason: expect.stringMatching(/missing/) }),
    ]);
    expect(result.stderr).toMatch(/^statalog-scan: config\/old\.env: .*missing.*not scanned$/m);
    expectNoSecrets(result, [oldKey]);
  });

  it('--staged: the HEAD side of a staged file is missing; the staged key is still found, nothing runs', async () => {
    const { clone, marker } = hostileClone();
    // the blob of config/old.env at HEAD (an empty assignment) is present after checkout: drop it from the
    // object store the way a partial clone lacks it, by re-cloning without checkout and staging over it
    const bare = clone.sibling('bare-clone');
    repos.push(bare);
    execFileSync(
      'git',
      ['clone', '-q', '--no-checkout', '--filter=blob:none', `file://${join(clone.base, 'source')}`, bare.dir],
      { env: clone.env, stdio: 'ignore' },
    );
    bare.git('config', 'remote.origin.uploadpack', `touch '${marker}'; git-upload-pack`);
    bare.git('config', 'protocol.file.allow', 'always');
    bare.git('read-tree', 'HEAD'); // the index now names HEAD's blobs, none of which is in the object store
    const newKey = cloudKey();
    bare.write('README.md', `# app\nkey: ${newKey}\n`);
    bare.git('add', 'README.md');
    const result = await bare.scan(['--staged', '--format', 'json']);
    expect(existsSync(marker), "the repository's uploadpack command ran").toBe(false);
    expect(result.code, result.stderr).toBe(1);
    expect(jsonFindings(result).map((f) => [f.file, f.masked])).toEqual([['README.md', masked(newKey)]]);
    expectNoSecrets(result, [newKey]);
  });
});

describe('replace refs', () => {
  it('refs/replace cannot swap out the commit that added a key', async () => {
    const r = repo();
    r.write('README.md', '# app\n');
    const base = r.commit('base');
    const key = cloudKey();
    r.write('src/config.ts', `export const key = "${key}";\n`);
    const leaking = r.commit('add config');
    r.write('src/other.ts', 'export {};\n');
    r.commit('more');
    // a look-alike of the leaking commit without the key, installed as its replacement
    const cleanTree = r.git('rev-parse', `${base}^{tree}`).trim();
    const lookalike = r.git('commit-tree', cleanTree, '-p', base, '-m', 'add config').trim();
    r.git('replace', leaking, lookalike);
    expect(r.git('log', '--format=%H', '-1', 'HEAD~1').trim()).toBe(leaking); // (git shows the sha it replaced)
    const result = await r.scan(['--history', '--format', 'json']);
    expect(result.code, result.stderr).toBe(1);
    expect(jsonFindings(result).map((f) => [f.file, f.masked, f.commit])).toEqual([
      ['src/config.ts', masked(key), leaking],
    ]);
    expectNoSecrets(result, [key]);
  });
});

describe('a git that never answers', () => {
  it('core.excludesFile naming a FIFO: the file scan stops with exit 2 and one line naming git ls-files', async () => {
    const r = repo();
    r.write('a.txt', 'hello\n');
    r.commit('a');
    const fifo = join(r.base, 'excludes.fifo');
    execFileSync('mkfifo', [fifo]);
    r.git('config', 'core.excludesFile', fifo);
    const started = Date.now();
    const result = await r.scan(['.'], { env: { STATALOG_SCAN_GIT_TIMEOUT_MS: '1500' } });
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(result.code).toBe(2);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines, result.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^statalog-scan: git ls-files did not answer for 2 s and was stopped/);
  }, 30_000);
});

describe('git log failing part-way', () => {
  it('--history still writes the report, marked incomplete, and exits 2', async () => {
    const r = repo();
    r.write('README.md', '# app\n');
    r.commit('base');
    r.write('b.txt', 'b\n');
    const lost = r.commit('to be lost');
    const key = cloudKey();
    r.write('src/config.ts', `export const key = "${key}";\n`);
    r.commit('add config');
    rmSync(join(r.dir, '.git/objects', lost.slice(0, 2), lost.slice(2)));
    for (const format of ['json', 'text'] as const) {
      const result = await r.scan(['--history', '--format', format]);
      expect(result.code, result.stderr).toBe(2);
      const lines = result.stderr.trimEnd().split('\n');
      expect(lines, result.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(
        /^statalog-scan: --history: stopped early \(git log failed: .*\); later commits; not scanned$/,
      );
      if (format === 'json') {
        const report = JSON.parse(result.stdout) as {
          stats: { incomplete?: boolean; stopped?: string; skippedFiles: unknown[] };
        };
        expect(report.stats.incomplete).toBe(true);
        expect(report.stats.stopped).toMatch(/^--history: git log failed: /);
        expect(report.stats.skippedFiles).toEqual([expect.objectContaining({ file: '--history', error: true })]);
      } else {
        expect(result.stdout).toMatch(/not scanned|could not be read|incomplete/i);
      }
      expectNoSecrets(result, [key]);
    }
  });
});
