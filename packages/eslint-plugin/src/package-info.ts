import { createRequire } from 'node:module';

/** package.json's name and version, written into the bundle by scripts/bundle-plugin.mjs. */
declare const STATALOG_PLUGIN_PACKAGE: { name: string; version: string } | undefined;

/**
 * The plugin's name and version (`meta`, the docs URLs). The bundle has them written in; tsc's output reads
 * package.json, by the package's own name (a path relative to this file would differ between the two builds).
 */
export const PACKAGE: { name: string; version: string } =
  typeof STATALOG_PLUGIN_PACKAGE === 'object'
    ? STATALOG_PLUGIN_PACKAGE
    : (createRequire(import.meta.url)('@statalog/eslint-plugin/package.json') as { name: string; version: string });
