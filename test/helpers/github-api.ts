/**
 * A loopback HTTP server that answers like the GitHub REST API, from a real git repository on disk: the
 * pull-request commit list (with its 250-commit cap), commits with files and patches (300 files a page,
 * 3000 at most), compare (paginated), contents, blobs, trees, tarballs, and issue comments. Everything the
 * action reads is computed by git from the repository; nothing is canned.
 *
 * Test controls: tokens that are read-only (fork pull requests get 403 on writes), paths whose patch is
 * left out (as GitHub does for large diffs), one-off faults (a 500 to be retried), and a log of every
 * request for counting.
 */
import { execFileSync } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PullSpec {
  /** Branch or sha. */
  base: string;
  head: string;
}

export interface Fault {
  method?: string;
  path: RegExp;
  status: number;
  /** How many matching requests get the fault (then the real answer). */
  times: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Wait this long before answering (a slow or hanging API); with `status: 0` the real answer follows the wait. */
  delayMs?: number;
}

export interface Comment {
  id: number;
  body: string;
  user: { login: string; type: string };
}

export interface LoggedRequest {
  method: string;
  /** Path and query, without the API prefix. */
  path: string;
  status: number;
}

export interface FakeGitHubOptions {
  repoDir: string;
  env: NodeJS.ProcessEnv;
  owner?: string;
  repo?: string;
  defaultBranch?: string;
  pulls?: Record<number, PullSpec>;
  /** token → access; requests with any other token get 401. */
  tokens?: Record<string, 'write' | 'read'>;
  /**
   * token → the user it acts as (GET /user answers it; comments it posts carry it). A token not listed here
   * is an installation token like GITHUB_TOKEN: GET /user answers 403, its comments are github-actions[bot]'s.
   */
  users?: Record<string, { login: string; type: 'User' | 'Bot' }>;
  /** Paths whose patch the commit API leaves out. */
  omitPatch?: ReadonlySet<string>;
  faults?: Fault[];
  /** GitHub Enterprise Server style prefix (`/api/v3`). */
  prefix?: string;
  comments?: Record<number, Comment[]>;
  /** Behave like an older or stricter server: no tarball endpoint, no raw media type for contents. */
  without?: { tarball?: boolean; rawContents?: boolean };
}

const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';
const PULL_COMMITS_CAP = 250;
const FILES_PER_PAGE = 300;
const FILES_CAP = 3000;

export class FakeGitHub {
  readonly requests: LoggedRequest[] = [];
  readonly comments: Map<number, Comment[]>;
  url = '';
  private server: Server | undefined;
  private nextCommentId = 1000;
  private readonly owner: string;
  private readonly repo: string;
  private readonly filesCache = new Map<string, ApiFile[]>();

  constructor(private readonly options: FakeGitHubOptions) {
    this.owner = options.owner ?? 'acme';
    this.repo = options.repo ?? 'shop';
    this.comments = new Map(Object.entries(options.comments ?? {}).map(([n, list]) => [Number(n), [...list]]));
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        this.requests.push({ method: req.method ?? 'GET', path: req.url ?? '', status: 500 });
        send(res, 500, { message: `fake GitHub failed: ${(error as Error).message.split('\n')[0]}` });
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}${this.options.prefix ?? ''}`;
    return this;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  /** Requests whose method and path match. */
  count(method: string, path: RegExp): number {
    return this.requests.filter((r) => r.method === method && path.test(r.path)).length;
  }

  private git(...args: string[]): string {
    return execFileSync('git', ['-c', 'core.quotePath=false', ...args], {
      cwd: this.options.repoDir,
      env: this.options.env,
      encoding: 'utf8',
      maxBuffer: 1 << 28,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }

  private gitBytes(...args: string[]): Buffer {
    return execFileSync('git', args, {
      cwd: this.options.repoDir,
      env: this.options.env,
      maxBuffer: 1 << 28,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }

  private resolve(ref: string): string | undefined {
    try {
      return this.git('rev-parse', '--verify', '--quiet', `${ref}^{commit}`).trim() || undefined;
    } catch {
      return undefined;
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const prefix = this.options.prefix ?? '';
    let path = url.pathname;
    const codeload = path.startsWith('/_codeload/');
    if (!codeload) {
      if (!path.startsWith(prefix)) {
        this.reply(req, res, url, 404, { message: 'Not Found' });
        return;
      }
      path = path.slice(prefix.length);
    }
    const logPath = path + url.search;
    const log = (status: number): void =>
      void this.requests.push({ method: req.method ?? 'GET', path: logPath, status });
    const body = await readBody(req);

    for (const fault of this.options.faults ?? []) {
      if (fault.times > 0 && (!fault.method || fault.method === req.method) && fault.path.test(path)) {
        fault.times--;
        if (fault.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
        if (fault.status === 0) break; // only slow: the real answer, late
        log(fault.status);
        if (res.destroyed) return; // the client gave up waiting
        send(res, fault.status, fault.body ?? { message: 'Server Error' }, fault.headers);
        return;
      }
    }

    if (codeload) {
      const sha = path.split('/').pop()!;
      const tar = this.gitBytes(
        'archive',
        '--format=tar.gz',
        `--prefix=${this.owner}-${this.repo}-${sha.slice(0, 7)}/`,
        sha,
      );
      log(200);
      res.writeHead(200, { 'content-type': 'application/x-gzip', 'content-length': tar.length });
      return void res.end(tar);
    }

    const auth = /^(?:token|bearer) (.+)$/i.exec(req.headers.authorization ?? '');
    const access = auth ? this.options.tokens?.[auth[1]!] : undefined;
    if (!access) {
      log(401);
      send(res, 401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' });
      return;
    }
    if (req.method !== 'GET' && access === 'read') {
      log(403);
      send(res, 403, {
        message: 'Resource not accessible by integration',
        documentation_url: 'https://docs.github.com/rest',
        status: '403',
      });
      return;
    }

    const user = this.options.users?.[auth![1]!];
    if (path === '/user' && req.method === 'GET') {
      // an installation token (the job's GITHUB_TOKEN) cannot read the authenticated user
      if (!user) {
        log(403);
        send(res, 403, {
          message: 'Resource not accessible by integration',
          documentation_url: 'https://docs.github.com/rest/users/users#get-the-authenticated-user',
          status: '403',
        });
        return;
      }
      log(200);
      send(res, 200, { login: user.login, id: 1, type: user.type });
      return;
    }
    const repoPrefix = `/repos/${this.owner}/${this.repo}`;
    if (!path.startsWith(`${repoPrefix}/`)) {
      log(404);
      send(res, 404, { message: 'Not Found' });
      return;
    }
    const route = path.slice(repoPrefix.length);
    const answer = this.route(
      req.method ?? 'GET',
      route,
      url,
      body,
      req.headers.accept ?? '',
      user ?? { login: 'github-actions[bot]', type: 'Bot' },
    );
    log(answer.status);
    if (answer.raw !== undefined) {
      res.writeHead(answer.status, {
        'content-type': answer.contentType ?? 'text/plain; charset=utf-8',
        ...(answer.headers ?? {}),
      });
      return void res.end(answer.raw);
    }
    send(res, answer.status, answer.json ?? {}, answer.headers);
  }

  private reply(req: IncomingMessage, res: ServerResponse, url: URL, status: number, json: unknown): void {
    this.requests.push({ method: req.method ?? 'GET', path: url.pathname + url.search, status });
    send(res, status, json);
  }

  /** A comment written by someone else (a second commenter), as if posted through the web UI. */
  addComment(issue: number, body: string, user: { login: string; type: string }): Comment {
    const comment: Comment = { id: this.nextCommentId++, body, user };
    this.comments.set(issue, [...(this.comments.get(issue) ?? []), comment]);
    return comment;
  }

  private route(
    method: string,
    route: string,
    url: URL,
    body: string,
    accept: string,
    user: { login: string; type: string },
  ): Answer {
    let m: RegExpExecArray | null;
    const q = url.searchParams;
    if (method === 'GET' && (m = /^\/pulls\/(\d+)\/commits$/.exec(route))) return this.pullCommits(Number(m[1]), url);
    if (method === 'GET' && (m = /^\/commits\/([^/]+)$/.exec(route)))
      return this.commit(decodeURIComponent(m[1]!), url);
    if (method === 'GET' && route === '/commits') return this.listCommits(url);
    if (method === 'GET' && (m = /^\/compare\/(.+)$/.exec(route))) return this.compare(decodeURIComponent(m[1]!), url);
    if (method === 'GET' && (m = /^\/contents\/(.+)$/.exec(route)))
      return this.contents(decodeURIComponent(m[1]!), q.get('ref') ?? this.options.defaultBranch ?? 'main', accept);
    if (method === 'GET' && (m = /^\/git\/blobs\/([^/]+)$/.exec(route))) return this.blob(m[1]!);
    if (method === 'GET' && (m = /^\/git\/trees\/([^/]+)$/.exec(route)))
      return this.tree(decodeURIComponent(m[1]!), q.get('recursive'));
    if (method === 'GET' && (m = /^\/tarball\/(.+)$/.exec(route)) && !this.options.without?.tarball)
      return this.tarball(decodeURIComponent(m[1]!));
    if ((m = /^\/issues\/(\d+)\/comments$/.exec(route))) {
      const list = this.comments.get(Number(m[1])) ?? [];
      if (method === 'GET') return paginate(list, url, this.pageBase(url), 30, 100);
      if (method === 'POST') {
        const comment: Comment = {
          id: this.nextCommentId++,
          body: String((JSON.parse(body) as { body: unknown }).body),
          user: { ...user },
        };
        this.comments.set(Number(m[1]), [...list, comment]);
        return { status: 201, json: comment };
      }
    }
    if (method === 'PATCH' && (m = /^\/issues\/comments\/(\d+)$/.exec(route))) {
      for (const list of this.comments.values()) {
        const comment = list.find((c) => c.id === Number(m![1]));
        // like GitHub: only the author (or a maintainer, not modelled) may edit a comment
        if (comment && comment.user.login !== user.login)
          return { status: 403, json: { message: 'Resource not accessible by integration' } };
        if (comment) {
          comment.body = String((JSON.parse(body) as { body: unknown }).body);
          return { status: 200, json: comment };
        }
      }
    }
    return { status: 404, json: { message: 'Not Found' } };
  }

  /** Absolute URL of the current path, for Link headers. */
  private pageBase(url: URL): string {
    return `${new URL(this.url).origin}${url.pathname}`;
  }

  private commitJson(sha: string): ApiCommit {
    const [, parents, an, ae, ad, cn, ce, cd, tree, ...message] = this.git(
      'show',
      '-s',
      '--format=%H%x00%P%x00%an%x00%ae%x00%aI%x00%cn%x00%ce%x00%cI%x00%T%x00%B',
      sha,
    ).split('\0');
    return {
      sha,
      commit: {
        author: { name: an!, email: ae!, date: ad! },
        committer: { name: cn!, email: ce!, date: cd! },
        message: message.join('\0').trimEnd(),
        tree: { sha: tree! },
      },
      author: null,
      committer: null,
      parents: parents!
        .split(' ')
        .filter(Boolean)
        .map((p) => ({ sha: p })),
      html_url: `https://github.example/${this.owner}/${this.repo}/commit/${sha}`,
    };
  }

  private pullCommits(number: number, url: URL): Answer {
    const pull = this.options.pulls?.[number];
    const base = pull && this.resolve(pull.base);
    const head = pull && this.resolve(pull.head);
    if (!base || !head) return { status: 404, json: { message: 'Not Found' } };
    const shas = this.revList(`${base}..${head}`).slice(0, PULL_COMMITS_CAP);
    return paginate(shas, url, this.pageBase(url), 30, 100, (sha) => this.commitJson(sha));
  }

  /** GET /commits?sha=: every commit reachable from sha, newest first, paginated (30 a page by default, 100 at most). */
  private listCommits(url: URL): Answer {
    const sha = this.resolve(url.searchParams.get('sha') ?? this.options.defaultBranch ?? 'main');
    if (!sha) return { status: 404, json: { message: 'Not Found' } };
    const shas = this.git('rev-list', '--topo-order', sha).split('\n').filter(Boolean);
    return paginate(shas, url, this.pageBase(url), 30, 100, (s) => this.commitJson(s));
  }

  private revList(range: string): string[] {
    return this.git('rev-list', '--reverse', '--topo-order', range).split('\n').filter(Boolean);
  }

  private commit(ref: string, url: URL): Answer {
    const sha = this.resolve(ref);
    if (!sha) return { status: 422, json: { message: `No commit found for SHA: ${ref}` } };
    const all = this.files(sha).slice(0, FILES_CAP);
    const perPage = Math.min(
      FILES_PER_PAGE,
      Number(url.searchParams.get('per_page') ?? FILES_PER_PAGE) || FILES_PER_PAGE,
    );
    const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
    const files = all.slice((page - 1) * perPage, page * perPage);
    const additions = all.reduce((s, f) => s + f.additions, 0);
    const deletions = all.reduce((s, f) => s + f.deletions, 0);
    return {
      status: 200,
      json: { ...this.commitJson(sha), stats: { additions, deletions, total: additions + deletions }, files },
      headers: linkHeader(this.pageBase(url), url, page, Math.ceil(all.length / perPage)),
    };
  }

  /** The files of a commit against its first parent, as GitHub lists them (patch = hunks only). */
  private files(sha: string): ApiFile[] {
    const cached = this.filesCache.get(sha);
    if (cached) return cached;
    const parent = this.git('rev-list', '--parents', '-n', '1', sha).trim().split(' ')[1] ?? EMPTY_TREE;
    const raw = this.git('diff-tree', '-r', '-z', '-M', '--no-commit-id', parent, sha).split('\0');
    const entries: Array<{ status: string; oldSha: string; newSha: string; path: string; oldPath?: string }> = [];
    for (let i = 0; i < raw.length - 1;) {
      const [, , oldSha, newSha, status] = raw[i]!.split(' ');
      const letter = status!.charAt(0);
      if (letter === 'R' || letter === 'C') {
        entries.push({ status: letter, oldSha: oldSha!, newSha: newSha!, oldPath: raw[i + 1]!, path: raw[i + 2]! });
        i += 3;
      } else {
        entries.push({ status: letter, oldSha: oldSha!, newSha: newSha!, path: raw[i + 1]! });
        i += 2;
      }
    }
    const diff = this.git('diff', '-M', '--no-color', '--no-ext-diff', '-U3', parent, sha);
    const sections = diff.split(/^diff --git /m).slice(1);
    if (sections.length !== entries.length)
      throw new Error(`diff sections (${sections.length}) and entries (${entries.length}) disagree for ${sha}`);
    const statusNames: Record<string, string> = {
      A: 'added',
      M: 'modified',
      D: 'removed',
      R: 'renamed',
      C: 'copied',
      T: 'changed',
    };
    const files = entries.map((e, i): ApiFile => {
      const section = sections[i]!;
      const at = section.search(/^@@ /m);
      let patch = at >= 0 ? section.slice(at).replace(/\n$/, '') : undefined;
      const lines = patch?.split('\n') ?? [];
      const additions = lines.filter((l) => l.startsWith('+')).length;
      const deletions = lines.filter((l) => l.startsWith('-')).length;
      if (this.options.omitPatch?.has(e.path)) patch = undefined;
      return {
        sha: e.status === 'D' ? e.oldSha : e.newSha,
        filename: e.path,
        status: statusNames[e.status] ?? 'modified',
        additions,
        deletions,
        changes: additions + deletions,
        blob_url: `https://github.example/${this.owner}/${this.repo}/blob/${sha}/${e.path}`,
        ...(patch !== undefined ? { patch } : {}),
        ...(e.oldPath !== undefined ? { previous_filename: e.oldPath } : {}),
      };
    });
    this.filesCache.set(sha, files);
    return files;
  }

  private compare(basehead: string, url: URL): Answer {
    const [baseRef, headRef] = basehead.split('...');
    const base = baseRef && this.resolve(baseRef);
    const head = headRef && this.resolve(headRef);
    if (!base || !head) return { status: 404, json: { message: 'Not Found' } };
    let mergeBase: string;
    try {
      mergeBase = this.git('merge-base', base, head).trim();
    } catch {
      return { status: 404, json: { message: `No common ancestor between ${baseRef} and ${headRef}.` } };
    }
    const shas = this.revList(`${base}..${head}`);
    const behind = this.revList(`${head}..${base}`).length;
    const paginated = url.searchParams.has('per_page') || url.searchParams.has('page');
    const perPage = paginated ? Math.min(100, Number(url.searchParams.get('per_page') ?? 30) || 30) : 250;
    const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
    const status =
      shas.length === 0 && behind === 0
        ? 'identical'
        : shas.length === 0
          ? 'behind'
          : behind === 0
            ? 'ahead'
            : 'diverged';
    return {
      status: 200,
      json: {
        status,
        ahead_by: shas.length,
        behind_by: behind,
        total_commits: shas.length,
        base_commit: this.commitJson(base),
        merge_base_commit: this.commitJson(mergeBase),
        commits: shas.slice((page - 1) * perPage, page * perPage).map((s) => this.commitJson(s)),
        files: page === 1 ? this.netFiles(mergeBase, head) : [],
      },
      headers: paginated ? linkHeader(this.pageBase(url), url, page, Math.ceil(shas.length / perPage)) : {},
    };
  }

  /** Compare's `files`: the net diff, names and statuses only (enough to look real; the action ignores them). */
  private netFiles(from: string, to: string): Array<{ filename: string; status: string }> {
    return this.git('diff', '--name-status', '-z', from, to)
      .split('\0')
      .filter(Boolean)
      .reduce<Array<{ filename: string; status: string }>>(
        (acc, part, i, parts) => (i % 2 === 1 ? [...acc, { filename: part, status: parts[i - 1]! }] : acc),
        [],
      )
      .slice(0, 300);
  }

  private contents(path: string, ref: string, accept: string): Answer {
    const sha = this.resolve(ref);
    if (!sha) return { status: 404, json: { message: 'No commit found for the ref' } };
    let type: string;
    try {
      type = this.git('cat-file', '-t', `${sha}:${path}`).trim();
    } catch {
      return { status: 404, json: { message: 'Not Found' } };
    }
    if (type === 'tree') return { status: 200, json: [] };
    const bytes = this.gitBytes('cat-file', 'blob', `${sha}:${path}`);
    if (/raw/.test(accept) && !this.options.without?.rawContents)
      return { status: 200, raw: bytes, contentType: 'text/plain; charset=utf-8' };
    return {
      status: 200,
      json: {
        type: 'file',
        encoding: 'base64',
        size: bytes.length,
        name: path.split('/').pop(),
        path,
        content: wrap64(bytes),
      },
    };
  }

  private blob(sha: string): Answer {
    if (!/^[0-9a-f]{40}$/.test(sha))
      return { status: 422, json: { message: 'The sha parameter must be exactly 40 characters' } };
    let type = '';
    try {
      type = this.git('cat-file', '-t', sha).trim();
    } catch {
      // missing
    }
    if (type !== 'blob') return { status: 404, json: { message: 'Not Found' } };
    const bytes = this.gitBytes('cat-file', 'blob', sha);
    return { status: 200, json: { sha, size: bytes.length, encoding: 'base64', content: wrap64(bytes) } };
  }

  private tree(ref: string, recursive: string | null): Answer {
    let tree: string;
    try {
      tree = this.git('rev-parse', '--verify', `${ref}^{tree}`).trim();
    } catch {
      return { status: 404, json: { message: 'Not Found' } };
    }
    const args = recursive ? ['ls-tree', '-r', '-t', '-z', tree] : ['ls-tree', '-z', tree];
    const entries = this.git(...args)
      .split('\0')
      .filter(Boolean)
      .map((line) => {
        const [meta, path] = line.split('\t') as [string, string];
        const [mode, type, sha] = meta.split(' ') as [string, string, string];
        return { path, mode, type, sha };
      });
    return { status: 200, json: { sha: tree, tree: entries, truncated: false } };
  }

  /** Like GitHub: a redirect to the archive host (here the same server, under /_codeload/). */
  private tarball(ref: string): Answer {
    const sha = this.resolve(ref);
    if (!sha) return { status: 404, json: { message: 'Not Found' } };
    return {
      status: 302,
      json: {},
      headers: { location: `${new URL(this.url).origin}/_codeload/${this.owner}/${this.repo}/legacy.tar.gz/${sha}` },
    };
  }
}

interface ApiCommit {
  sha: string;
  commit: {
    author: { name: string; email: string; date: string };
    committer: { name: string; email: string; date: string };
    message: string;
    tree: { sha: string };
  };
  author: null;
  committer: null;
  parents: Array<{ sha: string }>;
  html_url: string;
}

interface ApiFile {
  sha: string;
  filename: string;
  status: string;
  additions: number;
  deletions: number;
  changes: number;
  blob_url: string;
  patch?: string;
  previous_filename?: string;
}

interface Answer {
  status: number;
  json?: unknown;
  raw?: Buffer;
  contentType?: string;
  headers?: Record<string, string>;
}

function paginate<T>(
  items: readonly T[],
  url: URL,
  base: string,
  defaultPer: number,
  maxPer: number,
  map: (item: T) => unknown = (x) => x,
): Answer {
  const perPage = Math.min(maxPer, Number(url.searchParams.get('per_page') ?? defaultPer) || defaultPer);
  const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
  return {
    status: 200,
    json: items.slice((page - 1) * perPage, page * perPage).map(map),
    headers: linkHeader(base, url, page, Math.ceil(items.length / perPage)),
  };
}

function linkHeader(base: string, url: URL, page: number, pages: number): Record<string, string> {
  if (pages <= 1) return {};
  const at = (n: number): string => {
    const params = new URLSearchParams(url.searchParams);
    params.set('page', String(n));
    return `<${base}?${params.toString()}>`;
  };
  const links: string[] = [];
  if (page < pages) links.push(`${at(page + 1)}; rel="next"`, `${at(pages)}; rel="last"`);
  if (page > 1) links.push(`${at(1)}; rel="first"`, `${at(page - 1)}; rel="prev"`);
  return links.length > 0 ? { link: links.join(', ') } : {};
}

/** Base64 in lines of 60, as the blob and contents APIs send it. */
function wrap64(bytes: Buffer): string {
  return (bytes.toString('base64').match(/.{1,60}/g) ?? []).join('\n') + '\n';
}

function send(res: ServerResponse, status: number, json: unknown, headers: Record<string, string> = {}): void {
  const body = Buffer.from(JSON.stringify(json));
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': body.length,
    ...headers,
  });
  res.end(body);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
