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
  /**
   * Globs (relative to the ESLint working directory) of files that run in the browser (or ship in a mobile app).
   * Checked before the built-in framework conventions, so they always win over them.
   */
  clientFiles?: string[];
  /** Globs of files that only run on the server; they win over `clientFiles` and over the built-in conventions. */
  serverFiles?: string[];
  /** Also treat a file as browser code when its ESLint config declares the browser globals (`window`, `document`). */
  browserGlobals?: boolean;
}

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
    'Glob patterns of browser files, relative to the ESLint working directory; they win over the built-in framework conventions. Defaults to settings.statalog.clientFiles.',
  ),
  serverFiles: stringList(
    'Glob patterns of server-only files; they win over clientFiles and the built-in framework conventions. Defaults to settings.statalog.serverFiles.',
  ),
  browserGlobals: {
    type: 'boolean',
    description:
      'Treat a file as browser code when its ESLint config declares the browser globals window or document. Defaults to settings.statalog.browserGlobals, then false.',
  },
};

/**
 * What a rule runs with: `settings.statalog` merged with the rule's own shared options, validated, with the
 * matchers compiled. One object per configuration and set of rule options, so it can key caches.
 */
export interface PluginSettings {
  /** Normalised `host` or `host:port` entries, as the core's URL test wants them. */
  selfHostedHosts: readonly string[];
  envVarNames: ReadonlySet<string>;
  /** The first of the user's clientFiles patterns that matches the path, if any. */
  clientPattern(relativePath: string): string | undefined;
  /** The first of the user's serverFiles patterns that matches the path, if any. */
  serverPattern(relativePath: string): string | undefined;
  clientFiles: readonly string[];
  serverFiles: readonly string[];
  browserGlobals: boolean;
}

const SHARED_KEYS = Object.keys(SHARED_OPTION_SCHEMA) as Array<keyof SharedOptions>;
const NO_SETTINGS: Record<string, unknown> = {};

/** Compiling globs and validating settings once per configuration, not once per file and rule. */
const cache = new WeakMap<object, Map<string, PluginSettings>>();

export function resolveSettings(
  context: Readonly<TSESLint.RuleContext<string, readonly unknown[]>>,
  ruleOptions: SharedOptions,
): PluginSettings {
  const statalog = statalogSettings(context.settings);
  let own: SharedOptions | undefined;
  for (const key of SHARED_KEYS) {
    if (ruleOptions[key] !== undefined) (own ??= {} as Record<string, unknown>)[key] = ruleOptions[key];
  }
  // most rules set none of the shared options: skip serialising them
  const cacheKey = own === undefined ? '' : JSON.stringify(own);
  let byOptions = cache.get(statalog);
  if (!byOptions) {
    byOptions = new Map();
    cache.set(statalog, byOptions);
  }
  let resolved = byOptions.get(cacheKey);
  if (!resolved) {
    resolved = compile(statalog, own ?? {});
    byOptions.set(cacheKey, resolved);
  }
  return resolved;
}

/** `settings.statalog`, checked: an object whose keys are shared options. */
function statalogSettings(settings: Readonly<Record<string, unknown>> | undefined): Record<string, unknown> {
  const value = settings?.['statalog'];
  if (value === undefined) return NO_SETTINGS;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError('settings.statalog must be an object.');
  }
  // a misspelt setting (clientFile, selfHostedHost) would otherwise be ignored without a word
  for (const key of Object.keys(value)) {
    if (!(SHARED_KEYS as string[]).includes(key)) {
      throw new TypeError(
        `settings.statalog.${key} is not a setting of @statalog/eslint-plugin; the settings are ${SHARED_KEYS.join(', ')}.`,
      );
    }
  }
  return value as Record<string, unknown>;
}

function compile(statalog: Record<string, unknown>, own: SharedOptions): PluginSettings {
  const pick = <K extends keyof SharedOptions>(key: K): SharedOptions[K] =>
    own[key] !== undefined ? own[key] : (checkedSetting(statalog, key) as SharedOptions[K]);
  // only the user's own patterns: the built-in defaults depend on the file's project (conventions.ts)
  const clientFiles = pick('clientFiles') ?? [];
  const serverFiles = pick('serverFiles') ?? [];
  return {
    selfHostedHosts: (pick('selfHostedHosts') ?? []).map(normaliseHost).filter((h) => h !== ''),
    envVarNames: new Set(pick('envVarNames') ?? []),
    clientFiles,
    serverFiles,
    clientPattern: patternFinder(clientFiles),
    serverPattern: patternFinder(serverFiles),
    browserGlobals: pick('browserGlobals') ?? false,
  };
}

/** Settings are not validated by ESLint; a wrong type would otherwise fail far from its cause. */
function checkedSetting(statalog: Record<string, unknown>, key: keyof SharedOptions): unknown {
  const value = statalog[key];
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
/** One compiled matcher for the common "no match"; the single patterns only to name the one that matched. */
function patternFinder(globs: readonly string[]): (path: string) => string | undefined {
  if (globs.length === 0) return () => undefined;
  const any = picomatch([...globs], { dot: true });
  const each = globs.map((glob) => [glob, picomatch(glob, { dot: true })] as const);
  return (path) => (any(path) ? each.find(([, match]) => match(path))?.[0] : undefined);
}
