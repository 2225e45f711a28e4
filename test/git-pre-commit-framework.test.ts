/**
 * The pre-commit framework (https://pre-commit.com) using this repository as a hook source, exactly as a user's
 * `.pre-commit-config.yaml` would: `pre-commit try-repo <this repo> statalog-scan` installs the hook the
 * `language: node` way (npm install + npm pack + a global install of the pack into the hook's own
 * environment) and runs it on the staged changes of a real repository.
 *
 * pre-commit is a system package (.ci/run installs Debian's). Outside CI the test is skipped when it is missing;
 * in CI a missing pre-commit is a failure, never a silent skip.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { secretHash as secretHashOf } from '@statalog/core';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run, TempRepo } from './helpers/git.js';
import { cloudKey, expectNoSecrets, masked } from './helpers/keys.js';
import { REPO_ROOT, SCAN_BIN } from './helpers/paths.js';

const hasPreCommit = spawnSync('pre-commit', ['--version'], { encoding: 'utf8' }).status === 0;
const inCi = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';

let repo: TempRepo;
beforeEach(() => {
  repo = TempRepo.create();
});
afterEach(() => repo.cleanup());

/** The machine's npm cache (warm after `npm ci`), so installing the hook does not download the world again. */
function npmCache(): string {
  return execFileSync('npm', ['config', 'get', 'cache'], { encoding: 'utf8' }).trim();
}

function tryRepo() {
  const home = join(repo.base, 'pre-commit-home');
  mkdirSync(home, { recursive: true });
  return run('pre-commit', ['try-repo', REPO_ROOT, 'statalog-scan', '--verbose'], repo.dir, {
    ...repo.env,
    PRE_COMMIT_HOME: home,
    PRE_COMMIT_COLOR: 'never',
    npm_config_cache: npmCache(),
    npm_config_prefer_offline: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  });
}

describe('pre-commit framework', () => {
  it(
    'installs this repository as a hook and blocks staged keys through it (pre-commit try-repo)',
    { timeout: 600_000 },
    async (ctx) => {
      if (!hasPreCommit) {
        if (inCi)
          throw new Error(
            'pre-commit is not installed: .ci/run must install it (apt-get install pre-commit); this test may not be skipped in CI',
          );
        ctx.skip();
      }
      const k = cloudKey();
      repo.write('README.md', 'hello\n');
      repo.commit('first');
      repo.write('src/analytics.ts', `export const client = createClient({\n  apiKey: '${k}',\n});\n`);
      repo.git('add', '.');

      const blocked = await tryRepo();
      expectNoSecrets(blocked, [k]);
      expect(blocked.code, blocked.stdout + blocked.stderr).toBe(1);
      expect(blocked.stdout).toMatch(/statalog-scan.*Failed/);
      expect(blocked.stdout).toContain('src/analytics.ts');
      expect(blocked.stdout).toMatch(new RegExp(`2:\\d+\\s+cloud-key\\s+${masked(k)}`));
      expect(blocked.stdout).toContain('git restore --staged -- src/analytics.ts');

      repo.write(
        'src/analytics.ts',
        'export const client = createClient({\n  apiKey: process.env.STATALOG_API_KEY,\n});\n',
      );
      repo.git('add', '.');
      const passed = await tryRepo();
      expect(passed.code, passed.stdout + passed.stderr).toBe(0);
      expect(passed.stdout).toMatch(/statalog-scan.*Passed/);
    },
  );
});

/**
 * How pre-commit runs hooks in CI — `pre-commit run --all-files` and `--from-ref A --to-ref B` (pre-commit.ci,
 * pre-commit/action) — with this repository's hook definition as a local hook: the manifest's entry, filename
 * passing and serial flag, pointed at the built binary (`language: system`, so no install is needed).
 */
describe('pre-commit framework in CI (--all-files, --from-ref/--to-ref)', () => {
  function localConfig(): string {
    const manifest = readFileSync(join(REPO_ROOT, '.pre-commit-hooks.yaml'), 'utf8');
    const field = (name: string): string => new RegExp(`^ {2}${name}: (.+)$`, 'm').exec(manifest)![1]!.trim();
    const entry = field('entry').replace(
      /^statalog-scan\b/,
      `${JSON.stringify(process.execPath)} ${JSON.stringify(SCAN_BIN)}`,
    );
    return [
      'repos:',
      '  - repo: local',
      '    hooks:',
      '      - id: statalog-scan',
      '        name: statalog-scan',
      `        entry: '${entry.replace(/'/g, "''")}'`,
      '        language: system',
      `        pass_filenames: ${field('pass_filenames')}`,
      `        require_serial: ${field('require_serial')}`,
      '',
    ].join('\n');
  }

  function preCommit(...args: string[]) {
    const home = join(repo.base, 'pre-commit-home');
    mkdirSync(home, { recursive: true });
    return run('pre-commit', ['run', ...args], repo.dir, {
      ...repo.env,
      PRE_COMMIT_HOME: home,
      PRE_COMMIT_COLOR: 'never',
    });
  }

  it(
    '--all-files checks every committed file (ignorePaths apply); a commit checks only what is staged',
    { timeout: 120_000 },
    async (ctx) => {
      if (!hasPreCommit) {
        if (inCi)
          throw new Error(
            'pre-commit is not installed: .ci/run must install it (apt-get install pre-commit); this test may not be skipped in CI',
          );
        ctx.skip();
      }
      const [committed, ignored, staged] = [cloudKey(), cloudKey(), cloudKey()];
      repo.write('.pre-commit-config.yaml', localConfig());
      repo.write('.statalog-scan.json', JSON.stringify({ ignorePaths: ['vendor/**'] }));
      repo.write('src/old.ts', `export const key = '${committed}';\n`);
      repo.write('vendor/lib.env', `STATALOG_API_KEY=${ignored}\n`);
      repo.commit('history with a key');

      const all = await preCommit('--all-files', '--verbose');
      expect(all.code, all.stdout + all.stderr).toBe(1);
      expect(all.stdout).toMatch(/statalog-scan.*Failed/);
      expect(all.stdout).toContain('src/old.ts');
      expect(all.stdout).toContain(masked(committed));
      expect(all.stdout).not.toContain('vendor/lib.env');

      // on a commit pre-commit passes the staged files: the staged changes are judged, not the old key
      repo.write('src/new.ts', `export const other = '${staged}';\n`);
      repo.git('add', 'src/new.ts');
      const commit = await preCommit('--verbose');
      expect(commit.code, commit.stdout + commit.stderr).toBe(1);
      expect(commit.stdout).toContain(masked(staged));
      expect(commit.stdout).not.toContain(masked(committed));
      expect(commit.stdout).toContain('git restore --staged -- src/new.ts');
      expectNoSecrets(all, [committed, ignored, staged]);
      expectNoSecrets(commit, [committed, ignored, staged]);
    },
  );

  it(
    "--from-ref/--to-ref scans every commit of the range, a key removed again included; the policy is the base's",
    { timeout: 120_000 },
    async (ctx) => {
      if (!hasPreCommit) {
        if (inCi)
          throw new Error(
            'pre-commit is not installed: .ci/run must install it (apt-get install pre-commit); this test may not be skipped in CI',
          );
        ctx.skip();
      }
      const key = cloudKey();
      repo.write('.pre-commit-config.yaml', localConfig());
      repo.write('README.md', '# app\n');
      const base = repo.commit('base');
      repo.git('checkout', '-q', '-b', 'feature');
      repo.write('src/pay.ts', `const key = '${key}';\n`);
      repo.commit('add key');
      // removed again, and the branch's config would accept it: neither helps
      repo.write('src/pay.ts', 'const key = process.env.STATALOG_API_KEY;\n');
      repo.write('.statalog-scan.json', JSON.stringify({ allowedFingerprints: [secretHashOf(key)] }));
      const tip = repo.commit('remove key, allow it');

      const range = await preCommit('--from-ref', base, '--to-ref', tip, '--verbose');
      expect(range.code, range.stdout + range.stderr).toBe(1);
      expect(range.stdout).toMatch(/statalog-scan.*Failed/);
      expect(range.stdout).toContain(masked(key));
      expect(range.stdout).toContain('only in history');
      expectNoSecrets(range, [key]);

      const clean = await preCommit('--from-ref', tip, '--to-ref', tip, '--verbose');
      expect(clean.stdout + clean.stderr).not.toContain(masked(key));
    },
  );
});
