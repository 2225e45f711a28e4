/**
 * Silenced by the scanned content: ignore rules that come with the scanned tree — its own
 * `.git/info/exclude` or `.gitignore`, a config found in it with `ignorePaths: ["**"]` — can drop everything
 * that was named. The scan still reads only what the rules leave (that is what they are for), but it says so:
 * one line on stderr naming the rule, and `ignoredFiles` / `ignoredBy` in the stats. "0 files" is never silent.
 */
import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { communityValue } from './helpers/keys.js';
import { scan, scanJson } from './helpers/scan.js';
import { TempTree } from './helpers/tmp.js';

const trees: TempTree[] = [];
afterEach(() => {
  for (const t of trees.splice(0)) t.cleanup();
});

function tree(files: Record<string, string>): TempTree {
  const t = new TempTree('statalog-ignored-');
  trees.push(t);
  for (const [path, content] of Object.entries(files)) t.write(path, content);
  return t;
}

const keyFile = (): string => `STATALOG_API_KEY=${communityValue()}\n`;

interface Stats {
  files: number;
  ignoredFiles?: number;
  ignoredBy?: string[];
}

describe('ignore rules that hide everything are named', () => {
  it('a tree with its own .git whose info/exclude is "*"', async () => {
    const t = tree({ 'app.env': keyFile(), 'src/a.ts': 'export {};\n' });
    execFileSync('git', ['init', '-q', t.dir]);
    t.write('.git/info/exclude', '*\n');
    const run = await scanJson(['.'], { cwd: t.dir });
    expect(run.code).toBe(0);
    const stats = run.report.stats as Stats;
    expect(stats.files).toBe(0);
    expect(stats.ignoredFiles).toBeGreaterThanOrEqual(2);
    expect(stats.ignoredBy).toEqual(['.git/info/exclude:1 "*"']);
    expect(run.stderr).toMatch(/^statalog-scan: ignore rules left out everything: \.git\/info\/exclude:1 "\*"/m);
  });

  it('a config in the scanned tree with ignorePaths ["**"]', async () => {
    const t = tree({ 'app.env': keyFile(), '.statalog-scan.json': '{ "ignorePaths": ["**"] }\n' });
    const run = await scanJson(['.'], { cwd: t.dir });
    expect(run.code).toBe(0);
    const stats = run.report.stats as Stats;
    expect(stats.files).toBe(0);
    expect(stats.ignoredBy).toEqual(['ignorePaths in .statalog-scan.json']);
    expect(run.stderr).toMatch(
      /^statalog-scan: ignore rules left out everything: ignorePaths in \.statalog-scan\.json/m,
    );
    // the text summary counts them too
    const text = await scan(['.'], { cwd: t.dir });
    expect(text.stdout).toMatch(/No Statalog keys found \(0 files, 0 B, \d+ ignored\)/);
  });

  it('a .gitignore that ignores most of a tree outside git: "most of what was named"', async () => {
    const t = tree({ '.gitignore': '*.env\n', 'a.env': keyFile(), 'b.env': keyFile(), 'c.env': keyFile() });
    const run = await scanJson(['.'], { cwd: t.dir });
    expect(run.code).toBe(0);
    const stats = run.report.stats as Stats;
    expect(stats.files).toBe(1); // .gitignore itself
    expect(stats.ignoredFiles).toBe(3);
    expect(stats.ignoredBy).toEqual(['.gitignore']);
    expect(run.stderr).toMatch(
      /^statalog-scan: ignore rules left out most of what was named \(3 ignored, 1 scanned\): \.gitignore/m,
    );
  });

  it('a few ignored files in a scanned tree: counted, no warning', async () => {
    const t = tree({
      '.gitignore': 'build/\n',
      'build/out.js': 'x\n',
      'src/a.ts': 'export {};\n',
      'src/b.ts': 'export {};\n',
    });
    const run = await scanJson(['.'], { cwd: t.dir });
    expect(run.code).toBe(0);
    expect((run.report.stats as Stats).ignoredFiles).toBe(1);
    expect(run.stderr).toBe('');
  });
});
