/** What the runner tells a JavaScript action about the run, read from its environment variables. */
import { readFileSync } from 'node:fs';
import { UserError } from '@statalog/core';

export interface RunContext {
  eventName: string;
  payload: Record<string, unknown>;
  owner: string;
  repo: string;
  /** REST API base: https://api.github.com, or https://HOST/api/v3 on GitHub Enterprise Server. */
  apiUrl: string;
  /** Web base for links in the summary and comment. */
  serverUrl: string;
  /** GITHUB_SHA and GITHUB_REF: the commit and ref the run is for (used by events without a range). */
  sha: string | undefined;
  ref: string | undefined;
  /** Link to this run, for the PR comment. */
  runUrl: string | undefined;
  workspace: string;
}

class ContextError extends UserError {
  override name = 'ContextError';
}

export function readRunContext(env: NodeJS.ProcessEnv): RunContext {
  const eventName = env.GITHUB_EVENT_NAME ?? '';
  if (eventName === '')
    throw new ContextError('GITHUB_EVENT_NAME is not set: this action runs inside a GitHub Actions workflow');
  const repository = env.GITHUB_REPOSITORY ?? '';
  const match = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(repository);
  if (!match) throw new ContextError('GITHUB_REPOSITORY must be owner/name');
  const eventPath = env.GITHUB_EVENT_PATH ?? '';
  if (eventPath === '')
    throw new ContextError('GITHUB_EVENT_PATH is not set: the event payload is needed to know what to scan');
  let payload: unknown;
  try {
    payload = JSON.parse(readFileSync(eventPath, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ContextError(
      `GITHUB_EVENT_PATH: ${code === 'ENOENT' ? 'no such file' : code ? `cannot read (${code})` : 'is not valid JSON'}`,
    );
  }
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload))
    throw new ContextError('GITHUB_EVENT_PATH: the event payload is not a JSON object');
  const serverUrl = trimSlash(env.GITHUB_SERVER_URL || 'https://github.com');
  const runId = env.GITHUB_RUN_ID;
  return {
    eventName,
    payload: payload as Record<string, unknown>,
    owner: match[1]!,
    repo: match[2]!,
    apiUrl: trimSlash(env.GITHUB_API_URL || 'https://api.github.com'),
    serverUrl,
    sha: env.GITHUB_SHA || undefined,
    ref: env.GITHUB_REF || undefined,
    runUrl: runId && /^\d+$/.test(runId) ? `${serverUrl}/${match[1]!}/${match[2]!}/actions/runs/${runId}` : undefined,
    workspace: env.GITHUB_WORKSPACE || process.cwd(),
  };
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
