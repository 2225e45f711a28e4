/**
 * Archives through the built CLI: a real `npm pack` tarball, a jar-shaped and a wheel-shaped zip, a zip inside
 * a tgz, standard input. Every planted key is found at its line and column inside the entry, under the
 * outer path (`outer.tgz!package/dist/index.js`), and no format prints a key. Archives are built by npm and
 * by Python's zipfile/tarfile (test/helpers/archives.ts); keys are made at run time.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTar, makeTgz, makeZip, positionOf } from './helpers/archives.js';
import { cloudKey, communityValue, leakedSecrets } from './helpers/keys.js';
import type { JsonFinding } from './helpers/report.js';
import { scan, scanJson } from './helpers/scan.js';
import { TempTree } from './helpers/tmp.js';

let tree: TempTree;
beforeEach(() => {
  tree = new TempTree('statalog-archives-');
});
afterEach(() => tree.cleanup());

interface Planted {
  file: string;
  text: string;
  secret: string;
}

/** Every planted secret is reported once, at its place, under its outer path — and nothing else is. */
function expectFound(findings: readonly JsonFinding[], planted: readonly Planted[]): void {
  const expected = planted
    .map((p) => ({ file: p.file, ...positionOf(p.text, p.secret), length: p.secret.length }))
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
  const actual = findings.map((f) => ({
    file: f.file,
    line: f.line,
    column: f.column,
    length: f.endColumn - f.column,
  }));
  expect(actual).toEqual(expected);
}

describe('archives named on the command line or met in a tree', () => {
  it('an npm pack tarball: the key inlined into dist/ is found inside it, named package.tgz!package/dist/…', async () => {
    const key = cloudKey();
    const bundle = `"use strict";\nvar config = {\n  endpoint: "https://app.statalog.com", key: "${key}" };\nmodule.exports = config;\n`;
    tree.write(
      'pkg/package.json',
      JSON.stringify({ name: 'tiny-statalog-client', version: '1.2.3', main: 'dist/index.js', files: ['dist'] }),
    );
    tree.write('pkg/dist/index.js', bundle);
    tree.write('pkg/src/index.ts', 'export const key = process.env.STATALOG_API_KEY;\n');
    mkdirSync(tree.path('out'));
    const packed = spawnSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', tree.path('out')], {
      cwd: tree.path('pkg'),
      encoding: 'utf8',
    });
    expect(packed.status, packed.stderr).toBe(0);
    tree.write('pkg/dist/index.js', 'module.exports = { key: process.env.STATALOG_API_KEY };\n'); // the source is clean now; the tarball is not

    const named = await scanJson(['out/tiny-statalog-client-1.2.3.tgz'], { cwd: tree.dir });
    expect(named.code).toBe(1);
    expectFound(named.report.findings, [
      { file: 'out/tiny-statalog-client-1.2.3.tgz!package/dist/index.js', text: bundle, secret: key },
    ]);
    expect(named.report.stats.files).toBe(2); // package.json and dist/index.js: the entries, not the tarball
    expect(named.report.stats.skippedFiles).toEqual([]);

    // met in a tree, it is opened too (outside git: a directory walk)
    const walked = await scanJson(['.'], { cwd: tree.dir });
    expect(walked.report.findings.map((f) => f.file)).toEqual([
      'out/tiny-statalog-client-1.2.3.tgz!package/dist/index.js',
    ]);

    // --archive-depth 0: the tarball is the compressed binary file it is, and its key cannot be seen
    const closed = await scanJson(['--archive-depth', '0', 'out'], { cwd: tree.dir });
    expect(closed.code, closed.stderr).toBe(0);
    expect(closed.report.stats.binary).toBe(1);
  });

  it('a jar and a wheel (zips under other names): text, config, class, native and .pyc entries, stored and deflated', async () => {
    const keys = {
      props: communityValue(),
      cls: cloudKey(),
      so: cloudKey(),
      wheel: cloudKey(),
      env: communityValue(),
      pyc: cloudKey(),
    };
    // a class file as javac writes it: a constant pool Utf8 entry is tag 1, a big-endian u2 length (67: the
    // byte C), the key — the C is a length, not a letter glued to the key
    const cls = Buffer.concat([
      Buffer.from([0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 0x41, 0, 0x12, 0x01, 0x00, 0x43]),
      Buffer.from(keys.cls, 'latin1'),
      Buffer.from([0x07, 0x00, 0x02, 0x01, 0x00, 0x06]),
      Buffer.from('Client'),
    ]);
    const props = `# app\nserver.port=8080\nSTATALOG_API_KEY=${keys.props}\n`;
    // a native library's read-only strings: NUL-terminated, so a NUL precedes the key
    const so = Buffer.concat([
      Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]),
      Buffer.alloc(40),
      Buffer.from(`api.statalog.com\0${keys.so}\0`, 'latin1'),
      Buffer.alloc(64),
    ]);
    tree.write(
      'build/libs/app.jar',
      makeZip([
        { name: 'META-INF/MANIFEST.MF', data: 'Manifest-Version: 1.0\r\n' },
        { name: 'BOOT-INF/classes/application.env', data: props },
        { name: 'BOOT-INF/classes/com/acme/Client.class', data: cls },
        { name: 'BOOT-INF/lib/native/libclient.so', data: so, stored: true },
      ]),
    );
    const init = `"""Tiny client."""\n\nKEY = '${keys.wheel}'\n`;
    const dotenv = `# shipped by mistake\r\nSTATALOG_API_KEY="${keys.env}"\r\n`;
    // a real .pyc, compiled by python3 now: marshal stores the key after a type byte and its length (C)
    tree.write('pyc/settings.py', `KEY = "${keys.pyc}"\nDEBUG = None\n`);
    const compiled = spawnSync('python3', [
      '-c',
      'import py_compile,sys; py_compile.compile(sys.argv[1], cfile=sys.argv[2], doraise=True)',
      tree.path('pyc/settings.py'),
      tree.path('pyc/settings.pyc'),
    ]);
    expect(compiled.status, String(compiled.stderr)).toBe(0);
    const pyc = readFileSync(tree.path('pyc/settings.pyc'));
    rmSync(tree.path('pyc'), { recursive: true });
    tree.write(
      'dist/tiny-1.0-py3-none-any.whl',
      makeZip([
        { name: 'tiny/__init__.py', data: init },
        { name: 'tiny/.env', data: dotenv, stored: true },
        { name: 'tiny/__pycache__/settings.cpython-311.pyc', data: pyc },
        { name: 'tiny-1.0.dist-info/METADATA', data: 'Metadata-Version: 2.1\nName: tiny\n' },
        { name: 'tiny-1.0.dist-info/RECORD', data: 'tiny/__init__.py,,\n' },
      ]),
    );
    const { code, report } = await scanJson(['.'], { cwd: tree.dir });
    expect(code).toBe(1);
    expectFound(report.findings, [
      { file: 'build/libs/app.jar!BOOT-INF/classes/application.env', text: props, secret: keys.props },
      {
        file: 'build/libs/app.jar!BOOT-INF/classes/com/acme/Client.class',
        text: cls.toString('latin1'),
        secret: keys.cls,
      },
      { file: 'build/libs/app.jar!BOOT-INF/lib/native/libclient.so', text: so.toString('latin1'), secret: keys.so },
      { file: 'dist/tiny-1.0-py3-none-any.whl!tiny/.env', text: dotenv, secret: keys.env },
      {
        file: 'dist/tiny-1.0-py3-none-any.whl!tiny/__pycache__/settings.cpython-311.pyc',
        text: pyc.toString('latin1'),
        secret: keys.pyc,
      },
      { file: 'dist/tiny-1.0-py3-none-any.whl!tiny/__init__.py', text: init, secret: keys.wheel },
    ]);
    expect(report.stats.binary).toBe(3); // class, library, pyc: searched for cloud keys only, as on disk
  });

  it('a zip inside a tgz inside a zip: a!b!c paths; deeper than --archive-depth is searched raw and reported', async () => {
    const key = cloudKey();
    const app = `(()=>{})();\nfetch("https://app.statalog.com/api/v1/stats",{headers:{Authorization:"Bearer ${key}"}});\n`;
    const site = makeZip([
      { name: 'static/js/app.js', data: app },
      { name: 'index.html', data: '<!doctype html>' },
    ]);
    const release = makeTgz([
      { name: 'bundle/site.zip', data: site },
      { name: 'bundle/README', data: 'hello\n' },
    ]);
    tree.write('release.tgz', release);
    tree.write('outer.zip', makeZip([{ name: 'artifacts/release.tgz', data: release, stored: true }]));

    const { code, report } = await scanJson(['release.tgz', 'outer.zip'], { cwd: tree.dir });
    expect(code).toBe(1);
    expectFound(report.findings, [
      { file: 'outer.zip!artifacts/release.tgz!bundle/site.zip!static/js/app.js', text: app, secret: key },
      { file: 'release.tgz!bundle/site.zip!static/js/app.js', text: app, secret: key },
    ]);
    expect(report.stats.skippedFiles).toEqual([]);

    // with a depth of 2 the innermost zip of outer.zip is not opened: said, with error (exit 2 without findings)
    const shallow = await scanJson(['--archive-depth', '2', 'outer.zip'], { cwd: tree.dir });
    expect(shallow.code).toBe(2);
    expect(shallow.report.findings).toEqual([]);
    expect(shallow.report.stats.skippedFiles).toEqual([
      {
        file: 'outer.zip!artifacts/release.tgz!bundle/site.zip',
        reason: expect.stringContaining('nested more than 2 deep') as string,
        error: true,
      },
    ]);
    expect(shallow.stderr).toContain(
      'outer.zip!artifacts/release.tgz!bundle/site.zip: archive nested more than 2 deep',
    );
  });

  it('tar formats: ustar prefix, pax long names, GNU long names; a .gz that is not a tar is one file', async () => {
    const key = (): string => cloudKey();
    const long = `very/${'deep/'.repeat(30)}config.env`;
    const entries = (k: string): Array<{ name: string; data: string }> => [
      { name: long, data: `STATALOG_API_KEY=${k}\n` },
    ];
    const keys = [key(), key(), key(), key()];
    tree.write('ustar.tar', makeTar(entries(keys[0]!)));
    tree.write('pax.tar', makeTar(entries(keys[1]!), { pax: true }));
    tree.write('gnu.tar', makeTar(entries(keys[2]!), { gnu: true }));
    const { gzipSync } = await import('node:zlib');
    const js = `export const k = "${keys[3]!}";\n`;
    tree.write('app.js.gz', gzipSync(js));
    const { report } = await scanJson(['.'], { cwd: tree.dir });
    expect(report.findings.map((f) => [f.file, f.line, f.column])).toEqual([
      ['app.js.gz!app.js', 1, 19],
      ['gnu.tar!' + long, 1, 18],
      ['pax.tar!' + long, 1, 18],
      ['ustar.tar!' + long, 1, 18],
    ]);
  });

  it('GNU tar sparse files (old GNU and pax formats): the data that is not holes is searched, under the real name', async () => {
    const key = cloudKey();
    const data = Buffer.alloc(8 * 1024 * 1024);
    data.write(`k="${key}"\n`, 5_000_000);
    tree.write('src/big.dat', data);
    for (const format of ['gnu', 'pax']) {
      const made = spawnSync(
        'tar',
        ['--sparse', `--format=${format}`, '-cf', `${format}.tar`, '-C', 'src', 'big.dat'],
        { cwd: tree.dir, encoding: 'utf8' },
      );
      expect(made.status, made.stderr).toBe(0);
    }
    const { report } = await scanJson(['gnu.tar', 'pax.tar'], { cwd: tree.dir });
    expect(report.findings.map((f) => f.file)).toEqual(['gnu.tar!big.dat', 'pax.tar!big.dat']);
  });

  it('standard input: one archive (or one file), named stdin', async () => {
    const key = cloudKey();
    const env = `STATALOG_API_KEY=${key}\n`;
    const piped = await scanJson(['-'], { cwd: tree.dir, input: makeTgz([{ name: 'app/.env', data: env }]) });
    expect(piped.code).toBe(1);
    expectFound(piped.report.findings, [{ file: 'stdin!app/.env', text: env, secret: key }]);

    const plain = await scanJson(['-'], { cwd: tree.dir, input: `x\n${env}` });
    expect(plain.report.findings.map((f) => [f.file, f.line, f.column])).toEqual([['stdin', 2, 18]]);
  });

  it('a baseline accepts a key inside an archive, and lists it as stale once the archive no longer holds it', async () => {
    const key = cloudKey();
    tree.write('dist/app.tgz', makeTgz([{ name: 'package/index.js', data: `k("${key}")\n` }]));
    const written = await scan(['--write-baseline', 'baseline.json', 'dist'], { cwd: tree.dir });
    expect(written.code, written.stderr).toBe(0);
    const accepted = await scanJson(['--baseline', 'baseline.json', 'dist'], { cwd: tree.dir });
    expect(accepted.code).toBe(0);
    expect(accepted.report.baseline?.baselined).toBe(1);
    tree.write('dist/app.tgz', makeTgz([{ name: 'package/index.js', data: 'k(process.env.STATALOG_API_KEY)\n' }]));
    const cleaned = await scanJson(['--baseline', 'baseline.json', 'dist'], { cwd: tree.dir });
    expect(cleaned.code).toBe(0);
    expect(cleaned.report.baseline?.stale.map((e) => e.file)).toEqual(['dist/app.tgz!package/index.js']);
  });

  it('archives in a big tree are opened by the worker threads too', async () => {
    const key = cloudKey();
    for (let i = 0; i < 40; i++) tree.write(`src/f${i}.ts`, `export const v${i} = ${i};\n`);
    tree.write('src/vendor.zip', makeZip([{ name: 'lib/v.js', data: `var k="${key}";\n` }]));
    const { report } = await scanJson(['.'], { cwd: tree.dir, env: { STATALOG_SCAN_THREADS: '2' } });
    expect(report.findings.map((f) => [f.file, f.line, f.column])).toEqual([['src/vendor.zip!lib/v.js', 1, 8]]);
  });
});

describe('no key is printed, whatever the format', () => {
  it('not even in an entry named after a key, found or skipped', async () => {
    const keys = [cloudKey(), cloudKey(), cloudKey()];
    tree.write(
      'named.zip',
      makeZip([
        { name: `keys/${keys[1]!}.txt`, data: `k = "${keys[0]!}"\n` },
        { name: `keys/${keys[2]!}.bz2.txt`, data: 'compressed with bzip2\n', bzip2: true },
      ]),
    );
    for (const format of ['text', 'json', 'sarif', 'github']) {
      const result = await scan(['--format', format, 'named.zip'], { cwd: tree.dir });
      expect(result.code, format).toBe(1);
      expect(leakedSecrets(result.stdout + result.stderr, keys), format).toEqual([]);
    }
    const { report } = await scanJson(['named.zip'], { cwd: tree.dir });
    expect(report.findings.map((f) => f.file)).toEqual([
      `named.zip!keys/st_${keys[1]!.slice(3, 7)}…${keys[1]!.slice(-4)}.txt`,
    ]);
    expect(report.stats.skippedFiles).toEqual([
      {
        file: `named.zip!keys/st_${keys[2]!.slice(3, 7)}…${keys[2]!.slice(-4)}.bz2.txt`,
        reason: 'zip compression method 12 is not supported; not read',
        error: true,
      },
    ]);
  });

  it('text, json, sarif and github name the same outer path and show only the masked key', async () => {
    const keys = [cloudKey(), communityValue()];
    tree.write(
      'bundle.tgz',
      makeTgz([
        { name: 'package/dist/a.js', data: `const k = "${keys[0]!}";\n` },
        { name: 'package/.env', data: `STATALOG_API_KEY=${keys[1]!}\n` },
      ]),
    );
    for (const format of ['text', 'json', 'sarif', 'github']) {
      const result = await scan(['--format', format, 'bundle.tgz'], { cwd: tree.dir });
      expect(result.code, format).toBe(1);
      expect(leakedSecrets(result.stdout + result.stderr, keys), format).toEqual([]);
      expect(result.stdout, format).toContain('bundle.tgz!package/dist/a.js');
    }
  });
});

describe('hostile archives are bounded and reported', () => {
  it('a zip bomb (by ratio) is not inflated; the entries beside it are still searched', async () => {
    const key = cloudKey();
    tree.write(
      'bomb.zip',
      makeZip([
        { name: 'zeros.bin', zeros: 200 * 1024 * 1024 },
        { name: 'ok.js', data: `k = "${key}"\n` },
      ]),
    );
    const started = Date.now();
    const { code, report } = await scanJson(['bomb.zip'], { cwd: tree.dir });
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(code).toBe(1);
    expect(report.findings.map((f) => f.file)).toEqual(['bomb.zip!ok.js']);
    expect(report.stats.skippedFiles).toEqual([
      { file: 'bomb.zip!zeros.bin', reason: expect.stringContaining('expands more than 100×') as string, error: true },
    ]);

    // alone it leaves the scan incomplete: exit 2, never a clean 0
    const { gzipSync } = await import('node:zlib');
    tree.write('bomb.gz', gzipSync(Buffer.alloc(200 * 1024 * 1024)));
    const alone = await scanJson(['bomb.gz'], { cwd: tree.dir });
    expect(alone.code).toBe(2);
    expect(alone.report.stats.skippedFiles).toEqual([
      { file: 'bomb.gz', reason: expect.stringContaining('expands more than 100×') as string, error: true },
    ]);

    // legitimate content can be that compressible (a sparse lastlog in a layer): the ratio cap can be lifted,
    // the size cap still holds
    const lifted = await scanJson(['--archive-max-ratio', '0', 'bomb.gz'], { cwd: tree.dir });
    expect(lifted.code).toBe(0);
    expect(lifted.report.stats.bytes).toBe(200 * 1024 * 1024);
    const capped = await scanJson(['--archive-max-ratio', '0', '--archive-max-size', '100M', 'bomb.gz'], {
      cwd: tree.dir,
    });
    expect(capped.code).toBe(2);
    expect(capped.report.stats.skippedFiles).toEqual([
      { file: 'bomb.gz', reason: expect.stringContaining('size cap (100 MiB') as string, error: true },
    ]);
  });

  it('overlapping entries (the non-recursive zip bomb) are read once, the copies reported', async () => {
    const key = cloudKey();
    const zip = makeZip([{ name: 'a.env', data: `STATALOG_API_KEY=${key}\n`, stored: true }]);
    // copy the one central directory record: every copy points at the same local data
    const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    const cdSize = zip.readUInt32LE(eocd + 12);
    const cdOffset = zip.readUInt32LE(eocd + 16);
    const record = zip.subarray(cdOffset, cdOffset + cdSize);
    const copies = 1000;
    const end = Buffer.from(zip.subarray(eocd));
    end.writeUInt16LE(copies, 8);
    end.writeUInt16LE(copies, 10);
    end.writeUInt32LE(cdSize * copies, 12);
    tree.write(
      'overlap.zip',
      Buffer.concat([zip.subarray(0, cdOffset), ...Array.from({ length: copies }, () => record), end]),
    );
    const { code, report } = await scanJson(['overlap.zip'], { cwd: tree.dir });
    expect(code).toBe(1);
    expect(report.findings.map((f) => f.file)).toEqual(['overlap.zip!a.env']);
    expect(report.stats.skippedFiles).toHaveLength(copies - 1);
    expect(report.stats.skippedFiles[0]).toEqual({
      file: 'overlap.zip!a.env',
      reason: 'shares its data with another entry (an overlapping zip bomb?); not read',
      error: true,
    });
  });

  it('an entry larger than the read buffer takes the large-file path: same line and column', async () => {
    const key = cloudKey();
    const { randomBytes } = await import('node:crypto');
    // varied lines (a repeated one would compress past the ratio cap): ~5.8 MB
    const filler = Array.from({ length: 160_000 }, () => `const filler = "${randomBytes(8).toString('hex')}";\n`).join(
      '',
    );
    const text = `${filler}export const key = "${key}";\n`;
    tree.write('big.tgz', makeTgz([{ name: 'dist/big.js', data: text }]));
    const { report } = await scanJson(['big.tgz'], { cwd: tree.dir });
    expect(report.stats.skippedFiles).toEqual([]);
    expect(report.findings.map((f) => [f.file, f.line, f.column])).toEqual([['big.tgz!dist/big.js', 160_001, 21]]);
  });

  it('the size cap stops an archive once, at the entry that reached it', async () => {
    const { randomBytes } = await import('node:crypto');
    const entries = [0, 1, 2, 3].map((i) => ({
      name: `data/part${i}.txt`,
      data: randomBytes(512 * 1024).toString('hex'),
    }));
    tree.write('big.tgz', makeTgz(entries));
    const { code, report } = await scanJson(['--archive-max-size', '3M', 'big.tgz'], { cwd: tree.dir });
    expect(code).toBe(2);
    expect(report.stats.skippedFiles).toEqual([
      {
        file: 'big.tgz',
        reason: expect.stringMatching(/size cap \(3 MiB.*the rest of the archive were not read/) as string,
        error: true,
      },
    ]);
    const { code: under } = await scanJson(['--archive-max-size', '64M', 'big.tgz'], { cwd: tree.dir });
    expect(under).toBe(0);
    const bad = await scan(['--archive-max-size', 'lots', 'big.tgz'], { cwd: tree.dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(
      'statalog-scan: option --archive-max-size must be a size from 1K to 4G, such as 512M or 2G (got "lots")\n',
    );
  });

  it('../ and absolute entry names are names: searched, nothing is written anywhere', async () => {
    const keys = [cloudKey(), cloudKey()];
    const evil = [
      { name: '../../escape.env', data: `STATALOG_API_KEY=${keys[0]!}\n` },
      { name: '/tmp/statalog-absolute.env', data: `STATALOG_API_KEY=${keys[1]!}\n` },
    ];
    tree.write('scan/evil.zip', makeZip(evil));
    tree.write('scan/evil.tar', makeTar(evil));
    const before = readdirSync(tree.dir, { recursive: true }).sort();
    const { code, report } = await scanJson(['scan'], { cwd: tree.dir });
    expect(code).toBe(1);
    expect(report.findings.map((f) => f.file)).toEqual([
      'scan/evil.tar!../../escape.env',
      'scan/evil.tar!/tmp/statalog-absolute.env',
      'scan/evil.zip!../../escape.env',
      'scan/evil.zip!/tmp/statalog-absolute.env',
    ]);
    expect(readdirSync(tree.dir, { recursive: true }).sort()).toEqual(before);
    expect(readdirSync(join(tree.dir, '..')).filter((n) => n === 'escape.env')).toEqual([]);
  });

  it('symlink and device entries are never followed or opened: counted and reported as names only', async () => {
    const key = cloudKey();
    tree.write('outside/secret.env', `STATALOG_API_KEY=${key}\n`);
    const target = tree.path('outside/secret.env');
    const links = [
      { name: 'app/abs.env', symlink: target },
      { name: 'app/rel.env', symlink: '../../outside/secret.env' },
    ];
    tree.write(
      'scan/links.tar',
      makeTar([
        ...links,
        { name: 'dev/null', special: 'chardev' },
        { name: 'dev/pipe', special: 'fifo' },
        { name: 'app/ok.txt', data: 'nothing\n' },
      ]),
    );
    tree.write('scan/links.zip', makeZip([...links, { name: 'app/ok.txt', data: 'nothing\n' }]));
    const { code, report } = await scanJson(['scan'], { cwd: tree.dir });
    expect(code).toBe(0);
    expect(report.findings).toEqual([]);
    expect(report.stats.skippedFiles).toEqual([
      {
        file: 'scan/links.tar',
        reason:
          '2 links and 2 device, FIFO or other special entries in the archive: names only, nothing to read, never followed',
        error: false,
      },
      {
        file: 'scan/links.zip',
        reason: '2 links in the archive: names only, nothing to read, never followed',
        error: false,
      },
    ]);
  });

  it('zstd, xz and bzip2 streams (a tar+zstd layer) cannot be opened here: searched raw and reported, never passed as clean', async () => {
    const key = cloudKey();
    const zstdFrame = Buffer.concat([
      Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x04, 0x58]),
      Buffer.from(`\0${key}\0`, 'latin1'),
    ]); // a stored block's bytes stay readable
    tree.write(
      'image.tar',
      makeTar([
        { name: 'blobs/sha256/layer', data: zstdFrame },
        { name: 'index.json', data: '{}' },
      ]),
    );
    tree.write('logs.tar.xz', Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0x00, 0x04, 0xe6, 0xd6]));
    tree.write('logs.zz-empty', ''); // read next by the same scanner: nothing of the xz file's verdict sticks to it
    const { code, report } = await scanJson(['.'], { cwd: tree.dir });
    expect(code).toBe(1);
    expect(report.findings.map((f) => f.file)).toEqual(['image.tar!blobs/sha256/layer']);
    expect(report.stats.skippedFiles).toEqual([
      {
        file: 'image.tar!blobs/sha256/layer',
        reason: 'zstd-compressed: this version cannot open it (its raw bytes were searched as a binary file)',
        error: true,
      },
      {
        file: 'logs.tar.xz',
        reason: 'xz-compressed: this version cannot open it (its raw bytes were searched as a binary file)',
        error: true,
      },
    ]);
  });

  it('truncated and damaged archives: what is there is searched, the rest is reported (exit 2 without findings)', async () => {
    const keys = [cloudKey(), cloudKey()];
    const first = `const a = "${keys[0]!}";\n`;
    const { randomBytes } = await import('node:crypto');
    const entries = [
      { name: 'a.js', data: first },
      { name: 'b.bin', data: randomBytes(64 * 1024) },
      { name: 'c.js', data: `const c = "${keys[1]!}";\n` },
    ];
    const tgz = makeTgz(entries);
    const tar = makeTar(entries);
    const zip = makeZip(entries);
    tree.write('cut.tgz', tgz.subarray(0, Math.floor(tgz.length / 2)));
    tree.write('cut.tar', tar.subarray(0, 2048));
    tree.write('cut.zip', zip.subarray(0, Math.floor(zip.length / 2))); // inside b.bin: no central directory
    const damaged = Buffer.from(tar);
    damaged.fill(0x41, 1024, 1536); // b.bin's header (a.js: a header and one block of data before it)
    tree.write('damaged.tar', damaged);

    const { code, report } = await scanJson(['.'], { cwd: tree.dir });
    expect(code).toBe(1);
    expect(report.findings.map((f) => f.file)).toEqual([
      'cut.tar!a.js',
      'cut.tgz!a.js',
      'cut.zip!a.js',
      'damaged.tar!a.js',
    ]);
    const skipped = Object.fromEntries(report.stats.skippedFiles.map((s) => [s.file, [s.reason, s.error]]));
    expect(skipped).toEqual({
      'cut.tar!b.bin': ['the archive ends inside this entry (truncated): its rest was not read', true],
      'cut.tgz': ['truncated gzip stream: its end was not read', true],
      'cut.tgz!b.bin': ['the archive ends inside this entry (truncated): its rest was not read', true],
      'cut.zip': [
        'truncated or damaged zip (no central directory): the entries before the damage were read, the rest was not',
        true,
      ],
      'cut.zip!b.bin': ['zip entry runs past the end of the archive; not read', true],
      'damaged.tar': [expect.stringMatching(/^damaged tar header at byte \d+; the rest was not read$/), true],
    });
    tree.write('stub.zip', zip.subarray(0, 24)); // not even one local header
    const alone = await scanJson(['stub.zip'], { cwd: tree.dir });
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain(
      'statalog-scan: stub.zip: truncated or damaged zip (no central directory): the entries before the damage were read, the rest was not; not scanned',
    );
  });
});
