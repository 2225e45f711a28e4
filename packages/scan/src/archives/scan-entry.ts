/**
 * One entry's bytes → secrets with positions, exactly as a file of that size on disk would give them: an entry
 * that fits the tree scan's read buffer goes through core's `scanContent`; a larger one (a database dump or a
 * bundle inside an image) through the tree scan's large-file path — windows around anchors, lines counted only
 * up to the findings — which also never decodes hundreds of megabytes into one string.
 */
import { encodedFields, scanContent, sniff, syntaxForPath, type Encoding, type RuleId } from '@statalog/core';
import type { ScanOptions } from '../files/batch.js';
import { PositionCounter } from '../files/positions.js';
import { scanWindows, type ByteHit } from '../files/anchor-windows.js';

/** The tree scan's read buffer (files/scan-file.ts BUFFER_SIZE): larger entries take the windowed path. */
const LARGE_ENTRY = 4 * 1024 * 1024;

export interface EntryMatch {
  ruleId: RuleId;
  line: number;
  column: number;
  secret: string;
  encoding?: Encoding;
  length?: number;
}

export function scanEntry(
  bytes: Uint8Array,
  name: string,
  options: ScanOptions,
): { binary: boolean; matches: EntryMatch[] } {
  const sniffed = bytes.length > LARGE_ENTRY ? sniff(bytes) : undefined;
  // UTF-16 is rare this large; core's pipeline decodes it whole
  if (sniffed === undefined || sniffed.kind === 'utf16') return scanContent(bytes, name, options);
  const binary = sniffed.kind === 'binary';
  const start = sniffed.kind === 'utf8' ? sniffed.start : 0;
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const found: ByteHit[] = [];
  const region = {
    buf,
    from: start,
    to: buf.length,
    dataStart: start,
    dataEnd: buf.length,
    base: 0,
    atStreamStart: true,
    atStreamEnd: true,
    binary,
  };
  scanWindows(region, { ...options, syntax: syntaxForPath(name) }, new Set(), found);
  if (found.length === 0) return { binary, matches: [] };
  found.sort((a, b) => a.offset - b.offset);
  const counter = new PositionCounter(
    found.map((h) => h.offset),
    start,
  );
  counter.feed(buf, start, buf.length);
  return {
    binary,
    matches: found.map((h, i) => ({
      ruleId: h.ruleId,
      secret: h.secret,
      ...counter.positions[i]!,
      ...encodedFields(h),
    })),
  };
}
