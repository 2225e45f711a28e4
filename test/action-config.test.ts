/**
 * End to end: the config and baseline read at the head commit, inputs, failures that must be one line
 * (exit 2), escaping of hostile file names, and the annotation limit.
 */
import { randomBytes } from 'node:crypto';
import { createBaseline, createFinding, escapeMarkdown, secretHash, serializeBaseline } from '@statalog/core';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { pullRequestEvent } from './helpers/action-events.js';
import { ActionRepo } from './helpers/action-repo.js';
import { annotations, readable, runAction, visibleLog, type ActionRun } from './helpers/action-runner.js';
import { FakeGitHub } from './helpers/github-api.js';
import { cloudKey } from './helpers/keys.js';

const TOKEN = 'ghs_' + randomBytes(12).toString('hex');

let repo: ActionRepo;
const servers: FakeGitHub[] = [];
let nextPull = 100;

beforeAll(() => {
  repo = ActionRepo.create();
  repo.commit({ branch: 'main', files: { 'README.md': '# shop\n' } });
});
afterAll(() => repo.cleanup());
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A pull request (one branch from main) and a run of the action on it. */
async function runOnPullRequest(
  name: string,
  commits: Array<Record<string, string | null>>,
  inputs: Record<string, string> = {},
  token = TOKEN,
): Promise<{ run: ActionRun; server: FakeGitHub }> {
  const base = repo.tip('main');
  const shas = repo.commit(
    ...commits.map((files, i) => ({ branch: name, ...(i === 0 ? { from: 'main' } : {}), files })),
  );
  const number = nextPull++;
  const server = await new FakeGitHub({
    repoDir: repo.dir,
    env: repo.env,
    tokens: { [TOKEN]: 'write' },
    pulls: { [number]: { base, head: shas.at(-1)! } },
  }).start();
  servers.push(server);
  const run = await runAction({
    apiUrl: server.url,
    eventName: 'pull_request',
    payload: pullRequestEvent({ number, base, head: shas.at(-1)!, commits: shas.length }),
    inputs: { 'github-token': token, ...inputs },
  });
  return { run, server };
}

function expectOneLineError(run: ActionRun, pattern: RegExp): void {
  expect(run.code).toBe(2);
  const errors = annotations(run, 'error');
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatch(pattern);
  expect(errors[0]).not.toMatch(/%0A|\n/);
}

test('a pull request cannot allow itself: its own allowedFingerprints and baseline are reported, not applied', async () => {
  const testKey = cloudKey();
  const oldKey = cloudKey();
  const baseline = serializeBaseline(
    createBaseline([
      createFinding({ ruleId: 'cloud-key', file: 'legacy/keys.txt', line: 1, column: 1, secret: oldKey }),
    ]),
  );
  const { run } = await runOnPullRequest(
    'accepted',
    [
      { 'test/e2e.env': `STATALOG_API_KEY=${testKey}\n`, 'legacy/keys.txt': `${oldKey}\n` },
      {
        '.statalog-scan.json': JSON.stringify({ allowedFingerprints: [secretHash(testKey)] }),
        '.statalog-baseline.json': baseline,
      },
    ],
    { baseline: '.statalog-baseline.json' },
  );
  // the base has neither file: both keys are reported, and what the PR's versions would do is said
  expect(run.code).toBe(1);
  expect(run.outputs.findings).toBe('2');
  expect(readable(run.summary)).toContain('.statalog-baseline.json is not at the base');
  const warnings = annotations(run, 'warning');
  expect(
    warnings.some((w) =>
      /this PR's config would accept 1 finding at test\/e2e\.env:1 \(allowedFingerprints\) — not applied/.test(w),
    ),
  ).toBe(true);
  expect(
    warnings.some((w) =>
      /this PR's baseline \.statalog-baseline\.json would accept 1 finding at legacy\/keys\.txt:1/.test(w),
    ),
  ).toBe(true);
  expect(run.summary).toContain('#### Policy');
  // accepted or not, every key found is masked in the log
  expect(run.stdout).toContain(`::add-mask::${testKey}`);
  expect(visibleLog(run)).not.toContain(testKey);
  expect(visibleLog(run)).not.toContain(oldKey);
});

test('fail: false reports findings as warnings and passes', async () => {
  const key = cloudKey();
  const { run } = await runOnPullRequest('soft', [{ 'a.env': `STATALOG_API_KEY=${key}\n` }], { fail: 'false' });
  expect(run.code).toBe(0);
  expect(annotations(run, 'error')).toEqual([]);
  expect(annotations(run, 'warning')[0]).toMatch(/^::warning file=a\.env,line=1,col=18,/);
  expect(run.outputs.findings).toBe('1');
  expect(visibleLog(run)).not.toContain(key);
});

test('hostile file names are escaped in annotations, the summary and the log', async () => {
  const key = cloudKey();
  const name = 'docs/[click](javascript:alert(1))<img src=x onerror=alert(1)>|x,y:z.env';
  const { run } = await runOnPullRequest('hostile', [{ [name]: `STATALOG_API_KEY=${key}\n` }]);
  expect(run.code).toBe(1);
  // workflow-command properties: ',' and ':' encoded, so the name cannot end the property list
  expect(annotations(run, 'error')[0]).toContain(
    '::error file=docs/[click](javascript%3Aalert(1))<img src=x onerror=alert(1)>|x%2Cy%3Az.env,line=1,',
  );
  // outside code spans (the fingerprints, which Markdown shows as typed so they copy exactly)
  const prose = run.summary.replace(/(`+)[^`]*?\1/g, '');
  expect(prose).not.toContain('[click](');
  expect(prose).not.toContain('<img');
  expect(run.summary).toContain(`| ${escapeMarkdown(name)} | 1 |`);
  expect(escapeMarkdown(name)).not.toMatch(/[[\]()<>|]/);
  expect(visibleLog(run)).not.toContain(key);
});

test('past 10 findings: 10 annotations and a notice for the rest', async () => {
  const keys = Array.from({ length: 12 }, cloudKey);
  const { run } = await runOnPullRequest('many', [
    Object.fromEntries(keys.map((k, i) => [`keys/${String(i).padStart(2, '0')}.env`, `STATALOG_API_KEY=${k}\n`])),
  ]);
  expect(run.code).toBe(1);
  expect(annotations(run, 'error').filter((e) => e.startsWith('::error file='))).toHaveLength(10);
  expect(annotations(run, 'notice')[0]).toMatch(
    /^::notice title=More Statalog keys::2 more Statalog keys are not annotated .*all 12/,
  );
  expect(run.summary).toContain('keys/11.env');
  const log = visibleLog(run);
  for (const k of keys) expect(log).not.toContain(k);
});

test("a pull request's config that is not valid JSON: said, not fatal (the base's config judges the PR)", async () => {
  const { run } = await runOnPullRequest('bad-config', [{ '.statalog-scan.json': '{ "ignorePaths": [ }' }]);
  expect(run.code).toBe(0);
  expect(
    annotations(run, 'warning').some((w) => /this PR's version of \.statalog-scan\.json: is not valid JSON/.test(w)),
  ).toBe(true);
  // with policy-from: head, the PR's config is the one read: one line naming the file, exit 2
  const head = await runOnPullRequest('bad-config-head', [{ '.statalog-scan.json': '{ "ignorePaths": [ }' }], {
    'policy-from': 'head',
  });
  expectOneLineError(head.run, /^::error::statalog-scan: \.statalog-scan\.json: is not valid JSON/);
  expect(readable(head.run.summary)).toMatch(/^### ❗ Could not scan: \.statalog-scan\.json: is not valid JSON/);
});

test('a config or baseline input naming a file the head commit does not have: exit 2', async () => {
  const missingConfig = await runOnPullRequest('no-config', [{ 'x.txt': 'x\n' }], { config: 'ci/statalog.json' });
  expectOneLineError(missingConfig.run, /^::error::statalog-scan: ci\/statalog\.json: not found at [0-9a-f]{12}/);
  const missingBaseline = await runOnPullRequest('no-baseline', [{ 'y.txt': 'y\n' }], { baseline: 'baseline.json' });
  expectOneLineError(missingBaseline.run, /^::error::statalog-scan: baseline\.json: not found/);
});

test('a wrong input and a wrong token: exit 2, one line, the token never printed', async () => {
  const bad = await runOnPullRequest('bad-input', [{ 'z.txt': 'z\n' }], { fail: 'maybe' });
  expectOneLineError(bad.run, /^::error::statalog-scan: input fail must be true or false, not "maybe"$/);
  const wrongToken = 'ghp_' + randomBytes(16).toString('hex');
  const denied = await runOnPullRequest('bad-token', [{ 'w.txt': 'w\n' }], {}, wrongToken);
  expectOneLineError(
    denied.run,
    /^::error::statalog-scan: GitHub API GET \/repos\/acme\/shop\/pulls\/\d+\/commits answered 401 \(Bad credentials\)$/,
  );
  // a summary and outputs even then: never a silent step
  expect(denied.run.summary).toMatch(/^### ❗ Could not scan: GitHub API GET \S+ answered 401/);
  expect(denied.run.outputs).toMatchObject({ findings: '', incomplete: 'true' });
  expect(visibleLog(denied.run)).not.toContain(wrongToken);
});

test('an event the action does not handle: exit 2 naming the supported ones', async () => {
  const server = await new FakeGitHub({ repoDir: repo.dir, env: repo.env, tokens: { [TOKEN]: 'write' } }).start();
  servers.push(server);
  const run = await runAction({
    apiUrl: server.url,
    eventName: 'issue_comment',
    payload: { comment: { body: 'hi' } },
    inputs: { 'github-token': TOKEN },
  });
  expectOneLineError(
    run,
    /^::error::statalog-scan: event issue_comment is not supported: run the action on pull_request, pull_request_target, push/,
  );
  expect(server.requests).toEqual([]);
});
