/**
 * End to end, the check nobody can talk out of its verdict: the policy read at the base of the
 * change, allows listed, fail closed on what was not scanned, the API's slowness and rate limits, and the
 * comment that only its own identity writes. The committed bundle against the loopback GitHub API.
 */
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createBaseline, createFinding, fingerprint, secretHash, serializeBaseline } from '@statalog/core';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { pullRequestEvent, pushEvent } from './helpers/action-events.js';
import { ActionRepo } from './helpers/action-repo.js';
import {
  annotations,
  readable,
  removeWorkspace,
  runAction,
  visibleLog,
  type ActionRun,
} from './helpers/action-runner.js';
import { FakeGitHub, type FakeGitHubOptions } from './helpers/github-api.js';
import { cloudKey } from './helpers/keys.js';

const TOKEN = 'ghs_' + randomBytes(12).toString('hex');
const PAT = 'ghp_' + randomBytes(12).toString('hex');

let repo: ActionRepo;
const servers: FakeGitHub[] = [];
let nextPull = 300;

beforeAll(() => {
  repo = ActionRepo.create();
  repo.commit({ branch: 'main', files: { 'README.md': '# shop\n' } });
});
afterAll(() => repo.cleanup());
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function api(options: Partial<FakeGitHubOptions> = {}): Promise<FakeGitHub> {
  const server = await new FakeGitHub({
    repoDir: repo.dir,
    env: repo.env,
    tokens: { [TOKEN]: 'write', [PAT]: 'write' },
    ...options,
  }).start();
  servers.push(server);
  return server;
}

interface Pr {
  number: number;
  base: string;
  head: string;
  commits: number;
}

/** A branch `name` from `from` (default main) with one commit per entry. */
function pullRequest(name: string, commits: Array<Record<string, string | null>>, from = 'main'): Pr {
  const base = repo.tip(from);
  const shas = repo.commit(...commits.map((files, i) => ({ branch: name, ...(i === 0 ? { from } : {}), files })));
  return { number: nextPull++, base, head: shas.at(-1)!, commits: shas.length };
}

async function runPr(
  pr: Pr,
  inputs: Record<string, string> = {},
  options: { server?: FakeGitHub; env?: Record<string, string>; token?: string } = {},
): Promise<{ run: ActionRun; server: FakeGitHub }> {
  const server = options.server ?? (await api({ pulls: { [pr.number]: { base: pr.base, head: pr.head } } }));
  const run = await runAction({
    apiUrl: server.url,
    eventName: 'pull_request',
    payload: pullRequestEvent({ number: pr.number, base: pr.base, head: pr.head, commits: pr.commits }),
    inputs: { 'github-token': options.token ?? TOKEN, ...inputs },
    ...(options.env ? { env: options.env } : {}),
  });
  return { run, server };
}

function expectNoSecret(run: ActionRun, secrets: string[]): void {
  const everything = `${visibleLog(run)}\n${run.summary}\n${JSON.stringify(run.outputs)}`;
  for (const s of secrets) expect(everything).not.toContain(s);
}

describe('the policy is read at the base, never from the change', () => {
  test('a PR that ignores ** cannot hide its key; the summary says what its config would do', async () => {
    const key = cloudKey();
    const pr = pullRequest('ignore-all', [
      {
        'src/pay.ts': `export const k = 1;\nexport const j = 2;\nconst key = '${key}';\n`,
        '.statalog-scan.json': JSON.stringify({ ignorePaths: ['**'] }),
      },
    ]);
    const { run } = await runPr(pr);
    expect(run.code).toBe(1);
    expect(annotations(run, 'error')[0]).toMatch(/^::error file=src\/pay\.ts,line=3,/);
    const text = readable(run.summary);
    expect(text).toContain("this PR's ignorePaths in .statalog-scan.json would skip 1 finding at src/pay.ts:3");
    expect(text).toContain('config and baseline read at the base');
    expect(text).not.toContain('✅');
    expectNoSecret(run, [key]);
  });

  test("the base's allowedFingerprints (full, relative to the config's folder, bare hash) and baseline accept findings, listed with how", async () => {
    const [a, b, c, d] = [cloudKey(), cloudKey(), cloudKey(), cloudKey()];
    // the base branch carries the policy: config in web/, fingerprints written from there
    repo.commit({
      branch: 'policy-base',
      from: 'main',
      files: {
        'web/statalog.json': JSON.stringify({
          allowedFingerprints: [
            fingerprint('cloud-key', 'src/a.env', secretHash(a)),
            secretHash(b),
            fingerprint('cloud-key', 'web/src/c.env', secretHash(c)),
          ],
        }),
        'web/baseline.json': serializeBaseline(
          createBaseline([
            createFinding({ ruleId: 'cloud-key', file: 'web/src/d.env', line: 1, column: 1, secret: d }),
          ]),
        ),
      },
    });
    const pr = pullRequest(
      'allowed-at-base',
      [
        {
          'web/src/a.env': `STATALOG_API_KEY=${a}\n`,
          'other/b.env': `STATALOG_API_KEY=${b}\n`,
          'web/src/c.env': `STATALOG_API_KEY=${c}\n`,
          'web/src/d.env': `STATALOG_API_KEY=${d}\n`,
        },
      ],
      'policy-base',
    );
    const { run } = await runPr(pr, { config: 'web/statalog.json', baseline: 'web/baseline.json' });
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ findings: '0', allowed: '4', incomplete: 'false' });
    const text = readable(run.summary);
    expect(text).toContain('#### 4 findings accepted, not reported');
    expect(text).toContain(`| web/src/a.env | 1 | st_${a.slice(3, 7)}…${a.slice(-4)} | allowedFingerprints |`);
    expect(text).toContain(`| other/b.env | 1 | st_${b.slice(3, 7)}…${b.slice(-4)} | allowedFingerprints |`);
    expect(text).toContain(`| web/src/d.env | 1 | st_${d.slice(3, 7)}…${d.slice(-4)} | baseline |`);
    expect(text).toContain('3 findings accepted by allowedFingerprints; 1 finding accepted by the baseline');
    expect(visibleLog(run)).toMatch(
      /Accepted, not reported:\n {2}other\/b\.env:1 {2}cloud-key {2}st_[0-9a-f]{4}…[0-9a-f]{4} {2}accepted by allowedFingerprints/,
    );
    expectNoSecret(run, [a, b, c, d]);
  });

  test('a malformed allowedFingerprints entry, and one the PR adds that matches nothing, are warned about', async () => {
    const key = cloudKey();
    repo.commit({
      branch: 'typo-base',
      from: 'main',
      files: { '.statalog-scan.json': JSON.stringify({ allowedFingerprints: ['cloud-key:x.env:nothex'] }) },
    });
    // a fingerprint copied with a zero-width space inside: it can never match
    const copied = `cloud-key:a.\u200benv:${secretHash(key)}`;
    const pr = pullRequest(
      'typo',
      [
        {
          'a.env': `STATALOG_API_KEY=${key}\n`,
          '.statalog-scan.json': JSON.stringify({ allowedFingerprints: ['cloud-key:x.env:nothex', copied] }),
        },
      ],
      'typo-base',
    );
    const { run } = await runPr(pr);
    expect(run.code).toBe(1);
    const warnings = annotations(run, 'warning');
    expect(
      warnings.some((w) => /allowedFingerprints\[0\] is neither rule:path:hash nor a 16-hex secret hash/.test(w)),
    ).toBe(true);
    expect(
      warnings.some((w) =>
        /this PR's \.statalog-scan\.json: allowedFingerprints\[1\] matches none of the keys found here/.test(w),
      ),
    ).toBe(true);
    expectNoSecret(run, [key]);
  });

  test('pushes: the policy at before; policy-from: head restores the old behaviour', async () => {
    const key = cloudKey();
    const before = repo.tip('main');
    const [after] = repo.commit({
      branch: 'push-policy',
      from: 'main',
      files: {
        'a.env': `STATALOG_API_KEY=${key}\n`,
        '.statalog-scan.json': JSON.stringify({ allowedFingerprints: [secretHash(key)] }),
      },
    });
    const server = await api();
    const push = {
      apiUrl: server.url,
      eventName: 'push',
      payload: pushEvent({ ref: 'refs/heads/push-policy', before, after: after! }),
    };
    const base = await runAction({ ...push, inputs: { 'github-token': TOKEN } });
    expect(base.code).toBe(1);
    expect(readable(base.summary)).toContain(
      "this change's config would accept 1 finding at a.env:1 (allowedFingerprints)",
    );
    const head = await runAction({ ...push, inputs: { 'github-token': TOKEN, 'policy-from': 'head' } });
    expect(head.code).toBe(0);
    expect(
      annotations(head, 'warning').some((w) =>
        /changes \.statalog-scan\.json, and this scan used that changed version \(policy-from: head\)/.test(w),
      ),
    ).toBe(true);
    expect(readable(head.summary)).toContain('1 finding accepted, not reported');
    expectNoSecret(base, [key]);
    expectNoSecret(head, [key]);
  });
});

describe('fail closed', () => {
  test('a commit padded to 4,200 files with the key in the last: exit 2, "Not everything was scanned", never ✅', async () => {
    const key = cloudKey();
    const files: Record<string, string> = {};
    for (let i = 0; i < 4199; i++) files[`pad/f${String(i).padStart(4, '0')}.txt`] = `padding ${i}\n`;
    files['zz/last.env'] = `STATALOG_API_KEY=${key}\n`;
    const pr = pullRequest('padded', [files]);
    const { run } = await runPr(pr);
    expect(run.code).toBe(2);
    expect(run.summary).toMatch(/^### ❗ Not everything was scanned in pull request/);
    expect(run.summary).not.toContain('✅');
    expect(readable(run.summary)).toContain("200 changed files past the API's file limit were not scanned");
    expect(run.outputs).toMatchObject({ findings: '0', incomplete: 'true' });
    expect(annotations(run, 'error').some((e) => /Not everything in pull request #\d+ was scanned/.test(e))).toBe(true);
    expectNoSecret(run, [key]);
  }, 240_000);

  test('a file the API will not send: exit 2; allow-incomplete: true makes it a warning, still never ✅', async () => {
    const pr = pullRequest('unsent', [{ 'big/data.env': 'STATALOG_API_KEY=\n', 'ok.txt': 'ok\n' }]);
    const options = { pulls: { [pr.number]: { base: pr.base, head: pr.head } }, omitPatch: new Set(['big/data.env']) };
    const fault = (): FakeGitHubOptions['faults'] => [
      { path: /\/git\/blobs\//, status: 404, times: 10, body: { message: 'Not Found' } },
    ];
    const strict = await runPr(pr, {}, { server: await api({ ...options, faults: fault() }) });
    expect(strict.run.code).toBe(2);
    expect(readable(strict.run.summary)).toContain('big/data.env');
    const allowed = await runPr(
      pr,
      { 'allow-incomplete': 'true' },
      { server: await api({ ...options, faults: fault() }) },
    );
    expect(allowed.run.code).toBe(0);
    expect(allowed.run.summary).toMatch(/^### ❗ Not everything was scanned/);
    expect(allowed.run.summary).not.toContain('✅');
    expect(allowed.run.outputs.incomplete).toBe('true');
    expect(annotations(allowed.run, 'warning').some((w) => /allow-incomplete: true, so the step passes/.test(w))).toBe(
      true,
    );
  });

  test('a slow API: a request past the timeout is abandoned with a log line and retried', async () => {
    const pr = pullRequest('slow', [{ 'src/ok.ts': 'export const ok = 1;\n' }]);
    const server = await api({
      pulls: { [pr.number]: { base: pr.base, head: pr.head } },
      faults: [{ path: /\/pulls\/\d+\/commits$/, status: 0, delayMs: 1500, times: 1 }],
    });
    const { run } = await runPr(pr, {}, { server, env: { STATALOG_ACTION_REQUEST_TIMEOUT_MS: '400' } });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/still waiting for GitHub to answer GET \/repos\/acme\/shop\/pulls\/\d+\/commits/);
  });

  test('Retry-After is honoured on a 429 and on a 403; a spent time budget is a clear "Could not scan"', async () => {
    const pr = pullRequest('limited', [{ 'src/ok.ts': 'export const ok = 2;\n' }]);
    const server = await api({
      pulls: { [pr.number]: { base: pr.base, head: pr.head } },
      faults: [
        {
          path: /\/pulls\/\d+\/commits$/,
          status: 429,
          times: 1,
          headers: { 'retry-after': '3' },
          body: { message: 'Too many requests' },
        },
        {
          path: /\/commits\/[0-9a-f]{40}$/,
          status: 403,
          times: 1,
          headers: { 'retry-after': '2' },
          body: { message: 'You have exceeded a secondary rate limit.' },
        },
      ],
    });
    const { run } = await runPr(pr, {}, { server });
    expect(run.code).toBe(0);
    const warnings = annotations(run, 'warning');
    expect(
      warnings.some((w) =>
        /answered 429 \(rate limit\) on GET \/repos\/acme\/shop\/pulls\/\d+\/commits; waiting 3 s as it asks/.test(w),
      ),
    ).toBe(true);
    expect(
      warnings.some((w) =>
        /answered 403 \(rate limit\) on GET \/repos\/acme\/shop\/commits\/[0-9a-f]{40}; waiting 2 s as it asks/.test(w),
      ),
    ).toBe(true);

    const slow = await api({
      pulls: { [pr.number]: { base: pr.base, head: pr.head } },
      faults: [{ path: /\/commits\//, status: 0, delayMs: 600, times: 100 }],
    });
    const { run: spent } = await runPr(pr, {}, { server: slow, env: { STATALOG_ACTION_TIME_BUDGET_MS: '500' } });
    expect(spent.code).toBe(2);
    expect(readable(spent.summary)).toMatch(
      /^### ❗ Could not scan: the run's time budget of 500 ms for GitHub API requests ran out/,
    );
    expect(spent.outputs).toMatchObject({ findings: '', incomplete: 'true' });
  });
});

describe('the comment', () => {
  test("a planted comment with the marker is neither edited nor believed; the action's own comment is", async () => {
    const key = cloudKey();
    const pr = pullRequest('planted', [{ 'a.env': `STATALOG_API_KEY=${key}\n` }]);
    const server = await api({ pulls: { [pr.number]: { base: pr.base, head: pr.head } } });
    const planted = server.addComment(
      pr.number,
      '<!-- statalog-key-guard:action -->\n### ✅ No Statalog keys in pull request',
      { login: 'mallory', type: 'User' },
    );
    const { run } = await runPr(pr, { comment: 'true' }, { server });
    expect(run.code).toBe(1);
    const comments = server.comments.get(pr.number)!;
    expect(comments).toHaveLength(2);
    expect(comments[0]!.body).toBe(planted.body);
    expect(comments[1]!.user.login).toBe('github-actions[bot]');
    expect(comments[1]!.body).toContain('1 Statalog API key');
    expect(
      annotations(run, 'warning').some((w) =>
        /carrying this action's marker that github-actions\[bot\] did not write; ignored/.test(w),
      ),
    ).toBe(true);

    // a PAT: GET /user names the identity, and only that user's comment is edited
    const server2 = await api({
      pulls: { [pr.number]: { base: pr.base, head: pr.head } },
      users: { [PAT]: { login: 'ci-user', type: 'User' } },
    });
    server2.addComment(pr.number, '<!-- statalog-key-guard:action -->\nplanted', { login: 'mallory', type: 'User' });
    const own = server2.addComment(pr.number, '<!-- statalog-key-guard:action -->\nold', {
      login: 'ci-user',
      type: 'User',
    });
    const second = await runPr(pr, { comment: 'true' }, { server: server2, token: PAT });
    expect(second.run.code).toBe(1);
    const after = server2.comments.get(pr.number)!;
    expect(after).toHaveLength(2);
    expect(after[0]!.body).toContain('planted');
    expect(after[1]!.id).toBe(own.id);
    expect(after[1]!.body).toContain('1 Statalog API key');
    expectNoSecret(run, [key]);
  });

  test('a key pushed in an earlier version of the PR stays listed after a force-push removes it', async () => {
    const key = cloudKey();
    const first = pullRequest('force', [{ 'src/pay.ts': `const key = '${key}';\n` }]);
    const server = await api({ pulls: { [first.number]: { base: first.base, head: first.head } } });
    const one = await runPr(first, { comment: 'true' }, { server });
    expect(one.run.code).toBe(1);
    // the force-push: the branch rewritten from main without the key
    const [clean] = repo.commit({
      branch: 'force',
      from: 'main',
      files: { 'src/pay.ts': 'const key = process.env.STATALOG_API_KEY;\n' },
    });
    const second: Pr = { ...first, head: clean!, commits: 1 };
    const two = await runPr(second, { comment: 'true' }, { server });
    expect(two.run.code).toBe(0);
    const body = readable(server.comments.get(first.number)![0]!.body);
    const masked = `st_${key.slice(3, 7)}…${key.slice(-4)}`;
    expect(body).toContain(
      `${masked} (src/pay.ts, commit ${first.head.slice(0, 12)}) was pushed in an earlier version of this PR — revoke it`,
    );
    expect(readable(two.run.summary)).toContain(`${masked} (src/pay.ts`);
    // the record holds the masked key and its hash, never the key
    expect(server.comments.get(first.number)![0]!.body).not.toContain(key);
    expect(server.comments.get(first.number)![0]!.body).toContain(secretHash(key));
    expectNoSecret(two.run, [key]);
  });
});

describe('annotations where reviewers look', () => {
  test('a key still at head is annotated at its head path and line; a history-only key says so in SARIF', async () => {
    const kept = cloudKey();
    const gone = cloudKey();
    const pr = pullRequest('moved', [
      { 'old/name.env': `STATALOG_API_KEY=${kept}\n`, 'tmp/k.env': `STATALOG_API_KEY=${gone}\n` },
      { 'old/name.env': null, 'new/place.env': `# moved\nSTATALOG_API_KEY=${kept}\n`, 'tmp/k.env': null },
    ]);
    const { run } = await runPr(pr, { 'sarif-file': 'out.sarif' });
    try {
      expect(run.code).toBe(1);
      const errors = annotations(run, 'error');
      expect(errors.some((e) => e.startsWith('::error file=new/place.env,line=2,col=18,'))).toBe(true);
      expect(errors.some((e) => e.startsWith('::error file=tmp/k.env,line=1,'))).toBe(true);
      const sarif = JSON.parse(readFileSync(run.outputs['sarif-file']!, 'utf8')) as {
        runs: Array<{
          results: Array<{
            message: { text: string };
            locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }>;
          }>;
        }>;
      };
      const results = sarif.runs[0]!.results;
      const history = results.find((r) => r.locations[0]!.physicalLocation.artifactLocation.uri === 'tmp/k.env')!;
      expect(history.message.text).toMatch(
        /Only in the git history \(added in commit [0-9a-f]{7}, removed by a later one\)/,
      );
      const atHead = results.find((r) => r.locations[0]!.physicalLocation.artifactLocation.uri === 'new/place.env')!;
      expect(atHead.message.text).not.toContain('Only in the git history');
      expectNoSecret(run, [kept, gone]);
    } finally {
      removeWorkspace(run);
    }
  });
});

describe('the local-git fast path', () => {
  test('a full checkout in the workspace: the range is scanned with local git (no file limits), and the summary says so; a shallow one falls back to the API', async () => {
    const key = cloudKey();
    const files: Record<string, string> = {};
    for (let i = 0; i < 4199; i++) files[`pad/f${String(i).padStart(4, '0')}.txt`] = `padding ${i}\n`;
    files['zz/last.env'] = `STATALOG_API_KEY=${key}\n`;
    const pr = pullRequest('padded-local', [
      files,
      { 'zz/renamed.env': `STATALOG_API_KEY=${key}\n`, 'zz/last.env': null },
    ]);
    const workspace = join(repo.base, 'workspace');
    execFileSync('git', ['clone', '-q', '--no-checkout', repo.dir, workspace], { env: repo.env });
    const server = await api({ pulls: { [pr.number]: { base: pr.base, head: pr.head } } });
    const { run } = await runPr(pr, {}, { server, env: { GITHUB_WORKSPACE: workspace } });
    expect(run.code).toBe(1);
    expect(readable(run.summary)).toMatch(
      /Scanned 2 commits \([1-9]\d* blobs? read\) of pull request #\d+ with local git \(the workspace's checkout\)/,
    );
    // the key is found (the API path would have missed it: past the file limit) and annotated where it is now
    expect(annotations(run, 'error')[0]).toMatch(/^::error file=zz\/renamed\.env,line=1,col=18,/);
    expect(server.count('GET', /\/commits\//)).toBe(0);
    expect(run.outputs.incomplete).toBe('false');
    expectNoSecret(run, [key]);

    // a shallow clone lacks the history: the API path runs
    const shallow = join(repo.base, 'shallow');
    execFileSync('git', ['clone', '-q', '--no-checkout', '--depth', '1', `file://${repo.dir}`, shallow], {
      env: repo.env,
    });
    const small = pullRequest('small-local', [{ 'src/ok.ts': 'export const ok = 3;\n' }]);
    const server2 = await api({ pulls: { [small.number]: { base: small.base, head: small.head } } });
    const viaApi = await runPr(small, {}, { server: server2, env: { GITHUB_WORKSPACE: shallow } });
    expect(viaApi.run.code).toBe(0);
    expect(readable(viaApi.run.summary)).toMatch(/with \d+ GitHub API requests\./);
    expect(server2.count('GET', /\/commits\//)).toBe(1);
  }, 240_000);
});
