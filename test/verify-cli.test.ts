/**
 * `statalog-scan --verify` end to end: the built binary, in temp dirs holding keys generated at runtime,
 * against the loopback Statalog stand-in (as Cloud through STATALOG_CLOUD_API_URL, as a self-hosted
 * installation through --api-url). Needs `npx tsc -b` first (`npm test` does it).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cloudKey, communityValue } from './helpers/keys.js';
import { SCAN_BIN } from './helpers/paths.js';
import { runProcess, type RunResult } from './helpers/process.js';
import { startStatalogApi, type StatalogApi } from './helpers/statalog-api.js';
import { tempDir } from './helpers/tmp.js';

/** Runs the CLI without blocking the event loop (the stand-in API answers from this process). */
function runCli(
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
  nodeArgs: string[] = [],
): Promise<RunResult> {
  return runProcess(process.execPath, [...nodeArgs, SCAN_BIN, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NO_COLOR: '1', ...env },
  });
}

let api: StatalogApi;
let selfHosted: StatalogApi;
let dir: string;
const keys = { live: cloudKey(), revoked: cloudKey(), community: communityValue() };
const allKeys = Object.values(keys);

/** No byte of any output may hold a full key. */
function expectNoKey(run: RunResult): void {
  expect(allKeys.some((k) => run.stdout.includes(k) || run.stderr.includes(k))).toBe(false);
}

function expectNoKeyInAnyUrl(): void {
  expect(allKeys.some((k) => api.anyUrlContains(k) || selfHosted.anyUrlContains(k))).toBe(false);
}

beforeAll(() => {
  dir = tempDir('statalog-verify-');
  // the live key three times in two files, the revoked one once, a Community key in .env
  writeFileSync(join(dir, 'a.js'), `const key = "${keys.live}";\nconst old = "${keys.revoked}";\n`);
  writeFileSync(
    join(dir, 'b.js'),
    `fetch(url, { headers: { Authorization: "Bearer ${keys.live}" } });\nexport const again = "${keys.live}";\n`,
  );
  writeFileSync(join(dir, '.env'), `STATALOG_API_KEY=${keys.community}\n`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeEach(async () => {
  api = await startStatalogApi();
  selfHosted = await startStatalogApi();
  api.behave(keys.live, 'live');
  api.behave(keys.revoked, 'revoked');
  selfHosted.behave(keys.community, 'live');
});
afterEach(async () => {
  await Promise.all([api.close(), selfHosted.close()]);
});

const cloudEnv = (): Record<string, string> => ({ STATALOG_CLOUD_API_URL: api.url });

describe('statalog-scan --verify', () => {
  it('sends nothing anywhere without --verify', async () => {
    const run = await runCli(['--format', 'json'], dir, cloudEnv());
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as { findings: Array<{ verification?: unknown }> };
    expect(report.findings.length).toBeGreaterThan(0);
    expect(report.findings.every((f) => f.verification === undefined)).toBe(true);
    expect(api.requests).toHaveLength(0);
    expect(selfHosted.requests).toHaveLength(0);
  });

  it('puts the status in JSON, asking each distinct key once, Cloud keys to Cloud and the Community key to --api-url', async () => {
    const run = await runCli(['--verify', '--api-url', selfHosted.url, '--format', 'json'], dir, cloudEnv());
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as {
      findings: Array<{ file: string; line: number; ruleId: string; verification: { status: string } }>;
    };
    const statuses = report.findings.map((f) => `${f.file}:${f.line} ${f.ruleId} ${f.verification.status}`);
    expect(statuses).toEqual([
      '.env:1 community-key live',
      'a.js:1 cloud-key live',
      'a.js:2 cloud-key revoked',
      'b.js:1 cloud-key live',
      'b.js:2 cloud-key live',
    ]);
    expect(api.requestsFor(keys.live)).toBe(1);
    expect(api.requestsFor(keys.revoked)).toBe(1);
    expect(api.requestsFor(keys.community)).toBe(0);
    expect(selfHosted.requestsFor(keys.community)).toBe(1);
    expect(selfHosted.requests).toHaveLength(1);
    expect(
      [...api.requests, ...selfHosted.requests].every((r) => r.method === 'GET' && r.url === '/api/v1/stats'),
    ).toBe(true);
    expectNoKeyInAnyUrl();
    expectNoKey(run);
  });

  it('lists live keys first in text output, with the action to take now', async () => {
    const run = await runCli(['--verify', '--api-url', selfHosted.url], dir, cloudEnv());
    expect(run.code).toBe(1);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe('2 LIVE keys: they work right now, act on them first');
    const liveBlock = run.stdout.slice(0, run.stdout.indexOf('\n\n'));
    expect(liveBlock).toContain('a.js:1:');
    expect(liveBlock).toContain('b.js:1:');
    expect(liveBlock).toContain('Revoke it now in Statalog under Account → API Keys → Revoke');
    expect(liveBlock).toContain("Rotate it now: a new STATALOG_API_KEY in the server's .env");
    expect(liveBlock).not.toContain('a.js:2:'); // the revoked key is not in the live block
    expect(run.stdout).toMatch(/5 Statalog keys in 3 files — 4 live, 1 revoked \(/);
    expect(run.stdout).toMatch(/a\.js[\s\S]*2:\d+ +cloud-key +st_[0-9a-f]{4}…[0-9a-f]{4} .* revoked/);
    expectNoKey(run);
  });

  it('reports Community keys as unverified when no self-hosted API is named, and says why', async () => {
    const run = await runCli(['--verify', '--format', 'json'], dir, cloudEnv());
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as {
      findings: Array<{ ruleId: string; verification: { status: string; reason?: string } }>;
    };
    const community = report.findings.find((f) => f.ruleId === 'community-key')!;
    expect(community.verification.status).toBe('unknown');
    expect(community.verification.reason).toMatch(
      /no self-hosted Statalog API was named \(--api-url or selfHostedHosts/,
    );
    expect(selfHosted.requests).toHaveLength(0);
    expect(api.requestsFor(keys.community)).toBe(0);
  });

  it('carries the status in SARIF', async () => {
    const run = await runCli(['--verify', '--format', 'sarif'], dir, cloudEnv());
    expect(run.code).toBe(1);
    const sarif = JSON.parse(run.stdout) as {
      runs: Array<{ results: Array<{ properties: { verification?: string } }> }>;
    };
    expect(sarif.runs[0]!.results.map((r) => r.properties.verification).sort()).toEqual([
      'live',
      'live',
      'live',
      'revoked',
      'unknown',
    ]);
    expectNoKey(run);
  });

  it('--fail-on live fails only when some key is live', async () => {
    const live = await runCli(['--verify', '--fail-on', 'live', '-q'], dir, cloudEnv());
    expect(live.code).toBe(1);

    // every key revoked: still reported, but the run passes
    api.behave(keys.live, 'revoked');
    const revokedOnly = await runCli(['--verify', '--fail-on', 'live', '--format', 'json'], dir, cloudEnv());
    expect(revokedOnly.code).toBe(0);
    expect((JSON.parse(revokedOnly.stdout) as { findings: unknown[] }).findings).toHaveLength(5);

    // the default, --fail-on any, keeps "any finding fails"
    const any = await runCli(['--verify', '--format', 'json'], dir, cloudEnv());
    expect(any.code).toBe(1);

    // unknown is not live: an unreachable API does not fail a --fail-on live run
    api.behave(keys.live, 'error500');
    api.behave(keys.revoked, 'error500');
    const down = await runCli(['--verify', '--fail-on', 'live', '--format', 'json'], dir, cloudEnv());
    expect(down.code).toBe(0);
    const statuses = (
      JSON.parse(down.stdout) as { findings: Array<{ verification: { status: string; reason?: string } }> }
    ).findings.map((f) => f.verification);
    expect(statuses.every((v) => v.status === 'unknown')).toBe(true);
    expect(statuses.filter((v) => /failed to answer \(HTTP 500\)/.test(v.reason ?? ''))).toHaveLength(4);
    for (const run of [live, revokedOnly, any, down]) expectNoKey(run);
  });

  it('rejects verification options that make no sense or could send keys elsewhere (exit 2, one line)', async () => {
    const cases: Array<[string[], Record<string, string>, RegExp]> = [
      [['--fail-on', 'live'], {}, /^statalog-scan: option --fail-on live needs --verify/],
      [['--api-url', 'https://stats.example.com'], {}, /^statalog-scan: option --api-url only applies with --verify/],
      [
        ['--verify', '--api-url', 'http://stats.example.com'],
        cloudEnv(),
        /^statalog-scan: --api-url: must be an https:\/\/ URL/,
      ],
      [
        ['--verify'],
        { STATALOG_CLOUD_API_URL: 'https://cloud.example.com' },
        /^statalog-scan: STATALOG_CLOUD_API_URL: is honoured only for loopback addresses/,
      ],
      [['--verify', '--fail-on', 'sometimes'], cloudEnv(), /^statalog-scan: option --fail-on must be one of any, live/],
    ];
    for (const [args, env, message] of cases) {
      const run = await runCli(args, dir, env);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(message);
      expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    }
    expect(api.requests).toHaveLength(0);
    expect(selfHosted.requests).toHaveLength(0);
  });

  it('loads the verifier only when --verify is used', async () => {
    // A module hook that records every module under verify/ the process loads (the bundle's verifier is
    // dist/bundle/verify.js, scripts/bundle-scan.mjs; the tsc build's is dist/verify/verify-findings.js).
    const hooks = tempDir('statalog-hooks-');
    const log = join(hooks, 'loaded.txt');
    writeFileSync(log, '');
    writeFileSync(
      join(hooks, 'hooks.mjs'),
      `import { appendFileSync } from 'node:fs';\nexport async function load(url, context, next) {\n  if (url.includes('/dist/verify/') || url.endsWith('/dist/bundle/verify.js')) appendFileSync(${JSON.stringify(log)}, url + '\\n');\n  return next(url, context);\n}\n`,
    );
    writeFileSync(
      join(hooks, 'register.mjs'),
      `import { register } from 'node:module';\nregister(${JSON.stringify(new URL(`file://${join(hooks, 'hooks.mjs')}`).href)});\n`,
    );
    try {
      const plain = await runCli(['--format', 'json'], dir, cloudEnv(), ['--import', join(hooks, 'register.mjs')]);
      expect(plain.code).toBe(1);
      expect(readFileSync(log, 'utf8')).toBe('');
      const text = await runCli([], dir, cloudEnv(), ['--import', join(hooks, 'register.mjs')]);
      expect(text.code).toBe(1);
      // the text formatter reads the network-free status helpers, never the verifier
      expect(
        readFileSync(log, 'utf8')
          .split('\n')
          .filter((l) => /\/verify\/verify-findings\.js|\/bundle\/verify\.js/.test(l)),
      ).toEqual([]);
      const verified = await runCli(['--verify', '--format', 'json'], dir, cloudEnv(), [
        '--import',
        join(hooks, 'register.mjs'),
      ]);
      expect(verified.code).toBe(1);
      expect(readFileSync(log, 'utf8')).toMatch(/\/dist\/verify\/verify-findings\.js|\/dist\/bundle\/verify\.js/);
    } finally {
      rmSync(hooks, { recursive: true, force: true });
    }
  });

  it('verifies keys that live only in git history (--history): removed is not revoked', async () => {
    const repoDir = tempDir('statalog-verify-git-');
    // isolated from the machine's git config and identity
    const gitEnv = {
      PATH: process.env.PATH ?? '',
      HOME: repoDir,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_AUTHOR_NAME: 'Ana',
      GIT_AUTHOR_EMAIL: 'ana@example.test',
      GIT_COMMITTER_NAME: 'Ana',
      GIT_COMMITTER_EMAIL: 'ana@example.test',
    };
    const git = (...args: string[]): string =>
      execFileSync('git', args, { cwd: repoDir, env: gitEnv, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const gone = cloudKey();
      api.behave(gone, 'live');
      git('init', '-q', '-b', 'main');
      writeFileSync(join(repoDir, 'config.ts'), `export const key = '${gone}';\n`);
      git('add', '.');
      git('commit', '-q', '-m', 'add the key');
      writeFileSync(join(repoDir, 'config.ts'), 'export const key = process.env.STATALOG_API_KEY;\n');
      git('commit', '-q', '-am', 'read it from the environment');
      const run = await runCli(['--history', '--verify', '--fail-on', 'live', '--format', 'json'], repoDir, {
        ...cloudEnv(),
        HOME: repoDir,
        GIT_CONFIG_NOSYSTEM: '1',
      });
      expect(run.code).toBe(1);
      const [f, ...rest] = (
        JSON.parse(run.stdout) as { findings: Array<{ presentAtHead: boolean; verification: { status: string } }> }
      ).findings;
      expect(rest).toHaveLength(0);
      expect(f!.presentAtHead).toBe(false);
      expect(f!.verification.status).toBe('live');
      expect(api.requestsFor(gone)).toBe(1);
      expect(api.anyUrlContains(gone)).toBe(false);
      expect(run.stdout.includes(gone) || run.stderr.includes(gone)).toBe(false);
    } finally {
      rmSync(repoDir, { recursive: true, force: true });
    }
  });
});

describe('--verify-limit', () => {
  it('checks at most N distinct keys, reports the rest "not checked" and says so in the summary', async () => {
    const many = tempDir('statalog-verify-limit-');
    try {
      const planted = Array.from({ length: 5 }, () => cloudKey());
      writeFileSync(join(many, 'a.js'), [keys.live, ...planted].map((k, i) => `const k${i} = "${k}";\n`).join(''));
      const json = await runCli(['--verify', '--verify-limit', '2', '--format', 'json', 'a.js'], many, cloudEnv());
      expect(json.code).toBe(1);
      expect(api.requests).toHaveLength(2);
      const statuses = (
        JSON.parse(json.stdout) as { findings: Array<{ verification: { status: string; reason?: string } }> }
      ).findings.map((f) => f.verification);
      expect(
        statuses.filter(
          (v) => v.status === 'unknown' && v.reason?.startsWith('not checked: only the first 2 distinct keys'),
        ),
      ).toHaveLength(4);
      expect(statuses.filter((v) => v.status === 'revoked').length).toBeLessThanOrEqual(2);
      const text = await runCli(['--verify', '--verify-limit', '2', 'a.js'], many, cloudEnv());
      expect(text.stdout).toMatch(/4 not checked \(only the first 2 distinct keys are verified per run/);
      // --fail-on live: a key that was not checked is not known to be dead, so it still fails the run
      const live = await runCli(['--verify', '--verify-limit', '1', '--fail-on', 'live', 'a.js'], many, cloudEnv());
      expect(live.code).toBe(1);
      for (const run of [json, text, live]) expectNoKey(run);
      for (const k of planted) expect(json.stdout.includes(k) || text.stdout.includes(k)).toBe(false);
    } finally {
      rmSync(many, { recursive: true, force: true });
    }
  });

  it('--fail-on live: keys left unchecked by the limit fail the run even when every checked key is revoked', async () => {
    const few = tempDir('statalog-verify-unchecked-');
    try {
      const planted = [keys.revoked, cloudKey(), cloudKey()];
      writeFileSync(join(few, 'a.js'), planted.map((k, i) => `const k${i} = "${k}";\n`).join(''));
      // only the revoked key is checked: the two others are not known to be dead
      const run = await runCli(
        ['--verify', '--verify-limit', '1', '--fail-on', 'live', '--format', 'json', 'a.js'],
        few,
        cloudEnv(),
      );
      const statuses = (
        JSON.parse(run.stdout) as { findings: Array<{ verification: { status: string; reason?: string } }> }
      ).findings.map((f) => f.verification.status);
      expect(statuses.sort()).toEqual(['revoked', 'unknown', 'unknown']);
      expect(run.code).toBe(1);
      // and with nothing left unchecked, revoked keys alone pass under --fail-on live
      writeFileSync(join(few, 'a.js'), `const k = "${keys.revoked}";\n`);
      expect((await runCli(['--verify', '--fail-on', 'live', 'a.js'], few, cloudEnv())).code).toBe(0);
    } finally {
      rmSync(few, { recursive: true, force: true });
    }
  });

  it('is validated, needs --verify, and is in --help', async () => {
    for (const bad of ['0', '-1', 'ten', '1.5', '']) {
      const run = await runCli(['--verify', `--verify-limit=${bad}`, '.'], dir, cloudEnv());
      expect(run.code).toBe(2);
      expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(run.stderr).toMatch(/--verify-limit/);
    }
    const without = await runCli(['--verify-limit', '5', '.'], dir);
    expect(without.code).toBe(2);
    expect(without.stderr).toMatch(/option --verify-limit only applies with --verify/);
    const help = await runCli(['--help'], dir);
    expect(help.stdout).toMatch(/--verify-limit N/);
  });
});
