/**
 * A tiny WebAssembly assembler for keras-ts' fused kernels: a few SIMD functions over the wasm
 * backend's own `WebAssembly.Memory` (imported, shared or not), so a kernel reads and writes the
 * tensors where tfjs keeps them, in one pass, four float32 lanes at a time. Bytecode is written by
 * hand (a few hundred bytes per module) rather than shipped as a binary, so the source says what runs.
 */

/** The few WebAssembly JS API pieces used here (the tsconfig has no DOM lib). */
interface WasmMemory { readonly buffer: ArrayBufferLike }
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { exports: Record<string, unknown> };
}
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

export const I32 = 0x7f;
export const F32 = 0x7d;
export const F64 = 0x7c;
export const V128 = 0x7b;

export function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}
const vec = (items: number[][]): number[] => [...leb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...leb(body.length), ...body];
// TextEncoder, not Node's Buffer: this module is in the browser build too.
const name = (s: string): number[] => { const bytes = new TextEncoder().encode(s); return [...leb(bytes.length), ...bytes]; };

// Instructions.
export const get = (i: number): number[] => [0x20, i];
export const set = (i: number): number[] => [0x21, i];
export const tee = (i: number): number[] => [0x22, i];
export const simd = (op: number): number[] => [0xfd, ...leb(op)];
export const load = [...simd(0x00), 2, 0]; // v128.load align=4 offset=0
export const store = [...simd(0x0b), 2, 0]; // v128.store align=4 offset=0
export const splat = simd(0x13); // f32x4.splat
export const lane = (i: number): number[] => [...simd(0x1f), i]; // f32x4.extract_lane
export const [abs, sqrt, add, sub, mul, div] = [0xe0, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7].map(simd) as [number[], number[], number[], number[], number[], number[]];
export const [ne, lt, gt] = [0x42, 0x43, 0x44].map(simd) as [number[], number[], number[]]; // f32x4 comparisons: all-ones lanes where true
export const and = simd(0x4e);
// float64 pairs, for sums that round once instead of at every addition
export const promoteLow = simd(0x5f); // f64x2.promote_low_f32x4: lanes 0, 1 → f64x2
export const highToLow = [...simd(0x0d), 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7]; // i8x16.shuffle of a vector with itself: lanes 2, 3 to 0, 1
export const [f64x2Add, f64x2Mul] = [0xf0, 0xf2].map(simd) as [number[], number[]];
export const f64Lane = (i: number): number[] => [...simd(0x21), i]; // f64x2.extract_lane
export const f64Add = [0xa0];
export const bitselect = simd(0x52); // (a & c) | (b & ~c), a b c on the stack
export const i32Add = [0x6a];
export const f32Add = [0x92];
export const f32Const = (x: number): number[] => [0x43, ...new Uint8Array(Float32Array.of(x).buffer)];

/** `for (i = 0; i < n·4 bytes; i += 16) { step }` with i in local `i`, the end in local `end`. */
export function overLanes(n: number, i: number, end: number, step: number[]): number[] {
  return [
    ...get(n), 0x41, 2, 0x74, ...set(end), // end = n << 2
    0x02, 0x40, 0x03, 0x40, // block, loop
    ...get(i), ...get(end), 0x4f, 0x0d, 1, // if (i >= end) break
    ...step,
    ...get(i), 0x41, 16, ...i32Add, ...set(i), // i += 16 bytes
    0x0c, 0, // continue
    0x0b, 0x0b, // end loop, end block
  ];
}

export interface WasmFunction {
  name: string;
  params: number[];
  results: number[];
  /** [count, type] groups after the params. */
  locals: [number, number][];
  /** The instructions, without the final `end`. */
  body: number[];
}

/** A module importing `env.memory` and exporting `functions`; `shared` for the threaded build's shared memory. */
export function moduleBytes(functions: WasmFunction[], shared: boolean): Uint8Array {
  const memoryType = shared ? [0x03, ...leb(1), ...leb(65536)] : [0x00, ...leb(1)];
  const code = (f: WasmFunction) => {
    const body = [...vec(f.locals.map(([count, type]) => [...leb(count), type])), ...f.body, 0x0b];
    return [...leb(body.length), ...body];
  };
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(functions.map((f) => [0x60, ...vec(f.params.map((p) => [p])), ...vec(f.results.map((r) => [r]))]))),
    ...section(2, vec([[...name('env'), ...name('memory'), 0x02, ...memoryType]])),
    ...section(3, vec(functions.map((_, i) => leb(i)))),
    ...section(7, vec(functions.map((f, i) => [...name(f.name), 0x00, ...leb(i)]))),
    ...section(10, vec(functions.map(code))),
  ]);
}

/**
 * The module's exports bound to a wasm backend's memory (cached per backend module and `key`), or
 * undefined where it cannot run (no memory found, or no WebAssembly SIMD): callers then use JavaScript.
 */
export function instantiateOn<T>(emscriptenModule: object, cache: WeakMap<object, T | null>, build: (shared: boolean) => Uint8Array, pick: (exports: Record<string, unknown>) => T): T | undefined {
  const cached = cache.get(emscriptenModule);
  if (cached !== undefined) return cached ?? undefined;
  let made: T | null = null;
  try {
    const mod = emscriptenModule as { wasmMemory?: WasmMemory; asm?: { memory?: WasmMemory } };
    const memory = mod.wasmMemory ?? mod.asm?.memory;
    if (memory !== undefined) {
      const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
      const bytes = build(shared);
      if (wasmApi.validate(bytes)) made = pick(new wasmApi.Instance(new wasmApi.Module(bytes), { env: { memory } }).exports);
    }
  } catch {
    made = null;
  }
  cache.set(emscriptenModule, made);
  return made ?? undefined;
}
