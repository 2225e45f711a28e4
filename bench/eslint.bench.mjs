#!/usr/bin/env node
// The ESLint plugin benchmark: what the `strict` config adds to a lint of a large real code base.
//
// Copies (once) ESLint's own lib/ (≈390 JavaScript files, ≈100k lines) and ajv's TypeScript sources out of
// node_modules into .bench/eslint/corpus, then lints the corpus in-process with ESLint's Node API, alternating
// two configs that differ only in the rules: @statalog/strict, and no rules at all — same parsers (espree for
// .js, @typescript-eslint/parser for .ts), no cache. Prints the median of the per-pair time ratios (goal ≤ 1.05;
// for comparison eslint-plugin-no-secrets added 27% to a lint of vue core's packages), each rule's own time from
// ESLint's `stats` (what TIMING=1 prints), and any finding in the corpus (there should be none: it is a false
// positive). A third config, five rules that do nothing, shows how much of the difference is ESLint's own cost of
// running five rules at all. Then the start-up case: the real CLI on a one-file plain JavaScript project, with
// @eslint/js recommended alone and with this plugin's recommended config added (goal ≤ 1.1: the plugin's import
// is most of what it adds there). Options: --runs N (default 9), --eslint 10 (use ESLint 10 instead of 9).
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import { alternate, measure, median, numberOption, option, root } from './lib.mjs';

const benchDir = join(root, '.bench', 'eslint');
const corpus = join(benchDir, 'corpus');
const runs = numberOption('--runs', 9);
const major = option('--eslint', '9');

const eslintPackage = major === '10' ? 'eslint10' : 'eslint';
// the package's entry point (its bundle, as a user's `import '@statalog/eslint-plugin'` loads it)
const pluginEntry = join(root, 'packages', 'eslint-plugin', 'dist', 'bundle', 'index.js');
if (!existsSync(pluginEntry)) {
  console.error('bench eslint: build first (npx tsc -b && npm run bundle)');
  process.exit(2);
}
const { ESLint } = await import(pathToFileURL(join(root, 'node_modules', eslintPackage, 'lib', 'api.js')).href);
const tsParser = (await import('@typescript-eslint/parser')).default;
const statalog = (await import(pathToFileURL(pluginEntry).href)).default;

// ---------------------------------------------------------------- corpus
const SOURCES = [
  { from: join(root, 'node_modules', 'eslint', 'lib'), to: 'eslint-lib' },
  { from: join(root, 'node_modules', 'ajv', 'lib'), to: 'ajv-lib' },
];
if (!existsSync(join(corpus, 'eslint-lib'))) {
  rmSync(corpus, { recursive: true, force: true });
  mkdirSync(corpus, { recursive: true });
  for (const { from, to } of SOURCES) {
    cpSync(from, join(corpus, to), {
      recursive: true,
      filter: (src) => statSync(src).isDirectory() || (/\.(?:js|ts)$/.test(src) && !/\.d\.ts$/.test(src)),
    });
  }
}
const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else files.push(path);
  }
};
walk(corpus);
const bytes = files.reduce((sum, f) => sum + statSync(f).size, 0);

// ---------------------------------------------------------------- configs
const base = [
  // inline `/* eslint … */` comments of the corpus would enable rules and report unknown ones: off for both
  { linterOptions: { noInlineConfig: true, reportUnusedDisableDirectives: 'off' } },
  { files: ['**/*.js'], languageOptions: { sourceType: 'commonjs', ecmaVersion: 'latest' } },
  { files: ['**/*.ts'], languageOptions: { parser: tsParser } },
];
// ESLint itself pays per rule and file (a context, options merged with defaults, listeners) before any rule
// looks at the code: five rules that do nothing separate that from the plugin's own work
const noop = { meta: { schema: [] }, create: () => ({}) };
const noopRules = Object.fromEntries(Object.keys(statalog.rules).map((name) => [name, noop]));
const configs = {
  strict: [...base, { files: ['**/*.{js,ts}'], ...statalog.configs.strict }],
  none: [...base],
  noop: [
    ...base,
    {
      files: ['**/*.{js,ts}'],
      plugins: { noop: { rules: noopRules } },
      rules: Object.fromEntries(Object.keys(noopRules).map((name) => [`noop/${name}`, 'error'])),
    },
  ],
};

// collect garbage before each timed lint, so neither config pays for the other's garbage
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');

async function lint(name, stats = false) {
  gc();
  const eslint = new ESLint({
    cwd: corpus,
    overrideConfigFile: true,
    overrideConfig: configs[name],
    cache: false,
    stats,
  });
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  const results = await eslint.lintFiles(['.']);
  const ms = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000, results };
}

// ---------------------------------------------------------------- measure
console.log(
  `ESLint ${ESLint.version} — corpus: ${files.length} files (${files.filter((f) => f.endsWith('.ts')).length} TypeScript), ${(bytes / 1e6).toFixed(1)} MB: node_modules/eslint/lib + node_modules/ajv/lib`,
);
const loadBefore = loadavg()[0];
const warm = await lint('strict');
await lint('none');
await lint('noop');
const parseErrors = warm.results.filter((r) => r.messages.some((m) => m.fatal));
if (parseErrors.length > 0)
  console.log(`note: ${parseErrors.length} files did not parse (${relative(corpus, parseErrors[0].filePath)} …)`);

const times = { strict: [], none: [], noop: [] };
const ratios = [];
const cpuRatios = [];
const noopRatios = [];
const names = Object.keys(times);
for (let i = 0; i < runs; i++) {
  // rotate which goes first, so none always runs on a warmer (or busier) machine
  const order = names.map((_, k) => names[(i + k) % names.length]);
  const ms = {};
  const cpu = {};
  for (const name of order) ({ ms: ms[name], cpuMs: cpu[name] } = await lint(name));
  for (const name of names) times[name].push(ms[name]);
  ratios.push(ms.strict / ms.none);
  cpuRatios.push(cpu.strict / cpu.none);
  noopRatios.push(cpu.strict / cpu.noop);
}
const loadAfter = loadavg()[0];

// ---------------------------------------------------------------- per-rule cost (what TIMING=1 shows)
const { results } = await lint('strict', true);
const ruleMs = {};
let parseMs = 0;
let totalMs = 0;
for (const result of results) {
  for (const pass of result.stats?.times?.passes ?? []) {
    parseMs += pass.parse?.total ?? 0;
    totalMs += pass.total ?? 0;
    for (const [rule, time] of Object.entries(pass.rules ?? {})) ruleMs[rule] = (ruleMs[rule] ?? 0) + time.total;
  }
}
const findings = warm.results.flatMap((r) =>
  r.messages
    .filter((m) => m.ruleId?.startsWith('@statalog/'))
    .map((m) => ({ file: relative(corpus, r.filePath), ...m })),
);

console.log(
  `${runs} runs each, alternating; per run: strict ${times.strict.map((t) => t.toFixed(0)).join(', ')} ms; no rules ${times.none.map((t) => t.toFixed(0)).join(', ')} ms`,
);
console.log(
  `strict: median ${median(times.strict).toFixed(0)} ms; no rules: median ${median(times.none).toFixed(0)} ms; five no-op rules: median ${median(times.noop).toFixed(0)} ms`,
);
const ratio = median(ratios);
console.log(
  `ratio: ${ratio.toFixed(3)} wall time (median of ${runs} paired runs; goal ≤ 1.05: ${ratio <= 1.05 ? 'met' : 'NOT met'}); CPU time ${median(cpuRatios).toFixed(3)}`,
);
console.log(
  `of which the plugin's own work: strict / five no-op rules = ${median(noopRatios).toFixed(3)} (CPU); the rest is ESLint's cost of running any five rules`,
);
const ours = Object.entries(ruleMs)
  .filter(([rule]) => rule.startsWith('@statalog/'))
  .reduce((sum, [, ms]) => sum + ms, 0);
console.log(
  `per-rule time across the corpus (ESLint stats, one run): the plugin's rules ${ours.toFixed(0)} ms = ${((ours / totalMs) * 100).toFixed(1)}% of ${totalMs.toFixed(0)} ms linting (parse ${parseMs.toFixed(0)} ms)`,
);
for (const [rule, ms] of Object.entries(ruleMs).sort((a, b) => b[1] - a[1])) {
  console.log(`  ${rule.padEnd(30)} ${ms.toFixed(1).padStart(7)} ms  ${((ms / totalMs) * 100).toFixed(2)}%`);
}
console.log(
  `the plugin's findings in the corpus: ${findings.length}${findings.length ? ' (false positives to look at):' : ' (none expected)'}`,
);
for (const f of findings.slice(0, 20))
  console.log(`  ${f.file}:${f.line}:${f.column} ${f.ruleId} ${f.message.slice(0, 100)}`);
console.log(
  `load average: ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after${loadAfter > 1 ? ' — the machine was busy; figures are noisy' : ''}`,
);

// ---------------------------------------------------------------- one-file lint through the CLI (start-up)
const oneFile = join(benchDir, 'one-file');
mkdirSync(oneFile, { recursive: true });
writeFileSync(join(oneFile, 'package.json'), '{ "type": "module" }\n');
writeFileSync(
  join(oneFile, 'index.js'),
  "export const add = (a, b) => a + b;\nexport const url = 'https://example.com/api';\n",
);
writeFileSync(
  join(oneFile, 'js.config.js'),
  "import js from '@eslint/js';\nexport default [js.configs.recommended];\n",
);
writeFileSync(
  join(oneFile, 'plugin.config.js'),
  "import js from '@eslint/js';\nimport statalog from '@statalog/eslint-plugin';\nexport default [js.configs.recommended, statalog.configs.recommended];\n",
);
const eslintBin = join(root, 'node_modules', eslintPackage, 'bin', 'eslint.js');
const cli = (config) => () => measure(process.execPath, [eslintBin, '-c', config, 'index.js'], { cwd: oneFile }).ms;
const [withPlugin, jsOnly] = alternate(runs, cli('plugin.config.js'), cli('js.config.js'));
const startup = median(withPlugin) / median(jsOnly);
console.log(
  `one-file lint (CLI, ${runs} runs each, alternating): @eslint/js recommended median ${median(jsOnly).toFixed(0)} ms; with @statalog/recommended ${median(withPlugin).toFixed(0)} ms — ${startup.toFixed(3)}× (goal ≤ 1.1: ${startup <= 1.1 ? 'met' : 'NOT met'})`,
);
