/**
 * A zip reader over bytes in memory (`.zip`, `.jar`, `.war`, `.whl`, …): the central directory (zip64
 * included) says where each entry is; stored entries are views into the buffer, deflated ones are inflated
 * by `inflate` (bounded by the caller's budget). Without a central directory — a truncated download — the
 * archive is reported as damaged; nothing is guessed.
 */
import { decodeName, noBytes, type ArchiveEntry } from './entry.js';
import { DamagedArchive, EntryProblem } from './problems.js';

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX16 = 0xffff;
const MAX32 = 0xffffffff;

export function* zipEntries(bytes: Uint8Array, inflate: (data: Uint8Array) => Uint8Array): Generator<ArchiveEntry> {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = findEnd(buf);
  if (end === -1) {
    // a cut-off download: the directory at the end is gone, the entries before the cut are still there
    yield* localEntries(buf, inflate);
    throw new DamagedArchive(
      'truncated or damaged zip (no central directory): the entries before the damage were read, the rest was not',
    );
  }
  let count = buf.readUInt16LE(end + 10);
  let offset = buf.readUInt32LE(end + 16);
  if (count === MAX16 || offset === MAX32) {
    const locator = end - 20;
    if (locator < 0 || buf.readUInt32LE(locator) !== ZIP64_LOCATOR)
      throw new DamagedArchive('damaged zip64 directory; not read');
    const record = Number(buf.readBigUInt64LE(locator + 8));
    if (record + 56 > buf.length || buf.readUInt32LE(record) !== ZIP64_EOCD)
      throw new DamagedArchive('damaged zip64 directory; not read');
    count = Number(buf.readBigUInt64LE(record + 32));
    offset = Number(buf.readBigUInt64LE(record + 48));
  }
  const records: ZipRecord[] = [];
  let at = offset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > buf.length || buf.readUInt32LE(at) !== CENTRAL) {
      // the entries listed so far are read; the directory's damage is reported after them
      yield* entriesOf(buf, records, inflate);
      throw new DamagedArchive(`damaged zip directory (entry ${i + 1} of ${count}); the rest was not read`);
    }
    const madeBy = buf.readUInt16LE(at + 4);
    const flags = buf.readUInt16LE(at + 8);
    const method = buf.readUInt16LE(at + 10);
    let compressed = buf.readUInt32LE(at + 20);
    let size = buf.readUInt32LE(at + 24);
    const nameLength = buf.readUInt16LE(at + 28);
    const extraLength = buf.readUInt16LE(at + 30);
    const commentLength = buf.readUInt16LE(at + 32);
    const mode = buf.readUInt32LE(at + 38) >>> 16;
    let local = buf.readUInt32LE(at + 42);
    const name = decodeName(buf.subarray(at + 46, at + 46 + nameLength));
    const extra = buf.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength);
    at += 46 + nameLength + extraLength + commentLength;
    if (size === MAX32 || compressed === MAX32 || local === MAX32) {
      const z64 = zip64Fields(extra, size === MAX32, compressed === MAX32, local === MAX32);
      size = z64.size ?? size;
      compressed = z64.compressed ?? compressed;
      local = z64.local ?? local;
    }
    const unix = madeBy >> 8 === 3 ? mode & 0o170000 : 0;
    const type: ArchiveEntry['type'] =
      name.endsWith('/') || unix === 0o040000
        ? 'directory'
        : unix === 0o120000
          ? 'link'
          : unix !== 0 && unix !== 0o100000
            ? 'special'
            : 'file';
    records.push({ name, type, flags, method, compressed, local, overlaps: false });
  }
  yield* entriesOf(buf, records, inflate);
}

interface ZipRecord {
  name: string;
  type: ArchiveEntry['type'];
  flags: number;
  method: number;
  compressed: number;
  local: number;
  /** Its data shares bytes with another entry's: the trick of the non-recursive zip bombs. */
  overlaps: boolean;
}

function* entriesOf(
  buf: Buffer,
  records: ZipRecord[],
  inflate: (data: Uint8Array) => Uint8Array,
): Generator<ArchiveEntry> {
  markOverlaps(buf, records);
  for (const r of records) {
    if (r.type !== 'file') yield { name: r.name, type: r.type, read: noBytes };
    else if (r.overlaps) yield { name: r.name, type: 'file', read: overlapping };
    else
      yield {
        name: r.name,
        type: 'file',
        read: () => entryBytes(buf, r.local, r.compressed, r.method, r.flags, inflate),
      };
  }
}

function overlapping(): never {
  throw new EntryProblem('shares its data with another entry (an overlapping zip bomb?); not read');
}

/** Entries in the order of their data: each must start after the previous one's data ends. */
function markOverlaps(buf: Buffer, records: ZipRecord[]): void {
  const files = records.filter((r) => r.type === 'file').sort((a, b) => a.local - b.local);
  let end = -1;
  for (const r of files) {
    if (r.local < end) r.overlaps = true;
    const header = r.local + 30 <= buf.length ? buf.readUInt16LE(r.local + 26) + buf.readUInt16LE(r.local + 28) : 0;
    end = Math.max(end, r.local + 30 + header + r.compressed);
  }
}

function entryBytes(
  buf: Buffer,
  local: number,
  compressed: number,
  method: number,
  flags: number,
  inflate: (data: Uint8Array) => Uint8Array,
): Uint8Array {
  if (local + 30 > buf.length || buf.readUInt32LE(local) !== LOCAL)
    throw new EntryProblem('damaged zip entry (no local header where the directory says); not read');
  if (flags & 1) throw new EntryProblem('encrypted zip entry; not read');
  const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
  if (start + compressed > buf.length) throw new EntryProblem('zip entry runs past the end of the archive; not read');
  const data = buf.subarray(start, start + compressed);
  switch (method) {
    case 0:
      return data;
    case 8:
      return inflate(data);
    default:
      throw new EntryProblem(`zip compression method ${method} is not supported; not read`);
  }
}

/** The end-of-central-directory record: in the last 64 KiB + 22 bytes (a comment may follow it). */
function findEnd(buf: Buffer): number {
  for (let at = buf.length - 22; at >= 0 && at >= buf.length - 22 - MAX16; at--) {
    if (buf.readUInt32LE(at) === EOCD && at + 22 + buf.readUInt16LE(at + 20) <= buf.length) return at;
  }
  return -1;
}

/**
 * Without a central directory: the local headers from the start, one after the other, while each says how
 * long its data is. An entry written with a data descriptor (sizes after the data, flag bit 3) does not say
 * so: the walk stops there, and the caller reports the rest as not read.
 */
function* localEntries(buf: Buffer, inflate: (data: Uint8Array) => Uint8Array): Generator<ArchiveEntry> {
  let at = 0;
  while (at + 30 <= buf.length && buf.readUInt32LE(at) === LOCAL) {
    const flags = buf.readUInt16LE(at + 6);
    const method = buf.readUInt16LE(at + 8);
    const compressed = buf.readUInt32LE(at + 18);
    const nameLength = buf.readUInt16LE(at + 26);
    const extraLength = buf.readUInt16LE(at + 28);
    if (flags & 8 || compressed === MAX32) return;
    const name = decodeName(buf.subarray(at + 30, at + 30 + nameLength));
    const start = at + 30 + nameLength + extraLength;
    if (start + compressed > buf.length) {
      // cut inside this entry: what is there of a stored entry is searched; a deflated one cannot be
      const local = at;
      if (method === 0 && !(flags & 1)) yield { name, type: 'file', read: () => buf.subarray(start), truncated: true };
      else yield { name, type: 'file', read: () => entryBytes(buf, local, compressed, method, flags, inflate) };
      return;
    }
    const local = at;
    if (!name.endsWith('/'))
      yield { name, type: 'file', read: () => entryBytes(buf, local, compressed, method, flags, inflate) };
    at = start + compressed;
  }
}

/** The zip64 extra field (id 1): the 8-byte values that did not fit, in this order. */
function zip64Fields(
  extra: Buffer,
  hasSize: boolean,
  hasCompressed: boolean,
  hasLocal: boolean,
): { size?: number; compressed?: number; local?: number } {
  for (let at = 0; at + 4 <= extra.length;) {
    const id = extra.readUInt16LE(at);
    const length = extra.readUInt16LE(at + 2);
    if (id === 1) {
      const out: { size?: number; compressed?: number; local?: number } = {};
      let p = at + 4;
      const next = (): number | undefined =>
        p + 8 <= at + 4 + length && p + 8 <= extra.length ? Number(extra.readBigUInt64LE((p += 8) - 8)) : undefined;
      if (hasSize) out.size = next();
      if (hasCompressed) out.compressed = next();
      if (hasLocal) out.local = next();
      return out;
    }
    at += 4 + length;
  }
  return {};
}
