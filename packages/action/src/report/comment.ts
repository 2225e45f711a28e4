/**
 * One sticky pull-request comment, found again by a hidden marker and updated on every run rather than
 * added per push. Only a comment the token's own identity wrote is ever edited: anyone can paste the marker
 * into a comment of their own, and a planted "✅" must neither be edited into a real report (with a
 * write token) nor stand in for one (with a read-only token). A read-only token (fork pull requests, or no
 * pull-requests: write) makes commenting impossible: that is a warning, never a reason to pass or to crash.
 *
 * The comment also carries, in hidden data, a record of every key earlier runs found (masked form, secret
 * hash, file, commit — never the key): a force-push does not unpush a key, so a key that an earlier version
 * of the pull request pushed is still listed ("st_88cb…d5f1 was pushed in an earlier version of this PR —
 * revoke it") after it is gone from the branch.
 */
import { describeApiError, statusOf, type Client } from '../github.js';
import { short } from '../plan.js';
import type { ActionReport, EarlierKey } from './model.js';
import { COMMENT_LIMITS, reportMarkdown } from './summary.js';

export const COMMENT_MARKER = '<!-- statalog-key-guard:action -->';
const RECORD_START = '<!-- statalog-key-guard:keys ';
const RECORD_END = ' -->';
/** GitHub refuses comment bodies past 65536 characters. */
const MAX_BODY = 65_000;
/** Keys kept in the record: enough for any real pull request, bounded for a hostile one. */
const MAX_RECORD = 500;
/** The login of the default job token (GITHUB_TOKEN), which cannot call GET /user. */
const ACTIONS_BOT = 'github-actions[bot]';

interface IssueComment {
  id: number;
  body?: string;
  user?: { login?: string; type?: string } | null;
}

export type CommentOutcome = 'created' | 'updated' | 'unchanged' | 'skipped' | 'refused';

export function commentBody(
  report: ActionReport,
  head: string,
  runUrl: string | undefined,
  record: readonly EarlierKey[],
): string {
  let body = reportMarkdown(report, COMMENT_LIMITS);
  if (body.length > MAX_BODY) body = `${body.slice(0, MAX_BODY)}\n\n…(cut: the job summary has the rest)`;
  const run = runUrl ? ` ([workflow run](${runUrl}))` : '';
  return `${COMMENT_MARKER}\n${body}\n<sub>Statalog key guard, at ${short(head)}${run}. This comment is updated on every run.</sub>\n${encodeRecord(record)}\n`;
}

/**
 * The login the token acts as: GET /user for a personal or app user token; the job token (an installation
 * token) cannot call it, and its comments are written by github-actions[bot].
 */
async function ownLogin(client: Client): Promise<string> {
  try {
    const { data } = await client.octokit.rest.users.getAuthenticated();
    if (typeof data.login === 'string' && data.login !== '') return data.login;
  } catch (error) {
    const status = statusOf(error);
    if (status !== 403 && status !== 404) throw error;
  }
  return ACTIONS_BOT;
}

/**
 * Creates or updates the comment; fills `report.earlier` from the previous comment's record first, so the
 * job summary lists those keys too. With no findings and no earlier keys, an earlier comment is updated to
 * say so and none is created. Returns what happened; failures are reported through `warn`.
 */
export async function upsertComment(
  client: Client,
  issueNumber: number,
  report: ActionReport,
  head: string,
  runUrl: string | undefined,
  warn: (message: string) => void,
): Promise<CommentOutcome> {
  const { octokit, owner, repo } = client;
  try {
    const login = (await ownLogin(client)).toLowerCase();
    const comments = (await octokit.paginate(octokit.rest.issues.listComments, {
      owner,
      repo,
      issue_number: issueNumber,
      per_page: 100,
    })) as IssueComment[];
    const previous = comments.find((c) => c.body?.startsWith(COMMENT_MARKER) && c.user?.login?.toLowerCase() === login);
    const impostors = comments.filter((c) => c.body?.includes(COMMENT_MARKER) && c !== previous).length;
    if (impostors > 0)
      warn(
        `pull request #${issueNumber} has ${impostors === 1 ? 'a comment' : `${impostors} comments`} carrying this action's marker that ${login} did not write; ignored (only the action's own comment is edited or believed)`,
      );

    const recorded = previous ? decodeRecord(previous.body ?? '') : [];
    const now = new Set(report.findings.map((f) => `${f.secretHash}\0${f.file}`));
    const nowHashes = new Set([...report.findings, ...report.allowed.map((a) => a.finding)].map((f) => f.secretHash));
    report.earlier = recorded.filter((k) => !nowHashes.has(k.hash));
    const record = [
      ...recorded.filter((k) => !now.has(`${k.hash}\0${k.file}`)),
      ...report.findings.map((f): EarlierKey => ({
        masked: f.masked,
        hash: f.secretHash,
        file: f.file,
        ...(f.commit ? { commit: f.commit } : {}),
      })),
    ].slice(-MAX_RECORD);

    const body = commentBody(report, head, runUrl, record);
    if (previous) {
      if (previous.body === body) return 'unchanged';
      await octokit.rest.issues.updateComment({ owner, repo, comment_id: previous.id, body });
      return 'updated';
    }
    if (report.findings.length === 0 && !report.incomplete) return 'skipped';
    await octokit.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body });
    return 'created';
  } catch (error) {
    const status = (error as { status?: number }).status;
    const why =
      status === 403 || status === 404
        ? 'the token cannot write to this pull request (fork pull requests get a read-only token; otherwise grant pull-requests: write)'
        : 'commenting failed';
    warn(
      `could not comment on pull request #${issueNumber}: ${why} — ${describeApiError(error)}. The findings are still reported here and in the job summary.`,
    );
    return 'refused';
  }
}

/** Hidden data: JSON of masked keys and hashes, in an HTML comment (`-`, `<`, `>` escaped: nothing can end or open a tag). */
function encodeRecord(record: readonly EarlierKey[]): string {
  if (record.length === 0) return '';
  const json = JSON.stringify(
    record.map((k) => ({ m: k.masked, h: k.hash, f: k.file, ...(k.commit ? { c: k.commit } : {}) })),
  );
  return `${RECORD_START}${json.replace(/-/g, '\\u002d').replace(/>/g, '\\u003e').replace(/</g, '\\u003c')}${RECORD_END}`;
}

/** The record of an earlier comment; anything malformed is dropped, never trusted as text. */
function decodeRecord(body: string): EarlierKey[] {
  const start = body.lastIndexOf(RECORD_START);
  if (start < 0) return [];
  const end = body.indexOf(RECORD_END, start + RECORD_START.length);
  if (end < 0) return [];
  let raw: unknown;
  try {
    raw = JSON.parse(body.slice(start + RECORD_START.length, end));
  } catch {
    return [];
  }
  if (!Array.isArray(raw)) return [];
  const keys: EarlierKey[] = [];
  for (const item of raw.slice(0, MAX_RECORD)) {
    const k = item as { m?: unknown; h?: unknown; f?: unknown; c?: unknown } | null;
    if (
      !k ||
      typeof k.m !== 'string' ||
      typeof k.h !== 'string' ||
      !/^[0-9a-f]{16}$/.test(k.h) ||
      typeof k.f !== 'string'
    )
      continue;
    // the masked form is re-checked: the record must never become a way to print something else
    if (!/^(?:st_[0-9a-f]{4}…[0-9a-f]{4}|[\x21-\x7e]{0,2}…\(\d{1,6} chars\))$/.test(k.m)) continue;
    keys.push({
      masked: k.m,
      hash: k.h,
      file: k.f.slice(0, 500),
      ...(typeof k.c === 'string' && /^[0-9a-f]{40,64}$/.test(k.c) ? { commit: k.c } : {}),
    });
  }
  return keys;
}
