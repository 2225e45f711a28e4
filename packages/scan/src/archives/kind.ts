/**
 * Which bytes are an archive the scanner opens. Decided by magic bytes, not by name: a layer blob in an OCI
 * layout (`blobs/sha256/…`) or in a `docker save` tarball has no extension, and a `.jar`, `.war` or `.whl` is
 * a zip under another name. Every zip (`.docx` and `.apk` too), every gzip stream and every POSIX/GNU tar is
 * opened; a file that only carries an archive's extension is scanned as the file it is.
 */

export type ArchiveKind = 'zip' | 'gzip' | 'tar';

/** Bytes needed to tell a tar (its `ustar` magic sits at offset 257). */
export const KIND_SNIFF = 512;

export function archiveKind(bytes: Uint8Array): ArchiveKind | undefined {
  const b = bytes;
  if (b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && ((b[2] === 0x03 && b[3] === 0x04) || (b[2] === 0x05 && b[3] === 0x06))) return 'zip';
  if (b.length >= 3 && b[0] === 0x1f && b[1] === 0x8b && b[2] === 0x08) return 'gzip';
  if (isTar(b)) return 'tar';
  return undefined;
}

/** `ustar\0` (POSIX, pax) or `ustar ` (GNU) at offset 257 of the first header. */
export function isTar(b: Uint8Array): boolean {
  return b.length >= 512 && b[257] === 0x75 && b[258] === 0x73 && b[259] === 0x74 && b[260] === 0x61 && b[261] === 0x72 && (b[262] === 0 || b[262] === 0x20);
}
