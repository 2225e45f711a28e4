/**
 * Reading files through the built binary: which files are listed (git, .gitignore, --no-ignore, dotfiles),
 * encodings and line ends, binary files, files larger than the read buffer (streamed, with keys across chunk
 * edges), and the multi-threaded path. Every position is checked by reading the file back independently.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cloudKey, communityValue } from './helpers/keys.js';
import type { JsonFinding } from './helpers/report.js';
import { scanJson, textAt } from './helpers/scan.js';
import { TempTree } from './helpers/tmp.js';

let tree: TempTree;
beforeEach(() => {
  tree = new TempTree();
});
afterEach(() => tree.cleanup());

const BUFFER = 4 * 1024 * 1024; // the scanner's read buffer (packages/scan/src/files/scan-file.ts)

/** Every finding points at the expected secret, read back from the file. */
function expectPositions(findings: readonly JsonFinding[], secrets: ReadonlyMap<string, string>): void {
  for (const f of findings) {
    const at = textAt(tree.path(f.file), f.line, f.column, f.endColumn);
    expect(secrets.get(`${f.file}:${f.line}`), `${f.file}:${f.line}:${f.column}`).toBe(at);
  }
}

describe('which files are scanned', () => {
  it('in a git work tree: tracked and untracked files, not ignored ones; a deleted tracked file is no error', async () => {
    tree.git('init', '-q');
    const keys = {
      tracked: cloudKey(),
      untracked: cloudKey(),
      ignored: cloudKey(),
      dot: communityValue(),
      gone: cloudKey(),
    };
    tree.write('.gitignore', 'secrets/\n*.local\n');
    tree.write('src/tracked.ts', `const k = "${keys.tracked}";\n`);
    tree.write('.env', `STATALOG_API_KEY=${keys.dot}\n`);
    tree.write('gone.ts', `const k = "${keys.gone}";\n`);
    tree.git('add', '.');
    tree.git('commit', '-q', '-m', 'init');
    tree.write('src/untracked.ts', `const k = "${keys.untracked}";\n`);
    tree.write('secrets/ignored.ts', `const k = "${keys.ignored}";\n`);
    tree.write('app.local', `const k = "${keys.ignored}";\n`);
    rmSync(tree.path('gone.ts'));

    const { code, report } = await scanJson([], { cwd: tree.dir });
    expect(code).toBe(1);
    expect(report.findings.map((f) => f.file)).toEqual(['.env', 'src/tracked.ts', 'src/untracked.ts']);
    expect(report.stats.skipped).toBe(0);

    const all = await scanJson(['--no-ignore'], { cwd: tree.dir });
    expect(all.report.findings.map((f) => f.file)).toEqual([
      '.env',
      'app.local',
      'secrets/ignored.ts',
      'src/tracked.ts',
      'src/untracked.ts',
    ]);

    // an ignored directory or file named on the command line is scanned: the user asked for it
    const named = await scanJson(['secrets', 'app.local'], { cwd: tree.dir });
    expect(named.report.findings.map((f) => f.file)).toEqual(['app.local', 'secrets/ignored.ts']);
  });

  it('outside git: .gitignore files at every level are honoured (with negation); hidden files are scanned', async () => {
    const k = (): string => `const k = "${cloudKey()}";\n`;
    tree.write('.gitignore', 'build/\n*.gen.ts\n');
    tree.write('pkg/.gitignore', '!keep.gen.ts\nlocal/\n');
    tree.write('src/a.ts', k());
    tree.write('build/out.js', k());
    tree.write('src/x.gen.ts', k());
    tree.write('pkg/keep.gen.ts', k());
    tree.write('pkg/local/secret.ts', k());
    tree.write('.config/tool/settings.ts', k());
    tree.write('node_modules/dep/index.js', k());
    const { report } = await scanJson([], { cwd: tree.dir });
    expect(report.findings.map((f) => f.file)).toEqual([
      '.config/tool/settings.ts',
      'node_modules/dep/index.js',
      'pkg/keep.gen.ts',
      'src/a.ts',
    ]);
    const all = await scanJson(['--no-ignore'], { cwd: tree.dir });
    expect(all.report.findings).toHaveLength(7);
  });

  it('several paths: each file once, in sorted order', async () => {
    tree.write('a/one.env', `STATALOG_API_KEY=${communityValue()}\n`);
    tree.write('b/two.env', `STATALOG_API_KEY=${communityValue()}\n`);
    const { report } = await scanJson(['b', 'a', 'a/one.env', '.'], { cwd: tree.dir });
    expect(report.findings.map((f) => f.file)).toEqual(['a/one.env', 'b/two.env']);
    expect(report.stats.files).toBe(2);
    // the same file named twice, and paths that do not overlap
    expect((await scanJson(['a/one.env', 'a/one.env'], { cwd: tree.dir })).report.stats.files).toBe(1);
    expect((await scanJson(['a', 'b'], { cwd: tree.dir })).report.stats.files).toBe(2);
  });
});

describe('encodings and line ends', () => {
  it('UTF-8 with BOM, CRLF, lone CR, invalid bytes and astral characters: right line and UTF-16 column', async () => {
    const secrets = new Map<string, string>();
    const put = (file: string, content: string | Buffer, line: number, key: string): void => {
      tree.write(file, content);
      secrets.set(`${file}:${line}`, key);
    };
    let key = cloudKey();
    put('bom.txt', `\ufeffkey: ${key}\n`, 1, key);
    key = cloudKey();
    put('crlf.txt', `one\r\ntwo\r\n\r\n  x = "${key}"\r\n`, 4, key);
    key = cloudKey();
    put('cr.txt', `one\rtwo\r\rthree ${key}\r`, 4, key);
    key = cloudKey();
    put('mixed.txt', `a\nb\r\nc\rd\n😀 é ${key}\n`, 5, key);
    key = cloudKey();
    put(
      'invalid.txt',
      Buffer.concat([Buffer.from('ok\n'), Buffer.from([0xc3, 0x28, 0xff, 0x20]), Buffer.from(`${key}\n`)]),
      2,
      key,
    );
    const value = communityValue();
    put('emoji.env', `# 🔑 keys\nNAME="Zürich 😀" STATALOG_API_KEY=${value}\n`, 2, value);

    const { code, report } = await scanJson([], { cwd: tree.dir });
    expect(code).toBe(1);
    expect(report.findings).toHaveLength(6);
    expectPositions(report.findings, secrets);
    expect(report.findings.find((f) => f.file === 'mixed.txt')).toMatchObject({ line: 5, column: 6 });
    expect(report.findings.find((f) => f.file === 'emoji.env')).toMatchObject({ line: 2, column: 35 });
  });

  it('UTF-16 LE and BE with a BOM are transcoded; positions count UTF-16 units', async () => {
    const [le, be] = [cloudKey(), cloudKey()];
    const text = (key: string): string => `first line\r\nZürich 😀 "${key}"\r\nlast\r\n`;
    tree.write('le.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text(le), 'utf16le')]));
    const beBytes = Buffer.from(text(be), 'utf16le');
    beBytes.swap16();
    tree.write('be.txt', Buffer.concat([Buffer.from([0xfe, 0xff]), beBytes]));
    const { report } = await scanJson([], { cwd: tree.dir });
    expect(report.findings.map((f) => [f.file, f.line, f.column])).toEqual([
      ['be.txt', 2, 12],
      ['le.txt', 2, 12],
    ]);
    expectPositions(
      report.findings,
      new Map([
        ['le.txt:2', le],
        ['be.txt:2', be],
      ]),
    );
  });

  it('binary files: the cloud-key pattern only, counted as binary', async () => {
    const key = cloudKey();
    const bytes = Buffer.alloc(20000, 0);
    Buffer.from(`\u0000${key}\u0000`, 'latin1').copy(bytes, 12000);
    Buffer.from(`STATALOG_API_KEY=${communityValue()}\n`, 'latin1').copy(bytes, 15000);
    Buffer.from(`https://app.statalog.com/api/v1/stats?site_id=1&api_key=${communityValue()}\n`, 'latin1').copy(
      bytes,
      16000,
    );
    tree.write('data.db', bytes);
    const { report } = await scanJson([], { cwd: tree.dir });
    expect(report.findings.map((f) => [f.ruleId, f.file])).toEqual([['cloud-key', 'data.db']]);
    expect(report.stats.binary).toBe(1);
    expect(
      textAt(tree.path('data.db'), report.findings[0]!.line, report.findings[0]!.column, report.findings[0]!.endColumn),
    ).toBe(key);
  });
});

describe('files larger than the read buffer', () => {
  it('a 10 MB file with keys across chunk edges: every key found once, with the right line and column', async () => {
    const secrets = new Map<string, string>();
    const parts: string[] = [];
    let bytes = 0;
    let line = 1;
    const push = (text: string): void => {
      parts.push(text);
      bytes += Buffer.byteLength(text);
      line += (text.match(/\r\n|\r|\n/g) ?? []).length;
    };
    const plant = (prefix: string, key: string, suffix = '\r\n'): void => {
      secrets.set(`big.log:${line}`, key);
      push(`${prefix}${key}${suffix}`);
    };
    const fillTo = (target: number): void => {
      let i = 0;
      while (bytes < target - 200) {
        push(`${String(i++).padStart(6, '0')} ✓ GET /dashboard?page=${i} 200 é\r\n`);
      }
      while (bytes < target) push('.');
    };
    plant('first ', cloudKey());
    fillTo(BUFFER - 30); // the next key straddles the first chunk's end
    plant('edge ', cloudKey());
    fillTo(BUFFER * 2 - 9000); // inside the look-ahead zone of the second chunk
    plant('GET /api/v1/stats?site_id=ST-A1B2C3&api_key=', communityValue(), ' HTTP/1.1\r\n');
    fillTo(BUFFER * 2 + 100);
    plant('STATALOG_API_KEY=', communityValue());
    fillTo(10 * 1024 * 1024);
    plant('last ', cloudKey(), ''); // no line break at the end
    tree.write('big.log', parts.join(''));

    const { report } = await scanJson([], { cwd: tree.dir });
    expect(report.findings.map((f) => f.ruleId)).toEqual([
      'cloud-key',
      'cloud-key',
      'url-key',
      'community-key',
      'cloud-key',
    ]);
    expectPositions(report.findings, secrets);
    expect(report.stats.bytes).toBe(bytes);
  });

  it('a 6 MB minified line: the key in the middle, with its column', async () => {
    const key = cloudKey();
    const half = 'var a=1;'.repeat(393216); // 3 MiB
    tree.write('bundle.min.js', `${half}k="${key}";${half}\n`);
    const { report } = await scanJson([], { cwd: tree.dir });
    expect(report.findings).toMatchObject([{ ruleId: 'cloud-key', line: 1, column: half.length + 4 }]);
  });

  it('a 5 MB UTF-16 file: transcoded as a stream, key after the first chunk', async () => {
    const key = cloudKey();
    const lines: string[] = [];
    for (let i = 0; i < 60000; i++) lines.push(`ligne ${i} — données`);
    const text = `${lines.join('\r\n')}\r\nclé: ${key}\r\n`;
    tree.write('big16.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    const { report } = await scanJson([], { cwd: tree.dir });
    expect(report.findings).toMatchObject([{ ruleId: 'cloud-key', line: 60001, column: 6 }]);
    expectPositions(report.findings, new Map([['big16.txt:60001', key]]));
  });
});

describe('threads', () => {
  it('a tree large enough for worker threads gives the same findings as one thread', async () => {
    const secrets = new Map<string, string>();
    for (let i = 0; i < 2400; i++) {
      const dir = `pkg${i % 24}/src`;
      if (i % 150 === 7) {
        const key = cloudKey();
        secrets.set(`${dir}/file${i}.ts:3`, key);
        tree.write(`${dir}/file${i}.ts`, `import x from './x';\n\nexport const key = '${key}';\n`);
      } else {
        writeFileSync(
          tree.write(`${dir}/file${i}.ts`, ''),
          `export const value${i} = ${i}; // first_name, list_items\n`.repeat(20),
        );
      }
    }
    const one = await scanJson(['--no-ignore'], { cwd: tree.dir, env: { STATALOG_SCAN_THREADS: '1' } });
    const two = await scanJson(['--no-ignore'], { cwd: tree.dir, env: { STATALOG_SCAN_THREADS: '2' } });
    const auto = await scanJson(['--no-ignore'], { cwd: tree.dir });
    expect(one.report.findings).toHaveLength(16);
    expect(two.report.findings).toEqual(one.report.findings);
    expect(auto.report.findings).toEqual(one.report.findings);
    expect(two.report.stats.files).toBe(2400);
    expect(two.report.stats.bytes).toBe(one.report.stats.bytes);
    expectPositions(one.report.findings, secrets);
  });
});
