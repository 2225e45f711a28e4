/**
 * Which bytes are an archive the scanner opens. Decided by magic bytes, not by name: a layer blob in an OCI
 * layout (`blobs/sha256/…`) or in a `docker save` tarball has no extension, and a `.jar`, `.war` or `.whl` is
 * a zip under another name. Every zip (`.docx` and `.apk` too), every gzip stream and every POSIX/GNU tar is
 * opened; a file that only carries an archive's extension is scanned as the file it is.
 */

export type ArchiveKind = 'zip' | 'gzip' | 'tar';

export function archiveKind(bytes: Uint8Array): ArchiveKind | undefined {
  const b = bytes;
  if (
    b.length >= 4 &&
    b[0] === 0x50 &&
    b[1] === 0x4b &&
    ((b[2] === 0x03 && b[3] === 0x04) || (b[2] === 0x05 && b[3] === 0x06))
  )
    return 'zip';
  if (b.length >= 3 && b[0] === 0x1f && b[1] === 0x8b && b[2] === 0x08) return 'gzip';
  if (isTar(b)) return 'tar';
  return undefined;
}

/** `ustar\0` (POSIX, pax) or `ustar ` (GNU) at offset 257 of the first header. */
export function isTar(b: Uint8Array): boolean {
  return (
    b.length >= 512 &&
    b[257] === 0x75 &&
    b[258] === 0x73 &&
    b[259] === 0x74 &&
    b[260] === 0x61 &&
    b[261] === 0x72 &&
    (b[262] === 0 || b[262] === 0x20)
  );
}

/**
 * Compressed streams this reader cannot open (Node 20 has no zstd, xz or bzip2): zstd OCI layers
 * (`tar+zstd`), `.tar.xz`, `.tar.bz2`. Their raw bytes are still searched as binary, but their contents
 * are not, so they are reported as not scanned — never passed as clean.
 */
export function unopenableKind(b: Uint8Array): 'zstd' | 'xz' | 'bzip2' | undefined {
  if (b.length >= 4 && b[0] === 0x28 && b[1] === 0xb5 && b[2] === 0x2f && b[3] === 0xfd) return 'zstd';
  if (b.length >= 6 && b[0] === 0xfd && b[1] === 0x37 && b[2] === 0x7a && b[3] === 0x58 && b[4] === 0x5a && b[5] === 0)
    return 'xz';
  // "BZh" + block size + the block magic (the digits of pi): a text file starting "BZh9" is not enough
  if (
    b.length >= 10 &&
    b[0] === 0x42 &&
    b[1] === 0x5a &&
    b[2] === 0x68 &&
    b[3]! >= 0x31 &&
    b[3]! <= 0x39 &&
    b[4] === 0x31 &&
    b[5] === 0x41 &&
    b[6] === 0x59 &&
    b[7] === 0x26 &&
    b[8] === 0x53 &&
    b[9] === 0x59
  )
    return 'bzip2';
  return undefined;
}

export function unopenableReason(kind: 'zstd' | 'xz' | 'bzip2'): string {
  return `${kind}-compressed: this version cannot open it (its raw bytes were searched as a binary file)`;
}
