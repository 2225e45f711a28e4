#!/usr/bin/env node
// Hostile inputs at size n and 4n: wall time, peak memory (VmHWM) and bytes read (rchar) of the built CLI.
// Linear work shows as a time ratio near 4; a quadratic one near 16. Times are wall-clock on a shared
// machine: read the ratios, not the absolute numbers. The tests (test/hardening-big.test.ts) assert only
// resource bounds; timings live here.
//
// Then, in process, every anchor-bearing construct the rules read (packages/core/test/linear-constructs.mjs,
// the list packages/core/test/linear-time.test.ts asserts on, over 16× its input) through the built core's
// `detect`, at n/16 and n/4 characters: the minimum of 3 runs each and the ratio.
//
//   node bench/hardening.bench.mjs [sizeMB=4]
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CONSTRUCTS, repeatTo } from '../packages/core/test/linear-constructs.mjs';

const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'packages', 'scan', 'bin', 'statalog-scan.js');
const CORE = join(dirname(fileURLToPath(import.meta.url)), '..', 'packages', 'core', 'dist', 'index.js');
const MB = 1024 * 1024;
const n = Number(process.argv[2] ?? 4) * MB;
const key = `st_${randomBytes(32).toString('hex')}`;

/** Inputs: name → bytes of (about) `size`. Each ends with one real key, so every run has a finding to place. */
const INPUTS = {
  'one long line of letters': (size) => `${'a'.repeat(size)} "${key}"`,
  'a line dense with st_': (size) => `${'st_ '.repeat(size / 4)} "${key}"`,
  'a line dense with api_key=': (size) => `${'api_key='.repeat(size / 8)} "${key}"`,
  'a line dense with statalog words': (size) => `${'statalog_api_key '.repeat(size / 17)} "${key}"`,
  'short lines of STATALOG_API_KEY=': (size) => `${'STATALOG_API_KEY=x\n'.repeat(size / 19)}"${key}"\n`,
  'nested URLs with api_key=': (size) =>
    `${'https://app.statalog.com/api/v1/stats?api_key='.repeat(size / 47)} "${key}"`,
  'NUL-separated (binary)': (size) => `${'\0st_'.repeat(size / 4)} ${key}`,
};

function measure(file) {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [BIN, '--format', 'json', file], { stdio: ['ignore', 'pipe', 'ignore'] });
    let peak = 0;
    let read = 0;
    const poll = () => {
      try {
        peak = Math.max(
          peak,
          Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) * 1024,
        );
        read = Math.max(read, Number(/rchar: (\d+)/.exec(readFileSync(`/proc/${child.pid}/io`, 'utf8'))?.[1] ?? 0));
      } catch {
        // gone
      }
    };
    const timer = setInterval(poll, 10);
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('exit', poll);
    child.on('close', (code) => {
      clearInterval(timer);
      const findings = code === 1 || code === 0 ? JSON.parse(out).findings.length : -1;
      resolve({ ms: Number(process.hrtime.bigint() - started) / 1e6, peak, read, findings });
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'statalog-hardening-bench-'));
try {
  console.log(`n = ${n / MB} MB; each input at n and 4n (ratio 4 = linear)\n`);
  console.log(['input'.padEnd(36), 'n: ms', '4n: ms', 'ratio', '4n: peak MB', '4n: read/size', 'found'].join('  '));
  for (const [name, make] of Object.entries(INPUTS)) {
    const results = [];
    for (const size of [n, 4 * n]) {
      const file = join(dir, 'input.txt');
      const text = make(size);
      writeFileSync(file, text);
      results.push({ ...(await measure(file)), size: Buffer.byteLength(text) });
    }
    const [small, big] = results;
    console.log(
      [
        name.padEnd(36),
        small.ms.toFixed(0).padStart(5),
        big.ms.toFixed(0).padStart(6),
        (big.ms / small.ms).toFixed(1).padStart(5),
        (big.peak / MB).toFixed(0).padStart(11),
        (big.read / big.size).toFixed(2).padStart(13),
        `${small.findings}/${big.findings}`.padStart(5),
      ].join('  '),
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

// in process: each construct, in each syntax it is read in, back to back
const { detect } = await import(pathToFileURL(CORE).href);
const small = n / 16;
const minOf3 = (text, syntax) => {
  let best = Infinity;
  for (let t = 0; t < 3; t++) {
    const t0 = performance.now();
    detect(text, { syntax });
    best = Math.min(best, performance.now() - t0);
  }
  return best;
};
console.log(
  `\ndetect in process: n = ${small / 1024} K characters; each construct at n and 4n (ratio 4 = linear, the test fails at 10)\n`,
);
console.log(['construct'.padEnd(44), 'syntax', 'n: ms', '4n: ms', 'ratio'].join('  '));
for (const [name, c] of Object.entries(CONSTRUCTS)) {
  for (const syntax of c.syntax ? [c.syntax] : ['config', 'code']) {
    const a = minOf3(repeatTo(c.unit, small), syntax);
    const b = minOf3(repeatTo(c.unit, 4 * small), syntax);
    console.log(
      [
        name.slice(0, 44).padEnd(44),
        syntax.padEnd(6),
        a.toFixed(1).padStart(5),
        b.toFixed(1).padStart(6),
        (b / Math.max(a, 0.1)).toFixed(1).padStart(5),
      ].join('  '),
    );
  }
}
