#!/usr/bin/env node
// Hostile inputs at size n and 4n: wall time, peak memory (VmHWM) and bytes read (rchar) of the built CLI.
// Linear work shows as a time ratio near 4; a quadratic one near 16. Times are wall-clock on a shared
// machine: read the ratios, not the absolute numbers. The tests (test/hardening-big.test.ts) assert only
// resource bounds; timings live here.
//
//   node bench/hardening.bench.mjs [sizeMB=4]
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'packages', 'scan', 'bin', 'statalog-scan.js');
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
  'nested URLs with api_key=': (size) => `${'https://app.statalog.com/api/v1/stats?api_key='.repeat(size / 47)} "${key}"`,
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
        peak = Math.max(peak, Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) * 1024);
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
