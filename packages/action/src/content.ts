/** Whole-file scanning, for blobs the API sends without a patch and for tree scans. */
import { createLineIndex, detect, syntaxForPath } from '@statalog/core';
import type { Hit, ScanOptions } from './patch.js';

/** Git's own test: a NUL byte in the first 8000 bytes makes a file binary. */
export function isBinary(bytes: Uint8Array): boolean {
  const end = Math.min(bytes.length, 8000);
  for (let i = 0; i < end; i++) if (bytes[i] === 0) return true;
  return false;
}

const utf8 = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false });

export function decodeText(bytes: Uint8Array): string {
  return utf8.decode(bytes);
}

export function scanWhole(text: string, file: string, options: ScanOptions): Hit[] {
  const matches = detect(text, { syntax: syntaxForPath(file), selfHostedHosts: options.selfHostedHosts });
  if (matches.length === 0) return [];
  const lines = createLineIndex(text);
  return matches.map((m) => ({ ruleId: m.ruleId, file, ...lines.position(m.start), secret: m.secret }));
}
