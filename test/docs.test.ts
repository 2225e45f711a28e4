/**
 * The documentation as a user meets it: every relative link (and `#anchor` into a Markdown file) resolves, links
 * to this repository on GitHub name files that exist, every ```json block parses (a JSON report example matches
 * the schema, a config example is accepted by the CLI), every ```js/```ts block parses, and every ```sh command
 * that runs `statalog-scan` uses only options the CLI lists in its --help (`npm run` scripts and repository paths
 * named in shell blocks exist too). The README keeps the Quick start that .ci/run depends on, and stays short.
 *
 * Fast on purpose: the CLI runs once for --help, once for the hook's help and once per config example.
 */
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parse as parseTs } from '@typescript-eslint/parser';
import { Ajv2020 } from 'ajv/dist/2020.js';
import MarkdownIt from 'markdown-it';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers/paths.js';
import { scan } from './helpers/scan.js';
import { tempDir } from './helpers/tmp.js';

/** The documents users read: README, docs/, CONTRIBUTING, SECURITY, bench/README and every package README. */
function documents(): string[] {
  const files = ['README.md', 'CONTRIBUTING.md', 'SECURITY.md', 'bench/README.md'];
  const walk = (dir: string): void => {
    for (const name of readdirSync(join(REPO_ROOT, dir))) {
      const rel = `${dir}/${name}`;
      if (statSync(join(REPO_ROOT, rel)).isDirectory()) walk(rel);
      else if (name.endsWith('.md')) files.push(rel);
    }
  };
  walk('docs');
  for (const pkg of readdirSync(join(REPO_ROOT, 'packages'))) {
    if (existsSync(join(REPO_ROOT, 'packages', pkg, 'README.md'))) files.push(`packages/${pkg}/README.md`);
  }
  return files.filter((f) => existsSync(join(REPO_ROOT, f)));
}

const md = new MarkdownIt({ html: true });
type Token = ReturnType<InstanceType<typeof MarkdownIt>['parse']>[number];

interface Doc {
  file: string;
  tokens: Token[];
}

const docs: Doc[] = documents().map((file) => ({
  file,
  tokens: md.parse(readFileSync(join(REPO_ROOT, file), 'utf8'), {}),
}));

interface Block {
  where: string;
  lang: string;
  text: string;
}

const blocks: Block[] = docs.flatMap(({ file, tokens }) =>
  tokens
    .filter((t) => t.type === 'fence')
    .map((t) => ({
      where: `${file}:${(t.map?.[0] ?? 0) + 1}`,
      lang: t.info.trim().split(/\s+/)[0] ?? '',
      text: t.content,
    })),
);

/** GitHub's heading anchors (github-slugger): lower case, punctuation dropped, each space a hyphen, -1, -2 for repeats. */
function anchorsOf(tokens: Token[]): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  tokens.forEach((t, i) => {
    if (t.type !== 'heading_open') return;
    const text = (tokens[i + 1]?.children ?? []).map((c) => c.content).join('');
    const base = text
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\p{M}\p{Pc} -]/gu, '')
      .replace(/ /g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  });
  return anchors;
}

const anchorCache = new Map<string, Set<string>>();
function anchorsOfFile(rel: string): Set<string> {
  let anchors = anchorCache.get(rel);
  if (!anchors) {
    anchors = anchorsOf(md.parse(readFileSync(join(REPO_ROOT, rel), 'utf8'), {}));
    anchorCache.set(rel, anchors);
  }
  return anchors;
}

/** Every link target in a document (inline links, images, and links in raw HTML `href`/`src`). */
function linksOf(tokens: Token[]): string[] {
  const links: string[] = [];
  for (const t of tokens) {
    for (const c of t.children ?? []) {
      if (c.type === 'link_open') links.push(String(c.attrGet('href') ?? ''));
      if (c.type === 'image') links.push(String(c.attrGet('src') ?? ''));
    }
  }
  return links;
}

/** `https://github.com/statalog/key-guard/blob/main/docs/cli.md` names `docs/cli.md` in this repository. */
const OWN_GITHUB = /^https:\/\/github\.com\/statalog\/key-guard\/(?:blob|tree)\/main\/([^#?]+)(#[^?]*)?$/;

describe('links', () => {
  it('finds the documents', () => {
    expect(docs.map((d) => d.file)).toEqual(
      expect.arrayContaining(['README.md', 'CONTRIBUTING.md', 'docs/cli.md', 'packages/action/README.md']),
    );
  });

  it.each(docs.map((d) => [d.file, d] as const))('%s: every relative link and anchor resolves', (_file, doc) => {
    const broken: string[] = [];
    for (const href of linksOf(doc.tokens)) {
      let target: string;
      let anchor: string | undefined;
      const own = OWN_GITHUB.exec(href);
      if (own) {
        target = own[1]!.replace(/\/$/, '');
        anchor = own[2]?.slice(1);
      } else if (/^[a-z][a-z0-9+.-]*:|^\/\//i.test(href)) {
        continue; // another site: not checked (no network in tests)
      } else {
        const [path, hash] = href.split('#', 2) as [string, string | undefined];
        target =
          path === '' ? doc.file : relative(REPO_ROOT, resolve(REPO_ROOT, dirname(doc.file), decodeURIComponent(path)));
        anchor = hash;
      }
      if (target.startsWith('..') || !existsSync(join(REPO_ROOT, target))) {
        broken.push(`${href} (no ${target})`);
        continue;
      }
      if (anchor && target.endsWith('.md') && !anchorsOfFile(target).has(decodeURIComponent(anchor))) {
        broken.push(`${href} (no heading #${anchor} in ${target})`);
      }
    }
    expect(broken).toEqual([]);
  });
});

describe('JSON blocks', () => {
  const json = blocks.filter((b) => b.lang === 'json');
  const schema = JSON.parse(readFileSync(join(REPO_ROOT, 'docs/schema/report.schema.json'), 'utf8')) as object;
  const validateReport = new Ajv2020({ allErrors: true, strict: true, validateFormats: false }).compile(schema);

  it('there are some', () => expect(json.length).toBeGreaterThan(2));

  it.each(json.map((b) => [b.where, b] as const))('%s parses', (_where, block) => {
    const value: unknown = JSON.parse(block.text);
    if (typeof value === 'object' && value !== null && 'schemaVersion' in value) {
      expect(validateReport(value), JSON.stringify(validateReport.errors?.slice(0, 3))).toBe(true);
    }
  });

  it('config examples are accepted by statalog-scan --config', async () => {
    const configs = json.filter((b) => /"(ignorePaths|selfHostedHosts|allowedFingerprints)"/.test(b.text));
    expect(configs.length).toBeGreaterThan(0);
    const dir = tempDir('statalog-docs-');
    try {
      const results = await Promise.all(
        configs.map((b, i) => {
          writeFileSync(join(dir, `config-${i}.json`), b.text);
          return scan(['--config', `config-${i}.json`, '--quiet', '.'], { cwd: dir }).then((r) => ({
            where: b.where,
            ...r,
          }));
        }),
      );
      for (const r of results)
        expect({ where: r.where, code: r.code, stderr: r.stderr }).toEqual({ where: r.where, code: 0, stderr: '' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('JavaScript and TypeScript blocks', () => {
  const code = blocks.filter((b) => ['js', 'javascript', 'ts', 'typescript', 'mjs', 'cjs'].includes(b.lang));

  it.each(code.map((b) => [b.where, b] as const))('%s parses', (_where, block) => {
    expect(() =>
      parseTs(block.text, { sourceType: 'module', ecmaVersion: 'latest', ecmaFeatures: { jsx: true } }),
    ).not.toThrow();
  });
});

/** A shell block as commands: continuation lines joined, comments dropped, split at `&&`, `||`, `;` and `|`. */
function commandsOf(text: string): string[][] {
  const commands: string[][] = [];
  for (const rawLine of text.replace(/\\\n/g, ' ').split('\n')) {
    const line = rawLine.replace(/(^|\s)#.*$/, '');
    const words = line.match(/"[^"]*"|'[^']*'|&&|\|\||[;|()]|[^\s;|()"']+/g) ?? [];
    let current: string[] = [];
    for (const word of words) {
      if (['&&', '||', ';', '|', '(', ')'].includes(word)) {
        if (current.length > 0) commands.push(current);
        current = [];
      } else current.push(word);
    }
    if (current.length > 0) commands.push(current);
  }
  return commands;
}

describe('shell blocks', () => {
  const sh = blocks.filter((b) => ['sh', 'bash', 'shell', 'console'].includes(b.lang));
  let cliOptions: Set<string>;
  let hookOptions: Set<string>;
  const subcommands = new Set(['install-hook', 'uninstall-hook']);

  beforeAll(async () => {
    const [help, hookHelp] = await Promise.all([scan(['--help']), scan(['install-hook', '--help'])]);
    expect(help.code).toBe(0);
    expect(hookHelp.code).toBe(0);
    // option lines of the help: `  -f, --format FORMAT …` and `      --baseline FILE …`
    cliOptions = new Set(
      help.stdout
        .split('\n')
        .flatMap((l) => /^\s+(?:(-[a-zA-Z]), )?(--[a-z][\w-]*)/.exec(l)?.slice(1).filter(Boolean) ?? []),
    );
    // the hook's usage lines name its options in brackets (`install-hook [--uninstall]`); --help just worked
    const usage = hookHelp.stdout.split('\n\n')[0] ?? '';
    hookOptions = new Set(['--help', ...[...usage.matchAll(/\[(--?[a-z][\w-]*)\]/g)].map((m) => m[1]!)]);
  });

  it('the CLI help lists the options this test checks against', () => {
    for (const o of ['--format', '-f', '--staged', '--range', '--history', '--verify', '--baseline', '--help'])
      expect(cliOptions).toContain(o);
    expect(hookOptions).toContain('--uninstall');
  });

  it('there are some commands that run statalog-scan', () => {
    const runs = sh.flatMap((b) => commandsOf(b.text)).filter((c) => c.includes('statalog-scan'));
    expect(runs.length).toBeGreaterThan(10);
  });

  it.each(sh.map((b) => [b.where, b] as const))(
    '%s: statalog-scan options, npm scripts and paths exist',
    (_where, block) => {
      const problems: string[] = [];
      const rootScripts = Object.keys(
        (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: object }).scripts,
      );
      for (const words of commandsOf(block.text)) {
        const at = words.indexOf('statalog-scan');
        if (at !== -1) {
          const args = words.slice(at + 1);
          const sub = args[0] !== undefined && subcommands.has(args[0]);
          const allowed = sub ? hookOptions : cliOptions;
          for (const arg of args) {
            const option = /^(--?[a-zA-Z][\w-]*)/.exec(arg)?.[1];
            if (option && !allowed.has(option))
              problems.push(
                `${words.join(' ')}: ${option} is not an option of statalog-scan${sub ? ` ${args[0]}` : ''}`,
              );
          }
        }
        const run = words.indexOf('run');
        if (
          words[0] === 'npm' &&
          run !== -1 &&
          words[run + 1] &&
          !words.includes('--workspace') &&
          !rootScripts.includes(words[run + 1]!)
        ) {
          problems.push(`${words.join(' ')}: no script ${words[run + 1]} in package.json`);
        }
        for (const word of words) {
          const path = word.replace(/^["']|["']$/g, '');
          if (
            /^(bench|test|packages|scripts|fixtures|docs)\/[\w./-]+$/.test(path) &&
            !existsSync(join(REPO_ROOT, path))
          )
            problems.push(`${words.join(' ')}: no ${path}`);
        }
      }
      expect(problems).toEqual([]);
    },
  );
});

describe('README', () => {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');

  it('keeps the two Quick start commands .ci/run and new users rely on, verbatim', () => {
    expect(readme).toContain(
      '## Quick start\n\n```sh\nnpm ci && npx statalog-scan fixtures/sample-app\n```\n\n```sh\nnpm test\n```\n',
    );
  });

  it('stays short: at most 10 KB (the details live in docs/)', () => {
    expect(Buffer.byteLength(readme)).toBeLessThanOrEqual(10 * 1024);
  });
});
