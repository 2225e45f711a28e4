/**
 * One sticky pull-request comment, found again by a hidden marker and updated on every run rather than
 * added per push. A read-only token (fork pull requests, or no pull-requests: write) makes commenting
 * impossible: that is a warning, never a reason to pass or to crash — the step still fails on findings.
 */
import { describeApiError, type Client } from '../github.js';
import { short } from '../plan.js';
import type { ScanReport } from './model.js';
import { COMMENT_LIMITS, reportMarkdown } from './summary.js';

export const COMMENT_MARKER = '<!-- statalog-key-guard:action -->';
/** GitHub refuses comment bodies past 65536 characters. */
const MAX_BODY = 65_000;

interface IssueComment {
  id: number;
  body?: string;
  user?: { type?: string } | null;
}

export type CommentOutcome = 'created' | 'updated' | 'unchanged' | 'skipped' | 'refused';

export function commentBody(report: ScanReport, head: string, runUrl: string | undefined): string {
  let body = reportMarkdown(report, COMMENT_LIMITS);
  if (body.length > MAX_BODY) body = `${body.slice(0, MAX_BODY)}\n\n…(cut: the job summary has the rest)`;
  const run = runUrl ? ` ([workflow run](${runUrl}))` : '';
  return `${COMMENT_MARKER}\n${body}\n<sub>Statalog key guard, at ${short(head)}${run}. This comment is updated on every run.</sub>\n`;
}

/**
 * Creates or updates the comment. With no findings, an earlier comment is updated to say so and none is
 * created. Returns what happened; failures are reported through `warn`.
 */
export async function upsertComment(
  client: Client,
  issueNumber: number,
  body: string,
  hasFindings: boolean,
  warn: (message: string) => void,
): Promise<CommentOutcome> {
  const { octokit, owner, repo } = client;
  try {
    const comments = (await octokit.paginate(octokit.rest.issues.listComments, { owner, repo, issue_number: issueNumber, per_page: 100 })) as IssueComment[];
    // Ours start with the marker; one that merely quotes it is somebody else's. Anyone can paste the marker,
    // so a bot's comment (github-actions[bot]) wins; a user-type author is accepted for runs with a PAT.
    const ours = comments.filter((c) => c.body?.startsWith(COMMENT_MARKER));
    const previous = ours.find((c) => c.user?.type === 'Bot') ?? ours[0];
    if (previous) {
      if (previous.body === body) return 'unchanged';
      await octokit.rest.issues.updateComment({ owner, repo, comment_id: previous.id, body });
      return 'updated';
    }
    if (!hasFindings) return 'skipped';
    await octokit.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body });
    return 'created';
  } catch (error) {
    const status = (error as { status?: number }).status;
    const why =
      status === 403 || status === 404
        ? 'the token cannot write to this pull request (fork pull requests get a read-only token; otherwise grant pull-requests: write)'
        : 'commenting failed';
    warn(`could not comment on pull request #${issueNumber}: ${why} — ${describeApiError(error)}. The findings are still reported here and in the job summary.`);
    return 'refused';
  }
}
