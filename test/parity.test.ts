/**
 * One detection for every door. A repository holding every rule in the syntaxes the rules support, every
 * encoding, binary files, a section header far above the line that adds a key, a big file the API sends
 * without a patch, renames and a merge whose conflict resolution adds a key is read through all five doors —
 * the tree scan, `--staged` before each commit, `--range`, `--history` and the built Action against the
 * loopback GitHub API — and they must report the same findings: rule, file, line, column and fingerprint.
 * Keys are made fresh for every run.
 */
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { actionFindings, cliFindings, cliReport, sortFindings, StagedDoor, type DoorFinding } from './helpers/doors.js';
import { TempRepo } from './helpers/git.js';
import { cloudKey, communityValue } from './helpers/keys.js';

const utf16le = (text: string, bom: boolean): Buffer =>
  Buffer.concat([bom ? Buffer.from([0xff, 0xfe]) : Buffer.alloc(0), Buffer.from(text, 'utf16le')]);
const utf16be = (text: string): Buffer => {
  const le = Buffer.from(text, 'utf16le');
  for (let i = 0; i + 1 < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1]!, le[i]!];
  return Buffer.concat([Buffer.from([0xfe, 0xff]), le]);
};
const filler = (lines: number, prefix: string): string =>
  Array.from({ length: lines }, (_, i) => `${prefix}_${i}: value ${i}\n`).join('');
const b64 = (text: string): string => Buffer.from(text).toString('base64');
const pct = (text: string): string => encodeURIComponent(text);
/** A `.env` as teams keep them, and the same wrapped at 76 columns as `base64` writes it. */
const dotenv = (...keys: string[]): string =>
  `APP_NAME=shop\nAPP_ENV=production\nAPP_URL=https://shop.example.com\nDB_HOST=127.0.0.1\n${keys.join('\n')}\n`;
const wrapped = (text: string, indent = ''): string =>
  b64(text)
    .replace(/.{76}/g, '$&\n')
    .replace(/\n$/, '')
    .split('\n')
    .map((l) => indent + l)
    .join('\n');

describe('every door finds the same keys', () => {
  let repo: TempRepo;
  let staged: StagedDoor;
  let base = '';
  let head = '';
  let prCommits = 0;
  const omitPatch = ['data/export.env', 'logs/huge.log'];

  beforeAll(async () => {
    repo = TempRepo.create();
    staged = new StagedDoor(repo);
    const commit = async (message: string): Promise<string> => {
      repo.git('add', '-A');
      await staged.before();
      return repo.commit(message);
    };

    // main: a config whose `statalog:` section header sits far above where a key will be added, a file the
    // API will send without a patch that already holds a key, and a file both branches will change
    repo.write('README.md', '# shop\n');
    repo.write('config/app.yml', `statalog:\n  site_id: ST-A1B2C3\n${filler(60, '  option')}`);
    const onBase = communityValue();
    repo.write('data/export.env', `${'# export\n'.repeat(20)}STATALOG_API_KEY=${onBase}\n`);
    repo.write('shared/conf.env', 'MODE=base\n');
    repo.write('src/client.ts', `export const key = '${cloudKey()}';\n`);
    // a base64 `.env` wrapped at 76 columns; the pull request adds a key to it (the block's first lines stay)
    const wrappedKey = communityValue();
    repo.write('ci/env.b64', `${wrapped(dotenv(`STATALOG_API_KEY=${wrappedKey}`))}\n`);
    await commit('main: base');
    repo.git('checkout', '-q', '-b', 'feature');
    base = repo.head();

    // typed declarations, every rule, URL keys
    repo.write('src/keys.rs', `const STATALOG_API_KEY: &str = "${communityValue()}";\n`);
    repo.write('app/Keys.kt', `val statalogApiKey: String = "${communityValue()}"\n`);
    repo.write('web/keys.ts', `export const statalogApiKey: string = '${communityValue()}';\n`);
    repo.write('tools/keys.py', `STATALOG_API_KEY: str = "${communityValue()}"\n`);
    repo.write('cmd/keys.go', `package main\n\nvar STATALOG_API_KEY string = "${communityValue()}"\n`);
    repo.write(
      'web/embed.html',
      `<img src="https://app.statalog.com/api/v1/stats?site_id=ST-A1B2C3&api_key=${cloudKey()}">\n`,
    );
    repo.write('deploy/k8s.yaml', `env:\n  - name: STATALOG_API_KEY\n    value: "${communityValue()}"\n`);
    repo.write(
      'test/fixture.ts',
      `export const revoked = '${cloudKey()}'; // statalog:allow — a revoked key for the parser tests\n`,
    );
    await commit('typed declarations');

    // encodings
    repo.write('scripts/setup.ps1', utf16le(`# setup\r\n$env:STATALOG_API_KEY = "${communityValue()}"\r\n`, true));
    repo.write('reg/export.reg', utf16le(`Windows Registry Editor Version 5.00\r\n"Key"="${cloudKey()}"\r\n`, false));
    repo.write('notes/be.txt', utf16be(`note\n${cloudKey()}\n`));
    repo.write('docs/bom.env', `\ufeffSTATALOG_API_KEY=${communityValue()}\n`);
    await commit('encodings');

    // encoded content: a Kubernetes Secret whose data holds a whole base64 .env, a base64 .env in a CI
    // variables file (one line, and wrapped in a block scalar), a redirect URL encoded twice; the wrapped
    // .env on main grows a second key
    repo.write(
      'deploy/secret.yaml',
      `apiVersion: v1\nkind: Secret\nmetadata:\n  name: shop\ntype: Opaque\ndata:\n  .env: ${b64(dotenv(`STATALOG_API_KEY=${communityValue()}`))}\n`,
    );
    repo.write(
      '.gitlab-ci.yml',
      `variables:\n  ENV_FILE_B64: ${b64(dotenv(`STATALOG_API_KEY=${communityValue()}`))}\n  ENV_BLOCK: |\n${wrapped(dotenv(`STATALOG_API_KEY=${communityValue()}`), '    ')}\n`,
    );
    repo.write(
      'logs/redirect.log',
      `GET /login?next=${pct(pct(`https://stats.example.com/api/v1/stats?site_id=ST-A1B2C3&api_key=${communityValue()}`))} 302 4ms\n`,
    );
    repo.write(
      'ci/env.b64',
      `${wrapped(dotenv(`STATALOG_API_KEY=${wrappedKey}`, `STATALOG_API_KEY_STAGING=${communityValue()}`))}\n`,
    );
    await commit('encoded');

    // binary files and a big file
    repo.write(
      'assets/app.wasm',
      Buffer.concat([
        Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 0x43]),
        Buffer.from(cloudKey()),
        Buffer.from([0, 0, 7]),
      ]),
    );
    repo.write(
      'logs/huge.log',
      `${'GET /health 200 1ms\n'.repeat(260_000)}token ${cloudKey()} seen\n${'GET /health 200 1ms\n'.repeat(1000)}`,
    );
    await commit('binary and big');

    // a key under the far-away section header; a key added to the file without a patch (the one already
    // there must not be blamed on this change); a rename with an edit
    repo.write(
      'config/app.yml',
      `statalog:\n  site_id: ST-A1B2C3\n${filler(60, '  option')}  api_key: ${communityValue()}\n`,
    );
    repo.write(
      'data/export.env',
      `${'# export\n'.repeat(20)}STATALOG_API_KEY=${onBase}\n${'# more\n'.repeat(10)}STATALOG_API_KEY_OLD=${cloudKey()}\n`,
    );
    repo.git('mv', 'src/client.ts', 'src/api-client.ts');
    repo.write(
      'src/api-client.ts',
      `${repo.git('show', 'HEAD:src/client.ts')}export const second = '${cloudKey()}';\n`,
    );
    await commit('section, no patch, rename');

    // main moves on; the PR merges it with a conflict whose resolution types a new key
    repo.git('checkout', '-q', 'main');
    repo.write('shared/conf.env', 'MODE=main\n');
    repo.write('ops/main.env', `STATALOG_API_KEY=${communityValue()}\n`);
    await commit('main: moves on');
    const mainTip = repo.head();
    repo.git('checkout', '-q', 'feature');
    repo.write('shared/conf.env', 'MODE=feature\n');
    await commit('feature: conf');
    expect(repo.tryGit('merge', '-q', '--no-edit', 'main').code).not.toBe(0); // the conflict
    repo.write('shared/conf.env', `MODE=merged\nSTATALOG_API_KEY=${communityValue()}\n`);
    repo.git('add', '-A');
    await staged.before();
    repo.git('commit', '-q', '--no-edit', '--no-verify');
    head = repo.head();
    base = mainTip; // the pull request's base is main's tip: its commits are the feature's and the merge
    prCommits = Number(repo.git('rev-list', '--count', `${base}..${head}`).trim());
  }, 240_000);

  afterAll(() => repo.cleanup());

  test('--range, --history, --staged and the Action agree on what the pull request added', async () => {
    const range = sortFindings(await cliFindings(repo, ['--range', `${base}..${head}`]));
    const action = sortFindings(await actionFindings(repo, { base, head, commits: prCommits }, { omitPatch }));
    const inPr = new Set(repo.git('diff', '--name-only', `${base}...${head}`).trim().split('\n'));
    const history = sortFindings(await cliFindings(repo, ['--history']));
    const stagedAll = sortFindings(staged.findings());

    // every planted key of the pull request is there: 5 typed, the URL and k8s, 4 encodings, 2 binary/big,
    // the section key, the new key beside the base's, the renamed file's new key, the merge resolution's key
    expect(range.length).toBeGreaterThanOrEqual(21);
    expect(range.map((f) => f.file)).toEqual(
      expect.arrayContaining(['src/keys.rs', 'app/Keys.kt', 'web/keys.ts', 'tools/keys.py', 'cmd/keys.go']),
    );
    expect(range.map((f) => f.file)).toEqual(
      expect.arrayContaining(['scripts/setup.ps1', 'reg/export.reg', 'notes/be.txt', 'docs/bom.env']),
    );
    expect(range.map((f) => f.file)).toEqual(
      expect.arrayContaining(['assets/app.wasm', 'logs/huge.log', 'config/app.yml', 'shared/conf.env']),
    );
    // encoded keys: every door names the encoding; the wrapped .env's key from main is not the PR's
    expect(range.filter((f) => f.encoding !== undefined).map((f) => [f.file, f.encoding, f.line])).toEqual(
      expect.arrayContaining([
        ['deploy/secret.yaml', 'base64', 7],
        ['.gitlab-ci.yml', 'base64', 2],
        ['.gitlab-ci.yml', 'base64', 4],
        ['logs/redirect.log', 'percent', 1],
        ['ci/env.b64', 'base64', 1],
      ]),
    );
    expect(range.filter((f) => f.encoding !== undefined)).toHaveLength(5);
    // the key already on main in the no-patch file and the one main brought through the merge are not the PR's
    expect(range.filter((f) => f.file === 'data/export.env')).toHaveLength(1);
    expect(range.some((f) => f.file === 'ops/main.env')).toBe(false);

    expect(action).toEqual(range);
    // history holds main's keys too; the pull request's part of it is the range
    expect(history.filter((f) => inPr.has(f.file) && range.some((r) => r.fingerprint === f.fingerprint))).toEqual(
      range,
    );
    expect(stagedAll).toEqual(history);
  }, 240_000);

  test('every door lists the inline allow instead of reporting it', async () => {
    const inline = (allowed: Array<{ how: string; file: string }>) =>
      allowed.filter((a) => a.how === 'inline').map((a) => a.file);
    for (const args of [['.'], ['--range', `${base}..${head}`], ['--history']]) {
      const report = await cliReport(repo, args);
      expect(inline(report.allowed), args.join(' ')).toEqual(['test/fixture.ts']);
      expect(report.findings.some((f) => f.file === 'test/fixture.ts')).toBe(false);
    }
    expect(staged.findings().some((f) => f.file === 'test/fixture.ts')).toBe(false);
    let log = '';
    await actionFindings(repo, { base, head, commits: prCommits }, { omitPatch, log: (out) => (log = out) });
    expect(log).toContain('1 finding accepted by statalog:allow');
  }, 240_000);

  test('the tree scan finds at head exactly what the git doors say is still there', async () => {
    const tree = sortFindings(await cliFindings(repo, ['--no-ignore', '.']));
    const history = await cliFindings(repo, ['--history']);
    const atHead = new Set(repo.git('ls-files').trim().split('\n'));
    // a key added under an old name (before the rename) is reported by the tree scan under the new name
    const renamed = history.filter((f) => !atHead.has(f.file));
    expect(renamed.map((f) => f.file)).toEqual(['src/client.ts']);
    const expected = sortFindings(history.filter((f) => atHead.has(f.file)));
    expect(
      tree.filter((f) => f.file !== 'src/api-client.ts' || expected.some((e) => e.fingerprint === f.fingerprint)),
    ).toEqual(expected);
    expect(tree.filter((f) => f.file === 'src/api-client.ts')).toHaveLength(2);
  }, 120_000);
});

describe('random content through every door', () => {
  const KINDS = ['cloud', 'community', 'url', 'base64', 'percent'] as const;
  const ENCODINGS = ['utf8', 'utf8-bom', 'utf16le', 'utf16le-nobom', 'binary'] as const;
  const NAMES = ['a.env', 'b.ts', 'c.yaml', 'd.py', 'e.txt', 'f.json'] as const;

  function line(kind: (typeof KINDS)[number]): string {
    switch (kind) {
      case 'cloud':
        return `client = "${cloudKey()}"`;
      case 'community':
        return `STATALOG_API_KEY="${communityValue()}"`;
      case 'url':
        return `see https://app.statalog.com/api/v1/pages?site_id=ST-A1B2C3&api_key=${cloudKey()}`;
      case 'base64':
        return `ENV_B64: "${b64(`APP_ENV=production\nSTATALOG_API_KEY=${communityValue()}\n`)}"`;
      case 'percent':
        return `next=${pct(`/api/v1/live?site_id=ST-A1B2C3&api_key=${communityValue()}`)}`;
    }
  }

  function encode(text: string, encoding: (typeof ENCODINGS)[number]): Buffer {
    switch (encoding) {
      case 'utf8':
        return Buffer.from(text);
      case 'utf8-bom':
        return Buffer.from(`\ufeff${text}`);
      case 'utf16le':
        return utf16le(text, true);
      case 'utf16le-nobom':
        return utf16le(text, false);
      case 'binary':
        return Buffer.concat([Buffer.from([0, 1, 2, 0, 0]), Buffer.from(text), Buffer.from([0, 0, 9])]);
    }
  }

  const fileArb = fc.record({
    name: fc.constantFrom(...NAMES),
    encoding: fc.constantFrom(...ENCODINGS),
    eol: fc.constantFrom('\n', '\r\n', '\r'),
    lines: fc.array(
      fc.oneof(
        fc.constantFrom(...KINDS),
        fc.string({ maxLength: 30 }).map((s) => `text ${s.replace(/[\0\r\n]/g, ' ')}`),
      ),
      { minLength: 1, maxLength: 8 },
    ),
  });

  test('a random series of commits: --staged, --range, --history and the Action agree', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(fileArb, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 }),
        async (commits) => {
          const repo = TempRepo.create();
          try {
            const staged = new StagedDoor(repo);
            repo.write('README.md', `seed ${randomBytes(4).toString('hex')}\n`);
            repo.commit('base');
            const base = repo.head();
            for (const files of commits) {
              for (const file of files) {
                const text =
                  file.lines
                    .map((l) => (KINDS.includes(l as never) ? line(l as (typeof KINDS)[number]) : l))
                    .join(file.eol) + file.eol;
                repo.write(`dir/${file.name}`, encode(text, file.encoding));
              }
              repo.git('add', '-A');
              await staged.before();
              repo.commit('change');
            }
            const head = repo.head();
            const range = sortFindings(await cliFindings(repo, ['--range', `${base}..${head}`]));
            const history = sortFindings(await cliFindings(repo, ['--history']));
            const action = sortFindings(await actionFindings(repo, { base, head, commits: commits.length }));
            expect(history).toEqual(range);
            expect(sortFindings(staged.findings())).toEqual(range);
            expect(action).toEqual(range);
          } finally {
            repo.cleanup();
          }
        },
      ),
      { numRuns: 6 },
    );
  }, 300_000);
});

export type { DoorFinding };
