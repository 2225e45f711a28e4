/**
 * The action's inputs. The runner passes every declared default, but a local run (or a test) does not, so
 * an empty input always means its default here — the defaults below must match action.yml.
 */
import { CONFIG_FILE_NAME, printable, UserError } from '@statalog/core';
import { parseApiBase } from '@statalog/scan';

export interface Inputs {
  token: string;
  /** Repository-relative path of the config file, read at the head commit. */
  config: string;
  /** False when the user named no config: a missing default config file is then not an error. */
  configExplicit: boolean;
  /** Repository-relative path of a baseline file, read at the head commit; undefined = none. */
  baseline: string | undefined;
  comment: boolean;
  /** Where to write SARIF (relative to the workspace); undefined = no SARIF. */
  sarifFile: string | undefined;
  fail: boolean;
  verify: boolean;
  /** The self-hosted Statalog API to verify Community keys against (https, or http on loopback). */
  apiUrl: string | undefined;
  /** Where the config, baseline and ignore rules are read: the base of the change (default) or its head. */
  policyFrom: 'base' | 'head';
  /** True: a scan that could not read everything passes with a warning instead of exit 2. */
  allowIncomplete: boolean;
  /** With verify: at most this many distinct keys are sent (default 100, as the CLI's --verify-limit). */
  verifyLimit: number;
}

/** A wrong input: the message names it and says what is expected, on one line. */
class InputError extends UserError {
  override name = 'InputError';
}

export type InputReader = (name: string) => string;

export function readInputs(read: InputReader): Inputs {
  const token = read('github-token').trim();
  if (token === '')
    throw new InputError('input github-token is empty: pass ${{ github.token }} or a token with contents: read');
  const config = read('config').trim();
  const baseline = read('baseline').trim();
  const sarifFile = read('sarif-file').trim();
  const verify = booleanInput(read, 'verify', false);
  const apiUrl = read('api-url').trim();
  if (apiUrl !== '') {
    if (!verify) throw new InputError('input api-url only applies with verify: true');
    parseApiBase(apiUrl, 'input api-url'); // throws a one-line error naming the input, before any scan
  }
  const limitText = read('verify-limit').trim();
  const verifyLimit = limitText === '' ? 100 : /^\d{1,7}$/.test(limitText) ? Number(limitText) : NaN;
  if (!(verifyLimit >= 1))
    throw new InputError(
      `input verify-limit must be a whole number from 1 to 9999999 (got ${JSON.stringify(limitText.slice(0, 40))})`,
    );
  return {
    token,
    config: config === '' ? CONFIG_FILE_NAME : repoPath('config', config),
    configExplicit: config !== '',
    baseline: baseline === '' ? undefined : repoPath('baseline', baseline),
    comment: booleanInput(read, 'comment', false),
    sarifFile: sarifFile === '' ? undefined : sarifFile,
    fail: booleanInput(read, 'fail', true),
    verify,
    apiUrl: apiUrl === '' ? undefined : apiUrl,
    policyFrom: policyFromInput(read),
    allowIncomplete: booleanInput(read, 'allow-incomplete', false),
    verifyLimit,
  };
}

function policyFromInput(read: InputReader): 'base' | 'head' {
  const raw = read('policy-from').trim().toLowerCase();
  if (raw === '' || raw === 'base') return 'base';
  if (raw === 'head') return 'head';
  throw new InputError(
    `input policy-from must be base or head, not "${printable(read('policy-from').trim().slice(0, 40))}"`,
  );
}

const TRUE = new Set(['true', 'yes', 'on', '1']);
const FALSE = new Set(['false', 'no', 'off', '0']);

function booleanInput(read: InputReader, name: string, fallback: boolean): boolean {
  const raw = read(name).trim();
  if (raw === '') return fallback;
  const value = raw.toLowerCase();
  if (TRUE.has(value)) return true;
  if (FALSE.has(value)) return false;
  throw new InputError(`input ${name} must be true or false, not "${printable(raw.slice(0, 40))}"`);
}

/**
 * A path inside the repository, as the contents API wants it: `/`-separated, relative, no `..`. Files are
 * read from the head commit through the API, never from disk, so an absolute path cannot mean anything.
 */
function repoPath(name: string, raw: string): string {
  const path = raw
    .replace(/\\/g, '/')
    .replace(/^(?:\.\/)+/, '')
    .replace(/\/+$/, '');
  const parts = path.split('/');
  if (
    path === '' ||
    path.startsWith('/') ||
    /^[a-zA-Z]:/.test(path) ||
    parts.some((p) => p === '..' || p === '.' || p === '')
  )
    throw new InputError(
      `input ${name} must be a path inside the repository (like ${CONFIG_FILE_NAME}), not "${printable(raw.slice(0, 80))}"`,
    );
  return path;
}
