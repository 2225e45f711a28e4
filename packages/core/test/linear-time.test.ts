/**
 * Linear time, measured: every anchor-bearing construct the rules read — each section form,
 * each quote style, each URL form, each assignment form — repeated back to back at n and 16n characters
 * (128 KB and 2 MB). Linear work grows 16× (up to about 27× on this machine: 2 MB falls out of caches that
 * hold 128 KB); a forward search that runs to the end of the text for every anchor (the HCL
 * block-default `indexOf('}')` did) grew 54–160×. The test fails at 36× and above.
 *
 * Why not n → 4n: such a search runs at memchr speed, so at 256 KB its quadratic part is still smaller than
 * the linear work around it; from 256 KB to 1 MB the HCL search grew only 8–12×, while linear constructs
 * grew up to 8× — too close to tell apart on a loaded machine. `bench/hardening.bench.mjs` prints n → 4n.
 *
 * Timing on a loaded 2-core machine (test files run in parallel, so the test shares it with itself): the
 * clock is the process's CPU time, not wall time, so time spent waiting for a core does not count; the
 * small input runs 16 times in one timed block, so both blocks last about as long; and each construct gets
 * up to 15 measurements — the lowest ratio counts — before it is called quadratic. The constructs live in
 * `linear-constructs.mjs`, shared with the benchmark.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { detect } from '../src/index.js';
import { CONSTRUCTS, repeatTo } from './linear-constructs.mjs';

const SMALL = 128 * 1024;
const GROWTH = 16;
const LARGE = GROWTH * SMALL;
const MAX_RATIO = 36;
/** Below this, a 2 MB input is read so fast that it is linear whatever the ratio (the HCL search took 1 s). */
const FLOOR_MS = 50;

/** CPU milliseconds per run of `runs` back-to-back runs. */
function timed(text: string, syntax: 'code' | 'config', runs: number): number {
  const t0 = process.cpuUsage();
  for (let r = 0; r < runs; r++) detect(text, { syntax });
  const t = process.cpuUsage(t0);
  return (t.user + t.system) / 1000 / runs;
}

/** The growth from SMALL to LARGE: the lowest of up to `tries` ratios, stopping at the first clearly linear one. */
export function growth(
  unit: string,
  syntax: 'code' | 'config',
  tries = 15,
): { small: number; large: number; ratio: number } {
  const small = repeatTo(unit, SMALL);
  const large = repeatTo(unit, LARGE);
  let best = { small: Infinity, large: Infinity, ratio: Infinity };
  for (let t = 0; t < tries; t++) {
    const s = timed(small, syntax, GROWTH);
    const l = timed(large, syntax, 1);
    const ratio = l / Math.max(s, 0.25);
    if (ratio < best.ratio) best = { small: s, large: l, ratio };
    if (l < FLOOR_MS || ratio < MAX_RATIO) break;
  }
  return best;
}

describe('every construct the rules read grows linearly (n = 128 KB → 16n = 2 MB)', () => {
  it('the construct list covers every rule and form (the test is not vacuous)', () => {
    expect(Object.keys(CONSTRUCTS).length).toBeGreaterThan(60);
    // each construct really is read by a rule: one unit followed by a literal is a finding
    const value = randomBytes(16).toString('hex'); // 32 hex: a literal every rule reports (two make a cloud key)
    const silent = Object.entries(CONSTRUCTS)
      .filter(([, c]) => c.hit !== undefined)
      .filter(([, c]) => detect(c.hit!(value), { syntax: c.syntax ?? 'code' }).length === 0)
      .map(([name]) => name);
    expect(silent).toEqual([]);
  });

  for (const [name, c] of Object.entries(CONSTRUCTS)) {
    for (const syntax of c.syntax ? [c.syntax] : (['config', 'code'] as const)) {
      // back to back: every anchor's forward search meets the next construct, never a line end (the
      // constructs that live on lines of their own carry their line breaks in `unit`)
      it(`${name} [${syntax}]`, () => {
        const { small, large, ratio } = growth(c.unit, syntax);
        if (large < FLOOR_MS) return;
        expect(ratio, `${small.toFixed(1)} ms → ${large.toFixed(1)} ms`).toBeLessThan(MAX_RATIO);
      });
    }
  }
});
