/**
 * A minimal reader for the tar archives GitHub's tarball endpoint (git archive) produces: ustar headers,
 * pax extended headers for long names, GNU long names. Regular files only; links, directories and devices
 * are not content.
 */
import { gunzipSync } from 'node:zlib';

export interface TarFile {
  /** Path inside the archive with the archive's top directory (`owner-repo-sha/`) removed. */
  path: string;
  data: Uint8Array;
}

const BLOCK = 512;

export function readTarball(gzipped: Uint8Array): TarFile[] {
  return readTar(gunzipSync(gzipped));
}

function readTar(tar: Uint8Array): TarFile[] {
  const files: TarFile[] = [];
  let offset = 0;
  let longName: string | undefined;
  while (offset + BLOCK <= tar.length) {
    const header = tar.subarray(offset, offset + BLOCK);
    if (header.every((b) => b === 0)) break;
    const size = readSize(header.subarray(124, 136));
    const type = String.fromCharCode(header[156] ?? 0);
    const dataStart = offset + BLOCK;
    const data = tar.subarray(dataStart, dataStart + size);
    offset = dataStart + Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'x') {
      longName = paxPath(data) ?? longName;
      continue;
    }
    if (type === 'L') {
      longName = text(data).replace(/\0+$/, '');
      continue;
    }
    if (type === 'g') continue; // global pax header (git archive puts the commit id there)
    const name = longName ?? joinName(text(header.subarray(345, 500)), text(header.subarray(0, 100)));
    longName = undefined;
    if (type !== '0' && type !== '\0' && type !== '7') continue;
    const slash = name.indexOf('/');
    const path = slash >= 0 ? name.slice(slash + 1) : name;
    if (path !== '') files.push({ path, data });
  }
  return files;
}

function readSize(field: Uint8Array): number {
  if ((field[0]! & 0x80) !== 0) {
    // base-256 for sizes past 8 GiB
    let value = 0;
    for (let i = 1; i < field.length; i++) value = value * 256 + field[i]!;
    return value;
  }
  const octal = text(field)
    .replace(/[\0 ]+$/g, '')
    .trim();
  return octal === '' ? 0 : parseInt(octal, 8);
}

function text(bytes: Uint8Array): string {
  const end = bytes.indexOf(0);
  return Buffer.from(end >= 0 ? bytes.subarray(0, end) : bytes).toString('utf8');
}

function joinName(prefix: string, name: string): string {
  return prefix === '' ? name : `${prefix}/${name}`;
}

/** `path=` from pax records (`<length> <key>=<value>\n`, length in bytes). */
function paxPath(data: Uint8Array): string | undefined {
  const buf = Buffer.from(data);
  let at = 0;
  let path: string | undefined;
  while (at < buf.length) {
    const space = buf.indexOf(0x20, at);
    if (space < 0) break;
    const length = Number(buf.subarray(at, space).toString('ascii'));
    if (!Number.isInteger(length) || length <= 0) break;
    const record = buf.subarray(space + 1, at + length - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (eq > 0 && record.slice(0, eq) === 'path') path = record.slice(eq + 1);
    at += length;
  }
  return path;
}
