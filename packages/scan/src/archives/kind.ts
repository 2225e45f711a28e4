/**
 * Which bytes are an archive the scanner opens. Decided by magic bytes, not by name: a layer blob in an OCI
 * layout (`blobs/sha256/…`) or in a `docker save` tarball has no extension, and a `.jar`, `.war` or `.whl` is
 * a zip under another name. Every zip (`.docx` and `.apk` too), every gzip stream and every POSIX/GNU tar is
 * opened; a file that only carries an archive's extension is scanned as the file it is.
 */

export type ArchiveKind = 'zip' | 'gzip' | 'tar';

export function archiveKind(bytes: Uint8Array): ArchiveKind | undefined {
  const head = wordAt(bytes, 0);
  if (bytes.length >= 4 && (head === 0x504b0304 || head === 0x504b0506)) return 'zip';
  if (bytes.length >= 3 && head >> 8 === 0x1f8b08) return 'gzip';
  if (isTar(bytes)) return 'tar';
  return undefined;
}

/** `ustar\0` (POSIX, pax) or `ustar ` (GNU) at offset 257 of the first header. */
export function isTar(b: Uint8Array): boolean {
  return b.length >= 512 && wordAt(b, 257) === 0x75737461 && b[261] === 0x72 && (b[262] === 0 || b[262] === 0x20);
}

/**
 * Compressed streams this reader cannot open (Node 20 has no zstd, xz or bzip2): zstd OCI layers
 * (`tar+zstd`), `.tar.xz`, `.tar.bz2`. Their raw bytes are still searched as binary, but their contents
 * are not, so they are reported as not scanned — never passed as clean.
 */
export function unopenableKind(b: Uint8Array): 'zstd' | 'xz' | 'bzip2' | undefined {
  const head = wordAt(b, 0);
  if (b.length >= 4 && head === 0x28b52ffd) return 'zstd';
  if (b.length >= 6 && head === (0xfd377a58 | 0) && b[4] === 0x5a && b[5] === 0) return 'xz';
  // "BZh" + block size + the block magic (the digits of pi): a text file starting "BZh9" is not enough
  if (
    b.length >= 10 &&
    head >> 8 === 0x425a68 &&
    (head & 0xff) >= 0x31 &&
    (head & 0xff) <= 0x39 &&
    wordAt(b, 4) === 0x31415926 &&
    b[8] === 0x53 &&
    b[9] === 0x59
  )
    return 'bzip2';
  return undefined;
}

/**
 * The four bytes at `at` as one big-endian 32-bit integer (signed, so it stays a small integer for V8; missing
 * bytes read as 0). Every file of a tree is asked for its first word, and the bytes are read in one place that
 * always runs: a comparison chain reads its third byte only for the rare file whose first two match, and V8
 * threw the scan's optimised code away at the first such file.
 */
function wordAt(b: Uint8Array, at: number): number {
  const byte = (k: number): number => (at + k < b.length ? b[at + k]! : 0);
  return (byte(0) << 24) | (byte(1) << 16) | (byte(2) << 8) | byte(3);
}

export function unopenableReason(kind: 'zstd' | 'xz' | 'bzip2'): string {
  return `${kind}-compressed: this version cannot open it (its raw bytes were searched as a binary file)`;
}
