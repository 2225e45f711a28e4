import { spawnSync } from 'node:child_process';
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { findCommunityKeys } from '@statalog/core';
import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';
import plugin, { rules as pluginRules } from '../src/index.js';
import { DOCS_BASE } from '../src/create-rule.js';
import { isFlagName, isKeyName, isPublicKeyName, DEFAULT_PUBLIC_PREFIXES } from '../src/ast/names.js';
import { inProject } from './support.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(`${packageDir}package.json`, 'utf8')) as { name: string; version: string };
const readme = readFileSync(fileURLToPath(new URL('../../../README.md', import.meta.url)), 'utf8');
const ruleNames = Object.keys(plugin.rules ?? {});
type AnyRule = (typeof pluginRules)[keyof typeof pluginRules];
const rules: Record<string, AnyRule> = pluginRules;

describe('plugin object', () => {
  it('has meta with the package name, version and the @statalog namespace', () => {
    expect(plugin.meta).toEqual({ name: pkg.name, version: pkg.version, namespace: '@statalog' });
  });

  it('has the five rules', () => {
    expect(ruleNames.sort()).toEqual([
      'no-client-side-key',
      'no-hardcoded-key',
      'no-key-in-logs',
      'no-key-in-url',
      'require-https',
    ]);
  });

  it.each(['recommended', 'strict'] as const)(
    'configs.%s is one named flat config registering the plugin under @statalog',
    (name) => {
      const config = plugin.configs[name];
      expect(config.name).toBe(`@statalog/${name}`);
      expect(config.plugins?.['@statalog']).toBe(plugin);
      expect(Array.isArray(config)).toBe(false);
    },
  );

  it('strict holds every rule, recommended the ones marked recommended, and every configured rule exists', () => {
    const strict = Object.keys(plugin.configs.strict.rules ?? {});
    const recommended = Object.keys(plugin.configs.recommended.rules ?? {});
    expect(strict.sort()).toEqual(ruleNames.map((n) => `@statalog/${n}`).sort());
    expect(recommended.sort()).toEqual(
      ruleNames
        .filter((n) => rules[n]!.meta.docs?.recommended)
        .map((n) => `@statalog/${n}`)
        .sort(),
    );
    for (const id of [...strict, ...recommended]) expect(ruleNames).toContain(id.replace('@statalog/', ''));
    expect(recommended).not.toContain('@statalog/no-key-in-logs');
  });
});

describe.each(ruleNames)('rule %s', (name) => {
  const rule = rules[name]!;
  const doc = `${packageDir}docs/rules/${name}.md`;

  it('links a doc page that exists and covers what, why, examples, options and when not to use it', () => {
    expect(rule.meta.docs?.url).toBe(`${DOCS_BASE}${name}.md`);
    // pinned to the release tag of this version, not to main
    expect(DOCS_BASE).toBe(
      `https://github.com/statalog/key-guard/blob/@statalog/eslint-plugin@${pkg.version}/packages/eslint-plugin/docs/rules/`,
    );
    expect(existsSync(doc)).toBe(true);
    const text = readFileSync(doc, 'utf8');
    expect(text).toContain(`(\`@statalog/${name}\`)`);
    for (const part of [
      '## Rule details',
      'Examples of **incorrect** code',
      'Examples of **correct** code',
      '## Options',
      '## When not to use it',
    ]) {
      expect(text).toContain(part);
    }
    const configs = rule.meta.docs?.recommended ? '`recommended`, `strict`' : '`strict`';
    expect(text).toContain(`In configs: ${configs}.`);
  });

  it('is in the README table', () => {
    expect(readme).toContain(`[\`@statalog/${name}\`](packages/eslint-plugin/docs/rules/${name}.md)`);
  });

  it('has a description, default options and a schema whose every option is described', () => {
    expect(rule.meta.docs?.description).toMatch(/^[A-Z].+\.$/);
    expect(rule.meta.defaultOptions).toHaveLength(1);
    const schema = rule.meta.schema as Array<{
      properties: Record<string, { description?: string }>;
      additionalProperties: boolean;
    }>;
    expect(schema).toHaveLength(1);
    expect(schema[0]!.additionalProperties).toBe(false);
    for (const [option, property] of Object.entries(schema[0]!.properties)) {
      expect(property.description, option).toMatch(/^[A-Z].{20,}\.$/);
    }
  });

  it('has messages that are full sentences and show keys only through the masked placeholder', () => {
    for (const message of Object.values(rule.meta.messages as Record<string, string>)) {
      expect(message).toMatch(/^(?:[A-Z]|\{\{)[\s\S]+\.$/);
      expect(message).not.toMatch(/st_[0-9a-f]{8}/);
    }
  });

  it('has messages whose first sentence fits 160 characters and that speak of the bundle, not the page source', () => {
    // the longest values the placeholders take in practice
    const sample: Record<string, string> = {
      name: 'NEXT_PUBLIC_STATALOG_API_KEY',
      masked: 'st_a3f8…f6a8',
      place: 'browser code',
      exposure: "anyone can read it from the site's JavaScript or the network panel",
      callee: 'this.logger.debug',
      what: 'headers (from process.env.STATALOG_API_KEY)',
      host: 'stats.example.com:8443',
      replacement: 'process.env.STATALOG_API_KEY',
    };
    for (const [id, message] of Object.entries(rule.meta.messages as Record<string, string>)) {
      const text = message.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, key: string) => sample[key] ?? 'x');
      const first = /^.*?[.!?](?=\s|$)/.exec(text.replace(/st_a3f8…f6a8/g, 'st_xxxx'))?.[0] ?? text;
      expect(first.length, `${id}: ${first}`).toBeLessThanOrEqual(160);
      expect(message).not.toMatch(/page source/);
    }
  });

  it('reports through suggestions only, never autofixes', () => {
    expect(rule.meta.fixable).toBeUndefined();
  });
});

describe('start-up', () => {
  it('loads nothing heavy: no typescript, no ESLint, no typescript-eslint scope manager or AST tables', () => {
    // the built plugin, as `import('@statalog/eslint-plugin')` loads it in a user's eslint.config.js (the bundle)
    const script = [
      "import { createRequire } from 'node:module';",
      "await import('@statalog/eslint-plugin');",
      'const loaded = Object.keys(createRequire(import.meta.url).cache);',
      'console.log(JSON.stringify(loaded));',
    ].join('\n');
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    const loaded = JSON.parse(run.stdout) as string[];
    expect(loaded.some((path) => path.includes('@typescript-eslint/utils'))).toBe(true); // rule creation, kept
    for (const heavy of [
      '/node_modules/typescript/',
      '/node_modules/eslint/',
      '@typescript-eslint/scope-manager',
      '@typescript-eslint/types',
      '/node_modules/ajv/',
    ]) {
      expect(
        loaded.filter((path) => path.includes(heavy)),
        heavy,
      ).toEqual([]);
    }
  });
});

describe('shared settings', () => {
  const lint = (settings: unknown): Linter.LintMessage[] =>
    new Linter().verify(
      'const x = process.env.STATALOG_API_KEY;',
      [{ ...plugin.configs.strict, settings: { statalog: settings } }] as Linter.Config[],
      inProject('plain', 'src/x.js'),
    );

  it('are checked, and a wrong type fails naming the setting', () => {
    expect(() => lint({ selfHostedHosts: 'stats.example.com' })).toThrow(
      /settings\.statalog\.selfHostedHosts must be an array of non-empty strings\./,
    );
    expect(() => lint({ browserGlobals: 'yes' })).toThrow(/settings\.statalog\.browserGlobals must be true or false\./);
    expect(() => lint('nope')).toThrow(/settings\.statalog must be an object\./);
    // a misspelt setting would otherwise be ignored without a word
    expect(() => lint({ clientFile: ['web/**'] })).toThrow(
      /settings\.statalog\.clientFile is not a setting of @statalog\/eslint-plugin; the settings are selfHostedHosts, envVarNames, clientFiles, serverFiles, browserGlobals\./,
    );
    expect(lint({ selfHostedHosts: ['stats.example.com'], clientFiles: ['web/**'] })).toEqual([]);
  });

  it('per-rule options are validated by the schema', () => {
    const config = {
      ...plugin.configs.recommended,
      rules: { '@statalog/no-hardcoded-key': ['error', { checkComment: true }] },
    };
    expect(() => new Linter().verify('x', [config] as Linter.Config[], 'a.js')).toThrow(
      /should NOT have additional properties|must NOT have additional properties/,
    );
  });
});

describe('key names', () => {
  // the plugin reads names from the AST; the core reads them from text — they must agree
  const names = [
    'STATALOG_API_KEY',
    'statalog_api_key',
    'statalogApiKey',
    'StatalogApiKey',
    'STATALOG_KEY',
    'statalogKey',
    'NEXT_PUBLIC_STATALOG_API_KEY',
    'myStatalogApiKey',
    'STATALOG_API_KEY_FILE',
    'statalogApiKeyId',
    'STATALOG_SITE_ID',
    'statalog',
    'API_KEY',
    'STATALOG_URL',
  ];
  it.each(names)('%s is a key name exactly when the core reads its value as a Community key', (name) => {
    const core = findCommunityKeys(`${name}="c0ffee-value-9182736450"`, 'config').length > 0;
    expect(isKeyName(name, new Set())).toBe(core);
  });

  it('flags about the key are not the key; names that merely start like a flag are', () => {
    for (const name of [
      'hasStatalogKey',
      'isStatalogKeySet',
      'HAS_STATALOG_KEY',
      'showStatalogApiKey',
      'useStatalogKey',
    ])
      expect(isFlagName(name), name).toBe(true);
    for (const name of [
      'userStatalogKey',
      'issuerStatalogKey',
      'statalogApiKey',
      'STATALOG_API_KEY',
      'canaryStatalogKey',
    ])
      expect(isFlagName(name), name).toBe(false);
  });

  it('public key names need a public prefix and a secret word; site IDs are public', () => {
    const yes = [
      'NEXT_PUBLIC_STATALOG_API_KEY',
      'VITE_STATALOG_KEY',
      'REACT_APP_STATALOG_TOKEN',
      'PUBLIC_STATALOG_SECRET',
      'GATSBY_STATALOG_APIKEY',
    ];
    const no = [
      'NEXT_PUBLIC_STATALOG_SITE_ID',
      'STATALOG_API_KEY',
      'VITE_STATALOG_KEYWORDS',
      'VITE_API_KEY',
      'NEXT_PUBLIC_STATALOG_URL',
    ];
    for (const name of yes) expect(isPublicKeyName(name, DEFAULT_PUBLIC_PREFIXES, new Set()), name).toBe(true);
    for (const name of no) expect(isPublicKeyName(name, DEFAULT_PUBLIC_PREFIXES, new Set()), name).toBe(false);
  });
});
