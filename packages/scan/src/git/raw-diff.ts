/**
 * Incremental parser for git's raw diff format with `-z` (`git diff --raw -z`, `git log --raw -z`), including
 * the combined format merges get with `-c` (`::mode mode mode blob blob blob MM\0path\0`) and commit headers
 * written by our own `--format`. Positional: every path is read as the token that must come next, so a file
 * named `:x` or one holding control characters can never be mistaken for a record.
 */

const ZERO_OID = /^0+$/;

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

export class RawDiffParser {
  private rest = '';
  // the record being read, in fields rather than a state object per record: this runs for every path of
  // every commit of a history (tens of thousands per second)
  private state: 'record' | 'header' | 'paths' = 'record';
  private fields: string[] = [];
  private meta: Omit<RawChange, 'path'> | undefined;
  private need = 0;
  private firstPath: string | undefined;

  constructor(private readonly handlers: RawDiffHandlers) {}

  /** Feed decoded text (use a StringDecoder / `setEncoding('utf8')` so characters are never split). */
  push(text: string): void {
    const data = this.rest === '' ? text : this.rest + text;
    let from = 0;
    for (let nul = data.indexOf('\0', from); nul !== -1; nul = data.indexOf('\0', from)) {
      this.token(data.slice(from, nul));
      from = nul + 1;
    }
    this.rest = from === 0 ? data : data.slice(from);
  }

  /** Call once the stream has ended; throws if it ended in the middle of a record. */
  end(): void {
    if (this.rest !== '') this.token(this.rest);
    this.rest = '';
    if (this.state === 'header') this.finishHeader();
    if (this.state !== 'record') throw new Error('git raw diff output ended in the middle of a record');
  }

  private token(raw: string): void {
    if (this.state === 'paths') {
      if (this.need === 2 && this.firstPath === undefined) {
        this.firstPath = raw;
        return;
      }
      const meta = this.meta!;
      const change: RawChange = {
        status: meta.status,
        parentBlobs: meta.parentBlobs,
        blob: meta.blob,
        mode: meta.mode,
        path: raw,
      };
      if (this.firstPath !== undefined) change.fromPath = this.firstPath;
      this.state = 'record';
      this.meta = undefined;
      this.firstPath = undefined;
      this.handlers.change(change);
      return;
    }
    if (this.state === 'header' && this.fields.length < HEADER_FIELDS) {
      this.fields.push(raw);
      if (this.fields.length === HEADER_FIELDS) this.finishHeader();
      return;
    }
    // between records git may put a newline (after a commit header) or an empty token (merges, empty commits)
    const t = raw.charCodeAt(0) === 0x0a ? raw.slice(1) : raw;
    if (t === '') return;
    if (t.charCodeAt(0) === 0x01) {
      this.state = 'header';
      this.fields = [t.slice(1)];
      return;
    }
    if (t.charCodeAt(0) === 0x3a /* : */) {
      const meta = parseMeta(t);
      this.state = 'paths';
      this.meta = meta;
      this.need = meta.status.length === 1 && (meta.status === 'R' || meta.status === 'C') ? 2 : 1;
      return;
    }
    throw new Error(`unexpected token in git raw diff output (${JSON.stringify(t.slice(0, 20))})`);
  }

  private finishHeader(): void {
    const [sha = '', parents = '', author = '', date = ''] = this.fields;
    this.state = 'record';
    this.fields = [];
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
  // colons = number of parents; then modes (parents + 1), blobs (parents + 1), status, space-separated
  const parents = colons;
  const fields: string[] = [];
  for (let at = colons; fields.length < parents * 2 + 3;) {
    const space = token.indexOf(' ', at);
    fields.push(space === -1 ? token.slice(at) : token.slice(at, space));
    if (space === -1) break;
    at = space + 1;
  }
  const mode = fields[parents] ?? '';
  const parentBlobs = new Array<string | undefined>(parents);
  for (let p = 0; p < parents; p++) parentBlobs[p] = oidOrUndefined(fields[parents + 1 + p] ?? '');
  const after = fields[parents * 2 + 1] ?? '';
  const scored = fields[parents * 2 + 2] ?? '';
  let letters = scored.length;
  while (letters > 0 && isDigit(scored.charCodeAt(letters - 1))) letters--;
  const status = letters === scored.length ? scored : scored.slice(0, letters);
  if (status === '' || after === '') throw new Error('malformed record in git raw diff output');
  return { status, parentBlobs, blob: oidOrUndefined(after), mode };
}

const isDigit = (code: number): boolean => code >= 0x30 && code <= 0x39;

/** The all-zero id git writes for "no blob on this side". */
function oidOrUndefined(oid: string): string | undefined {
  return oid.charCodeAt(0) === 0x30 && ZERO_OID.test(oid) ? undefined : oid;
}
