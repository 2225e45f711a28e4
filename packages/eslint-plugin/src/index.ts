import { createRequire } from 'node:module';
import type { TSESLint } from '@typescript-eslint/utils';
import { NAMESPACE, ruleLevels } from './configs.js';
import { rules } from './rules/index.js';

export type { SharedOptions } from './settings.js';
export type { NoHardcodedKeyOptions } from './rules/no-hardcoded-key.js';
export type { NoKeyInUrlOptions } from './rules/no-key-in-url.js';
export type { NoClientSideKeyOptions } from './rules/no-client-side-key.js';
export type { NoKeyInLogsOptions } from './rules/no-key-in-logs.js';

const { name, version } = createRequire(import.meta.url)('../package.json') as { name: string; version: string };

interface StatalogPlugin {
  meta: { name: string; version: string; namespace: string };
  rules: typeof rules;
  configs: { recommended: TSESLint.FlatConfig.Config; strict: TSESLint.FlatConfig.Config };
}

/**
 * `@statalog/eslint-plugin`. Flat config only: `[statalog.configs.recommended]`, or
 * `{ plugins: { '@statalog': statalog }, extends: ['@statalog/recommended'] }` with `defineConfig`.
 */
const plugin: StatalogPlugin = {
  meta: { name, version, namespace: NAMESPACE },
  rules,
  configs: {} as StatalogPlugin['configs'],
};

const flatPlugin = plugin as unknown as TSESLint.FlatConfig.Plugin;
plugin.configs.recommended = { name: `${NAMESPACE}/recommended`, plugins: { [NAMESPACE]: flatPlugin }, rules: ruleLevels('recommended') };
plugin.configs.strict = { name: `${NAMESPACE}/strict`, plugins: { [NAMESPACE]: flatPlugin }, rules: ruleLevels('strict') };

export { rules };
export default plugin;
