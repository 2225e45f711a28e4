/**
 * `statalog-scan -`: standard input as one file or archive (`docker save app | statalog-scan -`), read into
 * memory up to the archive size cap. Findings name it `stdin` (`stdin!blobs/sha256/…!app/.env`).
 */
import { encodedFields, scanContent } from '@statalog/core';
import { archiveKind, formatBytes, scanArchive, type ArchiveLimits, type ArchiveScan } from '../archives/index.js';
import type { ScanOptions } from './batch.js';

export const STDIN_NAME = 'stdin';

export async function readStdin(
  input: NodeJS.ReadableStream,
  maxBytes: number,
): Promise<{ bytes: Buffer; complete: boolean }> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of input as AsyncIterable<Buffer | string>) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (total + buf.length > maxBytes) {
      chunks.push(buf.subarray(0, maxBytes - total));
      total = maxBytes;
      // stop reading: the writer gets EPIPE, as with `| head`
      (input as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
      return { bytes: Buffer.concat(chunks, total), complete: false };
    }
    chunks.push(buf);
    total += buf.length;
  }
  return { bytes: Buffer.concat(chunks, total), complete: true };
}

/** Standard input's bytes as one file (or archive) named `stdin`; `complete: false` when it passed the cap. */
export function scanStdin(bytes: Buffer, complete: boolean, options: ScanOptions, limits: ArchiveLimits): ArchiveScan {
  let scanned: ArchiveScan;
  if (limits.depth > 0 && archiveKind(bytes)) {
    scanned = scanArchive(bytes, STDIN_NAME, options, limits);
  } else {
    const { binary, matches } = scanContent(bytes, STDIN_NAME, options);
    scanned = {
      files: 1,
      bytes: bytes.length,
      binary: binary ? 1 : 0,
      hits: matches.map((m) => ({
        entry: '',
        ruleId: m.ruleId,
        line: m.line,
        column: m.column,
        secret: m.secret,
        ...encodedFields(m),
      })),
      skipped: [],
    };
  }
  if (!complete)
    scanned.skipped.push({
      entry: '',
      reason: `standard input is larger than the size cap (${formatBytes(limits.maxBytes)}, --archive-max-size): only its start was read`,
      error: true,
    });
  return scanned;
}
