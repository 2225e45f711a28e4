import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { defaultRole } from './conventions.js';
import { projectOf } from './project.js';
import type { PluginSettings } from './plugin-settings.js';

/** Where a module runs, and the reason the plugin believes so (quoted in messages). */
export type FileRole =
  | { side: 'client'; reason: string; /** an Expo / React Native app: it ships in the app bundle */ mobile: boolean }
  | { side: 'server'; reason: string }
  | { side: 'unknown' };

type AnyContext = Readonly<TSESLint.RuleContext<string, readonly unknown[]>>;

/** Several rules ask about the same file: once per file and settings object. */
const cache = new WeakMap<object, Map<PluginSettings, FileRole>>();

/**
 * A module's side, strongest evidence first:
 * 1. its directive prologue (`'use client'`, `'use server'`);
 * 2. the user's `serverFiles`, then `clientFiles` patterns (relative to ESLint's working directory);
 * 3. the built-in conventions of the project's framework, read from the nearest package.json (conventions.ts);
 * 4. (opt-in) browser globals in the file's ESLint config.
 */
export function fileRole(context: AnyContext, settings: PluginSettings): FileRole {
  let bySettings = cache.get(context.sourceCode);
  if (!bySettings) cache.set(context.sourceCode, (bySettings = new Map<PluginSettings, FileRole>()));
  let role = bySettings.get(settings);
  if (!role) {
    role = computeRole(context, settings);
    bySettings.set(settings, role);
  }
  return role;
}

function computeRole(context: AnyContext, settings: PluginSettings): FileRole {
  const absolute = absolutePath(context);
  const project = absolute === undefined ? undefined : projectOf(absolute.physical);
  const mobile = project?.framework === 'expo' || project?.framework === 'react-native';
  const directive = moduleDirective(context.sourceCode.ast);
  if (directive === 'use client') return { side: 'client', reason: "the module starts with 'use client'", mobile };
  if (directive === 'use server') return { side: 'server', reason: "the module starts with 'use server'" };
  const path = lintedPath(context);
  if (path !== undefined) {
    const serverPattern = settings.serverPattern(path);
    if (serverPattern !== undefined)
      return { side: 'server', reason: `${path} matches your serverFiles pattern ${serverPattern}` };
    const clientPattern = settings.clientPattern(path);
    if (clientPattern !== undefined)
      return { side: 'client', reason: `${path} matches your clientFiles pattern ${clientPattern}`, mobile };
  }
  if (absolute !== undefined) {
    const root = project?.root ?? context.cwd;
    const fromRoot = toSlashes(relative(root, absolute.logical));
    if (!fromRoot.startsWith('..')) {
      const role = defaultRole(fromRoot, project);
      if (role?.side === 'client') return { side: 'client', reason: role.reason, mobile: role.mobile };
      if (role?.side === 'server') return { side: 'server', reason: role.reason };
      if (role?.side === 'neither') return { side: 'unknown' };
    }
  }
  if (settings.browserGlobals && declaresBrowserGlobals(context)) {
    return { side: 'client', reason: 'its ESLint config declares browser globals', mobile };
  }
  return { side: 'unknown' };
}

/** `'use client'` / `'use server'` when the directive prologue holds one of them. */
function moduleDirective(program: TSESTree.Program): 'use client' | 'use server' | undefined {
  for (const statement of program.body) {
    if (statement.type !== 'ExpressionStatement' || statement.directive === undefined) return undefined;
    const value = statement.expression.type === 'Literal' ? statement.expression.value : undefined;
    if (value === 'use client' || value === 'use server') return value;
  }
  return undefined;
}

/** True for ESLint's names of text without a file (stdin, the Linter API without a filename). */
function isNoFile(filename: string): boolean {
  return filename === '' || filename === '<input>' || filename === '<text>';
}

/**
 * The file's absolute path: `logical` is the linted name (a processor's code block is `page.astro/0.js`),
 * `physical` the file on disk, whose directory leads to its package.json.
 */
function absolutePath(context: AnyContext): { logical: string; physical: string } | undefined {
  const filename = context.filename;
  if (isNoFile(filename)) return undefined;
  const logical = isAbsolute(filename) ? filename : resolve(context.cwd, filename);
  const physicalName = context.physicalFilename;
  const physical =
    !physicalName || isNoFile(physicalName)
      ? logical
      : isAbsolute(physicalName)
        ? physicalName
        : resolve(context.cwd, physicalName);
  return { logical, physical };
}

/** The linted file relative to ESLint's working directory, with `/` separators; undefined for stdin text. */
function lintedPath(context: AnyContext): string | undefined {
  const filename = context.filename;
  if (isNoFile(filename)) return undefined;
  let path = isAbsolute(filename) ? relative(context.cwd, filename) : filename;
  // outside the working directory: match the path from its root, so `**/client/**` still applies
  if (path.startsWith('..')) path = filename.replace(/^[A-Za-z]:/, '').replace(/^[\\/]+/, '');
  return toSlashes(path);
}

function toSlashes(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

function declaresBrowserGlobals(context: AnyContext): boolean {
  const globals = (context.languageOptions as { globals?: Record<string, unknown> } | undefined)?.globals;
  return globals !== undefined && ('window' in globals || 'document' in globals);
}

/** Words for messages about a browser or app file: where the key would be, and who could read it there. */
export function clientWords(role: { reason: string; mobile: boolean }): {
  place: string;
  exposure: string;
  reason: string;
} {
  return role.mobile
    ? {
        place: 'app code',
        exposure: 'anyone who installs the app can read it from the app bundle',
        reason: role.reason,
      }
    : {
        place: 'browser code',
        exposure: "anyone can read it from the site's JavaScript or the network panel",
        reason: role.reason,
      };
}
