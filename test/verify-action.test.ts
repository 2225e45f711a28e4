/**
 * The action's `verify` input end to end: the committed bundle, run like the runner runs it, against a
 * fake GitHub API and the loopback Statalog stand-in (as Cloud through STATALOG_CLOUD_API_URL, as a
 * self-hosted installation through the api-url input). Keys are generated at runtime.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ActionRepo } from './helpers/action-repo.js';
import { runAction, visibleLog, type ActionRun } from './helpers/action-runner.js';
import { FakeGitHub } from './helpers/github-api.js';
import { cloudKey, communityValue } from './helpers/keys.js';
import { startStatalogApi, type StatalogApi } from './helpers/statalog-api.js';

const keys = { live: cloudKey(), revoked: cloudKey(), community: communityValue() };
const allKeys = Object.values(keys);

let repo: ActionRepo;
let github: FakeGitHub;
let shas: string[];
let cloud: StatalogApi;
let selfHosted: StatalogApi;

beforeAll(async () => {
  repo = ActionRepo.create();
  shas = repo.commit(
    { branch: 'main', files: { 'README.md': '# shop\n', '.statalog-scan.json': '{"ignorePaths":["fixtures/**"]}\n' } },
    {
      branch: 'feature',
      from: 'main',
      files: { 'src/a.ts': `export const key = '${keys.live}';\nexport const old = '${keys.revoked}';\n` },
    },
    {
      branch: 'feature',
      files: { '.env': `STATALOG_API_KEY=${keys.community}\n`, 'src/b.ts': `export const again = '${keys.live}';\n` },
    },
    // a pull request that also points the config's selfHostedHosts somewhere
    {
      branch: 'sneaky',
      from: 'main',
      files: {
        '.env': `STATALOG_API_KEY=${keys.community}\n`,
        '.statalog-scan.json': '{"selfHostedHosts":["stats.attacker.example"]}\n',
      },
    },
  );
  github = await new FakeGitHub({
    repoDir: repo.dir,
    env: repo.env,
    pulls: { 7: { base: 'main', head: 'feature' }, 8: { base: 'main', head: 'sneaky' } },
    tokens: { t0k: 'write' },
  }).start();
});
afterAll(async () => {
  await github.close();
  repo.cleanup();
});
beforeEach(async () => {
  cloud = await startStatalogApi();
  selfHosted = await startStatalogApi();
  cloud.behave(keys.live, 'live');
  cloud.behave(keys.revoked, 'revoked');
  selfHosted.behave(keys.community, 'live');
});
afterEach(async () => {
  await Promise.all([cloud.close(), selfHosted.close()]);
});

function pullRequest(inputs: Record<string, string>, number = 7): Promise<ActionRun> {
  const head = number === 7 ? shas[2] : shas[3];
  return runAction({
    apiUrl: github.url,
    eventName: 'pull_request',
    payload: {
      pull_request: {
        number,
        commits: number === 7 ? 2 : 1,
        base: { sha: shas[0], repo: { full_name: 'acme/shop' } },
        head: { sha: head, repo: { full_name: 'acme/shop' } },
      },
    },
    inputs: { 'github-token': 't0k', ...inputs },
    env: { STATALOG_CLOUD_API_URL: cloud.url },
  });
}

function expectNoKey(run: ActionRun): void {
  const everything = `${visibleLog(run)}\n${run.summary}\n${JSON.stringify(run.outputs)}`;
  expect(allKeys.some((k) => everything.includes(k))).toBe(false);
}

/** The summary table's rows as `file | status` pairs, in order. */
function verifiedRows(summary: string): string[] {
  return summary
    .split('\n')
    .filter((l) => l.startsWith('| ') && !l.startsWith('| Rule') && !l.startsWith('| ---'))
    .map((l) => l.split(' | '))
    .map((cells) => decodeEntities(`${cells[1]} | ${cells[cells.length - 1]!.replace(/ \|$/, '')}`));
}

/** The summary escapes markdown characters as HTML entities (`&#45;`) and splits links with zero-width spaces. */
function decodeEntities(text: string): string {
  return text.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code))).replace(/\u200b/g, '');
}

describe('action input verify', () => {
  it('is off by default: no key is sent anywhere and the summary has no Verified column', async () => {
    const run = await pullRequest({});
    expect(run.code).toBe(1);
    expect(run.summary).not.toContain('Verified');
    expect(cloud.requests).toHaveLength(0);
    expect(selfHosted.requests).toHaveLength(0);
    expectNoKey(run);
  });

  it('asks each distinct key once and shows live keys first in the job summary', async () => {
    const run = await pullRequest({ verify: 'true', 'api-url': selfHosted.url });
    expect(run.code).toBe(1);
    expect(cloud.requestsFor(keys.live)).toBe(1);
    expect(cloud.requestsFor(keys.revoked)).toBe(1);
    expect(cloud.requestsFor(keys.community)).toBe(0);
    expect(selfHosted.requestsFor(keys.community)).toBe(1);
    expect(selfHosted.requests).toHaveLength(1);
    expect([...cloud.requests, ...selfHosted.requests].every((r) => r.url === '/api/v1/stats')).toBe(true);
    expect(allKeys.some((k) => cloud.anyUrlContains(k) || selfHosted.anyUrlContains(k))).toBe(false);

    expect(run.summary).toContain('**2 keys are live** (the Statalog API accepts them): revoke them first.');
    expect(run.summary).toContain('| Verified |');
    const rows = verifiedRows(run.summary);
    expect(rows.slice(0, 3).every((r) => r.endsWith('| **live**'))).toBe(true);
    expect(rows[3]).toMatch(/^src\/a\.ts \| revoked$/);
    expectNoKey(run);
  });

  it('reports Community keys unknown without api-url, and never uses selfHostedHosts from a config the pull request changes', async () => {
    const run = await pullRequest({ verify: 'true' }, 8);
    expect(run.code).toBe(1);
    const rows = verifiedRows(run.summary);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatch(/^\.env \| unknown: not a Cloud key, and no self-hosted Statalog API was named/);
    // the policy is the base's: the PR's config neither names hosts nor is read for them
    expect(decodeEntities(run.summary)).toContain('config and baseline read at the base');
    expect(selfHosted.requests).toHaveLength(0);
    expect(cloud.requests).toHaveLength(0);
    expectNoKey(run);

    // policy-from: head reads the PR's config, and still never sends keys to hosts the PR wrote
    const head = await pullRequest({ verify: 'true', 'policy-from': 'head' }, 8);
    expect(head.code).toBe(1);
    expect(verifiedRows(head.summary)[0]).toMatch(
      /^\.env \| unknown: not a Cloud key, and no self-hosted Statalog API was named/,
    );
    expect(decodeEntities(head.summary)).toContain('verify: the selfHostedHosts of .statalog-scan.json were not used');
    expect(selfHosted.requests).toHaveLength(0);
    expectNoKey(head);
  });

  it('rejects an api-url that is not https (exit 2, before anything is sent)', async () => {
    const run = await pullRequest({ verify: 'true', 'api-url': 'http://stats.example.com' });
    expect(run.code).toBe(2);
    expect(visibleLog(run)).toMatch(/input api-url: must be an https:\/\/ URL/);
    expect(cloud.requests).toHaveLength(0);
  });

  it('verify-limit caps the keys sent; the rest are "not checked", never revoked', async () => {
    const run = await pullRequest({ verify: 'true', 'api-url': selfHosted.url, 'verify-limit': '1' });
    expect(run.code).toBe(1);
    expect(cloud.requests.length + selfHosted.requests.length).toBe(1);
    const rows = verifiedRows(run.summary);
    expect(rows).toHaveLength(4);
    const unchecked = rows.filter((r) =>
      / \| unknown: not checked: only the first 1 distinct keys are verified per run \(3 found; raise the verify-limit input\)$/.test(
        r,
      ),
    );
    expect(unchecked.length).toBeGreaterThanOrEqual(2);
    expect(rows.filter((r) => / \| revoked$/.test(r)).length).toBeLessThanOrEqual(1);
    expectNoKey(run);
  });
});
