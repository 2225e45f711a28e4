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
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cloudKey, expectNoSecrets, masked, REPO_ROOT, run, TempRepo } from './helpers/git.js';

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
  it('installs this repository as a hook and blocks staged keys through it (pre-commit try-repo)', { timeout: 600_000 }, async (ctx) => {
    if (!hasPreCommit) {
      if (inCi) throw new Error('pre-commit is not installed: .ci/run must install it (apt-get install pre-commit); this test may not be skipped in CI');
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

    repo.write('src/analytics.ts', 'export const client = createClient({\n  apiKey: process.env.STATALOG_API_KEY,\n});\n');
    repo.git('add', '.');
    const passed = await tryRepo();
    expect(passed.code, passed.stdout + passed.stderr).toBe(0);
    expect(passed.stdout).toMatch(/statalog-scan.*Passed/);
  });
});
