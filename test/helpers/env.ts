/**
 * The environments of the programs the tests start. Each starts from one filtered copy of this process's
 * environment: the variables that a surrounding git hook, CI job, GitHub runner or `npm test` may have set, and that
 * would change what git, npm, the scanner or the action does, are left out.
 */
import { join } from 'node:path';

/** npm settings that say where packages come from; every other `npm_*` variable is `npm test`'s own. */
const NPM_SOURCES = new Set(['npm_config_cache', 'npm_config_registry', 'npm_config_userconfig']);

function fromOutside(name: string): boolean {
  if (/^(GIT|GITHUB|INPUT|STATALOG)_/.test(name)) return true;
  if (['CI', 'NO_COLOR', 'FORCE_COLOR', 'INIT_CWD', 'NODE_OPTIONS'].includes(name)) return true;
  return /^npm_/i.test(name) && !NPM_SOURCES.has(name.toLowerCase());
}

/** This process's environment without the variables of the context the tests run in. */
export function inheritedEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!fromOutside(name)) env[name] = value;
  return env;
}

/** `base` with `extra` applied: a value sets the variable, `undefined` removes it. */
function withEnv(base: NodeJS.ProcessEnv, extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env = { ...base };
  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined) Reflect.deleteProperty(env, name);
    else env[name] = value;
  }
  return env;
}

/** The environment of a scan: no colour forcing, no git config of the machine. */
export function cleanEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  return withEnv({ ...inheritedEnv(), GIT_CONFIG_NOSYSTEM: '1' }, extra);
}

/** git isolated from the machine: a fresh HOME (no ~/.gitconfig) and no system config. */
export function gitHomeEnv(home: string): NodeJS.ProcessEnv {
  return { ...inheritedEnv(), HOME: home, XDG_CONFIG_HOME: join(home, '.config'), GIT_CONFIG_NOSYSTEM: '1' };
}

/** `gitHomeEnv` with a fixed identity and fixed dates, for commits whose shas and output do not vary. */
export function hermeticEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...gitHomeEnv(home),
    GIT_AUTHOR_NAME: 'Ana Tester',
    GIT_AUTHOR_EMAIL: 'ana@example.test',
    GIT_COMMITTER_NAME: 'Ana Tester',
    GIT_COMMITTER_EMAIL: 'ana@example.test',
    GIT_AUTHOR_DATE: '2024-05-01T12:00:00Z',
    GIT_COMMITTER_DATE: '2024-05-01T12:00:00Z',
    ...extra,
  };
}

/**
 * A user's terminal outside this monorepo: an npm started below a temp folder must not believe it still runs in
 * this workspace (`npm test` exports `npm_config_local_prefix`, `npm_package_*` and friends).
 */
export function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...inheritedEnv(), NO_COLOR: '1', npm_config_update_notifier: 'false', npm_config_fund: 'false', ...extra };
}
