/** Event payloads as GitHub sends them (the fields the action reads, plus a few it must ignore). */
export function pullRequestEvent(options: {
  number: number;
  base: string;
  head: string;
  commits?: number;
  fork?: boolean;
  repository?: string;
}): object {
  const repository = options.repository ?? 'acme/shop';
  return {
    action: 'synchronize',
    number: options.number,
    pull_request: {
      number: options.number,
      state: 'open',
      commits: options.commits,
      base: { ref: 'main', sha: options.base, repo: { full_name: repository } },
      head: {
        ref: 'feature',
        sha: options.head,
        repo: options.fork ? { full_name: 'mallory/shop' } : { full_name: repository },
      },
    },
    repository: { full_name: repository, default_branch: 'main' },
  };
}

export function pushEvent(options: {
  ref: string;
  before: string;
  after: string;
  created?: boolean;
  deleted?: boolean;
  forced?: boolean;
}): object {
  return {
    ref: options.ref,
    before: options.before,
    after: options.after,
    created: options.created ?? false,
    deleted: options.deleted ?? false,
    forced: options.forced ?? false,
    commits: [],
    repository: { full_name: 'acme/shop', default_branch: 'main' },
  };
}

export const ZERO_SHA = '0'.repeat(40);
