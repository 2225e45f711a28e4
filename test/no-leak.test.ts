/**
 * The one promise every tool makes: the full secret never appears in any output. ONE test walks every output
 * path over inputs holding keys made at run time — a Cloud key in code, a Community key in .env, a Cloud key
 * in an `api_key=` URL, a key in a binary file, a key in a file named after it, a key only in history, a
 * staged key, keys found only by decoding (a base64 `.env` in a Kubernetes Secret, a base64 Cloud key, a URL
 * percent-encoded twice: the decoded key must never be printed whole) — and collects everything written anywhere:
 *
 * - CLI: text, json, sarif, github for a files scan, --staged, --range and --history; --output; the
 *   --write-baseline file and a later --baseline run (stale entries); --verify against the loopback Statalog
 *   API with Node's own debug logging on (NODE_DEBUG); error messages for a config, a baseline, a range, a
 *   path, a format and an API URL that each hold a key.
 * - Action: the log (without the `::add-mask::` lines the runner consumes), annotations, job summary,
 *   GITHUB_OUTPUT, the SARIF file, the PR comment bodies the loopback GitHub received, with verify on and the
 *   runner's debug logging on; and the one-line error for a config holding a key.
 * - ESLint: the real ESLint CLIs' (9 and 10) JSON and stylish output with the plugin on files holding the keys
 *   (messages, suggestions, fixes; not the `source` field, in which ESLint echoes the linted file itself).
 *
 * Then: no full key, and no 16-character piece of one, in any of it. The masked form (`st_a3f8…f6a8`) is
 * allowed and is checked to be there, so the test cannot pass by printing nothing.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { pullRequestEvent } from './helpers/action-events.js';
import { ActionRepo } from './helpers/action-repo.js';
import { removeWorkspace, runAction, visibleLog } from './helpers/action-runner.js';
import { hermeticEnv } from './helpers/env.js';
import { runEslint } from './helpers/eslint.js';
import { FakeGitHub } from './helpers/github-api.js';
import { cloudKey, communityValue, leakedSecrets } from './helpers/keys.js';
import { REPO_ROOT, SCAN_BIN } from './helpers/paths.js';
import { runProcess, type RunResult } from './helpers/process.js';
import { startStatalogApi, type StatalogApi } from './helpers/statalog-api.js';
import { tempDir } from './helpers/tmp.js';

const KEYS = {
  code: cloudKey(),
  community: communityValue(),
  url: cloudKey(),
  binary: cloudKey(),
  named: cloudKey(),
  history: cloudKey(),
  staged: cloudKey(),
  encoded: communityValue(),
  encodedCloud: cloudKey(),
  percent: cloudKey(),
};
const SECRETS = Object.values(KEYS);
const TOKEN = 'ghs_NoLeakToken' + randomBytes(12).toString('hex');
const masked = (k: string): string => `st_${k.slice(3, 7)}…${k.slice(-4)}`;

/** The files of the scanned project (path → content). */
function projectFiles(): Record<string, string | Buffer> {
  return {
    'src/client.ts': `import { Statalog } from '@statalog/sdk';\nexport const client = new Statalog({ apiKey: '${KEYS.code}' });\nconsole.log('using key', '${KEYS.code}');\n`,
    '.env': `STATALOG_API_KEY=${KEYS.community}\n`,
    'web/index.html': `<script>fetch("https://app.statalog.com/api/v1/stats?site_id=ST-A1B2C3&api_key=${KEYS.url}")</script>\n`,
    'assets/blob.bin': Buffer.concat([Buffer.from([0, 1, 2, 0, 255]), Buffer.from(KEYS.binary), Buffer.from([0, 0])]),
    [`keys/${KEYS.named}.txt`]: `${KEYS.named}\n`,
    'deploy/secret.yaml': `kind: Secret\ndata:\n  .env: ${Buffer.from(`APP_ENV=production\nSTATALOG_API_KEY=${KEYS.encoded}\n`).toString('base64')}\n  token: ${Buffer.from(KEYS.encodedCloud).toString('base64')}\n`,
    'logs/redirect.log': `GET /login?next=${encodeURIComponent(encodeURIComponent(`https://app.statalog.com/api/v1/stats?site_id=ST-A1B2C3&api_key=${KEYS.percent}`))} 302\n`,
  };
}

let base: string;
const outputs: Array<[string, string]> = [];
const collect = (where: string, text: string): void => void outputs.push([where, text]);

function run(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<RunResult> {
  return runProcess(process.execPath, [SCAN_BIN, ...args], { cwd, env });
}

let statalog: StatalogApi;
beforeAll(async () => {
  base = tempDir('statalog-no-leak-');
  statalog = await startStatalogApi();
  statalog.behave(KEYS.code, 'live');
  statalog.behave(KEYS.url, 'revoked');
  statalog.behave(KEYS.community, 'live');
});
afterAll(async () => {
  await statalog.close();
  rmSync(base, { recursive: true, force: true });
});

test('no output of any tool holds a full key', { timeout: 300_000 }, async () => {
  // ---- the CLI, in a real repository -------------------------------------------------------------------
  const dir = join(base, 'repo');
  mkdirSync(join(base, 'home'), { recursive: true });
  const env = { ...hermeticEnv(join(base, 'home')), NO_COLOR: '1' };
  const git = (...args: string[]): string => execFileSync('git', args, { cwd: dir, env, encoding: 'utf8' });
  mkdirSync(dir);
  git('init', '-q', '-b', 'main');
  git('commit', '-q', '--allow-empty', '-m', 'base');
  const write = (files: Record<string, string | Buffer>): void => {
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
  };
  write({ ...projectFiles(), 'old/legacy.env': `STATALOG_API_KEY=${KEYS.history}\n` });
  git('add', '-A');
  git('commit', '-q', '-m', 'keys');
  rmSync(join(dir, 'old'), { recursive: true });
  git('add', '-A');
  git('commit', '-q', '-m', 'remove the legacy key (it stays in history)');
  write({ 'src/staged.ts': `export const k = '${KEYS.staged}';\n` });
  git('add', 'src/staged.ts');

  const cli = async (
    label: string,
    args: string[],
    expectCode: number | null = 1,
    extraEnv: Record<string, string> = {},
  ): Promise<void> => {
    const result = await run(args, dir, { ...env, ...extraEnv });
    expect(result.code, `${label}: ${result.stderr}`).toBe(expectCode);
    collect(`cli ${label} stdout`, result.stdout);
    collect(`cli ${label} stderr`, result.stderr);
  };
  for (const format of ['text', 'json', 'sarif', 'github']) {
    await cli(`files ${format}`, ['--format', format]);
    await cli(`staged ${format}`, ['--staged', '--format', format]);
    await cli(`range ${format}`, ['--range', 'HEAD~2..HEAD', '--format', format]);
    await cli(`history ${format}`, ['--history', '--format', format]);
  }
  await cli('output file', ['--format', 'sarif', '--output', join(base, 'report.sarif')]);
  collect('cli --output file', readFileSync(join(base, 'report.sarif'), 'utf8'));
  await cli('write-baseline', ['--history', '--write-baseline', join(base, 'baseline.json')], 0);
  collect('cli baseline file', readFileSync(join(base, 'baseline.json'), 'utf8'));
  // the baseline (written from history) applied to the work tree: the staged key is new, the removed one stale
  await cli('baseline applied', ['--baseline', join(base, 'baseline.json')]);
  await cli('baseline applied json', ['--baseline', join(base, 'baseline.json'), '--format', 'json']);
  // --verify with Node's debug logging of HTTP: the key travels in a header, never in a log or a URL
  const debug = { NODE_DEBUG: 'http,https,fetch,net,undici,tls', STATALOG_CLOUD_API_URL: statalog.url };
  await cli('verify text', ['--verify', '--api-url', statalog.url], 1, debug);
  await cli('verify json', ['--verify', '--api-url', statalog.url, '--format', 'json'], 1, debug);
  await cli('verify github', ['--history', '--verify', '--api-url', statalog.url, '--format', 'github'], 1, debug);
  expect(SECRETS.some((s) => statalog.anyUrlContains(s))).toBe(false);
  expect(statalog.requestsFor(KEYS.code)).toBeGreaterThan(0);
  // error messages that could quote a key
  writeFileSync(join(base, 'bad-config.json'), `{ "ignorePaths": ["${KEYS.code}" }`);
  writeFileSync(join(base, 'bad-baseline.json'), `{ "version": 1, "entries": [{ "ruleId": "${KEYS.code}" }] }`);
  await cli('error config', ['--config', join(base, 'bad-config.json')], 2);
  await cli('error baseline', ['--baseline', join(base, 'bad-baseline.json')], 2);
  await cli('error range', ['--range', `${KEYS.history}..HEAD`], 2);
  await cli('error path', [`missing-${KEYS.code}`], 2);
  await cli('error format', ['--format', KEYS.code], 2);
  await cli(
    'error api-url',
    ['--verify', '--api-url', `https://stats.example.com/${KEYS.community}?k=${KEYS.code}`],
    2,
  );
  await cli('error option', [`--${KEYS.code}`], 2);

  // ---- the action, on a pull request with the same files ----------------------------------------------
  const repo = ActionRepo.create();
  const github: FakeGitHub[] = [];
  try {
    repo.commit({ branch: 'main', files: { 'README.md': '# shop\n' } });
    const [, head] = repo.commit(
      {
        branch: 'leaks',
        from: 'main',
        files: { ...projectFiles(), 'old/legacy.env': `STATALOG_API_KEY=${KEYS.history}\n` },
      },
      { branch: 'leaks', files: { 'old/legacy.env': null, 'src/staged.ts': `export const k = '${KEYS.staged}';\n` } },
    );
    const server = await new FakeGitHub({
      repoDir: repo.dir,
      env: repo.env,
      tokens: { [TOKEN]: 'write' },
      pulls: { 1: { base: repo.tip('main'), head: head! } },
    }).start();
    github.push(server);
    const action = await runAction({
      apiUrl: server.url,
      eventName: 'pull_request',
      payload: pullRequestEvent({ number: 1, base: repo.tip('main'), head: head!, commits: 2 }),
      inputs: {
        'github-token': TOKEN,
        comment: 'true',
        'sarif-file': 'statalog.sarif',
        verify: 'true',
        'api-url': statalog.url,
      },
      env: {
        STATALOG_CLOUD_API_URL: statalog.url,
        RUNNER_DEBUG: '1',
        ACTIONS_STEP_DEBUG: 'true',
        NODE_DEBUG: 'http,https,fetch,net,undici',
      },
    });
    try {
      expect(action.code).toBe(1);
      // the runner consumes ::add-mask:: lines (they are how the keys get masked): each holds exactly a key
      const masks = action.stdout.split('\n').filter((l) => l.startsWith('::add-mask::'));
      expect(masks.every((l) => SECRETS.includes(l.slice('::add-mask::'.length)))).toBe(true);
      collect('action log', visibleLog(action));
      collect('action summary', action.summary);
      collect('action outputs', JSON.stringify(action.outputs));
      collect('action sarif', readFileSync(join(action.workspace, 'statalog.sarif'), 'utf8'));
      for (const c of server.comments.get(1) ?? []) collect('action comment', c.body);
      expect(server.comments.get(1)).toHaveLength(1);
    } finally {
      removeWorkspace(action);
    }
    // a config holding a key, in a pull request: with the policy read at the base, a finding and a warning
    // about the PR's broken config; read at the head (policy-from: head), one error line
    const [badHead] = repo.commit({
      branch: 'bad-config',
      from: 'main',
      files: { '.statalog-scan.json': `{ "ignorePaths": ["${KEYS.code}" ` },
    });
    const badServer = await new FakeGitHub({
      repoDir: repo.dir,
      env: repo.env,
      tokens: { [TOKEN]: 'write' },
      pulls: { 2: { base: repo.tip('main'), head: badHead! } },
    }).start();
    github.push(badServer);
    const badPr = {
      apiUrl: badServer.url,
      eventName: 'pull_request',
      payload: pullRequestEvent({ number: 2, base: repo.tip('main'), head: badHead!, commits: 1 }),
    };
    const judged = await runAction({ ...badPr, inputs: { 'github-token': TOKEN } });
    expect(judged.code).toBe(1);
    collect('action policy-problem log', visibleLog(judged));
    collect('action policy-problem summary', judged.summary);
    const failed = await runAction({ ...badPr, inputs: { 'github-token': TOKEN, 'policy-from': 'head' } });
    expect(failed.code).toBe(2);
    collect('action error log', visibleLog(failed));
    collect('action error summary', failed.summary);
  } finally {
    await Promise.all(github.map((s) => s.close()));
    repo.cleanup();
  }

  // ---- ESLint, the real CLI ----------------------------------------------------------------------------
  const project = join(base, 'eslint');
  mkdirSync(join(project, 'src'), { recursive: true });
  mkdirSync(join(project, 'server'), { recursive: true });
  const plugin = pathToFileURL(join(REPO_ROOT, 'packages/eslint-plugin/dist/bundle/index.js')).href; // the package's entry
  writeFileSync(
    join(project, 'eslint.config.js'),
    `import statalog from '${plugin}';\nexport default [statalog.configs.strict];\n`,
  );
  writeFileSync(join(project, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(
    join(project, 'src/client.js'),
    `export const client = new Statalog({ apiKey: '${KEYS.code}' });\nfetch('https://app.statalog.com/api/v1/stats?site_id=ST-A1B2C3&api_key=${KEYS.url}');\n`,
  );
  writeFileSync(
    join(project, 'server/log.js'),
    `const key = '${KEYS.named}';\nconsole.log('key', key, '${KEYS.community}');\nfetch('http://app.statalog.com/api/v1/stats', { headers: { Authorization: 'Bearer ${KEYS.history}' } });\n`,
  );
  for (const major of [9, 10] as const) {
    const eslint = runEslint(major, project, ['--format', 'json', '.']);
    expect(eslint.status, eslint.stderr).toBe(1);
    expect(
      (JSON.parse(eslint.stdout) as Array<{ messages: unknown[] }>).flatMap((r) => r.messages).length,
    ).toBeGreaterThan(2);
    // ESLint's JSON formatter embeds each reported file's own text as `source`: the user's file, not a message
    const results = (JSON.parse(eslint.stdout) as Array<Record<string, unknown>>).map(
      ({ source: _source, ...result }) => result,
    );
    collect(`eslint ${major} json`, JSON.stringify(results));
    collect(`eslint ${major} stderr`, eslint.stderr);
    const stylish = runEslint(major, project, ['.']);
    collect(`eslint ${major} stylish`, stylish.stdout + stylish.stderr);
  }

  // ---- the verdict -------------------------------------------------------------------------------------
  const leaks = outputs.flatMap(([where, text]) => leakedSecrets(text, SECRETS).map((s) => `${where}: ${masked(s)}`));
  expect(leaks).toEqual([]);
  expect(outputs.map(([, text]) => text).join('\n')).not.toContain(TOKEN);
  // the outputs do name the keys — masked — so silence cannot pass this test
  const all = outputs.map(([, text]) => text).join('\n');
  for (const key of [
    KEYS.code,
    KEYS.url,
    KEYS.binary,
    KEYS.named,
    KEYS.history,
    KEYS.staged,
    KEYS.encodedCloud,
    KEYS.percent,
  ])
    expect(all, masked(key)).toContain(masked(key));
  expect(all).toContain('(base64)');
  expect(outputs.length).toBeGreaterThan(60);
});
