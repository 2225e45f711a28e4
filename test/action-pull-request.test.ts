/**
 * End to end: the committed bundle (packages/action/dist/index.js) run with node as the runner runs it,
 * against a loopback GitHub REST API that answers from a real git repository.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DOC_EXAMPLE_KEY } from '@statalog/core';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { pullRequestEvent } from './helpers/action-events.js';
import { ActionRepo } from './helpers/action-repo.js';
import { annotations, removeWorkspace, runAction, visibleLog, type ActionRun } from './helpers/action-runner.js';
import { REPO_ROOT } from './helpers/paths.js';
import { FakeGitHub, type FakeGitHubOptions } from './helpers/github-api.js';
import { cloudKey, communityValue } from './helpers/keys.js';
import { parseSarif } from './helpers/report.js';

const TOKEN = 'ghs_' + randomBytes(12).toString('hex');
const READ_ONLY = 'ghs_' + randomBytes(12).toString('hex');

let repo: ActionRepo;
const servers: FakeGitHub[] = [];

beforeAll(() => {
  repo = ActionRepo.create();
  repo.commit({
    branch: 'main',
    files: {
      'README.md': '# shop\n',
      '.statalog-scan.json': '{ "ignorePaths": ["fixtures/**"] }\n',
      'src/app.ts': 'export const app = 1;\n',
    },
  });
});
afterAll(() => repo.cleanup());
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function api(options: Partial<FakeGitHubOptions> = {}): Promise<FakeGitHub> {
  const server = await new FakeGitHub({
    repoDir: repo.dir,
    env: repo.env,
    tokens: { [TOKEN]: 'write', [READ_ONLY]: 'read' },
    ...options,
  }).start();
  servers.push(server);
  return server;
}

/** Asserts that no secret appears anywhere a user could read it. */
function expectNoSecret(run: ActionRun, secrets: string[], extra: string[] = []): void {
  const everything = [visibleLog(run), run.summary, JSON.stringify(run.outputs), ...extra].join('\n');
  for (const secret of secrets) expect(everything).not.toContain(secret);
  expect(everything).not.toContain(TOKEN);
}

/** A branch from main's tip with the given commits; returns base, head and all shas. */
function branch(
  name: string,
  commits: Array<Record<string, string | Uint8Array | null>>,
): { base: string; head: string; shas: string[] } {
  const base = repo.tip('main');
  const shas = repo.commit(
    ...commits.map((files, i) => ({
      branch: name,
      ...(i === 0 ? { from: 'main' } : {}),
      files,
      message: `${name} ${i + 1}`,
    })),
  );
  return { base, head: shas.at(-1)!, shas };
}

describe('pull_request', () => {
  test('a key added in one commit and removed in the next fails the check: it is in history', async () => {
    const key = cloudKey();
    const pr = branch('leak-removed', [
      { 'src/config.ts': `export const statalog = '${key}';\n` },
      { 'src/config.ts': 'export const statalog = process.env.STATALOG_API_KEY;\n' },
    ]);
    const server = await api({ pulls: { 11: { base: pr.base, head: pr.head } } });
    const run = await runAction({
      apiUrl: server.url,
      eventName: 'pull_request',
      payload: pullRequestEvent({ number: 11, base: pr.base, head: pr.head, commits: 2 }),
      inputs: { 'github-token': TOKEN, 'sarif-file': 'out/statalog.sarif' },
    });
    try {
      expect(run.code).toBe(1);
      const errors = annotations(run, 'error');
      expect(errors[0]).toMatch(
        /^::error file=src\/config\.ts,line=1,col=26,endColumn=93,title=Statalog Cloud API key::/,
      );
      expect(errors[0]).toContain(`Added in commit ${pr.shas[0]!.slice(0, 12)}; a later commit removed it`);
      // the one-line reason is the last error
      expect(errors.at(-1)).toMatch(
        /^::error::1 Statalog API key in pull request #11 \(0 still at head, 1 only in history\)/,
      );
      expect(run.stdout).toContain(`::add-mask::${key}`);
      expect(run.summary).toContain(
        `| cloud&#45;key | src/config.ts | 1 | [${pr.shas[0]!.slice(0, 12)}](https://github.example/acme/shop/commit/${pr.shas[0]}) | st&#95;${key.slice(3, 7)}…${key.slice(-4)} | no, in history |`,
      );
      expect(run.summary).toContain('What to do');
      expect(run.outputs.findings).toBe('1');
      const sarif = readFileSync(run.outputs['sarif-file']!, 'utf8');
      const results = parseSarif(sarif).runs[0]!.results;
      expect(results).toHaveLength(1);
      // the version the bundle was built with: the action's package.json (build.mjs writes it in)
      const { version } = JSON.parse(readFileSync(join(REPO_ROOT, 'packages/action/package.json'), 'utf8')) as {
        version: string;
      };
      expect(parseSarif(sarif).runs[0]!.tool.driver).toMatchObject({ name: 'statalog-key-guard', version });
      expect(results[0]!.properties).toMatchObject({ commit: pr.shas[0], presentAtHead: false, occurrences: 1 });
      expectNoSecret(run, [key], [sarif]);
    } finally {
      removeWorkspace(run);
    }
  });

  test('a clean pull request full of look-alikes passes quietly', async () => {
    const real = cloudKey();
    const pr = branch('look-alikes', [
      {
        'docs/api.md': [
          `Use the key from your account, e.g. ${DOC_EXAMPLE_KEY}.`,
          'Truncated as in the docs: st_a3f8c2d1e4b7... and st_...',
          'Site id: ST-A1B2C3 and ST-ABCDEFGHIJKLM',
          `Too short: st_${communityValue().slice(0, 63)}`,
          `Upper case: st_${communityValue().toUpperCase()}`,
          `Another vendor: https://api.other.example/v1/items?api_key=${communityValue()}`,
          '',
        ].join('\n'),
        '.env.example': 'STATALOG_API_KEY=your-api-key-here\nSTATALOG_URL=https://app.statalog.com\n',
        'src/client.ts': 'const key = process.env.STATALOG_API_KEY;\nexport const test_key = "test_" + key;\n',
        'deploy/compose.yml': 'environment:\n  STATALOG_API_KEY: ${STATALOG_API_KEY}\n',
        'test/fixture.ts': `export const sample = '${'st_' + '0'.repeat(64)}';\n`,
        'fixtures/leak.env': `STATALOG_API_KEY=${real}\n`,
        'src/allowed.ts': `const demo = '${cloudKey()}'; // statalog:allow (revoked demo key)\n`,
      },
    ]);
    const server = await api({ pulls: { 12: { base: pr.base, head: pr.head } } });
    const run = await runAction({
      apiUrl: server.url,
      eventName: 'pull_request',
      payload: pullRequestEvent({ number: 12, base: pr.base, head: pr.head, commits: 1 }),
      inputs: { 'github-token': TOKEN },
    });
    expect(run.code).toBe(0);
    expect(annotations(run, 'error')).toEqual([]);
    expect(annotations(run, 'warning')).toEqual([]);
    // the inline-allowed key is accepted and listed (masked), and registered with the runner's masking like any key
    expect(run.stdout.split('\n').filter((l) => l.startsWith('::add-mask::'))).toHaveLength(1);
    expect(run.outputs.findings).toBe('0');
    expect(run.outputs.allowed).toBe('1');
    expect(run.summary).toContain('✅ No Statalog keys in pull request &#35;&#8203;12');
    expect(run.summary).toContain('1 file skipped by ignorePaths');
    expectNoSecret(run, [real]);
  });

  test('a fork pull request: commenting is refused (403), which is a warning, and the step still fails', async () => {
    const key = cloudKey();
    const pr = branch('from-fork', [{ 'app/settings.py': `STATALOG_API_KEY = "${key}"\n` }]);
    const server = await api({ pulls: { 13: { base: pr.base, head: pr.head } } });
    const run = await runAction({
      apiUrl: server.url,
      eventName: 'pull_request',
      payload: pullRequestEvent({ number: 13, base: pr.base, head: pr.head, commits: 1, fork: true }),
      inputs: { 'github-token': READ_ONLY, comment: 'true' },
    });
    expect(run.code).toBe(1);
    const warnings = annotations(run, 'warning');
    expect(
      warnings.some(
        (w) => /could not comment on pull request #13: the token cannot write/.test(w) && /answered 403/.test(w),
      ),
    ).toBe(true);
    expect(annotations(run, 'error')[0]).toMatch(/^::error file=app\/settings\.py,line=1/);
    expect(server.count('POST', /\/issues\/13\/comments$/)).toBe(1);
    expect(server.comments.get(13) ?? []).toEqual([]);
    expectNoSecret(run, [key]);
  });

  test('the sticky comment: created once, found again past 100 other comments, updated, then cleared', async () => {
    const key = cloudKey();
    const pr = branch('sticky', [{ 'config/prod.env': `STATALOG_API_KEY=${key}\n` }]);
    const chatter = Array.from({ length: 120 }, (_, i) => ({
      id: i + 1,
      body: `comment ${i + 1}`,
      user: { login: 'dev', type: 'User' },
    }));
    // someone quoting the marker in their own comment must not be taken for ours
    chatter.push({
      id: 500,
      body: 'see <!-- statalog-key-guard:action --> above',
      user: { login: 'dev', type: 'User' },
    });
    const server = await api({ pulls: { 14: { base: pr.base, head: pr.head } }, comments: { 14: chatter } });
    const payload = pullRequestEvent({ number: 14, base: pr.base, head: pr.head, commits: 1 });
    const first = await runAction({
      apiUrl: server.url,
      eventName: 'pull_request',
      payload,
      inputs: { 'github-token': TOKEN, comment: 'true' },
    });
    expect(first.code).toBe(1);
    const ours = (): Array<{ id: number; body: string }> =>
      (server.comments.get(14) ?? []).filter((c) => c.user.type === 'Bot');
    expect(ours()).toHaveLength(1);
    expect(ours()[0]!.body).toContain('<!-- statalog-key-guard:action -->');
    expect(ours()[0]!.body).toContain('config/prod.env');
    expect(server.count('GET', /\/issues\/14\/comments\?.*page=2/)).toBe(1);

    // a second push: the same comment is updated, not a new one added
    const fixed = repo.commit({
      branch: 'sticky',
      files: {
        'config/prod.env': 'STATALOG_API_KEY=${STATALOG_API_KEY}\n',
        'src/other.ts': `export const k = '${cloudKey()}';\n`,
      },
    });
    const second = await runAction({
      apiUrl: server.url,
      eventName: 'pull_request',
      payload: pullRequestEvent({ number: 14, base: pr.base, head: fixed[0]!, commits: 2 }),
      inputs: { 'github-token': TOKEN, comment: 'true' },
    });
    expect(second.code).toBe(1);
    expect(ours()).toHaveLength(1);
    expect(ours()[0]!.body).toContain('src/other.ts');
    expect(server.count('PATCH', /\/issues\/comments\/\d+$/)).toBe(1);
    expect(first.stdout).toContain('pull request comment created');
    expect(second.stdout).toContain('pull request comment updated');
    expectNoSecret(first, [key]);
    expect(ours()[0]!.body).not.toContain(key);

    // the branch is rewritten without the keys (force push): the comment now says the PR is clean
    const rewritten = repo.commit({
      branch: 'sticky',
      from: pr.base,
      files: { 'config/prod.env': 'STATALOG_API_KEY=${STATALOG_API_KEY}\n' },
    });
    const third = await runAction({
      apiUrl: server.url,
      eventName: 'pull_request',
      payload: pullRequestEvent({ number: 14, base: pr.base, head: rewritten[0]!, commits: 1 }),
      inputs: { 'github-token': TOKEN, comment: 'true' },
    });
    expect(third.code).toBe(0);
    expect(ours()).toHaveLength(1);
    expect(ours()[0]!.body).toContain('No Statalog keys in pull request');
    expect(server.count('PATCH', /\/issues\/comments\/\d+$/)).toBe(2);
  });

  test('a pull request of 120 commits: every page of commits is read, and the requests stay near one per commit', async () => {
    const key = cloudKey();
    const commits: Array<Record<string, string>> = Array.from({ length: 120 }, (_, i) => ({
      [`notes/${i % 7}.md`]: `note ${i}\n`,
    }));
    commits[104] = {
      'scripts/report.sh': `curl "https://app.statalog.com/api/v1/stats?site_id=ST-A1B2C3&api_key=${key}"\n`,
    };
    commits[110] = {
      'scripts/report.sh': 'curl -H "Authorization: Bearer $STATALOG_API_KEY" https://app.statalog.com/api/v1/stats\n',
    };
    const pr = branch('long', commits);
    const server = await api({ pulls: { 15: { base: pr.base, head: pr.head } } });
    const run = await runAction({
      apiUrl: server.url,
      eventName: 'pull_request',
      payload: pullRequestEvent({ number: 15, base: pr.base, head: pr.head, commits: 120 }),
      inputs: { 'github-token': TOKEN },
    });
    expect(run.code).toBe(1);
    expect(server.count('GET', /\/pulls\/15\/commits\?/)).toBe(2);
    expect(server.count('GET', /\/commits\/[0-9a-f]{40}$/)).toBe(120);
    const total = server.requests.length;
    // 120 commits + 2 pages of the commit list + the config + the one file checked at head
    expect(total).toBe(124);
    expect(total).toBeLessThanOrEqual(120 + Math.ceil(120 / 100) + 3);
    expect(run.summary).toContain(`with ${total} GitHub API requests`);
    expect(annotations(run, 'error')[0]).toMatch(
      /^::error file=scripts\/report\.sh,line=1,.*title=Statalog API key in a URL::/,
    );
    expect(annotations(run, 'error')[0]).toContain(`Added in commit ${pr.shas[104]!.slice(0, 12)}`);
    expectNoSecret(run, [key]);
  });

  test('a pull request of 260 commits: past the 250-commit list, the compare API pages through all of them', async () => {
    const key = cloudKey();
    const commits: Array<Record<string, string>> = Array.from({ length: 260 }, (_, i) => ({
      [`log/${i % 5}.txt`]: `entry ${i}\n`,
    }));
    commits[255] = { 'deploy/.env': `STATALOG_API_KEY=${key}\n` };
    const pr = branch('very-long', commits);
    const server = await api({ pulls: { 16: { base: pr.base, head: pr.head } } });
    const run = await runAction({
      apiUrl: server.url,
      eventName: 'pull_request',
      payload: pullRequestEvent({ number: 16, base: pr.base, head: pr.head, commits: 260 }),
      inputs: { 'github-token': TOKEN },
    });
    expect(run.code).toBe(1);
    expect(server.count('GET', /\/compare\//)).toBe(3);
    expect(server.count('GET', /\/commits\/[0-9a-f]{40}$/)).toBe(260);
    expect(run.summary).toContain('Scanned 260 commits');
    expect(run.summary).not.toContain('Not scanned');
    expect(annotations(run, 'error')[0]).toContain(`Added in commit ${pr.shas[255]!.slice(0, 12)}`);
    expectNoSecret(run, [key]);
  });

  test('a file the API sends without a patch is read as a blob; binary files are searched for Cloud keys, as the CLI does', async () => {
    const key = cloudKey();
    const community = communityValue();
    const big = `${'x'.repeat(200)}\n`.repeat(50) + `STATALOG_API_KEY=${community}\n`;
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, ...Buffer.from(key)]);
    const pr = branch('no-patch', [{ 'data/huge.env': big, 'assets/logo.png': png, 'src/ok.ts': 'export {};\n' }]);
    const server = await api({
      pulls: { 17: { base: pr.base, head: pr.head } },
      omitPatch: new Set(['data/huge.env']),
    });
    const run = await runAction({
      apiUrl: server.url,
      eventName: 'pull_request',
      payload: pullRequestEvent({ number: 17, base: pr.base, head: pr.head, commits: 1 }),
      inputs: { 'github-token': TOKEN },
    });
    expect(run.code).toBe(1);
    expect(server.count('GET', /\/git\/blobs\//)).toBe(2);
    const errors = annotations(run, 'error');
    expect(errors[0]).toMatch(/^::error file=assets\/logo\.png,line=4,col=1,.*title=Statalog Cloud API key::/);
    expect(errors[1]).toMatch(/^::error file=data\/huge\.env,line=51,col=18,.*title=Statalog Community API key::/);
    expect(run.stdout).toContain('2 files read whole, 1 of them binary (searched for Cloud keys)');
    expectNoSecret(run, [community, key]);
  });

  test('a merge of the base branch into the PR: judged against every parent, so what it brings from the base is not blamed on the PR', async () => {
    const onMain = cloudKey();
    const mine = cloudKey();
    const pr = branch('with-merge', [{ 'feature.txt': 'feature\n' }]);
    repo.commit({ branch: 'main', files: { 'ops/main-only.env': `STATALOG_API_KEY=${onMain}\n` } });
    const [merge, after] = repo.commit(
      {
        branch: 'with-merge',
        merge: 'main',
        files: { 'ops/main-only.env': `STATALOG_API_KEY=${onMain}\n` },
        message: 'Merge main',
      },
      { branch: 'with-merge', files: { 'feature.env': `STATALOG_API_KEY=${mine}\n` } },
    );
    const server = await api({ pulls: { 20: { base: 'main', head: after! } } });
    const run = await runAction({
      apiUrl: server.url,
      eventName: 'pull_request_target',
      payload: pullRequestEvent({ number: 20, base: repo.tip('main'), head: after!, commits: 3 }),
      inputs: { 'github-token': TOKEN },
    });
    expect(run.code).toBe(1);
    const files = annotations(run, 'error')
      .filter((e) => e.startsWith('::error file='))
      .map((e) => /file=([^,]+)/.exec(e)![1]);
    expect(files).toEqual(['feature.env']);
    expect(run.stdout).toContain('(1 of them a merge, judged against every parent)');
    expect(server.count('GET', new RegExp(`/commits/${merge}$`))).toBe(1);
    // the file the merge brought is identical to the base's: known from the trees, never read
    expect(server.count('GET', /\/git\/blobs\//)).toBe(0);
    expect(pr.shas).toHaveLength(1);
    expectNoSecret(run, [onMain, mine]);
  });

  test('a key whose file a later commit renamed is still at head, under its new name', async () => {
    const key = cloudKey();
    const pr = branch('renamed', [
      { 'old/name.env': `STATALOG_API_KEY=${key}\n` },
      { 'old/name.env': null, 'new/name.env': `STATALOG_API_KEY=${key}\n` },
    ]);
    const server = await api({ pulls: { 21: { base: pr.base, head: pr.head } } });
    const run = await runAction({
      apiUrl: server.url,
      eventName: 'pull_request',
      payload: pullRequestEvent({ number: 21, base: pr.base, head: pr.head, commits: 2 }),
      inputs: { 'github-token': TOKEN },
    });
    expect(run.code).toBe(1);
    expect(run.summary).toMatch(/\| old\/name\.env \| 1 \| .* \| yes \|/);
    expect(server.count('GET', /\/contents\/new%2Fname\.env\?/)).toBe(1);
    expectNoSecret(run, [key]);
  });

  test('a 500 from the API is retried, not fatal', async () => {
    const key = cloudKey();
    const pr = branch('flaky', [
      { 'src/a.ts': 'export const a = 1;\n' },
      { 'src/b.ts': `export const b = '${key}';\n` },
    ]);
    const server = await api({
      pulls: { 18: { base: pr.base, head: pr.head } },
      faults: [{ method: 'GET', path: new RegExp(`/commits/${pr.shas[1]}$`), status: 500, times: 1 }],
    });
    const run = await runAction({
      apiUrl: server.url,
      eventName: 'pull_request',
      payload: pullRequestEvent({ number: 18, base: pr.base, head: pr.head, commits: 2 }),
      inputs: { 'github-token': TOKEN },
    });
    expect(run.code).toBe(1);
    const attempts = server.requests.filter((r) => r.path.endsWith(`/commits/${pr.shas[1]}`)).map((r) => r.status);
    expect(attempts).toEqual([500, 200]);
    expect(annotations(run, 'error')[0]).toMatch(/^::error file=src\/b\.ts/);
    expectNoSecret(run, [key]);
  });

  test('a primary rate limit (403, remaining 0) is waited out and retried', async () => {
    const pr = branch('rate-limited', [{ 'src/c.ts': 'export const c = 1;\n' }]);
    const server = await api({
      pulls: { 19: { base: pr.base, head: pr.head } },
      faults: [
        {
          path: /\/pulls\/19\/commits$/,
          status: 403,
          times: 1,
          headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000)) },
          body: { message: 'API rate limit exceeded for installation.' },
        },
      ],
    });
    const run = await runAction({
      apiUrl: server.url,
      eventName: 'pull_request',
      payload: pullRequestEvent({ number: 19, base: pr.base, head: pr.head, commits: 1 }),
      inputs: { 'github-token': TOKEN },
    });
    expect(run.code).toBe(0);
    expect(server.requests.filter((r) => r.path.includes('/pulls/19/commits')).map((r) => r.status)).toEqual([
      403, 200,
    ]);
    expect(
      annotations(run, 'warning').some((w) =>
        /answered 403 \(rate limit\) on GET \/repos\/acme\/shop\/pulls\/19\/commits; waiting \d+ s/.test(w),
      ),
    ).toBe(true);
  });
});
