/**
 * Incremental parser for git's raw diff format with `-z` (`git diff --raw -z`, `git log --raw -z`), including
 * the combined format merges get with `-c` (`::mode mode mode blob blob blob MM\0path\0`) and commit headers
 * written by our own `--format`. Positional: every path is read as the token that must come next, so a file
 * named `:x` or one holding control characters can never be mistaken for a record.
 */

export const ZERO_OID = /^0+$/;

/** One changed path, as git describes it: blobs on each parent side, and the blob after the change. */
export interface RawChange {
  /** `A` `M` `D` `R` `C` `T` `U` (one letter per parent in the combined format). */
  status: string;
  /** Blob on each parent side; `undefined` where the path did not exist (additions, the empty side). */
  parentBlobs: Array<string | undefined>;
  /** Blob after the change; `undefined` for deletions. */
  blob: string | undefined;
  /** Mode after the change (`100644`, `100755`, `120000` symlink, `160000` submodule). */
  mode: string;
  path: string;
  /** Source path of a rename or copy. */
  fromPath?: string;
}

export interface CommitHeader {
  sha: string;
  parents: string[];
  author: string;
  date: string;
}

/** `--format` for `git log` that `RawDiffParser` understands: \x01 sha \0 parents \0 author \0 date. */
export const COMMIT_FORMAT = '%x01%H%x00%P%x00%an <%ae>%x00%aI';
const HEADER_FIELDS = 4;

export interface RawDiffHandlers {
  commit?(header: CommitHeader): void;
  change(change: RawChange): void;
}

type State =
  | { kind: 'record' }
  | { kind: 'header'; fields: string[] }
  | { kind: 'paths'; meta: Omit<RawChange, 'path'>; need: number; got: string[] };

export class RawDiffParser {
  private rest = '';
  private state: State = { kind: 'record' };

  constructor(private readonly handlers: RawDiffHandlers) {}

  /** Feed decoded text (use a StringDecoder / `setEncoding('utf8')` so characters are never split). */
  push(text: string): void {
    let data = this.rest + text;
    let from = 0;
    for (let nul = data.indexOf('\0', from); nul !== -1; nul = data.indexOf('\0', from)) {
      this.token(data.slice(from, nul));
      from = nul + 1;
    }
    this.rest = data.slice(from);
    data = '';
  }

  /** Call once the stream has ended; throws if it ended in the middle of a record. */
  end(): void {
    if (this.rest !== '') this.token(this.rest);
    this.rest = '';
    if (this.state.kind === 'header') this.finishHeader();
    if (this.state.kind !== 'record') throw new Error('git raw diff output ended in the middle of a record');
  }

  private token(raw: string): void {
    const state = this.state;
    if (state.kind === 'paths') {
      state.got.push(raw);
      if (state.got.length === state.need) {
        const [first, second] = state.got as [string, string | undefined];
        this.state = { kind: 'record' };
        if (second === undefined) this.handlers.change({ ...state.meta, path: first });
        else this.handlers.change({ ...state.meta, fromPath: first, path: second });
      }
      return;
    }
    if (state.kind === 'header') {
      if (state.fields.length < HEADER_FIELDS) {
        state.fields.push(raw);
        if (state.fields.length === HEADER_FIELDS) this.finishHeader();
        return;
      }
    }
    // between records git may put a newline (after a commit header) or an empty token (merges, empty commits)
    const t = raw.charCodeAt(0) === 0x0a ? raw.slice(1) : raw;
    if (t === '') return;
    if (t.charCodeAt(0) === 0x01) {
      this.state = { kind: 'header', fields: [t.slice(1)] };
      return;
    }
    if (t.charCodeAt(0) === 0x3a /* : */) {
      const meta = parseMeta(t);
      this.state = { kind: 'paths', meta, need: meta.status.length === 1 && (meta.status[0] === 'R' || meta.status[0] === 'C') ? 2 : 1, got: [] };
      return;
    }
    throw new Error(`unexpected token in git raw diff output (${JSON.stringify(t.slice(0, 20))})`);
  }

  private finishHeader(): void {
    const state = this.state as { kind: 'header'; fields: string[] };
    const [sha = '', parents = '', author = '', date = ''] = state.fields;
    this.state = { kind: 'record' };
    this.handlers.commit?.({ sha, parents: parents === '' ? [] : parents.split(' '), author, date });
  }
}

/**
 * `:100644 100644 <old> <new> M` or, combined, `::100644 100644 100644 <p1> <p2> <new> MM`. Rename and copy
 * statuses carry a score (`R086`); only the letter is kept.
 */
function parseMeta(token: string): Omit<RawChange, 'path'> {
  let colons = 0;
  while (token.charCodeAt(colons) === 0x3a) colons++;
  const fields = token.slice(colons).split(' ');
  // colons = number of parents; fields: modes (parents + 1), blobs (parents + 1), status
  const parents = colons;
  const mode = fields[parents] ?? '';
  const parentBlobs = fields.slice(parents + 1, parents + 1 + parents).map((b) => (ZERO_OID.test(b) ? undefined : b));
  const after = fields[parents * 2 + 1] ?? '';
  const status = (fields[parents * 2 + 2] ?? '').replace(/[0-9]+$/, '');
  if (status === '' || after === '') throw new Error('malformed record in git raw diff output');
  return { status, parentBlobs, blob: ZERO_OID.test(after) ? undefined : after, mode };
}
