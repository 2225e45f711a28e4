// The versioning setup, exercised with the real changesets CLI on a copy of the repository's package manifests,
// changelogs and .changeset folder: what the "Version packages" pull request will contain.
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userEnv } from './helpers/env.js';
import { REPO_ROOT } from './helpers/paths.js';
import { describeRun, type PackageJson, PUBLISHED, readPackageJson, run } from './helpers/release.js';
import { tempDir } from './helpers/tmp.js';

const ACTION = '@statalog/action';
const PACKAGE_DIRS = readdirSync(join(REPO_ROOT, 'packages')).filter((dir) =>
  existsSync(join(REPO_ROOT, 'packages', dir, 'package.json')),
);
const SUMMARY = 'Release test: a patch to the scanner alone.';

describe('changesets versioning', () => {
  let repo = '';
  const before = new Map<string, PackageJson>();
  const after = new Map<string, PackageJson>();
  const changelog = (dir: string) => readFileSync(join(repo, 'packages', dir, 'CHANGELOG.md'), 'utf8');
  const afterOf = (name: string) => {
    const manifest = after.get(name);
    if (!manifest) throw new Error(`no package ${name} after versioning`);
    return manifest;
  };

  beforeAll(async () => {
    repo = tempDir('statalog-changesets-');
    cpSync(join(REPO_ROOT, 'package.json'), join(repo, 'package.json'));
    cpSync(join(REPO_ROOT, '.changeset'), join(repo, '.changeset'), { recursive: true });
    for (const dir of PACKAGE_DIRS) {
      for (const file of ['package.json', 'CHANGELOG.md']) {
        const from = join(REPO_ROOT, 'packages', dir, file);
        if (existsSync(from)) cpSync(from, join(repo, 'packages', dir, file));
      }
      const manifest = readPackageJson(join(repo, 'packages', dir));
      before.set(manifest.name, manifest);
    }
    // changesets loads its changelog generator (`@changesets/cli/changelog`) from the project's node_modules.
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(repo, 'node_modules'), 'dir');
    writeFileSync(join(repo, '.gitignore'), 'node_modules\n');
    writeFileSync(
      join(repo, '.changeset', 'release-test-scan-patch.md'),
      `---\n"@statalog/scan": patch\n---\n\n${SUMMARY}\n`,
    );

    const env = userEnv({
      GIT_AUTHOR_NAME: 'release test',
      GIT_AUTHOR_EMAIL: 'release@test.invalid',
      GIT_COMMITTER_NAME: 'release test',
      GIT_COMMITTER_EMAIL: 'release@test.invalid',
    });
    for (const args of [
      ['init', '-q', '-b', 'main'],
      ['add', '-A'],
      ['commit', '-q', '-m', 'packages as they are'],
    ]) {
      const git = await run('git', args, repo, env);
      if (git.code !== 0) throw new Error(describeRun(`git ${args[0]}`, git));
    }
    // the first step of `npm run version-packages` (the lockfile and the build need the whole workspace)
    const version = await run(join(REPO_ROOT, 'node_modules/.bin/changeset'), ['version'], repo, env);
    if (version.code !== 0) throw new Error(describeRun('changeset version', version));
    for (const dir of PACKAGE_DIRS) {
      const manifest = readPackageJson(join(repo, 'packages', dir));
      after.set(manifest.name, manifest);
    }
  }, 120_000);

  afterAll(() => {
    if (repo) rmSync(repo, { recursive: true, force: true });
  });

  it('the config fixes the three published packages to one version line and leaves the private action out of it', () => {
    const config = JSON.parse(readFileSync(join(REPO_ROOT, '.changeset/config.json'), 'utf8')) as {
      fixed: string[][];
      access: string;
      privatePackages: { version: boolean; tag: boolean };
    };
    expect(config.fixed).toEqual([PUBLISHED.map((p) => p.name)]);
    expect(config.access).toBe('public');
    expect(config.privatePackages).toEqual({ version: true, tag: true });
    expect(new Set(PUBLISHED.map((p) => before.get(p.name)?.version)).size).toBe(1);
    expect(before.get(ACTION)?.private).toBe(true);
  });

  it('a changeset for one published package releases all three with one new version', () => {
    const versions = PUBLISHED.map((p) => afterOf(p.name).version);
    expect(new Set(versions).size).toBe(1);
    expect(versions[0]).not.toBe(before.get('@statalog/core')?.version);
  });

  it('the scanner and the plugin depend on the new core by a caret range', () => {
    const core = afterOf('@statalog/core').version;
    for (const name of ['@statalog/scan', '@statalog/eslint-plugin']) {
      expect(afterOf(name).dependencies?.['@statalog/core']).toBe(`^${core}`);
    }
  });

  it('the action is versioned with the core it bundles', () => {
    const core = afterOf('@statalog/core').version;
    expect(afterOf(ACTION).version).not.toBe(before.get(ACTION)?.version);
    expect(afterOf(ACTION).dependencies?.['@statalog/core']).toMatch(
      new RegExp(`^[\\^~]?${core.replaceAll('.', '\\.')}$`),
    );
    expect(changelog('action')).toContain(`## ${afterOf(ACTION).version}`);
  });

  it('the bundle built after versioning reports the new version (SARIF, User-Agent): nothing else to carry over', async () => {
    // version-packages ends with `npm run build`; the action's part of it, on the versioned manifests
    const { scripts } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    const script = scripts['version-packages'] ?? '';
    expect(script).toMatch(/^changeset version && .*npm run build$/);
    for (const dir of ['core', 'scan', 'action'])
      cpSync(join(REPO_ROOT, 'packages', dir, 'src'), join(repo, 'packages', dir, 'src'), { recursive: true });
    for (const dir of ['scan', 'action']) {
      const modules = join(REPO_ROOT, 'packages', dir, 'node_modules');
      if (existsSync(modules)) symlinkSync(modules, join(repo, 'packages', dir, 'node_modules'), 'dir');
    }
    cpSync(join(REPO_ROOT, 'packages/action/build.mjs'), join(repo, 'packages/action/build.mjs'));
    const outfile = join(repo, 'bundle', 'index.js');
    const build = await run(
      process.execPath,
      [join(repo, 'packages/action/build.mjs'), '--outfile', outfile],
      repo,
      userEnv(),
    );
    if (build.code !== 0) throw new Error(describeRun('the action build', build));
    const bundle = readFileSync(outfile, 'utf8');
    expect(bundle).toContain(`ACTION_VERSION = ${JSON.stringify(afterOf(ACTION).version)}`);
    expect(bundle).not.toContain(`ACTION_VERSION = ${JSON.stringify(before.get(ACTION)?.version)}`);
  }, 60_000);

  it('every published package gets a changelog entry; the change itself is in the scanner', () => {
    const version = afterOf('@statalog/core').version;
    for (const pkg of PUBLISHED) expect(changelog(pkg.dir)).toContain(`## ${version}`);
    expect(changelog('scan')).toContain(SUMMARY);
  });

  it('consumes the pending changesets', () => {
    expect(readdirSync(join(repo, '.changeset')).sort()).toEqual(['README.md', 'config.json']);
  });
});
