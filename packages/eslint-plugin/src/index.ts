import type { ESLint, Linter } from 'eslint';
import { NAMESPACE, ruleLevels } from './configs.js';
import { PACKAGE } from './package-info.js';
import { rules } from './rules/all.js';

export type { SharedOptions } from './plugin-settings.js';
export type { NoHardcodedKeyOptions } from './rules/no-hardcoded-key.js';
export type { NoKeyInUrlOptions } from './rules/no-key-in-url.js';
export type { NoClientSideKeyOptions } from './rules/no-client-side-key.js';
export type { NoKeyInLogsOptions } from './rules/no-key-in-logs.js';

const { name, version } = PACKAGE;

/**
 * Typed with ESLint's own `ESLint.Plugin` and `Linter.Config` (from the `eslint` peer dependency), not
 * typescript-eslint's, so a TypeScript `eslint.config.ts` can pass the plugin and its configs to `defineConfig`
 * or a `Linter.Config[]` as they are. The typescript-eslint-typed rules are the named export `rules`.
 */
export interface StatalogPlugin extends ESLint.Plugin {
  meta: { name: string; version: string; namespace: string };
  configs: { recommended: Linter.Config; strict: Linter.Config };
}

/**
 * `@statalog/eslint-plugin`. Flat config only: `[statalog.configs.recommended]`, or
 * `{ plugins: { '@statalog': statalog }, extends: ['@statalog/recommended'] }` with `defineConfig`.
 */
const plugin: StatalogPlugin = {
  meta: { name, version, namespace: NAMESPACE },
  rules: rules as unknown as NonNullable<ESLint.Plugin['rules']>,
  configs: {} as StatalogPlugin['configs'],
};

plugin.configs.recommended = {
  name: `${NAMESPACE}/recommended`,
  plugins: { [NAMESPACE]: plugin },
  rules: ruleLevels('recommended'),
};
plugin.configs.strict = { name: `${NAMESPACE}/strict`, plugins: { [NAMESPACE]: plugin }, rules: ruleLevels('strict') };

export { rules };
export default plugin;
