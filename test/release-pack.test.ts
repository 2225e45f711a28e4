// How a user meets the project for the first time: the published packages, packed as `npm publish` would pack them,
// installed from their tarballs into a fresh project outside this monorepo (registry dependencies only, no workspace
// links), then used there: the `statalog-scan` bin, the real `eslint` CLI (9 and 10) with the plugin's recommended
// config from an ESM and a CommonJS config file, and TypeScript resolving the packages' types.
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPlaceholderCloudKey, mask } from '@statalog/core';
import { userEnv } from './helpers/env.js';
import { cloudKey } from './helpers/keys.js';
import { REPO_ROOT } from './helpers/paths.js';
import type { RunResult } from './helpers/process.js';
import {
  describeRun,
  externalPackageName,
  importSpecifiers,
  intendedFiles,
  listFiles,
  type PackResult,
  parsePackJson,
  PUBLISHED,
  readPackageJson,
  relativeAssetReferences,
  run,
} from './helpers/release.js';
import { tempDir } from './helpers/tmp.js';

const INSTALL_TIMEOUT = 600_000;
const STEP_TIMEOUT = 120_000;

function freshCloudKey(): string {
  for (;;) {
    const key = cloudKey();
    if (!isPlaceholderCloudKey(key)) return key;
  }
}

interface EslintMessage {
  ruleId: string | null;
  message: string;
  line: number;
  fatal?: boolean;
}

function eslintMessages(result: RunResult): EslintMessage[] {
  const report = JSON.parse(result.stdout) as { messages: EslintMessage[] }[];
  return report.flatMap((file) => file.messages);
}

describe('the published packages, installed from their tarballs into a fresh project', () => {
  const key = freshCloudKey();
  const masked = mask(key);
  let work = '';
  let project = '';
  let packs: PackResult[] = [];

  const installed = (name: string) => join(project, 'node_modules', name);
  const packOf = (name: string) => {
    const pack = packs.find((p) => p.name === name);
    if (!pack) throw new Error(`npm pack produced no tarball for ${name}`);
    return pack;
  };
  // `--no`: never fetch a missing bin from the registry; `--`: the rest are the bin's own arguments, not npx's.
  const npx = (args: string[], env: Record<string, string> = {}) =>
    run('npx', ['--no', '--', ...args], project, userEnv(env));
  const expectNoKey = (result: RunResult) => {
    expect(result.stdout).not.toContain(key);
    expect(result.stderr).not.toContain(key);
  };

  beforeAll(async () => {
    work = tempDir('statalog-release-');
    const tarballs = join(work, 'tarballs');
    project = join(work, 'project');
    mkdirSync(tarballs);
    mkdirSync(project);

    const pack = await run(
      'npm',
      [
        'pack',
        '--json',
        '--pack-destination',
        tarballs,
        ...PUBLISHED.flatMap((p) => ['--workspace', `packages/${p.dir}`]),
      ],
      REPO_ROOT,
    );
    if (pack.code !== 0) throw new Error(describeRun('npm pack', pack));
    packs = parsePackJson(pack.stdout);

    writeFileSync(
      join(project, 'package.json'),
      `${JSON.stringify({ name: 'statalog-first-contact', version: '0.0.0', private: true, type: 'module' }, null, 2)}\n`,
    );
    const files: Record<string, string> = {
      'scan-tree/dirty/app.js': `// settings\nconst token = '${key}';\nexport default token;\n`,
      'scan-tree/clean/app.js': `const token = process.env.STATALOG_API_KEY;\nconst site = 'ST-A1B2C3';\nexport { token, site };\n`,
      'lint/leak.js': `export const token = '${key}';\n`,
      'eslint.config.mjs': `import statalog from '@statalog/eslint-plugin';\n\nexport default [statalog.configs.recommended];\n`,
      // require() of an ES module works from Node.js 20.19 on and returns the module namespace: the plugin is its default.
      'eslint.config.cjs': `const statalog = require('@statalog/eslint-plugin').default;\n\nmodule.exports = [statalog.configs.recommended];\n`,
      'consumer.ts': [
        `import { mask } from '@statalog/core';`,
        `import statalog from '@statalog/eslint-plugin';`,
        `import * as scan from '@statalog/scan';`,
        `export const show = (secret: string): string => mask(secret);`,
        `export const config = [statalog.configs.recommended];`,
        `export const scanApi = Object.keys(scan);`,
        '',
      ].join('\n'),
      'tsconfig.json': JSON.stringify({
        compilerOptions: {
          module: 'nodenext',
          moduleResolution: 'nodenext',
          target: 'es2022',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: [],
        },
        files: ['consumer.ts'],
      }),
    };
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(dirname(join(project, file)), { recursive: true });
      writeFileSync(join(project, file), text);
    }

    // One install: the three tarballs (the core tarball stands in for the registry's copy of @statalog/core, which the
    // other two depend on by range), ESLint 9 as the plugin's peer, and ESLint 10 beside it under an alias.
    const install = await run(
      'npm',
      [
        'install',
        '--no-audit',
        '--no-fund',
        '--prefer-offline',
        '--loglevel=error',
        ...PUBLISHED.map((p) => join(tarballs, packOf(p.name).filename)),
        'eslint@9',
        'eslint10@npm:eslint@10',
      ],
      project,
    );
    if (install.code !== 0) throw new Error(describeRun('npm install', install));
  }, INSTALL_TIMEOUT);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('installs outside the monorepo, with the core from its tarball and no workspace links', () => {
    expect(relative(REPO_ROOT, project).startsWith('..')).toBe(true);
    const lock = JSON.parse(readFileSync(join(project, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { resolved?: string; link?: boolean }>;
    };
    const cores = Object.entries(lock.packages).filter(([path]) => path.endsWith('node_modules/@statalog/core'));
    expect(cores.map(([path]) => path)).toEqual(['node_modules/@statalog/core']);
    expect(cores[0]![1].resolved).toMatch(/^file:/);
    for (const { name } of PUBLISHED) expect(lock.packages[`node_modules/${name}`]?.link).toBeUndefined();
  });

  // An `extra` entry under dist/ with no source is stale output of a deleted module: `rm -rf packages/*/dist && npx tsc -b`.
  it.each(PUBLISHED)('the $name tarball holds exactly the intended files', (pkg) => {
    const packed = packOf(pkg.name).files.map((file) => file.path);
    const intended = intendedFiles(pkg);
    expect({
      missing: intended.filter((file) => !packed.includes(file)),
      extra: packed.filter((file) => !intended.includes(file)),
    }).toEqual({ missing: [], extra: [] });
  });

  it.each(PUBLISHED)('$name carries complete release metadata', (pkg) => {
    const manifest = JSON.parse(readFileSync(join(installed(pkg.name), 'package.json'), 'utf8')) as Record<
      string,
      unknown
    > & {
      repository: { url: string; directory: string };
      exports: Record<string, { types?: string }>;
      dependencies?: Record<string, string>;
    };
    for (const field of [
      'name',
      'version',
      'description',
      'license',
      'repository',
      'keywords',
      'engines',
      'exports',
      'files',
      'publishConfig',
    ]) {
      expect(manifest, field).toHaveProperty(field);
    }
    expect(manifest.license).toBe('MIT');
    expect(manifest.engines).toEqual({ node: '>=20.19' });
    expect(manifest.repository.directory).toBe(`packages/${pkg.dir}`);
    expect(manifest.publishConfig).toEqual({ access: 'public' });
    expect(manifest.exports['.']?.types).toMatch(/\.d\.ts$/);
    if (pkg.name !== '@statalog/core')
      expect(manifest.dependencies?.['@statalog/core']).toBe(`^${packOf('@statalog/core').version}`);
    if (pkg.name === '@statalog/eslint-plugin') {
      expect(manifest.keywords).toEqual(expect.arrayContaining(['eslint', 'eslintplugin', 'eslint-plugin']));
      // the template parsers are optional peers: without them the rules still check scripts
      expect(manifest.peerDependencies).toEqual({
        eslint: '^9.0.0 || ^10.0.0',
        'svelte-eslint-parser': '^1.0.0',
        'vue-eslint-parser': '^10.0.0',
      });
      expect(manifest['peerDependenciesMeta']).toEqual({
        'svelte-eslint-parser': { optional: true },
        'vue-eslint-parser': { optional: true },
      });
    }
    expect(readFileSync(join(installed(pkg.name), 'LICENSE'), 'utf8')).toBe(
      readFileSync(join(REPO_ROOT, 'LICENSE'), 'utf8'),
    );
  });

  it.each(PUBLISHED)('everything $name points at is in it: exports, bin, source maps, imports', (pkg) => {
    const dir = installed(pkg.name);
    const manifest = readPackageJson(dir);
    const targets = [manifest.main, manifest.types, ...Object.values(manifest.bin ?? {})];
    const collect = (value: unknown): void => {
      if (typeof value === 'string') targets.push(value);
      else if (value && typeof value === 'object') Object.values(value).forEach(collect);
    };
    collect(manifest.exports);
    for (const target of targets.filter((t): t is string => t !== undefined)) {
      expect(existsSync(join(dir, target)), `${pkg.name}: ${target}`).toBe(true);
    }

    const files = listFiles(dir, 'dist');
    for (const map of files.filter((file) => file.endsWith('.map'))) {
      const { sources, sourceRoot = '' } = JSON.parse(readFileSync(join(dir, map), 'utf8')) as {
        sources: string[];
        sourceRoot?: string;
      };
      for (const source of sources) {
        const path = resolve(dir, dirname(map), sourceRoot, source);
        expect(relative(dir, path).startsWith('..'), `${pkg.name}/${map} → ${source} leaves the package`).toBe(false);
        expect(existsSync(path), `${pkg.name}/${map} → ${source}`).toBe(true);
      }
    }

    // A dependency that only the monorepo root provides works in the workspace and breaks for users.
    const allowed = new Set([
      pkg.name,
      ...Object.keys(manifest.dependencies ?? {}),
      ...Object.keys(manifest.peerDependencies ?? {}),
    ]);
    for (const file of [...files, ...listFiles(dir, 'bin')].filter((f) => /\.[cm]?js$/.test(f))) {
      const js = readFileSync(join(dir, file), 'utf8');
      for (const asset of relativeAssetReferences(js)) {
        expect(existsSync(resolve(dir, dirname(file), asset)), `${pkg.name}/${file} loads ${asset}`).toBe(true);
      }
      for (const specifier of importSpecifiers(js)) {
        const external = externalPackageName(specifier);
        if (external)
          expect(allowed.has(external), `${pkg.name}/${file} imports ${specifier}, not a dependency`).toBe(true);
        else if (specifier.startsWith('.')) {
          expect(existsSync(resolve(dir, dirname(file), specifier)), `${pkg.name}/${file} imports ${specifier}`).toBe(
            true,
          );
        }
      }
    }
  });

  it('ships the statalog-scan bin as an executable with a node shebang', () => {
    const shim = packOf('@statalog/scan').files.find((file) => file.path === 'bin/statalog-scan.js');
    expect(shim && shim.mode & 0o111).toBeTruthy();
    const installedShim = join(installed('@statalog/scan'), 'bin/statalog-scan.js');
    expect(readFileSync(installedShim, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
    expect(statSync(installedShim).mode & 0o111).not.toBe(0);
    expect(existsSync(join(project, 'node_modules/.bin/statalog-scan'))).toBe(true);
  });

  it(
    'npx statalog-scan --version prints the packed version',
    async () => {
      const result = await npx(['statalog-scan', '--version']);
      expect(result.code, describeRun('statalog-scan --version', result)).toBe(0);
      expect(result.stdout).toContain(packOf('@statalog/scan').version);
    },
    STEP_TIMEOUT,
  );

  it(
    'npx statalog-scan finds the key, shows it masked and exits 1',
    async () => {
      const text = await npx(['statalog-scan', 'scan-tree/dirty']);
      expect(text.code, describeRun('statalog-scan', text)).toBe(1);
      expect(text.stdout).toContain(masked);
      expectNoKey(text);

      // two threads even for one file, so that the worker module is loaded from the installed package too
      const json = await npx(['statalog-scan', '--format', 'json', 'scan-tree/dirty'], { STATALOG_SCAN_THREADS: '2' });
      expect(json.code, describeRun('statalog-scan --format json', json)).toBe(1);
      const { findings } = JSON.parse(json.stdout) as {
        findings: { ruleId: string; file: string; line: number; masked: string }[];
      };
      expect(findings).toEqual([
        expect.objectContaining({ ruleId: 'cloud-key', file: 'scan-tree/dirty/app.js', line: 2, masked }),
      ]);
      expectNoKey(json);
    },
    STEP_TIMEOUT,
  );

  it(
    'npx statalog-scan exits 0 on a tree without a key',
    async () => {
      const result = await npx(['statalog-scan', 'scan-tree/clean']);
      expect(result.code, describeRun('statalog-scan', result)).toBe(0);
    },
    STEP_TIMEOUT,
  );

  const expectHardcodedKeyReport = (result: RunResult, label: string) => {
    expect(result.code, describeRun(label, result)).toBe(1);
    const messages = eslintMessages(result);
    expect(messages).toEqual([expect.objectContaining({ ruleId: '@statalog/no-hardcoded-key', line: 1 })]);
    expect(messages[0]!.message).toContain(masked);
    expect(JSON.stringify(messages)).not.toContain(key); // the JSON formatter also echoes the file's source; messages must not
    expect(result.stderr).not.toContain(key);
  };

  it(
    'eslint 9 with the recommended config from eslint.config.mjs reports the key',
    async () => {
      const result = await npx(['eslint', '--format', 'json', 'lint/leak.js']);
      expectHardcodedKeyReport(result, 'eslint 9 (ESM config)');
    },
    STEP_TIMEOUT,
  );

  it(
    'eslint 9 with the recommended config from eslint.config.cjs (require of the ESM plugin) reports the key',
    async () => {
      const result = await npx(['eslint', '--config', 'eslint.config.cjs', '--format', 'json', 'lint/leak.js']);
      expectHardcodedKeyReport(result, 'eslint 9 (CommonJS config)');
    },
    STEP_TIMEOUT,
  );

  it(
    'eslint 10 with the same configs reports the key',
    async () => {
      const eslint10 = join(project, 'node_modules/eslint10/bin/eslint.js');
      for (const config of ['eslint.config.mjs', 'eslint.config.cjs']) {
        const result = await run(
          process.execPath,
          [eslint10, '--config', config, '--format', 'json', 'lint/leak.js'],
          project,
        );
        expectHardcodedKeyReport(result, `eslint 10 (${config})`);
      }
    },
    STEP_TIMEOUT,
  );

  it(
    'the plugin is the same object through import and require, with the packed version in its meta',
    async () => {
      const describePlugin = (p: string) =>
        `console.log(JSON.stringify({ meta: ${p}.meta, rules: Object.keys(${p}.rules).sort(), configs: Object.keys(${p}.configs).sort() }))`;
      const esm = await run(
        process.execPath,
        ['--input-type=module', '-e', `import p from '@statalog/eslint-plugin'; ${describePlugin('p')}`],
        project,
      );
      const cjs = await run(
        process.execPath,
        ['--input-type=commonjs', '-e', `const p = require('@statalog/eslint-plugin').default; ${describePlugin('p')}`],
        project,
      );
      expect(esm.code, describeRun('import', esm)).toBe(0);
      expect(cjs.code, describeRun('require', cjs)).toBe(0);
      const plugin = JSON.parse(esm.stdout) as { meta: { name: string; version: string }; configs: string[] };
      expect(JSON.parse(cjs.stdout)).toEqual(plugin);
      expect(plugin.meta).toMatchObject({
        name: '@statalog/eslint-plugin',
        version: packOf('@statalog/eslint-plugin').version,
      });
      expect(plugin.configs).toEqual(expect.arrayContaining(['recommended', 'strict']));
    },
    STEP_TIMEOUT,
  );

  it(
    'TypeScript resolves every package and its types through exports',
    async () => {
      const tsc = join(REPO_ROOT, 'node_modules/typescript/bin/tsc');
      const result = await run(process.execPath, [tsc, '-p', join(project, 'tsconfig.json')], project);
      expect(result.code, describeRun('tsc', result)).toBe(0);
    },
    STEP_TIMEOUT,
  );
});
