/**
 * Keys in compiled and binary files: in binary content (`cloudOnly`, the latin1 text of a file
 * with NUL bytes) the cloud key's left boundary is relaxed — length bytes, tags and the previous column
 * touch it — and its right boundary stays exact. Checked on hand-made byte strings and on real output of
 * `python3 -m py_compile`, `javac` and SQLite (Python's sqlite3 module), generated here when the tools exist.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { detect, DOC_EXAMPLE_KEY } from '../src/index.js';
import { cloudKey } from './support.js';

const binary = (text: string) => detect(text, { cloudOnly: true }).map((m) => [m.start, m.secret]);
const K = cloudKey();

describe('binary content: the left boundary is relaxed', () => {
  it.each([
    ['a marshal length byte (C = 67) after an interned-string tag', `)\x03\xdaC${K}N)\x01`, 4],
    ['a javac constant-pool entry (tag 1, length 00 43)', `\x00\x01\x00C${K}\x01\x00`, 4],
    ['SQLite columns back to back', `\x81\x13statalog${K}\r\x00\x00`, 10],
    ['a word character before the key', `x${K}\x00`, 1],
    ['test_ before the key (look-alikes are a text problem)', `\x00te${K}\x00`, 3],
  ])('%s', (_title, text, at) => {
    expect(binary(text)).toEqual([[at, K]]);
  });

  it('the same bytes read as text keep the strict boundary', () => {
    expect(detect(`\xdaC${K}N`)).toEqual([]);
    expect(detect(`statalog${K}\r`)).toEqual([]);
  });

  it('a string literal (the ESLint plugin) is text: glued keys stay silent there too', () => {
    expect(detect(`C${K}`, { cloudOnly: false })).toEqual([]);
  });
});

describe('binary content: the right boundary stays exact', () => {
  it.each([
    ['a non-hex letter (N for None in a .pyc)', `C${K}N`, true],
    ['the next marshal string tag z', `C${K}z\x18https`, true],
    ['a code-object tag c followed by binary data', `C${K}c\x00\x00\x00\x00`, true],
    ['a control byte', `C${K}\x01`, true],
    ['the end of the content', `C${K}`, true],
    ['a 65th hex digit', `C${K}7\x00`, false],
    ['a hex letter and then printable text (a longer hex string)', `C${K}cafe\x00`, false],
    ['a hex letter and then a letter', `C${K}active`, false],
    ['upper-case hex', `C${K.toUpperCase().replace('ST_', 'st_')}\x00`, false],
  ])('%s', (_title, text, found) => {
    expect(binary(text).length).toBe(found ? 1 : 0);
  });

  it('placeholders and the doc example stay silent in binary content too', () => {
    expect(binary(`C${DOC_EXAMPLE_KEY}\x00Cst_${'0'.repeat(64)}\x00`)).toEqual([]);
    expect(detect(`C${DOC_EXAMPLE_KEY}\x00`, { cloudOnly: true, includeExamples: true })).toHaveLength(1);
  });
});

function hasTool(command: string, args: string[]): boolean {
  return spawnSync(command, args, { stdio: 'ignore' }).status === 0;
}

const PYTHON = hasTool('python3', ['--version']);
const JAVAC = hasTool('javac', ['-version']);

describe('real compiler and database output', () => {
  const dir = mkdtempSync(join(tmpdir(), 'statalog-binary-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Reads a generated file as the scanner does: latin1 when it holds a NUL byte. */
  const found = (path: string) => {
    const bytes = readFileSync(path);
    expect(bytes.includes(0)).toBe(true); // really binary
    return detect(bytes.toString('latin1'), { cloudOnly: true }).map((m) => m.secret);
  };

  it.skipIf(!PYTHON)(
    `python3 -m py_compile: a module constant, a class attribute and a function's return value${PYTHON ? '' : ' (skipped: python3 is not installed)'}`,
    () => {
      const keys = [cloudKey(), cloudKey(), cloudKey()];
      const sources = {
        'settings.py': `STATALOG_API_KEY = "${keys[0]}"\n`,
        'client.py': `import os\nclass Client:\n    key = "${keys[1]}"\n    url = "https://app.statalog.com"\n`,
        'helpers.py': `KEY = "${keys[2]}"\ndef headers():\n    return {"Authorization": "Bearer " + KEY}\n`, // a code object (tag c) follows the key
      };
      for (const [name, source] of Object.entries(sources)) writeFileSync(join(dir, name), source);
      const r = spawnSync('python3', ['-m', 'py_compile', ...Object.keys(sources).map((n) => join(dir, n))], {
        encoding: 'utf8',
      });
      expect(r.status, r.stderr).toBe(0);
      const cache = join(dir, '__pycache__');
      const pyc = (stem: string) =>
        join(
          cache,
          readdirSync(cache).find((f) => f.startsWith(`${stem}.`))!,
        );
      expect(found(pyc('settings'))).toEqual([keys[0]]);
      expect(found(pyc('client'))).toEqual([keys[1]]);
      expect(found(pyc('helpers'))).toEqual([keys[2]]);
    },
  );

  it.skipIf(!JAVAC)(
    `javac: a static final String in the constant pool${JAVAC ? '' : ' (skipped: javac is not installed)'}`,
    () => {
      const key = cloudKey();
      writeFileSync(
        join(dir, 'Statalog.java'),
        `public class Statalog {\n  static final String KEY = "${key}";\n  public static void main(String[] a) { System.out.println(KEY.length()); }\n}\n`,
      );
      const r = spawnSync('javac', ['-d', dir, join(dir, 'Statalog.java')], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      expect(found(join(dir, 'Statalog.class'))).toEqual([key]);
    },
  );

  it.skipIf(!PYTHON)(
    `SQLite (python3's sqlite3): a key stored right after another text column${PYTHON ? '' : ' (skipped: python3 is not installed)'}`,
    () => {
      const keys = [cloudKey(), cloudKey()];
      const db = join(dir, 'app.sqlite');
      const script = [
        'import sqlite3, sys',
        'c = sqlite3.connect(sys.argv[1])',
        'c.execute("create table settings (name text, value text)")',
        'c.execute("insert into settings values (?, ?)", ("statalog", sys.argv[2]))',
        'c.execute("create table integrations (id integer primary key, provider text, api_key text)")',
        'c.execute("insert into integrations (provider, api_key) values (?, ?)", ("statalog", sys.argv[3]))',
        'c.commit()',
      ].join('\n');
      const r = spawnSync('python3', ['-c', script, db, ...keys], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      expect(found(db).sort()).toEqual([...keys].sort());
    },
  );
});
