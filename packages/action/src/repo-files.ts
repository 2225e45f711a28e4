/**
 * Files read from the repository at a commit through the contents API — never from the runner's disk, so
 * a pull request's checkout (if any) is never read, let alone run.
 */
import { EMPTY_CONFIG, parseBaseline, parseConfig, UserFileError, type Baseline, type Config } from '@statalog/core';
import { statusOf, type Client } from './github.js';

/** The file's text at `ref`, or null when there is no such file (or it is a directory). */
async function readFileAt(client: Client, path: string, ref: string): Promise<string | null> {
  try {
    const { data } = await client.octokit.rest.repos.getContent({
      owner: client.owner,
      repo: client.repo,
      path,
      ref,
      mediaType: { format: 'raw' },
    });
    if (typeof data === 'string') return data;
    if (data instanceof ArrayBuffer) return new TextDecoder().decode(data);
    // a server that ignores the raw media type answers with the JSON form: base64 content
    const file = data as { type?: string; content?: unknown; encoding?: unknown };
    if (!Array.isArray(data) && file.type !== 'dir' && typeof file.content === 'string')
      return file.encoding === 'base64' ? Buffer.from(file.content, 'base64').toString('utf8') : file.content;
    return null; // a directory listing
  } catch (error) {
    if (statusOf(error) === 404) return null;
    throw error;
  }
}

/** The config and baseline as one commit has them: the files the policy is made of (see policy.ts). */
export interface PolicyFiles {
  config: Config;
  /** The config file's directory, `''` for the root: ignorePaths are relative to it. */
  configDir: string;
  baseline: Baseline | undefined;
  /** Named files (config input, baseline input) that the commit does not have. */
  missing: string[];
}

/**
 * The config and baseline at `ref`. A file the inputs name but the commit lacks is listed in `missing`
 * (the caller decides: at the base of a change that adds it, that is expected) rather than thrown.
 */
export async function readPolicyFiles(
  client: Client,
  ref: string,
  paths: { config: string; configExplicit: boolean; baseline: string | undefined },
): Promise<PolicyFiles> {
  const [configText, baselineText] = await Promise.all([
    readFileAt(client, paths.config, ref),
    paths.baseline === undefined ? Promise.resolve(null) : readFileAt(client, paths.baseline, ref),
  ]);
  const missing: string[] = [];
  let config = EMPTY_CONFIG;
  if (configText !== null) config = parseConfig(paths.config, configText);
  else if (paths.configExplicit) missing.push(paths.config);
  let baseline: Baseline | undefined;
  if (paths.baseline !== undefined) {
    if (baselineText === null) missing.push(paths.baseline);
    else baseline = parseBaseline(paths.baseline, baselineText);
  }
  const slash = paths.config.lastIndexOf('/');
  return { config, configDir: slash >= 0 ? paths.config.slice(0, slash) : '', baseline, missing };
}

/** The one-line error for a named file that is missing where the policy is read. */
export function missingFileError(path: string, ref: string, where: string): UserFileError {
  return new UserFileError(
    path,
    `not found at ${ref.slice(0, 12)} (the ${where} does not have the file an input names)`,
  );
}
