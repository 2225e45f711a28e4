#!/usr/bin/env node
// The git-mode benchmark.
//
// 1. History: builds (once, deterministically, with `git fast-import`) a repository of 20,000+ commits under
//    .bench/git/repo — a few hundred source files edited a few lines at a time, side branches merged back,
//    files added, renamed and deleted, and keys planted (some removed again) — then times
//    `statalog-scan --history --format json` against the naive pipeline
//    `git log -p --all -U0 | rg -e 'st_[0-9a-f]{64}' -e 'api_key=' -e '(?i)statalog_api_key'`,
//    alternating runs, and prints the median ratio. Goal: ≤ 1× (at least as fast as the pipeline).
// 2. Pre-commit latency: `statalog-scan --staged` with a typical 10-file change staged in that repository,
//    against a bare `node -e 0`. Goal: ≤ 2×.
// Options: --runs N (history runs, default 5), --staged-runs N (default 21), --regenerate.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureRipgrep, flag, loadLine, numberOption, root, seeded, sideBySide } from './lib.mjs';

const benchDir = join(root, '.bench', 'git');
const repo = join(benchDir, 'repo');
const marker = join(benchDir, 'complete.json');
const GENERATOR_VERSION = 5;
const COMMITS = 20_000;
const runs = numberOption('--runs', 5);
const stagedRuns = numberOption('--staged-runs', 21);
const bin = join(root, 'packages', 'scan', 'bin', 'statalog-scan.js');

// git must behave the same whoever runs this: no user or system config, fixed identity
const gitEnv = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'Bench',
  GIT_AUTHOR_EMAIL: 'bench@example.test',
  GIT_COMMITTER_NAME: 'Bench',
  GIT_COMMITTER_EMAIL: 'bench@example.test',
};
delete gitEnv.CI; // CI=true would not change anything measured here, but keep the runs comparable
const git = (...a) => execFileSync('git', a, { cwd: repo, env: gitEnv, encoding: 'utf8', maxBuffer: 1 << 28 });

// ---------------------------------------------------------------- deterministic generator
const { rand, int, pick, hex } = seeded(20250601);
const WORDS = (
  'user account session request response handler service client server config value item list first last test ' +
  'state status result error event message query cache token order product invoice payment customer report ' +
  'chart metric stats page site visit channel device location campaign filter sort index count total amount'
).split(' ');
const ident = () => `${pick(WORDS)}${pick(WORDS)[0].toUpperCase()}${pick(WORDS).slice(1)}`;
const LINE_KINDS = [
  () => `  const ${ident()} = await ${pick(WORDS)}.${ident()}(${pick(WORDS)}_${pick(WORDS)}, ${int(1000)});`,
  () => `  if (!${ident()}) throw new Error('${pick(WORDS)} ${pick(WORDS)} ${pick(WORDS)}');`,
  () => `  // ${Array.from({ length: 6 }, () => pick(WORDS)).join(' ')}`,
  () => `export function ${ident()}(${pick(WORDS)}: string): number {`,
  () => `  return ${pick(WORDS)}_${pick(WORDS)}.length + ${int(100)};`,
  () => '}',
  () => '',
];
// as in the files benchmark: a rare line (0.4%) is any line kind including a reference to the key's environment
// variable, so about one source file in ten mentions STATALOG_API_KEY — not every page
const ENV_LINE = () => `  headers: { Authorization: \`Bearer \${process.env.STATALOG_API_KEY}\` },`;
const RARE_LINES = [...LINE_KINDS, ENV_LINE];
const line = () => (rand() < 0.004 ? pick(RARE_LINES)() : pick(LINE_KINDS)());
const leak = () =>
  pick([
    () => `const statalogKey = 'st_${hex(64)}';`,
    () => `STATALOG_API_KEY=${hex(64)}`,
    () => `  fetch('https://app.statalog.com/api/v1/stats?site_id=ST-A1B2C3&api_key=st_${hex(64)}');`,
  ])();

/** The fast-import stream, written in pieces so that 200+ MB never sit in one string. */
function generate() {
  rmSync(benchDir, { recursive: true, force: true });
  mkdirSync(repo, { recursive: true });
  git('init', '-q', '-b', 'main');
  const files = new Map(); // path -> lines
  const paths = [];
  let mark = 0;
  let when = 1_600_000_000;
  let planted = 0;
  const chunks = [];
  const emit = (text) => chunks.push(text);
  const blob = (text) => `data ${Buffer.byteLength(text)}\n${text}\n`;
  const newFile = () => {
    const path = `src/${pick(WORDS)}/${ident()}-${paths.length}.ts`;
    files.set(path, Array.from({ length: 40 + int(160) }, line));
    paths.push(path);
    return path;
  };
  for (let i = 0; i < 300; i++) newFile();

  let mainTip = 0;
  const commit = (branch, from, merge, ops) => {
    const m = ++mark;
    when += 60 + int(600);
    emit(
      `commit refs/heads/${branch}\nmark :${m}\nauthor Bench <bench@example.test> ${when} +0000\ncommitter Bench <bench@example.test> ${when} +0000\n`,
    );
    emit(blob(`change ${m}`));
    if (from) emit(`from :${from}\n`);
    if (merge) emit(`merge :${merge}\n`);
    for (const op of ops) emit(op);
    return m;
  };
  const modify = (path) => `M 100644 inline ${path}\n${blob(files.get(path).join('\n') + '\n')}`;
  const edit = (path) => {
    const lines = files.get(path);
    const at = int(lines.length);
    const roll = rand();
    if (roll < 0.4) lines.splice(at, 1, line());
    else if (roll < 0.8) lines.splice(at, 0, ...Array.from({ length: 1 + int(4) }, line));
    else lines.splice(at, 1 + int(3));
    if (rand() < 0.002) {
      lines.splice(int(lines.length), 0, leak()); // a planted key
      planted++;
    }
    return modify(path);
  };
  /** A commit's changes; `touched` collects edited paths (side branches only edit, the merge carries them over). */
  const changeOps = (touched) => {
    const ops = [];
    const roll = touched ? 1 : rand();
    if (roll < 0.01) ops.push(modify(newFile()));
    else if (roll < 0.015 && paths.length > 50) {
      const [path] = paths.splice(int(paths.length), 1);
      files.delete(path);
      ops.push(`D ${path}\n`);
    } else if (roll < 0.02) {
      const i = int(paths.length);
      const to = `src/moved/${paths[i].split('/').pop()}`;
      if (!files.has(to)) {
        ops.push(`R ${paths[i]} ${to}\n`);
        files.set(to, files.get(paths[i]));
        files.delete(paths[i]);
        paths[i] = to;
      }
    }
    const n = 1 + int(3);
    for (let k = 0; k < n; k++) {
      const path = pick(paths);
      touched?.add(path);
      ops.push(edit(path));
    }
    return ops;
  };

  mainTip = commit('main', 0, 0, paths.map(modify));
  let count = 1;
  while (count < COMMITS) {
    if (count % 400 === 200) {
      // a side branch of 15 commits, merged back with a merge commit
      // (fast-import starts a merge from its first parent's tree: the merge writes the branch's files again)
      let tip = mainTip;
      const touched = new Set();
      for (let k = 0; k < 15; k++, count++) tip = commit('topic', tip, 0, changeOps(touched));
      mainTip = commit('main', mainTip, tip, [...changeOps(), ...[...touched].filter((p) => files.has(p)).map(modify)]);
      count++;
    } else {
      mainTip = commit('main', mainTip, 0, changeOps());
      count++;
    }
    if (chunks.length > 2000) flush();
  }
  flush(true);
  function flush(last = false) {
    writeFileSync(join(benchDir, 'stream'), chunks.join(''), { flag: 'a' });
    chunks.length = 0;
    if (last) {
      execFileSync('sh', ['-c', `git fast-import --quiet < ../stream`], { cwd: repo, env: gitEnv, stdio: 'inherit' });
      rmSync(join(benchDir, 'stream'));
      git('reset', '-q', '--hard', 'main');
      // fast-import deltas each version against the one before, so the newest blobs sit at the end of long
      // chains; a real repository, packed by git, has them as bases. Recompute the deltas the way gc does.
      git('repack', '-a', '-d', '-f', '-q');
      git('gc', '-q');
    }
  }
  const commits = Number(git('rev-list', '--all', '--count').trim());
  writeFileSync(marker, JSON.stringify({ version: GENERATOR_VERSION, commits, planted }));
}

// ---------------------------------------------------------------- main
const existing = existsSync(marker) ? JSON.parse(readFileSync(marker, 'utf8')) : undefined;
if (!existing || existing.version !== GENERATOR_VERSION || flag('--regenerate')) {
  console.log(`generating a ${COMMITS}-commit repository under ${repo} with git fast-import (once)…`);
  const t = Date.now();
  generate();
  console.log(`  done in ${((Date.now() - t) / 1000).toFixed(1)} s`);
}
const info = JSON.parse(readFileSync(marker, 'utf8'));
ensureRipgrep();
git('reset', '-q', '--hard', 'main');

console.log(`load average at the start: ${loadLine()}`);
const scanner = [process.execPath, [bin, '--history', '--format', 'json']];
const naive = ['sh', ['-c', `git log -p --all -U0 | rg -e 'st_[0-9a-f]{64}' -e 'api_key=' -e '(?i)statalog_api_key'`]];
console.log(`history: ${info.commits} commits (${info.planted} planted keys)`);
const history = sideBySide('history', scanner, naive, {
  runs,
  cwd: repo,
  env: gitEnv,
  names: ['statalog-scan --history', 'git log -p --all -U0 | rg …'],
});
console.log(`  goal ≤ 1x wall: ${history.wallRatio <= 1 ? 'met' : 'NOT met'}`);

// a typical pre-commit: ten files edited and staged
const tracked = git('ls-files', 'src').trim().split('\n');
for (let i = 0; i < 10; i++) {
  const file = join(repo, tracked[(i * 97) % tracked.length]);
  writeFileSync(file, readFileSync(file, 'utf8') + `export const edited${i} = ${i};\n`);
}
git('add', '-A');
console.log(`load average: ${loadLine()}`);
const staged = sideBySide(
  'pre-commit, 10 staged files',
  [process.execPath, [bin, '--staged']],
  [process.execPath, ['-e', '0']],
  {
    runs: stagedRuns,
    cwd: repo,
    env: gitEnv,
    names: ['statalog-scan --staged', 'node -e 0'],
  },
);
console.log(`  goal ≤ 2x wall (stretch ≤ 1.7x): ${staged.wallRatio <= 2 ? 'met' : 'NOT met'}`);
git('reset', '-q', '--hard', 'main');
console.log(`load average at the end: ${loadLine()}`);
