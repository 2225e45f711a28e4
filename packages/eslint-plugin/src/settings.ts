import { normaliseHost } from '@statalog/core';
import picomatch from 'picomatch';
import type { JSONSchema4 } from '@typescript-eslint/utils/json-schema';
import type { TSESLint } from '@typescript-eslint/utils';

/**
 * Options every rule shares. They can be set once for all rules under `settings.statalog`, or per rule;
 * a per-rule value replaces the setting of the same name, and the setting replaces the built-in default.
 */
export interface SharedOptions {
  /** Hosts of self-hosted Statalog installations (`stats.example.com`, `stats.example.com:8443`). */
  selfHostedHosts?: string[];
  /** Environment variables that hold the key besides the STATALOG_API_KEY spellings (`ANALYTICS_API_KEY`). */
  envVarNames?: string[];
  /** Globs (relative to the ESLint working directory) of files that run in the browser. */
  clientFiles?: string[];
  /** Globs of files that only run on the server; they win over `clientFiles`. */
  serverFiles?: string[];
  /** Also treat a file as browser code when its ESLint config declares the browser globals (`window`, `document`). */
  browserGlobals?: boolean;
}

export const DEFAULT_CLIENT_FILES: readonly string[] = ['**/*.client.*', '**/client/**', '**/public/**'];
export const DEFAULT_SERVER_FILES: readonly string[] = ['**/*.server.*', '**/api/**', '**/server/**'];

const stringList = (description: string): JSONSchema4 => ({
  type: 'array',
  items: { type: 'string', minLength: 1 },
  uniqueItems: true,
  description,
});

/** JSON schema of the shared options, merged into every rule's options object. */
export const SHARED_OPTION_SCHEMA: Record<keyof SharedOptions, JSONSchema4> = {
  selfHostedHosts: stringList(
    'Hosts of self-hosted Statalog installations (host or host:port, a URL is accepted too). Defaults to settings.statalog.selfHostedHosts.',
  ),
  envVarNames: stringList(
    'Environment variable names that hold the Statalog API key besides STATALOG_API_KEY and its spellings. Defaults to settings.statalog.envVarNames.',
  ),
  clientFiles: stringList(
    'Glob patterns of browser files, relative to the ESLint working directory. Defaults to settings.statalog.clientFiles, then **/*.client.*, **/client/**, **/public/**.',
  ),
  serverFiles: stringList(
    'Glob patterns of server-only files; they win over clientFiles. Defaults to settings.statalog.serverFiles, then **/*.server.*, **/api/**, **/server/**.',
  ),
  browserGlobals: {
    type: 'boolean',
    description:
      'Treat a file as browser code when its ESLint config declares the browser globals window or document. Defaults to settings.statalog.browserGlobals, then false.',
  },
};

/** The shared options resolved for one rule in one configuration, with the matchers compiled. */
export interface Shared {
  /** Normalised `host` or `host:port` entries, as the core's URL test wants them. */
  selfHostedHosts: readonly string[];
  envVarNames: ReadonlySet<string>;
  isClientPath(relativePath: string): boolean;
  isServerPath(relativePath: string): boolean;
  clientFiles: readonly string[];
  serverFiles: readonly string[];
  browserGlobals: boolean;
}

const SHARED_KEYS = Object.keys(SHARED_OPTION_SCHEMA) as Array<keyof SharedOptions>;
const EMPTY: Record<string, unknown> = {};

/** Compiling globs and validating settings once per configuration, not once per file and rule. */
const cache = new WeakMap<object, Map<string, Shared>>();

export function resolveShared(context: Readonly<TSESLint.RuleContext<string, readonly unknown[]>>, ruleOptions: SharedOptions): Shared {
  const settings = readSettings(context.settings);
  let own: SharedOptions | undefined;
  for (const key of SHARED_KEYS) {
    if (ruleOptions[key] !== undefined) (own ??= {} as Record<string, unknown>)[key] = ruleOptions[key];
  }
  // most rules set none of the shared options: skip serialising them
  const cacheKey = own === undefined ? '' : JSON.stringify(own);
  let byOptions = cache.get(settings);
  if (!byOptions) {
    byOptions = new Map();
    cache.set(settings, byOptions);
  }
  let shared = byOptions.get(cacheKey);
  if (!shared) {
    shared = compile(settings, own ?? {});
    byOptions.set(cacheKey, shared);
  }
  return shared;
}

function readSettings(settings: Readonly<Record<string, unknown>> | undefined): Record<string, unknown> {
  const value = settings?.['statalog'];
  if (value === undefined) return EMPTY;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError('settings.statalog must be an object.');
  }
  return value as Record<string, unknown>;
}

function compile(settings: Record<string, unknown>, own: SharedOptions): Shared {
  const pick = <K extends keyof SharedOptions>(key: K): SharedOptions[K] =>
    own[key] !== undefined ? own[key] : (checkedSetting(settings, key) as SharedOptions[K]);
  const clientFiles = pick('clientFiles') ?? DEFAULT_CLIENT_FILES;
  const serverFiles = pick('serverFiles') ?? DEFAULT_SERVER_FILES;
  const isClientPath = globMatcher(clientFiles);
  const isServerPath = globMatcher(serverFiles);
  return {
    selfHostedHosts: (pick('selfHostedHosts') ?? []).map(normaliseHost).filter((h) => h !== ''),
    envVarNames: new Set(pick('envVarNames') ?? []),
    clientFiles,
    serverFiles,
    isClientPath,
    isServerPath,
    browserGlobals: pick('browserGlobals') ?? false,
  };
}

/** Settings are not validated by ESLint; a wrong type would otherwise fail far from its cause. */
function checkedSetting(settings: Record<string, unknown>, key: keyof SharedOptions): unknown {
  const value = settings[key];
  if (value === undefined) return undefined;
  if (key === 'browserGlobals') {
    if (typeof value !== 'boolean') throw new TypeError(`settings.statalog.${key} must be true or false.`);
    return value;
  }
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' && v.length > 0)) {
    throw new TypeError(`settings.statalog.${key} must be an array of non-empty strings.`);
  }
  return value;
}

function globMatcher(globs: readonly string[]): (path: string) => boolean {
  if (globs.length === 0) return () => false;
  return picomatch([...globs], { dot: true });
}
