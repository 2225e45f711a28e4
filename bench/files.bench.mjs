#!/usr/bin/env node
// The files-mode benchmark: statalog-scan vs ripgrep over a large generated tree.
//
// Two trees, each built once: a synthetic one (deterministically from a fixed seed, ≥ 30,000 files / ≥ 300 MB of
// realistic source under .bench/files/tree) and one of real package files (copies of the repository's own
// node_modules under .bench/packages, ≥ 300 MB, deterministic from the lockfile: see package-tree.mjs). On each,
// times `statalog-scan --no-ignore --format json` against
// `rg --no-ignore --hidden -n -e 'st_[0-9a-f]{64}' -e 'api_key=' -e '(?i)statalog_api_key'`, alternating runs,
// and prints the median wall and CPU ratios (pair by pair), MB/s and peak RSS. Goals: ≤ 2.5× ripgrep on the
// synthetic tree, ≤ 3× on the real one (wall and CPU), peak RSS ≤ 250 MB.
// Options: --runs N (default 7), --tree synthetic|packages (default both), --regenerate.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ensureRipgrep, flag, loadLine, numberOption, option, root, seeded, sideBySide } from './lib.mjs';
import { ensurePackageTree } from './package-tree.mjs';

const benchDir = join(root, '.bench', 'files');
const tree = join(benchDir, 'tree');
const marker = join(benchDir, 'complete.json');
const GENERATOR_VERSION = 5;
const TARGET_FILES = 31_000;
const runs = numberOption('--runs', 7);

// ---------------------------------------------------------------- deterministic generator
const { rand, int, pick, hex } = seeded(20250512);

const WORDS = (
  'user account session request response handler service client server config value item list first last ' +
  'test cast post host cost fast past most best rest state status result error event message query cache ' +
  'token order product invoice payment customer report chart metric stats page site visit channel device ' +
  'location campaign filter sort index count total amount price name email address phone date time zone ' +
  'update create delete fetch load save parse render format validate transform build deploy'
).split(' ');
const ident = () =>
  pick(WORDS) + (rand() < 0.5 ? '_' + pick(WORDS) : pick(WORDS)[0].toUpperCase() + pick(WORDS).slice(1));
const snake = () => `${pick(WORDS)}_${pick(WORDS)}`; // list_items, first_name, test_value: plenty of `st_`
const sentence = () => Array.from({ length: 4 + int(10) }, () => pick(WORDS)).join(' ');

const LINES = {
  ts: [
    () => `import { ${ident()}, ${ident()} } from './${pick(WORDS)}/${pick(WORDS)}.js';`,
    () => `export function ${ident()}(${snake()}: string, ${ident()}: number): Promise<${pick(WORDS)}[]> {`,
    () => `  const ${snake()} = await ${ident()}.${pick(WORDS)}(${snake()}, { ${pick(WORDS)}: ${int(1000)} });`,
    () => `  if (!${snake()}) throw new Error('${sentence()}');`,
    () => `  return ${snake()}.filter((${pick(WORDS)}) => ${pick(WORDS)}.${snake()} > ${int(100)});`,
    () => `  // ${sentence()}`,
    () => `}`,
    () => ``,
    () => `  const url = \`\${baseUrl}/api/v1/${pick(WORDS)}?id=\${${ident()}}&limit=${int(100)}\`;`,
  ],
  py: [
    () => `def ${snake()}(${snake()}, ${snake()}=None):`,
    () => `    """${sentence()}."""`,
    () => `    ${snake()} = ${snake()}.get("${snake()}", ${int(100)})`,
    () => `    for ${pick(WORDS)} in ${snake()}:`,
    () => `        ${snake()}.append(${pick(WORDS)}.${snake()})`,
    () => `    return {"${snake()}": ${snake()}, "${pick(WORDS)}": ${int(1e6)}}`,
    () => ``,
    () => `import ${pick(WORDS)}`,
  ],
  go: [
    () => `func ${ident()}(${pick(WORDS)} *${pick(WORDS)}.${ident()}) (${pick(WORDS)}, error) {`,
    () => `\t${pick(WORDS)}, err := ${pick(WORDS)}.${ident()}(ctx, ${int(100)})`,
    () => `\tif err != nil {\n\t\treturn nil, fmt.Errorf("${sentence()}: %w", err)\n\t}`,
    () => `\t// ${sentence()}`,
    () => `}`,
    () => ``,
  ],
  json: [
    () => `    "${snake()}": "${sentence()}",`,
    () => `    "integrity": "sha512-${Buffer.from(hex(64), 'hex').toString('base64')}",`,
    () =>
      `    "resolved": "https://registry.npmjs.org/${pick(WORDS)}/-/${pick(WORDS)}-${int(9)}.${int(20)}.${int(9)}.tgz",`,
    () => `    "${pick(WORDS)}Id": "${hex(32)}",`,
    () => `    "count": ${int(100000)},`,
  ],
  md: [
    () => `## ${sentence()}`,
    () => sentence() + '. ' + sentence() + '.',
    () => `- \`${snake()}\`: ${sentence()}`,
    () => ``,
  ],
  yaml: [
    () => `  ${snake()}: ${pick(WORDS)}`,
    () => `    - name: ${snake().toUpperCase()}`,
    () => `      value: "${pick(WORDS)}-${int(100)}"`,
    () => `  image: registry.example.com/${pick(WORDS)}:${int(9)}.${int(9)}`,
  ],
  css: [
    () => `.${pick(WORDS)}-${pick(WORDS)} { margin: ${int(20)}px ${int(20)}px; color: #${hex(6)}; }`,
    () => `@media (max-width: ${400 + int(800)}px) { .${pick(WORDS)} { display: none; } }`,
  ],
  log: [
    () =>
      `203.0.113.${int(255)} - - [12/May/2025:${10 + int(10)}:${int(60)}:${int(60)} +0000] "GET /${pick(WORDS)}/${int(1000)}?${snake()}=${int(99)} HTTP/1.1" ${pick([200, 200, 200, 304, 404])} ${int(50000)} "-" "Mozilla/5.0"`,
    () => `${new Date(1715500000000 + int(1e9)).toISOString()} INFO ${pick(WORDS)}: ${sentence()} (${hex(8)})`,
  ],
};
const EXT = {
  ts: ['ts', 'tsx', 'js'],
  py: ['py'],
  go: ['go'],
  json: ['json'],
  md: ['md'],
  yaml: ['yaml', 'yml'],
  css: ['css'],
  log: ['log'],
};
const KINDS = ['ts', 'ts', 'ts', 'ts', 'py', 'py', 'go', 'json', 'md', 'yaml', 'css'];

// Lines that mention the key's name or an api_key= URL without leaking anything: realistic code has those in
// a few places, not everywhere — here about one file in fifteen holds one.
const RARE = {
  ts: [() => `  headers: { Authorization: \`Bearer \${process.env.STATALOG_API_KEY}\` },`],
  py: [() => `STATALOG_API_KEY = os.environ["STATALOG_API_KEY"]`],
  md: [
    () => `Set \`STATALOG_API_KEY\` in your environment; see the Statalog docs.`,
    () => `    curl "https://api.${pick(WORDS)}.io/v2/${pick(WORDS)}?api_key=$API_KEY"`,
  ],
  yaml: [() => `      STATALOG_API_KEY: \${STATALOG_API_KEY}`],
};
const RARE_LINE = 0.0005;

function fileContent(kind, size) {
  const gen = LINES[kind];
  const rare = RARE[kind];
  const parts = [];
  let length = 0;
  while (length < size) {
    const line = (rare && rand() < RARE_LINE ? pick(rare) : pick(gen))();
    parts.push(line);
    length += line.length + 1;
  }
  return parts.join('\n') + '\n';
}

function generate() {
  rmSync(benchDir, { recursive: true, force: true });
  mkdirSync(tree, { recursive: true });
  let files = 0;
  let bytes = 0;
  let planted = 0;
  const write = (rel, content) => {
    const path = join(tree, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
    files++;
    bytes += Buffer.byteLength(content);
  };
  for (let i = 0; i < TARGET_FILES; i++) {
    const kind = pick(KINDS);
    const size = 1500 + Math.floor(-Math.log(1 - rand()) * 8500); // exponential: many small files, some large
    let content = fileContent(kind, size);
    if (i % 700 === 350) {
      // a planted leak now and then, so the scanner has findings to report
      content += i % 1400 === 350 ? `const statalogKey = "st_${hex(64)}";\n` : `STATALOG_API_KEY=${hex(64)}\n`;
      planted++;
    }
    const pkg = `packages/pkg-${String(i % 60).padStart(2, '0')}`;
    const dir = `${pkg}/src/${WORDS[(i >> 3) % 40]}`; // ~13 files per directory
    const hidden = i % 500 === 0 ? '.config/' : '';
    write(`${hidden}${dir}/${pick(WORDS)}-${i}.${pick(EXT[kind])}`, content);
  }
  for (let i = 0; i < 3; i++) write(`logs/access-${i}.log`, fileContent('log', 8 * 1024 * 1024));
  write(
    'dist/bundle.min.js',
    'function n(t){return t&&t.__esModule?t:{default:t}}var r=n(require("react"));'.repeat(60000) + '\n',
  );
  writeFileSync(marker, JSON.stringify({ version: GENERATOR_VERSION, files, bytes, planted }));
}

// ---------------------------------------------------------------- main
const existing = existsSync(marker) ? JSON.parse(readFileSync(marker, 'utf8')) : undefined;
if (!existing || existing.version !== GENERATOR_VERSION || flag('--regenerate')) {
  console.log(`generating the tree under ${tree} (once)…`);
  const t = Date.now();
  generate();
  console.log(`  done in ${((Date.now() - t) / 1000).toFixed(1)} s`);
}
const info = JSON.parse(readFileSync(marker, 'utf8'));
const real = ensurePackageTree({ regenerate: flag('--regenerate') });
ensureRipgrep();

const bin = join(root, 'packages', 'scan', 'bin', 'statalog-scan.js');
const PATTERNS = ['-e', 'st_[0-9a-f]{64}', '-e', 'api_key=', '-e', '(?i)statalog_api_key'];
const compare = (label, cwd, paths, bytes) =>
  sideBySide(
    label,
    [process.execPath, [bin, '--no-ignore', '--format', 'json', ...paths]],
    ['rg', ['--no-ignore', '--hidden', '-n', ...PATTERNS, ...paths]],
    {
      runs,
      cwd,
      bytes,
      names: ['statalog-scan', 'ripgrep'],
    },
  );
const verdict = (r, goal) =>
  `  goal ≤ ${goal}x wall and CPU, peak RSS ≤ 250 MB: ${r.wallRatio <= goal && r.cpuRatio <= goal && r.a.rssMb <= 250 ? 'met' : 'NOT met'}`;

const which = option('--tree', 'both');
if (which !== 'packages') {
  console.log(
    `synthetic tree: ${info.files} files, ${(info.bytes / 1e6).toFixed(0)} MB (${info.planted} planted leaks); load ${loadLine()}`,
  );
  console.log(verdict(compare('synthetic tree', benchDir, ['tree'], info.bytes), 2.5));
}
if (which !== 'synthetic') {
  const copies = Array.from({ length: real.copies }, (_, c) => `copy-${c}`);
  console.log(
    `real-package tree: ${real.files} files, ${(real.bytes / 1e6).toFixed(0)} MB (${real.copies} copies of node_modules); load ${loadLine()}`,
  );
  console.log(verdict(compare('real-package tree', real.dir, copies, real.bytes), 3));
}
console.log(`load average at the end: ${loadLine()}`);
