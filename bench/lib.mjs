// Helpers shared by the benchmarks. Not a benchmark itself: run.mjs only runs files named *.bench.mjs.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The repository root: benchmarks find the build (packages/*/dist) and their data (.bench/) from it.
export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

// A seeded 32-bit PRNG (mulberry32): generated trees must come out byte-for-byte the same on every run and machine.
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// rand/int/pick/hex over one mulberry32 stream; each draws exactly one rand() per int (hex: one per digit), in
// order — change that and the generated trees change (bump the benchmark's GENERATOR_VERSION).
export function seeded(seed) {
  const rand = mulberry32(seed);
  const int = (n) => Math.floor(rand() * n);
  const pick = (list) => list[int(list.length)];
  const hex = (n) => {
    let s = '';
    for (let i = 0; i < n; i++) s += '0123456789abcdef'[int(16)];
    return s;
  };
  return { rand, int, pick, hex };
}

// `--name value` from the command line, else the fallback: how every benchmark takes its options.
export function option(name, fallback, args = process.argv.slice(2)) {
  const at = args.indexOf(name);
  return at >= 0 && at + 1 < args.length ? args[at + 1] : fallback;
}

// A positive count such as --runs N; anything unparsable (or 0) falls back, so a typo never means zero runs.
export const numberOption = (name, fallback) => Number(option(name, fallback)) || fallback;

// A bare switch such as --regenerate.
export const flag = (name) => process.argv.slice(2).includes(name);

// The comparisons need ripgrep; as root (the bench machine) install it rather than fail.
export function ensureRipgrep() {
  if (spawnSync('rg', ['--version']).status === 0) return;
  if (process.getuid?.() !== 0) throw new Error('ripgrep (rg) is missing; install it (apt-get install ripgrep)');
  console.log('installing ripgrep with apt-get…');
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', 'ripgrep'], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

const timeBin = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

// One run with stdout discarded, timed the same way for every program compared: wall ms; through /usr/bin/time
// (GNU time) also the CPU time (user + system, ms, of the process and every child it waited for — `sh -c 'a | b'`
// counts both sides of the pipe; GNU time prints it in steps of 10 ms) and the peak RSS in MB (of the largest
// single process). Without /usr/bin/time those two are NaN. Exit 1 is fine (scanner and rg use it for "found
// something"). `rss` is accepted for older callers; the figures are always taken when /usr/bin/time exists.
export function measure(command, commandArgs, { cwd, env } = {}) {
  const wrap = timeBin !== undefined;
  const [file, argv] = wrap ? [timeBin, ['-f', '%U %S %M', command, ...commandArgs]] : [command, commandArgs];
  const started = process.hrtime.bigint();
  const result = spawnSync(file, argv, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0 && result.status !== 1)
    throw new Error(`${command} ${commandArgs.join(' ')} exited with ${result.status}: ${result.stderr}`);
  if (!wrap) return { ms, cpuMs: NaN, rssMb: NaN };
  const [user, system, kb] = String(result.stderr).trim().split('\n').at(-1).split(' ').map(Number);
  return { ms, cpuMs: (user + system) * 1000, rssMb: kb / 1024 };
}

// The 1-, 5- and 15-minute load averages, as one printable string: every benchmark prints it at its start and
// end so that a run on a busy machine shows as one (on 2 cores, a load above 1 already means sharing).
export const loadLine = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

// Side by side: a and b ([command, args]) run `runs` times each, alternating (after one warm-up run each that is
// not counted), and the ratios are taken pair by pair, so a machine whose speed drifts moves both sides of a pair
// alike. Prints, and returns, the medians: wall ms, CPU ms, peak RSS MB of each side, and the median of the
// per-pair wall and CPU ratios (a / b).
export function sideBySide(label, a, b, { runs, cwd, env, names = ['ours', 'reference'], bytes } = {}) {
  const once = ([command, commandArgs]) => measure(command, commandArgs, { cwd, env });
  once(a); // warm the page cache and both programs
  once(b);
  const [as, bs] = alternate(
    runs,
    () => once(a),
    () => once(b),
  );
  const wallRatio = median(as.map((m, i) => m.ms / bs[i].ms));
  const cpuRatio = median(as.map((m, i) => m.cpuMs / bs[i].cpuMs));
  const side = (ms) => ({
    ms: median(ms.map((m) => m.ms)),
    minMs: Math.min(...ms.map((m) => m.ms)),
    cpuMs: median(ms.map((m) => m.cpuMs)),
    rssMb: Math.max(...ms.map((m) => m.rssMb)),
  });
  const result = { label, runs, a: side(as), b: side(bs), wallRatio, cpuRatio };
  const width = Math.max(...names.map((n) => n.length));
  const row = (name, s) =>
    `  ${name.padEnd(width)}  wall median ${s.ms.toFixed(1)} ms (min ${s.minMs.toFixed(1)})` +
    (bytes ? `, ${(bytes / 1e6 / (s.ms / 1000)).toFixed(0)} MB/s` : '') +
    `; CPU median ${s.cpuMs.toFixed(0)} ms; peak RSS ${s.rssMb.toFixed(0)} MB`;
  console.log(`${label}: ${runs} runs each, alternating`);
  console.log(row(names[0], result.a));
  console.log(row(names[1], result.b));
  console.log(
    `  ratio ${names[0]} / ${names[1]} (median of ${runs} pairs): wall ${wallRatio.toFixed(2)}x, CPU ${cpuRatio.toFixed(2)}x`,
  );
  return result;
}

// The median, not the mean: one run disturbed by something else on the machine should not move the figure.
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

// Runs a and b n times each, swapping which goes first every round so neither always runs on a warmer (or busier)
// machine; returns [a's results, b's results].
export function alternate(n, a, b) {
  const first = [];
  const second = [];
  for (let i = 0; i < n; i++) {
    if (i % 2 === 0) {
      first.push(a());
      second.push(b());
    } else {
      second.push(b());
      first.push(a());
    }
  }
  return [first, second];
}
