/**
 * A tar reader over bytes in memory: POSIX ustar (with its `prefix` field), pax extended headers (`path`,
 * `linkpath`, `size`), GNU long names (`L`) and base-256 sizes. Entries are views into the buffer, never
 * copies. A damaged header or a cut-off archive ends the listing with a `DamagedArchive` after the entries
 * before it were handed over.
 */
import { decodeName, noBytes, type ArchiveEntry } from './entry.js';
import { DamagedArchive } from './problems.js';

const BLOCK = 512;

export function* tarEntries(buf: Uint8Array): Generator<ArchiveEntry> {
  let at = 0;
  let pax: Map<string, string> | undefined;
  let globalPax: Map<string, string> | undefined;
  let longName: string | undefined;
  while (at + BLOCK <= buf.length) {
    const header = buf.subarray(at, at + BLOCK);
    if (isZero(header)) return; // the end-of-archive marker
    if (!checksumOk(header)) throw new DamagedArchive(`damaged tar header at byte ${at}; the rest was not read`);
    const size = Number(pax?.get('size') ?? globalPax?.get('size') ?? readNumber(header, 124, 12));
    if (!Number.isSafeInteger(size) || size < 0)
      throw new DamagedArchive(`damaged tar header at byte ${at}; the rest was not read`);
    const start = at + BLOCK;
    const end = start + size;
    const truncated = end > buf.length;
    const data = buf.subarray(start, Math.min(end, buf.length));
    at = start + Math.ceil(size / BLOCK) * BLOCK;
    const type = String.fromCharCode(header[156]!);
    if (type === 'x' || type === 'g' || type === 'L' || type === 'K') {
      if (truncated) throw new DamagedArchive('truncated inside a tar header; the rest was not read');
      if (type === 'x') pax = parsePax(data);
      else if (type === 'g') globalPax = new Map([...(globalPax ?? []), ...parsePax(data)]);
      else if (type === 'L') longName = cString(data);
      continue; // 'K' (a GNU long link target) names nothing that is read
    }
    // a pax sparse file is stored as GNUSparseFile.N/name; its real name is in GNU.sparse.name
    const name =
      pax?.get('GNU.sparse.name') ?? pax?.get('path') ?? longName ?? globalPax?.get('path') ?? headerName(header);
    pax = undefined;
    longName = undefined;
    const kind = entryType(type);
    yield { name, type: kind, read: kind === 'file' ? () => data : noBytes, truncated };
    if (truncated) return;
  }
  if (at < buf.length) throw new DamagedArchive('truncated inside a tar header; the rest was not read');
  // every tar writer ends with zero blocks: without them the archive was cut off at an entry's edge
  throw new DamagedArchive('truncated: no end-of-archive marker, entries may be missing');
}

function entryType(type: string): ArchiveEntry['type'] {
  switch (type) {
    case '0':
    case '\0':
    case '7':
    case 'S': // a GNU sparse file: its data is the parts that are not holes — where a key would be
      return 'file';
    case '5':
      return 'directory';
    case '1':
    case '2':
      return 'link';
    default:
      return 'special'; // devices, FIFOs, and types this reader does not know
  }
}

function headerName(h: Uint8Array): string {
  const name = cString(h.subarray(0, 100));
  // POSIX ustar ("ustar\0"): a long path is split into prefix/name; GNU tar ("ustar ") uses that field otherwise
  const posix = h[257] === 0x75 && h[262] === 0 && h[263] === 0x30 && h[264] === 0x30;
  const prefix = posix ? cString(h.subarray(345, 500)) : '';
  return prefix ? `${prefix}/${name}` : name;
}

function cString(bytes: Uint8Array): string {
  const nul = bytes.indexOf(0);
  return decodeName(nul === -1 ? bytes : bytes.subarray(0, nul));
}

/** Octal text (NUL- or space-terminated), or base-256 when the high bit of the first byte is set (GNU). */
function readNumber(h: Uint8Array, offset: number, length: number): number {
  const field = h.subarray(offset, offset + length);
  if (field[0]! & 0x80) {
    let n = field[0]! & 0x7f;
    for (let i = 1; i < field.length; i++) n = n * 256 + field[i]!;
    return n;
  }
  const text = String.fromCharCode(...field)
    .replace(/[\0 ]+$/, '')
    .trim();
  if (text === '') return 0;
  return /^[0-7]+$/.test(text) ? parseInt(text, 8) : NaN;
}

function checksumOk(h: Uint8Array): boolean {
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const b = i >= 148 && i < 156 ? 0x20 : h[i]!;
    unsigned += b;
    signed += b > 127 ? b - 256 : b;
  }
  const stored = readNumber(h, 148, 8);
  return stored === unsigned || stored === signed;
}

function isZero(block: Uint8Array): boolean {
  for (let i = 0; i < block.length; i++) if (block[i] !== 0) return false;
  return true;
}

/** pax records: `<length> <key>=<value>\n`, the length counting the whole record. */
function parsePax(data: Uint8Array): Map<string, string> {
  const records = new Map<string, string>();
  let at = 0;
  while (at < data.length) {
    const space = data.indexOf(0x20, at);
    if (space === -1) break;
    const length = Number(String.fromCharCode(...data.subarray(at, space)));
    if (!Number.isInteger(length) || length <= space - at || at + length > data.length) break;
    const record = decodeName(data.subarray(space + 1, at + length - 1));
    const eq = record.indexOf('=');
    if (eq > 0) records.set(record.slice(0, eq), record.slice(eq + 1));
    at += length;
  }
  return records;
}
