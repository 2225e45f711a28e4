/** One member of an archive, as the readers hand it over: a name and, for a regular file, a way to its bytes. */
export interface ArchiveEntry {
  /** As stored: `../`, absolute and odd names are kept — they are names, nothing is ever written. */
  name: string;
  /** `link`: a symbolic or hard link; `special`: a device or FIFO. Neither has bytes to search. */
  type: 'file' | 'directory' | 'link' | 'special';
  /** The entry's bytes (may throw an `EntryProblem`). */
  read(): Uint8Array;
  /** The archive ends inside this entry: `read()` gives what is there. */
  truncated?: boolean;
}

const utf8 = new TextDecoder('utf-8');

export function decodeName(bytes: Uint8Array): string {
  return utf8.decode(bytes);
}

export const noBytes = (): Uint8Array => new Uint8Array(0);
