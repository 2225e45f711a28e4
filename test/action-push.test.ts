/**
 * End to end, events other than pull requests: push (normal, new branch, forced, deleted, first push of the
 * default branch), merge_group, workflow_dispatch (the tree at the ref, from one tarball), and a commit
 * past the commit API's 3000-file limit. The committed bundle against the loopback API.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { pushEvent, ZERO_SHA } from './helpers/action-events.js';
import { ActionRepo } from './helpers/action-repo.js';
import { annotations, readable, runAction, visibleLog, type ActionRun } from './helpers/action-runner.js';
import { FakeGitHub, type FakeGitHubOptions } from './helpers/github-api.js';
import { cloudKey } from './helpers/keys.js';

const TOKEN = 'ghs_' + randomBytes(12).toString('hex');

let repo: ActionRepo;
let onMain: string;
const servers: FakeGitHub[] = [];

beforeAll(() => {
  repo = ActionRepo.create();
  onMain = cloudKey();
  // main already holds a key (say, accepted long ago): pushes of other branches must not report it again
  repo.commit(
    { branch: 'main', files: { 'README.md': '# shop\n', '.statalog-scan.json': '{ "ignorePaths": ["vendor/**"] }\n' } },
    { branch: 'main', files: { 'legacy/old.env': `STATALOG_API_KEY=${onMain}\n` } },
  );
});
afterAll(() => repo.cleanup());
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function api(prefix?: string, without?: FakeGitHubOptions['without']): Promise<FakeGitHub> {
  const server = await new FakeGitHub({
    repoDir: repo.dir,
    env: repo.env,
    tokens: { [TOKEN]: 'write' },
    ...(prefix ? { prefix } : {}),
    ...(without ? { without } : {}),
  }).start();
  servers.push(server);
  return server;
}

function expectNoSecret(run: ActionRun, secrets: string[]): void {
  const everything = [visibleLog(run), run.summary, JSON.stringify(run.outputs)].join('\n');
  for (const secret of secrets) expect(everything).not.toContain(secret);
}

describe('push', () => {
  test('the commits between before and after, on GitHub Enterprise Server (/api/v3)', async () => {
    const key = cloudKey();
    const before = repo.tip('main');
    const shas = repo.commit(
      { branch: 'main', files: { 'src/a.ts': 'export const a = 1;\n' } },
      { branch: 'main', files: { 'src/keys.json': `{ "statalog": "${key}" }\n` } },
      { branch: 'main', files: { 'src/c.ts': 'export const c = 3;\n' } },
    );
    const server = await api('/api/v3');
    const run = await runAction({
      apiUrl: server.url,
      eventName: 'push',
      payload: pushEvent({ ref: 'refs/heads/main', before, after: shas[2]! }),
      inputs: { 'github-token': TOKEN },
    });
    expect(run.code).toBe(1);
    expect(server.count('GET', new RegExp(`/compare/${before}...${shas[2]}\\?`))).toBe(1);
    expect(server.count('GET', /\/commits\/[0-9a-f]{40}$/)).toBe(3);
    expect(annotations(run, 'error')[0]).toMatch(/^::error file=src\/keys\.json,line=1,col=16,/);
    expect(run.summary).toContain('the commits pushed to main');
    expect(run.summary).not.toContain('legacy/old.env');
    expectNoSecret(run, [key, onMain]);
  });

  test('a new branch: the commits that are not on the default branch', async () => {
    const key = cloudKey();
    const shas = repo.commit(
      { branch: 'topic', from: 'main', files: { 'ops/deploy.sh': `export STATALOG_API_KEY=${key}\n` } },
      { branch: 'topic', files: { 'ops/deploy.sh': 'export STATALOG_API_KEY="$1"\n' } },
    );
    const server = await api();
    const run = await runAction({
      apiUrl: server.url,
      eventName: 'push',
      payload: pushEvent({ ref: 'refs/heads/topic', before: ZERO_SHA, after: shas[1]!, created: true }),
      inputs: { 'github-token': TOKEN },
    });
    expect(run.code).toBe(1);
    expect(server.count('GET', new RegExp(`/compare/main...${shas[1]}\\?`))).toBe(1);
    expect(server.count('GET', /\/commits\/[0-9a-f]{40}$/)).toBe(2);
    expect(run.summary).toContain('new branch topic that are not on main');
    expect(run.summary).toContain('no, in history');
    expect(run.summary).not.toContain('legacy/old.env');
    expectNoSecret(run, [key, onMain]);
  });

  test('a forced push scans the rewritten commits from the merge base; a vanished before falls back to the default branch', async () => {
    const key = cloudKey();
    const old = repo.commit({ branch: 'rewrite', from: 'main', files: { 'a.env': `STATALOG_API_KEY=${key}\n` } });
    const fresh = repo.commit(
      { branch: 'rewrite', from: 'main', files: { 'a.env': 'STATALOG_API_KEY=\n' } },
      { branch: 'rewrite', files: { 'b.txt': 'b\n' } },
    );
    const server = await api();
    const run = await runAction({
      apiUrl: server.url,
      eventName: 'push',
      payload: pushEvent({ ref: 'refs/heads/rewrite', before: old[0]!, after: fresh[1]!, forced: true }),
      inputs: { 'github-token': TOKEN },
    });
    expect(run.code).toBe(0);
    expect(server.count('GET', /\/commits\/[0-9a-f]{40}$/)).toBe(2);
    expect(run.summary).toContain('forced push to rewrite');

    const gone = 'f'.repeat(40);
    const fallback = await runAction({
      apiUrl: server.url,
      eventName: 'push',
      payload: pushEvent({ ref: 'refs/heads/rewrite', before: gone, after: fresh[1]!, forced: true }),
      inputs: { 'github-token': TOKEN },
    });
    expect(fallback.code).toBe(0);
    expect(fallback.summary).toContain('could not be compared');
    expect(fallback.summary).toContain('the commits of the forced push to rewrite that are not on main');
    expect(fallback.summary).not.toContain('first push');
  });

  test('a deleted branch: nothing to scan, no request', async () => {
    const server = await api();
    const run = await runAction({
      apiUrl: server.url,
      eventName: 'push',
      payload: pushEvent({ ref: 'refs/heads/old-topic', before: repo.tip('main'), after: ZERO_SHA, deleted: true }),
      inputs: { 'github-token': TOKEN, 'sarif-file': 'statalog.sarif' },
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('the push deleted old-topic: there are no new commits to scan');
    expect(run.outputs.findings).toBe('0');
    expect(server.requests).toEqual([]);
  });

  test('the first push of the default branch: every commit of its history, listed through the API', async () => {
    const server = await api();
    const run = await runAction({
      apiUrl: server.url,
      eventName: 'push',
      payload: pushEvent({ ref: 'refs/heads/main', before: ZERO_SHA, after: repo.tip('main'), created: true }),
      inputs: { 'github-token': TOKEN },
    });
    expect(run.code).toBe(1);
    expect(server.count('GET', /\/commits\?/)).toBe(1);
    expect(server.count('GET', /\/tarball\//)).toBe(0);
    expect(annotations(run, 'error')[0]).toMatch(/^::error file=legacy\/old\.env,line=1,col=18,/);
    expect(readable(run.summary)).toContain('every commit of main (first push)');
    expect(run.summary).not.toContain('history not scanned');
    expectNoSecret(run, [onMain]);
  });

  test('the first push of a long history: the tree at after, and the run is incomplete (history not scanned)', async () => {
    const commits = Array.from({ length: 301 }, (_, i) => ({
      branch: 'long',
      ...(i === 0 ? { from: 'main' } : {}),
      files: { 'counter.txt': `${i}\n` },
    }));
    const shas = repo.commit(...commits);
    const server = await api();
    const payload = {
      ...(pushEvent({ ref: 'refs/heads/long', before: ZERO_SHA, after: shas.at(-1)!, created: true }) as Record<
        string,
        unknown
      >),
      repository: { full_name: 'acme/shop', default_branch: 'long' },
    };
    const run = await runAction({ apiUrl: server.url, eventName: 'push', payload, inputs: { 'github-token': TOKEN } });
    // the tree holds main's accepted-long-ago key: found; and not everything was scanned, said
    expect(run.code).toBe(1);
    expect(server.count('GET', /\/tarball\//)).toBe(1);
    expect(run.summary).toContain('history not scanned');
    expect(run.summary).toContain('Not everything was scanned');
    expect(run.outputs.incomplete).toBe('true');
    expectNoSecret(run, [onMain]);
  });
});

describe('merge_group and workflow_dispatch', () => {
  test('merge_group: the commits of the group', async () => {
    const key = cloudKey();
    const base = repo.tip('main');
    const group = repo.commit({
      branch: 'gh-readonly-queue/main/pr-9',
      from: 'main',
      files: {
        'web/index.html': `<script>fetch("https://app.statalog.com/api/v1/live?site_id=ST-A1B2C3&api_key=${key}")</script>\n`,
      },
    });
    const server = await api();
    const run = await runAction({
      apiUrl: server.url,
      eventName: 'merge_group',
      payload: {
        action: 'checks_requested',
        merge_group: {
          base_sha: base,
          head_sha: group[0],
          head_ref: 'refs/heads/gh-readonly-queue/main/pr-9',
          base_ref: 'refs/heads/main',
        },
      },
      inputs: { 'github-token': TOKEN },
    });
    expect(run.code).toBe(1);
    expect(annotations(run, 'error')[0]).toMatch(/title=Statalog API key in a URL::/);
    expectNoSecret(run, [key]);
  });

  test('workflow_dispatch: every file at the ref from one tarball (long paths, binaries, ignorePaths)', async () => {
    const key = cloudKey();
    const deep = `${'very-long-directory-name/'.repeat(6)}settings.env`;
    const tip = repo.commit({
      branch: 'scan-all',
      from: 'main',
      files: {
        [deep]: `STATALOG_API_KEY=${key}\n`,
        'vendor/lib/key.env': `STATALOG_API_KEY=${cloudKey()}\n`,
        'img/a.bin': Uint8Array.from([0x89, 0x50, 0, 0, 0, 1, 2, 3]),
      },
    });
    const server = await api();
    const dispatch = {
      eventName: 'workflow_dispatch',
      payload: { ref: 'refs/heads/scan-all', inputs: {} },
      inputs: { 'github-token': TOKEN },
      env: { GITHUB_SHA: tip[0]!, GITHUB_REF: 'refs/heads/scan-all' },
    };
    const run = await runAction({ ...dispatch, apiUrl: server.url });
    expect(run.code).toBe(1);
    expect(server.count('GET', /\/tarball\//)).toBe(1);
    const errors = annotations(run, 'error');
    expect(errors.some((e) => e.startsWith(`::error file=${deep},line=1,col=18,`))).toBe(true);
    expect(errors.some((e) => e.startsWith('::error file=legacy/old.env,'))).toBe(true);
    expect(errors.some((e) => e.includes('vendor/'))).toBe(false);
    expect(run.stdout).toContain('1 of them binary (searched for Cloud keys)');
    expect(run.summary).toContain('1 file skipped by ignorePaths');
    // the config, the tarball and the archive it redirects to; a tree scan needs no head check
    expect(server.requests.map((r) => r.path.replace(/\?.*/, '').replace(/[0-9a-f]{40}/, 'SHA'))).toEqual([
      '/repos/acme/shop/contents/.statalog-scan.json',
      '/repos/acme/shop/tarball/SHA',
      '/_codeload/acme/shop/legacy.tar.gz/SHA',
    ]);
    expectNoSecret(run, [key, onMain]);

    // a server without the tarball endpoint (and without raw contents): the tree and its blobs, same findings
    const older = await api(undefined, { tarball: true, rawContents: true });
    const again = await runAction({ ...dispatch, apiUrl: older.url });
    expect(again.code).toBe(1);
    expect(annotations(again, 'error').filter((e) => e.startsWith('::error file='))).toEqual(
      errors.filter((e) => e.startsWith('::error file=')),
    );
    expect(again.summary).toContain('were read one by one from the tree');
    expect(older.count('GET', /\/git\/trees\//)).toBe(1);
    expectNoSecret(again, [key, onMain]);
  });
});

test("a commit past the commit API's 3000-file limit: the files it does not list are found through the trees", async () => {
  const key = cloudKey();
  const files: Record<string, string> = {};
  for (let i = 0; i < 3005; i++) files[`gen/f${String(i).padStart(4, '0')}.txt`] = `generated ${i}\n`;
  files['zz/late.env'] = `STATALOG_API_KEY=${key}\n`;
  const base = repo.tip('main');
  const big = repo.commit({ branch: 'huge', from: 'main', files });
  const server = await api();
  const run = await runAction({
    apiUrl: server.url,
    eventName: 'push',
    payload: pushEvent({ ref: 'refs/heads/huge', before: base, after: big[0]! }),
    inputs: { 'github-token': TOKEN },
  });
  expect(run.code).toBe(1);
  expect(server.count('GET', /\/commits\/[0-9a-f]{40}(\?.*)?$/)).toBe(10);
  expect(server.count('GET', /\/git\/trees\//)).toBe(2);
  expect(server.count('GET', /\/git\/blobs\//)).toBe(6);
  expect(annotations(run, 'error')[0]).toMatch(/^::error file=zz\/late\.env,line=1,col=18,/);
  expect(run.summary).toContain('the other 6 were found by comparing its tree');
  expect(run.summary).not.toContain('Not scanned');
  expectNoSecret(run, [key]);
});
