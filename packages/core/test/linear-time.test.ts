/**
 * Linear time, measured (issue 14, item 1): every anchor-bearing construct the rules read — each section form,
 * each quote style, each URL form, each assignment form — repeated back to back (and line by line) at n and
 * 4n characters. Linear work grows about 4×; a forward search that runs to the end of the text for every
 * anchor (the HCL block-default `indexOf('}')` did) grows 16×. The test fails above 10× — generous slack for
 * a loaded 2-core CI machine — and measures the minimum of several runs before it calls a ratio bad.
 *
 * The constructs live in `linear-constructs.ts`, shared with `bench/hardening.bench.mjs`, which prints the ratios.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { detect } from '../src/index.js';
import { CONSTRUCTS, repeatTo } from './linear-constructs.mjs';

const SMALL = 256 * 1024;
const LARGE = 4 * SMALL;
const MAX_RATIO = 10;
/** Below this, timer resolution and GC noise dominate: a 1 MB input this fast is linear whatever the ratio. */
const FLOOR_MS = 25;

function once(text: string, syntax: 'code' | 'config'): number {
  const t0 = performance.now();
  detect(text, { syntax });
  return performance.now() - t0;
}

/** The growth ratio from SMALL to LARGE: minimum of up to `tries` runs each, stopping as soon as it is clearly fine. */
export function growth(unit: string, syntax: 'code' | 'config', tries = 5): { small: number; large: number; ratio: number } {
  const small = repeatTo(unit, SMALL);
  const large = repeatTo(unit, LARGE);
  let s = Infinity;
  let l = Infinity;
  for (let t = 0; t < tries; t++) {
    s = Math.min(s, once(small, syntax));
    l = Math.min(l, once(large, syntax));
    if (l < FLOOR_MS || l / Math.max(s, 1) < MAX_RATIO) break;
  }
  return { small: s, large: l, ratio: l / Math.max(s, 1) };
}

describe('every construct the rules read grows linearly (n = 256 KB → 4n = 1 MB)', () => {
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
      for (const [shape, unit] of [['back to back', c.unit], ['one per line', `${c.unit}\n`]] as const) {
        it(`${name} [${syntax}, ${shape}]`, () => {
          const { small, large, ratio } = growth(unit, syntax);
          if (large < FLOOR_MS) return;
          expect(ratio, `${small.toFixed(1)} ms → ${large.toFixed(1)} ms`).toBeLessThan(MAX_RATIO);
        });
      }
    }
  }
});
