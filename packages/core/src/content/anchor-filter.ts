/**
 * The prefilter's first pass as WebAssembly SIMD: one scan over the bytes, 32 at a time, that stops only where
 * an anchor's last bytes are: `st_`, `pi_` (of `api_`), or `alog` in any case (of `tatalog`/`TATALOG`). The
 * `memchr` passes it replaces (`Buffer.indexOf` of `_`, `g`, `G`) stop at every such byte and return to
 * JavaScript each time — in minified code or snake_case that is every 50 bytes or so, and the round trips,
 * not the search, were most of the prefilter's time. Stops here are one in tens of kilobytes of real code.
 *
 * It only proposes positions: `prefilter.ts` checks each one exactly, so a wrong proposal costs time, never a
 * finding (a case-insensitive `alog` or a stale byte past `to` is proposed and dropped there). It must never
 * miss: every anchor the exact search reports has its trigger byte (`_`, or the community word's last byte)
 * proposed. The module is assembled from the instruction list below (no binary blob, no build step) and is
 * about 480 bytes; where WebAssembly or its SIMD is missing (`node --jitless`), `prefilter.ts` keeps the
 * `memchr` passes.
 */

/** Bytes before and after the searched data that the module may read (it loads p-3 … p+31). */
export const FILTER_PAD_BEFORE = 16;
const FILTER_PAD_AFTER = 64;

/** The little of WebAssembly used here (the project's `lib` has no DOM types, and @types/node none of these). */
interface WasmModule {
  readonly kind?: 'module';
}
declare const WebAssembly:
  | {
      Module: new (bytes: Uint8Array) => WasmModule;
      Memory: new (descriptor: { initial: number; maximum: number }) => { readonly buffer: ArrayBuffer };
      Instance: new (module: WasmModule, imports: object) => { readonly exports: Record<string, unknown> };
      validate(bytes: Uint8Array): boolean;
    }
  | undefined;

export interface AnchorFilter {
  /** The first proposed position in [from, to) (addresses in `heap`), or -1. */
  find: (from: number, to: number) => number;
  /** The memory the module reads. */
  heap: Uint8Array;
}

// opcodes (WebAssembly core spec, and its fixed-width SIMD proposal behind the 0xfd prefix)
const I32 = 0x7f;
const V128 = 0x7b;
const EMPTY = 0x40;
const SIMD = 0xfd;

const sleb = (value: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    const done = (value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
};
const uleb = (value: number): number[] => {
  const out: number[] = [];
  do {
    const byte = value & 0x7f;
    value >>>= 7;
    out.push(value === 0 ? byte : byte | 0x80);
  } while (value !== 0);
  return out;
};
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, content: number[]): number[] => [id, ...uleb(content.length), ...content];
const name = (text: string): number[] => [...uleb(text.length), ...Array.from(text, (c) => c.charCodeAt(0))];

// expressions, written inside-out as in the text format: each returns its instructions in stack order
type Code = number[];
const get = (local: number): Code => [0x20, local];
const set = (local: number, value: Code): Code => [...value, 0x21, local];
const i32 = (value: number): Code => [0x41, ...sleb(value)];
const add = (a: Code, b: Code): Code => [...a, ...b, 0x6a];
const or32 = (a: Code, b: Code): Code => [...a, ...b, 0x72];
const load = (address: Code): Code => [...address, SIMD, 0x00, 0x00, 0x00]; // v128.load align=1 offset=0
const splat = (byte: number): Code => [...i32(byte), SIMD, 0x0f]; // i8x16.splat
const eq = (v: Code, byte: number): Code => [...v, ...splat(byte), SIMD, 0x23]; // i8x16.eq
const and = (...vs: Code[]): Code => vs.reduce((a, b) => [...a, ...b, SIMD, 0x4e]); // v128.and
const or = (...vs: Code[]): Code => vs.reduce((a, b) => [...a, ...b, SIMD, 0x50]); // v128.or
const lower = (v: Code): Code => or(v, splat(0x20)); // ASCII letters to lower case (others change, harmlessly)
const bitmask = (v: Code): Code => [...v, SIMD, 0x64]; // i8x16.bitmask

// params 0 from, 1 to; locals 2 p, 3-4 the two masks, 5 v, 6 a (byte before), 7 b (two before)
const [FROM, TO, P, M0, M1, V, A, B] = [0, 1, 2, 3, 4, 5, 6, 7];
const c = (ch: string): number => ch.charCodeAt(0);

/** Bit k set: byte k of the 16 at `at` ends `st_`, `pi_` or a case-insensitive `alog`. */
function proposals(at: number): Code {
  const block = (offset: number): Code => load(add(get(P), i32(at + offset)));
  return [
    ...set(V, block(0)),
    ...set(A, block(-1)),
    ...set(B, block(-2)),
    ...bitmask(
      or(
        and(
          eq(get(V), c('_')),
          or(and(eq(get(A), c('t')), eq(get(B), c('s'))), and(eq(get(A), c('i')), eq(get(B), c('p')))),
        ),
        and(
          eq(lower(get(V)), c('g')),
          eq(lower(get(A)), c('o')),
          eq(lower(get(B)), c('l')),
          eq(lower(block(-3)), c('a')),
        ),
      ),
    ),
  ];
}

/** `p += at + ctz(mask); return p < to ? p : -1` when the mask is not zero. */
function firstOf(mask: number, at: number): Code {
  const found = [
    ...set(P, add(get(P), add(i32(at), [...get(mask), 0x68]))),
    ...get(P),
    ...i32(-1),
    ...get(P),
    ...get(TO),
    0x49,
    0x1b,
    0x0f,
  ];
  return [...get(mask), 0x04, EMPTY, ...found, 0x0b];
}

function findBody(): Code {
  const loop: Code = [
    ...[...get(P), ...get(TO), 0x4f, 0x0d, 1], // br_if (p >= to) out of the block
    ...set(M0, proposals(0)),
    ...set(M1, proposals(16)),
    ...[...or32(get(M0), get(M1)), 0x04, EMPTY, ...firstOf(M0, 0), ...firstOf(M1, 16), 0x0b],
    ...set(P, add(get(P), i32(32))),
    0x0c,
    0, // br to the loop's start
  ];
  const code: Code = [...set(P, get(FROM)), 0x02, EMPTY, 0x03, EMPTY, ...loop, 0x0b, 0x0b, ...i32(-1), 0x0b];
  return [
    ...vec([
      [3, I32],
      [3, V128],
    ]),
    ...code,
  ];
}

/** The module's bytes: memory imported as `m.memory`, one export `find(from, to)`. */
function anchorFilterModule(): Uint8Array {
  const body = findBody();
  return Uint8Array.from([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, vec([[0x60, ...vec([[I32], [I32]]), ...vec([[I32]])]])),
    ...section(2, vec([[...name('m'), ...name('memory'), 0x02, 0x00, 0x01]])),
    ...section(3, vec([[0]])),
    ...section(7, vec([[...name('find'), 0x00, 0]])),
    ...section(10, vec([[...uleb(body.length), ...body]])),
  ]);
}

let compiled: { api: NonNullable<typeof WebAssembly>; module: WasmModule } | null | undefined;

/** The compiled module, or null where WebAssembly SIMD cannot run here. */
function compile(): { api: NonNullable<typeof WebAssembly>; module: WasmModule } | null {
  if (compiled !== undefined) return compiled;
  try {
    const api = typeof WebAssembly === 'object' ? WebAssembly : undefined;
    const bytes = anchorFilterModule();
    compiled = api?.validate(bytes) ? { api, module: new api.Module(bytes) } : null;
  } catch {
    compiled = null;
  }
  return compiled;
}

/**
 * A filter over a memory of its own holding `bytes` bytes of data (at FILTER_PAD_BEFORE) between the pads, or
 * undefined where WebAssembly SIMD cannot run. The memory never grows: a view of it stays valid for good.
 */
export function createAnchorFilter(bytes: number): AnchorFilter | undefined {
  const wasm = compile();
  if (!wasm) return undefined;
  const pages = Math.ceil((FILTER_PAD_BEFORE + bytes + FILTER_PAD_AFTER) / 65536);
  try {
    const memory = new wasm.api.Memory({ initial: pages, maximum: pages });
    const instance = new wasm.api.Instance(wasm.module, { m: { memory } });
    return { find: instance.exports.find as (from: number, to: number) => number, heap: new Uint8Array(memory.buffer) };
  } catch {
    // no address space for another memory (a low `ulimit -v`): the caller searches with memchr instead
    return undefined;
  }
}
