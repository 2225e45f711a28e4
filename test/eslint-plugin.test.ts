/**
 * End to end: the real ESLint CLI, 9 and 10, on a fixture project whose flat config imports the built plugin as
 * `@statalog/eslint-plugin` (through the workspace link) and uses both config styles — `statalog.configs.recommended`
 * in the array, and `extends: ['@statalog/strict']` for the server directory.
 */
import { cpSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { DOC_EXAMPLE_KEY } from '@statalog/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cloudKeysUnder,
  ESLINT_MAJORS,
  type EslintMajor,
  type Finding,
  parseJsonFindings,
  requirePluginBuilt,
  runEslint,
} from './helpers/eslint.js';
import { cloudKey } from './helpers/keys.js';
import { REPO_ROOT } from './helpers/paths.js';
import { tempDir } from './helpers/tmp.js';

const FIXTURE = join(REPO_ROOT, 'fixtures/eslint-project');
const majors = Object.keys(ESLINT_MAJORS).map(Number) as EslintMajor[];

/** file, start-end, rule, messageId, number of suggestions — every finding, in ESLint's order. */
const EXPECTED = [
  'app/dashboard/page.tsx 3:13-3:53 no-client-side-key publicEnv 0',
  // one report per key: in browser words, without the environment suggestion
  'app/dashboard/page.tsx 8:31-8:98 no-hardcoded-key cloudKeyInClient 0',
  'public/embed.jsx 3:27-3:92 no-client-side-key directRequest 0',
  'server/pages.ts 6:62-6:74 no-key-in-url keyInUrl 1',
  'server/pages.ts 16:39-16:46 require-https plainHttp 1',
  'server/statalog-client.js 3:21-3:28 require-https plainHttp 1',
  'server/statalog-client.js 15:40-15:43 no-key-in-logs keyInLog 0',
  'server/statalog-client.js 16:55-16:63 no-key-in-url keyInUrl 1',
  'src/components/Stats.client.tsx 13:5-15:7 no-client-side-key directRequest 0',
  'src/components/Stats.client.tsx 14:43-14:71 no-client-side-key keyInBrowser 0',
  'src/config.js 3:19-3:45 no-hardcoded-key communityKey 1',
  'src/config.js 6:52-6:78 no-hardcoded-key communityKey 1',
  'src/lib/statalog.ts 6:23-6:90 no-hardcoded-key cloudKey 1',
  'src/lib/statalog.ts 8:26-8:44 no-hardcoded-key cloudKey 1',
];

const summary = (f: Finding): string =>
  `${f.file} ${f.line}:${f.column}-${f.endLine}:${f.endColumn} ${f.ruleId?.replace('@statalog/', '')} ${f.messageId} ${f.suggestions.length}`;

/** The secrets the fixture holds: its cloud keys and its Community key value. */
function fixtureSecrets(): string[] {
  const community = /statalogApiKey: '([^']+)'/.exec(readFileSync(join(FIXTURE, 'src/config.js'), 'utf8'))?.[1];
  if (!community) throw new Error('fixtures/eslint-project/src/config.js: no Community key value');
  return [...cloudKeysUnder(FIXTURE).filter((k) => k !== DOC_EXAMPLE_KEY), community];
}

beforeAll(() => {
  requirePluginBuilt();
});

describe.each(majors)('ESLint %i on fixtures/eslint-project', (major) => {
  it('runs the expected major', () => {
    const version = runEslint(major, FIXTURE, ['--version']);
    expect(version.stdout.trim()).toMatch(new RegExp(`^v${major}\\.`));
  });

  it('reports exactly the expected findings, exit code 1', () => {
    const run = runEslint(major, FIXTURE, ['--format', 'json', '.']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
    expect(parseJsonFindings(run.stdout, FIXTURE).map(summary)).toEqual(EXPECTED);
  });

  it('never puts a full key in a message or a suggestion, and says why in full sentences', () => {
    const secrets = fixtureSecrets();
    expect(secrets.length).toBeGreaterThanOrEqual(3);
    const findings = parseJsonFindings(runEslint(major, FIXTURE, ['--format', 'json', '.']).stdout, FIXTURE);
    for (const finding of findings) {
      for (const text of [finding.message, ...finding.suggestions]) {
        for (const secret of secrets) expect(text.includes(secret), `${summary(finding)} quotes a secret`).toBe(false);
        expect(text).not.toMatch(/st_[0-9a-f]{64}/);
        expect(text).toMatch(/\.$/);
      }
    }
    // the masked form is what a cloud-key message shows
    const cloud = findings.find((f) => f.messageId === 'cloudKey' && f.file === 'src/lib/statalog.ts');
    expect(cloud?.message).toMatch(/^Statalog Cloud API key st_[0-9a-f]{4}…[0-9a-f]{4} is written in plain text/);
  });

  it('prints no key in the default (stylish) output either', () => {
    const run = runEslint(major, FIXTURE, ['.']);
    expect(run.status).toBe(1);
    for (const secret of fixtureSecrets()) expect(run.stdout.includes(secret)).toBe(false);
    expect(run.stdout).toMatch(/14 problems \(14 errors, 0 warnings\)/);
  });
});

describe.each(majors)('ESLint %i on a fresh project with the strict config', (major) => {
  let dir: string;
  const key = cloudKey();

  beforeAll(() => {
    dir = tempDir('statalog-eslint-');
    // resolve eslint, the parser and @statalog/eslint-plugin from the workspace, as an installed project would
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
    writeFileSync(
      join(dir, 'eslint.config.js'),
      "import statalog from '@statalog/eslint-plugin';\nexport default [statalog.configs.strict];\n",
    );
    cpSync(join(FIXTURE, 'server/statalog-client.js'), join(dir, 'client.js'));
    writeFileSync(
      join(dir, 'widget.client.js'),
      [
        `const key = '${key}';`,
        'export const load = (site) => fetch(`https://app.statalog.com/api/v1/stats?site_id=${site}&api_key=${key}`);',
        "console.info('statalog', key);",
        'export const ok = () => fetch("/api/stats");',
        '',
      ].join('\n'),
    );
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // tsc on a busy 2-core machine takes 30–70 s: more than the default test timeout when the full suite runs
  it.runIf(major === 9)(
    "types: the plugin and its configs fit ESLint's own defineConfig, Linter.Config and ESLint.Plugin",
    { timeout: 180_000 },
    () => {
      writeFileSync(
        join(dir, 'config-types.ts'),
        [
          "import { defineConfig } from 'eslint/config';",
          "import type { ESLint, Linter } from 'eslint';",
          "import statalog from '@statalog/eslint-plugin';",
          'export const spread = defineConfig([statalog.configs.recommended, statalog.configs.strict]);',
          "export const extended = defineConfig([{ plugins: { '@statalog': statalog }, extends: ['@statalog/recommended'] }]);",
          'export const list: Linter.Config[] = [statalog.configs.recommended];',
          'export const plugin: ESLint.Plugin = statalog;',
          '',
        ].join('\n'),
      );
      const tsc = spawnSync(
        process.execPath,
        [
          join(REPO_ROOT, 'node_modules/typescript/bin/tsc'),
          '--noEmit',
          '--strict',
          '--module',
          'nodenext',
          '--moduleResolution',
          'nodenext',
          '--types',
          'node',
          'config-types.ts',
        ],
        { cwd: dir, encoding: 'utf8' },
      );
      expect(tsc.stdout + tsc.stderr).toBe('');
      expect(tsc.status).toBe(0);
    },
  );

  it('reports every rule, with the masked key only', () => {
    const run = runEslint(major, dir, ['--format', 'json', '.']);
    expect(run.status).toBe(1);
    const findings = parseJsonFindings(run.stdout, dir);
    expect(findings.map(summary)).toEqual([
      'client.js 3:21-3:28 require-https plainHttp 1',
      'client.js 15:40-15:43 no-key-in-logs keyInLog 0',
      'client.js 16:55-16:63 no-key-in-url keyInUrl 1',
      'widget.client.js 1:14-1:81 no-hardcoded-key cloudKeyInClient 0',
      'widget.client.js 2:31-2:108 no-client-side-key directRequest 0',
      'widget.client.js 2:92-2:100 no-key-in-url keyInUrl 1',
      'widget.client.js 3:26-3:29 no-key-in-logs keyInLog 0',
    ]);
    for (const f of findings) expect(f.message.includes(key)).toBe(false);
    expect(findings[3]!.message).toContain(`${key.slice(0, 7)}…${key.slice(-4)}`);
    expect(findings[3]!.message).toMatch(
      /^Statalog Cloud API key st_[0-9a-f]{4}…[0-9a-f]{4} is written in browser code: /,
    );
  });
});
