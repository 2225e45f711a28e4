/**
 * Real archives for the tests, written by Python's `zipfile` and `tarfile` (python3 is on every machine of
 * this project) — not by a writer of our own, so the reader is checked against what other tools produce.
 * Entries can be anything those modules can write: `../` names, symlinks, devices, pax long names.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';

export interface SpecEntry {
  name: string;
  /** File content (absent for links and devices). */
  data?: string | Uint8Array;
  /** File content: this many zero bytes (a bomb, without sending it through a pipe). */
  zeros?: number;
  /** A symbolic link to this target. */
  symlink?: string;
  /** tar only: a character device (major 1, minor 3) or a FIFO. */
  special?: 'chardev' | 'fifo';
  /** zip only: store (no compression); default deflate. */
  stored?: boolean;
  /** zip only: bzip2 (method 12, which the scanner does not read). */
  bzip2?: boolean;
}

const SCRIPT = String.raw`
import base64, io, json, sys, tarfile, zipfile
spec = json.load(sys.stdin)
out = io.BytesIO()
if spec['kind'] == 'zip':
    with zipfile.ZipFile(out, 'w') as z:
        for e in spec['entries']:
            info = zipfile.ZipInfo(e['name'], (2024, 1, 1, 0, 0, 0))
            if 'symlink' in e:
                info.create_system = 3
                info.external_attr = (0o120777 << 16)
                z.writestr(info, e['symlink'])
                continue
            info.compress_type = zipfile.ZIP_STORED if e.get('stored') else zipfile.ZIP_BZIP2 if e.get('bzip2') else zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = (0o100644 << 16)
            z.writestr(info, b'\0' * e['zeros'] if 'zeros' in e else base64.b64decode(e['data']))
else:
    fmt = tarfile.PAX_FORMAT if spec.get('pax') else tarfile.GNU_FORMAT if spec.get('gnu') else tarfile.USTAR_FORMAT
    with tarfile.open(fileobj=out, mode='w', format=fmt) as t:
        for e in spec['entries']:
            info = tarfile.TarInfo(e['name'])
            info.mtime = 1700000000
            if 'symlink' in e:
                info.type = tarfile.SYMTYPE
                info.linkname = e['symlink']
                t.addfile(info)
            elif e.get('special') == 'chardev':
                info.type = tarfile.CHRTYPE
                info.devmajor, info.devminor = 1, 3
                t.addfile(info)
            elif e.get('special') == 'fifo':
                info.type = tarfile.FIFOTYPE
                t.addfile(info)
            else:
                data = b'\0' * e['zeros'] if 'zeros' in e else base64.b64decode(e['data'])
                info.size = len(data)
                t.addfile(info, io.BytesIO(data))
sys.stdout.buffer.write(out.getvalue())
`;

function build(
  kind: 'zip' | 'tar',
  entries: readonly SpecEntry[],
  format: { pax?: boolean; gnu?: boolean } = {},
): Buffer {
  const spec = {
    kind,
    ...format,
    entries: entries.map(({ data, ...e }) =>
      data === undefined ? e : { ...e, data: Buffer.from(data).toString('base64') },
    ),
  };
  const result = spawnSync('python3', ['-c', SCRIPT], { input: JSON.stringify(spec), maxBuffer: 1 << 30 });
  if (result.status !== 0) throw new Error(`python3 could not build the ${kind}: ${result.stderr.toString()}`);
  return result.stdout;
}

export const makeZip = (entries: readonly SpecEntry[]): Buffer => build('zip', entries);
export const makeTar = (entries: readonly SpecEntry[], format: { pax?: boolean; gnu?: boolean } = {}): Buffer =>
  build('tar', entries, format);
export const makeTgz = (entries: readonly SpecEntry[], format: { pax?: boolean; gnu?: boolean } = {}): Buffer =>
  gzipSync(makeTar(entries, format));

export const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** 1-based line and UTF-16 column of `needle` in `text` (what a finding must say). */
export function positionOf(text: string, needle: string): { line: number; column: number } {
  const at = text.indexOf(needle);
  if (at === -1) throw new Error('needle not in text');
  const before = text.slice(0, at).split(/\r\n|\r|\n/);
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}
