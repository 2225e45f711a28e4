/**
 * Hardening, the GitHub Action (the committed bundle, against the loopback GitHub API):
 *
 * - Hostile file names: every line the runner would act on is one the action meant (annotations whose
 *   `file=` decodes to the real name, `::add-mask::` of a found key, the failure line); the job summary and
 *   the PR comment, rendered as markdown, hold no link but the action's own, no image, no mention, no
 *   autolink, and a findings table whose every row has its cells.
 * - The trust boundary: a pull request full of things that would run if anything ran them (package.json
 *   scripts, hooks, a config with tricks) changes nothing but what the config means; the action spawns no
 *   program at all (PATH holds only recording shims), never writes to the workspace beyond the SARIF file
 *   asked for, works for `pull_request_target` ignoring the base checkout on disk, sends no write request
 *   without `comment`, and never prints the token — not even when every request fails.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { pullRequestEvent } from './helpers/action-events.js';
import { ActionRepo } from './helpers/action-repo.js';
import { removeWorkspace, runAction, type ActionRun } from './helpers/action-runner.js';
import { FakeGitHub } from './helpers/github-api.js';
import {
  autolinkable,
  HOSTILE_NAMES,
  renderMarkdown,
  unexpectedCommands,
  type WorkflowCommand,
} from './helpers/hostile.js';
import { cloudKey } from './helpers/keys.js';
import { parseSarif } from './helpers/report.js';
import { tempDir } from './helpers/tmp.js';

const TOKEN = 'ghs_HardeningToken' + randomBytes(12).toString('hex');
const READ_ONLY = 'ghs_HardeningReadOnly' + randomBytes(12).toString('hex');
const REPO_URL = 'https://github.example/acme/shop';

let repo: ActionRepo;
let shimDir: string;
const servers: FakeGitHub[] = [];
let nextPull = 600;

beforeAll(() => {
  repo = ActionRepo.create();
  repo.commit({ branch: 'main', files: { 'README.md': '# shop\n', '.statalog-scan.json': '{}\n' } });
  // a PATH of shims that record any program the action would start (it must start none)
  shimDir = tempDir('statalog-shims-');
  for (const program of ['git', 'npm', 'npx', 'node', 'sh', 'bash', 'curl', 'make', 'pnpm', 'yarn']) {
    const shim = join(shimDir, program);
    writeFileSync(shim, `#!/bin/sh\necho "${program} $*" >> "${shimDir}/spawned.log"\nexit 1\n`);
    chmodSync(shim, 0o755);
  }
});
afterAll(() => {
  repo.cleanup();
  rmSync(shimDir, { recursive: true, force: true });
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

function pullRequest(name: string, files: Record<string, string>): { number: number; base: string; head: string } {
  const base = repo.tip('main');
  const [head] = repo.commit({ branch: name, from: 'main', files, message: `${name}: hostile` });
  return { number: nextPull++, base, head: head! };
}

async function serve(pulls: Record<number, { base: string; head: string }>): Promise<FakeGitHub> {
  const server = await new FakeGitHub({
    repoDir: repo.dir,
    env: repo.env,
    tokens: { [TOKEN]: 'write', [READ_ONLY]: 'read' },
    pulls,
  }).start();
  servers.push(server);
  return server;
}

/** A name as the summary shows it: control characters and bidi overrides as visible escapes. */
function visible(name: string): string {
  return name
    .replace(/[\r\n\u2028\u2029]+/g, ' ')
    .replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => {
      const code = c.charCodeAt(0);
      return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
    });
}

/** Every place the action writes to: the log, the summary, the outputs, comment bodies, the SARIF file. */
function everything(run: ActionRun, server: FakeGitHub, sarif?: string): string {
  const comments = [...server.comments.values()].flat().map((c) => c.body);
  return [run.stdout, run.stderr, run.summary, JSON.stringify(run.outputs), ...comments, sarif ?? ''].join('\n');
}

describe('hostile file names in the action', () => {
  test('annotations, log, summary and PR comment: nothing injected, nothing rendered as a link, image or mention', async () => {
    const keys = new Map<string, string>();
    const files: Record<string, string> = {};
    // fast-import takes any byte but LF and NUL in a path; git itself refuses CR and some others on checkout,
    // but the API serves whatever the tree holds
    for (const name of HOSTILE_NAMES.filter((n) => !/[\n\r]/.test(n))) {
      const key = cloudKey();
      keys.set(`hostile/${name}`, key);
      files[`hostile/${name}`] = `export const k = "${key}";\n`;
    }
    const pr = pullRequest('hostile-names', files);
    const server = await serve({ [pr.number]: pr });
    const run = await runAction({
      apiUrl: server.url,
      eventName: 'pull_request',
      payload: pullRequestEvent({ number: pr.number, base: pr.base, head: pr.head, commits: 1 }),
      inputs: { 'github-token': TOKEN, comment: 'true', 'sarif-file': 'out/statalog.sarif' },
    });
    try {
      expect(run.code).toBe(1);
      const names = [...keys.keys()];
      const secrets = [...keys.values()];

      // 1. every runner command in the log is one the action meant
      const annotated: string[] = [];
      const intended = (c: WorkflowCommand): boolean => {
        if (c.command === 'add-mask') return secrets.includes(c.data);
        if (c.command === 'error' && c.properties.file !== undefined) {
          annotated.push(c.properties.file);
          return (
            names.includes(c.properties.file) &&
            c.properties.title === 'Statalog Cloud API key' &&
            /^\d+$/.test(c.properties.line ?? '')
          );
        }
        if (c.command === 'notice')
          return c.properties.title === 'More Statalog keys' && c.properties.file === undefined;
        if (c.command === 'error') return /^\d+ Statalog API keys in pull request #\d+/.test(c.data);
        if (c.command === 'warning') return c.properties.file === undefined && !c.data.includes('\n');
        return false;
      };
      expect(unexpectedCommands(run.stdout, intended)).toEqual([]);
      expect(unexpectedCommands(run.stderr, intended)).toEqual([]);
      expect(annotated.length).toBe(10); // GitHub shows 10 per step; the notice counts the rest
      // the plain log list: one line per finding, each file printable
      const listed = run.stdout.split('\n').filter((l) => /^ {2}\S.*:1:\d+ {2}cloud-key /.test(l));
      expect(listed).toHaveLength(names.length);

      // 2. the summary and the comment, as GitHub renders them
      const comments = server.comments.get(pr.number) ?? [];
      expect(comments).toHaveLength(1);
      for (const [what, source] of [
        ['summary', run.summary],
        ['comment', comments[0]!.body],
      ] as const) {
        const rendered = renderMarkdown(source);
        expect(rendered.images, what).toBe(0);
        expect(
          rendered.links.filter(
            (l) => !l.startsWith(`${REPO_URL}/commit/`) && !l.startsWith(`${REPO_URL}/actions/runs/`),
          ),
          what,
        ).toEqual([]);
        expect(autolinkable(rendered.text), what).toEqual([]);
        expect(rendered.html, what).not.toMatch(
          /<(?!\/?(?:p|h[1-6]|table|thead|tbody|tr|th|td|strong|em|code|ul|ol|li|sub|details|summary|a|br)\b)[a-z]/i,
        );
        // the findings table: a header, a delimiter (not rendered) and one row per finding, each with 6 cells
        const table = rendered.tables[0]!;
        expect(
          table.every((cells) => cells === 6),
          `${what}: ${table.join(',')}`,
        ).toBe(true);
        expect(table.length - 1, what).toBe(names.length);
        // every file name is there, as text
        for (const name of names)
          expect(rendered.text.replace(/\u200b/g, ''), `${what}: ${name}`).toContain(visible(name));
        // fingerprints are code spans that copy exactly: no zero-width character, the finding's own text
        const fingerprints = rendered.code.filter((c) => /^cloud-key:/.test(c));
        expect(fingerprints.length, what).toBeGreaterThan(0);
        for (const fp of fingerprints) expect(fp, what).not.toMatch(/[\u200b-\u200d\u2060\ufeff]/);
      }

      // 3. SARIF: valid JSON, every URI decodes to a name; 4. no key anywhere
      const sarif = readFileSync(join(run.workspace, 'out/statalog.sarif'), 'utf8');
      const uris = parseSarif(sarif).runs[0]!.results.map((r) =>
        decodeURIComponent(r.locations[0]!.physicalLocation.artifactLocation.uri),
      );
      expect(uris.sort()).toEqual([...names].sort());
      const all = everything(run, server, sarif)
        .split('\n')
        .filter((l) => !l.startsWith('::add-mask::'))
        .join('\n');
      for (const s of secrets) expect(all).not.toContain(s);
      expect(all).not.toContain(TOKEN);
    } finally {
      removeWorkspace(run);
    }
  });
});

describe("the action's trust boundary", () => {
  test('a pull request full of code that would run if anything ran it: nothing runs, the workspace is untouched, only config semantics apply', async () => {
    const marker = join(shimDir, `pwned-${randomBytes(4).toString('hex')}`);
    const key = cloudKey();
    const hidden = cloudKey();
    const pr = pullRequest('malicious', {
      'package.json': JSON.stringify({
        name: 'x',
        scripts: { preinstall: `touch ${marker}`, postinstall: `touch ${marker}`, test: `touch ${marker}` },
      }),
      '.githooks/pre-commit': `#!/bin/sh\ntouch ${marker}\n`,
      '.husky/pre-commit': `touch ${marker}\n`,
      '.gitattributes': '*.env filter=evil diff=evil\n',
      '.gitmodules': `[submodule "x"]\n\tpath = x\n\turl = ext::sh -c touch% ${marker}\n`,
      Makefile: `all:\n\ttouch ${marker}\n`,
      // the config is data: an ignore pattern hides a file, unknown settings or scripts do nothing
      '.statalog-scan.json': JSON.stringify({ ignorePaths: ['vendor/**'] }),
      'vendor/hidden.env': `STATALOG_API_KEY=${hidden}\n`,
      'app/leak.env': `STATALOG_API_KEY=${key}\n`,
    });
    const server = await serve({ [pr.number]: pr });
    const run = await runAction({
      apiUrl: server.url,
      eventName: 'pull_request',
      payload: pullRequestEvent({ number: pr.number, base: pr.base, head: pr.head, commits: 1 }),
      inputs: { 'github-token': TOKEN, 'sarif-file': 'statalog.sarif' },
      env: { PATH: shimDir },
    });
    try {
      expect(run.code).toBe(1);
      expect(existsSync(join(shimDir, 'spawned.log')) ? readFileSync(join(shimDir, 'spawned.log'), 'utf8') : '').toBe(
        '',
      );
      expect(existsSync(marker)).toBe(false);
      // the workspace holds what the runner put there and the SARIF file asked for, nothing from the PR
      expect(readdirSync(run.workspace).sort()).toEqual(['event.json', 'output.txt', 'statalog.sarif', 'summary.md']);
      // the config is the base's: the PR's ignorePaths hide nothing, and what they would hide is said
      expect(run.stdout).toMatch(/^::error file=app\/leak\.env,line=1,/m);
      expect(run.stdout).toMatch(/^::error file=vendor\/hidden\.env,line=1,/m);
      expect(run.stdout).toMatch(
        /^::warning::this PR's ignorePaths in \.statalog-scan\.json would skip 1 finding at vendor\/hidden\.env:1 — not applied/m,
      );
      // without `comment`, a read-only scan: every request is a GET
      expect(server.requests.filter((r) => r.method !== 'GET')).toEqual([]);
      expect(everything(run, server)).not.toContain(TOKEN);
    } finally {
      removeWorkspace(run);
    }
  });

  test('pull_request_target with the base branch checked out in the workspace: the checkout is never read', async () => {
    const key = cloudKey();
    const pr = pullRequest('target', { 'src/config.env': `STATALOG_API_KEY=${key}\n` });
    const server = await serve({ [pr.number]: pr });
    // a workspace as a careless workflow leaves it: a checkout whose config would hide everything
    const workspace = tempDir('statalog-ws-');
    try {
      mkdirSync(join(workspace, 'src'));
      writeFileSync(join(workspace, '.statalog-scan.json'), JSON.stringify({ ignorePaths: ['**'] }));
      writeFileSync(join(workspace, 'src/config.env'), 'STATALOG_API_KEY=${STATALOG_API_KEY}\n');
      const run = await runAction({
        apiUrl: server.url,
        eventName: 'pull_request_target',
        payload: pullRequestEvent({ number: pr.number, base: pr.base, head: pr.head, commits: 1, fork: true }),
        inputs: { 'github-token': READ_ONLY },
        env: { GITHUB_WORKSPACE: workspace, PATH: shimDir },
      });
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/^::error file=src\/config\.env,line=1,col=18,/m);
      expect(existsSync(join(shimDir, 'spawned.log'))).toBe(false);
      expect(server.requests.filter((r) => r.method !== 'GET')).toEqual([]);
      expect(readdirSync(workspace).sort()).toEqual(['.statalog-scan.json', 'src']);
      expect(everything(run, server)).not.toContain(READ_ONLY);
    } finally {
      rmSync(workspace, { recursive: true, force: true });
    }
  });

  test('a read-only token: the scan, the summary and the outputs work; only comment needs a write, and its refusal is a warning', async () => {
    const key = cloudKey();
    const pr = pullRequest('read-only', { 'a.env': `STATALOG_API_KEY=${key}\n` });
    const server = await serve({ [pr.number]: pr });
    const run = await runAction({
      apiUrl: server.url,
      eventName: 'pull_request',
      payload: pullRequestEvent({ number: pr.number, base: pr.base, head: pr.head, commits: 1, fork: true }),
      inputs: { 'github-token': READ_ONLY, comment: 'true' },
    });
    expect(run.code).toBe(1);
    expect(run.outputs.findings).toBe('1');
    expect(run.summary).toContain('a.env');
    const writes = server.requests.filter((r) => r.method !== 'GET');
    expect(writes.map((r) => [r.method, r.status])).toEqual([['POST', 403]]);
    expect(run.stdout).toMatch(/^::warning::could not comment on pull request/m);
    expect(everything(run, server)).not.toContain(READ_ONLY);
  });

  test('the token is never printed: bad token, failing API, debug logging on', async () => {
    const pr = pullRequest('token', { 'x.txt': 'x\n' });
    const wrong = 'ghp_HardeningWrongToken' + randomBytes(16).toString('hex');
    const debug = { RUNNER_DEBUG: '1', ACTIONS_STEP_DEBUG: 'true', NODE_DEBUG: 'http,https,fetch,net,undici' };
    const server = await new FakeGitHub({
      repoDir: repo.dir,
      env: repo.env,
      tokens: { [TOKEN]: 'write' },
      pulls: { [pr.number]: pr },
      faults: [{ path: /\/pulls\/\d+\/commits/, status: 500, times: 100, body: { message: `upstream said ${TOKEN}` } }],
    }).start();
    servers.push(server);
    for (const token of [wrong, TOKEN]) {
      const run = await runAction({
        apiUrl: server.url,
        eventName: 'pull_request',
        payload: pullRequestEvent({ number: pr.number, base: pr.base, head: pr.head, commits: 1 }),
        inputs: { 'github-token': token },
        env: debug,
      });
      expect(run.code).toBe(2);
      const errors = run.stdout.split('\n').filter((l) => l.startsWith('::error::'));
      expect(errors).toHaveLength(1);
      expect(everything(run, server)).not.toContain(token);
      expect(everything(run, server)).not.toContain(token.slice(4, 20));
    }
  });
});

describe('a flood of keys', () => {
  test('::add-mask:: is printed for at most 100 distinct keys; none of the others is printed either', async () => {
    const keys = Array.from({ length: 150 }, () => cloudKey());
    const pr = pullRequest('many-keys', { 'keys.env': keys.map((k, i) => `K${i}=${k}\n`).join('') });
    const server = await serve({ [pr.number]: pr });
    const run = await runAction({
      apiUrl: server.url,
      eventName: 'pull_request',
      payload: pullRequestEvent({ number: pr.number, base: pr.base, head: pr.head, commits: 1 }),
      inputs: { 'github-token': TOKEN },
    });
    expect(run.code).toBe(1);
    const masks = run.stdout.split('\n').filter((l) => l.startsWith('::add-mask::'));
    expect(masks).toHaveLength(100);
    expect(run.outputs.findings).toBe('150');
    const printed = everything(run, server)
      .split('\n')
      .filter((l) => !l.startsWith('::add-mask::'))
      .join('\n');
    for (const key of keys) expect(printed).not.toContain(key.slice(3, 19));
  });
});
