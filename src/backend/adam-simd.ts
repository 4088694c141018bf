/**
 * The Adam update as WebAssembly SIMD (f32x4) over tfjs-backend-wasm's own memory.
 *
 * A JavaScript loop over heap views is scalar and ~2× slower than tfjs' 14 XNNPACK kernels; this
 * small module (one function, assembled below, ~200 bytes) imports the backend's WebAssembly.Memory
 * and runs the update four lanes at a time, in one pass. Every lane does the same IEEE float32
 * operations in the same order as `adamUpdate` in adam-kernel.ts (which rounds each JavaScript
 * intermediate to float32; double rounding is exact for + − × ÷ √), so both give the same bits.
 *
 * Signature: adam(w, g, m, v, out, n, c1, c2, alpha, eps, wd, lr) with byte offsets into the heap,
 * n a multiple of 4 (the caller does the ≤ 3 left-over elements in JavaScript).
 */

/** The few WebAssembly JS API pieces used here (the tsconfig has no DOM lib). */
interface WasmMemory { readonly buffer: ArrayBufferLike }
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { exports: Record<string, unknown> };
}
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

export type SimdAdam = (w: number, g: number, m: number, v: number, out: number, n: number, c1: number, c2: number, alpha: number, eps: number, wd: number, lr: number) => void;

const I32 = 0x7f;
const F32 = 0x7d;
const V128 = 0x7b;

function leb(n: number): number[] {
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
const name = (s: string): number[] => [...leb(s.length), ...Buffer.from(s, 'utf8')];

// Instructions.
const get = (i: number): number[] => [0x20, i];
const set = (i: number): number[] => [0x21, i];
const tee = (i: number): number[] => [0x22, i];
const simd = (op: number): number[] => [0xfd, ...leb(op)];
const load = [...simd(0x00), 2, 0]; // v128.load align=4 offset=0
const store = [...simd(0x0b), 2, 0]; // v128.store align=4 offset=0
const splat = simd(0x13);
const [sqrt, add, sub, mul, div] = [0xe3, 0xe4, 0xe5, 0xe6, 0xe7].map(simd) as [number[], number[], number[], number[], number[]];
const i32Add = [0x6a];

// Locals: params 0–11, then i (byte offset), end, and the vectors.
const [W, G, M, V, OUT, N, C1, C2, ALPHA, EPS, WD, LR] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const [I, END, VC1, VC2, VALPHA, VEPS, VWD, VLR, GI, MI, VI, WI] = [12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23];
const at = (base: number): number[] => [...get(base), ...get(I), ...i32Add];

const body: number[] = [
  ...[[C1, VC1], [C2, VC2], [ALPHA, VALPHA], [EPS, VEPS], [WD, VWD], [LR, VLR]].flatMap(([p, l]) => [...get(p!), ...splat, ...set(l!)]),
  ...get(N), 0x41, 2, 0x74, ...set(END), // end = n << 2
  0x02, 0x40, 0x03, 0x40, // block, loop
  ...get(I), ...get(END), 0x4f, 0x0d, 1, // if (i >= end) break
  ...at(G), ...load, ...set(GI),
  // wi = w − (w·wd)·lr
  ...at(W), ...load, ...tee(WI), ...get(WI), ...get(VWD), ...mul, ...get(VLR), ...mul, ...sub, ...set(WI),
  // m += (g − m)·c1
  ...at(M), ...load, ...tee(MI), ...get(GI), ...get(MI), ...sub, ...get(VC1), ...mul, ...add, ...set(MI),
  ...at(M), ...get(MI), ...store,
  // v += (g·g − v)·c2
  ...at(V), ...load, ...tee(VI), ...get(GI), ...get(GI), ...mul, ...get(VI), ...sub, ...get(VC2), ...mul, ...add, ...set(VI),
  ...at(V), ...get(VI), ...store,
  // out = wi − (m·α) / (√v + ε)
  ...at(OUT), ...get(WI), ...get(MI), ...get(VALPHA), ...mul, ...get(VI), ...sqrt, ...get(VEPS), ...add, ...div, ...sub, ...store,
  ...get(I), 0x41, 16, ...i32Add, ...set(I), // i += 16 bytes
  0x0c, 0, // continue
  0x0b, 0x0b, // end loop, end block
  0x0b, // end function
];

/** The module's bytes; `shared` for the threaded build's shared memory (which needs a maximum). */
export function adamModuleBytes(shared: boolean): Uint8Array {
  const params = [I32, I32, I32, I32, I32, I32, F32, F32, F32, F32, F32, F32];
  const memoryType = shared ? [0x03, ...leb(1), ...leb(65536)] : [0x00, ...leb(1)];
  const locals = vec([[2, I32], [10, V128]]);
  const code = [...locals, ...body];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([[0x60, ...vec(params.map((p) => [p])), 0]])),
    ...section(2, vec([[...name('env'), ...name('memory'), 0x02, ...memoryType]])),
    ...section(3, vec([[0]])),
    ...section(7, vec([[...name('adam'), 0x00, 0]])),
    ...section(10, vec([[...leb(code.length), ...code]])),
  ]);
}

const instances = new WeakMap<object, SimdAdam | null>();

/**
 * The SIMD update bound to a wasm backend's memory, or undefined where it cannot run (no memory
 * found, or WebAssembly SIMD not supported): the caller then runs the JavaScript loop.
 */
export function simdAdamFor(emscriptenModule: object): SimdAdam | undefined {
  const cached = instances.get(emscriptenModule);
  if (cached !== undefined) return cached ?? undefined;
  let fn: SimdAdam | null = null;
  try {
    const mod = emscriptenModule as { wasmMemory?: WasmMemory; asm?: { memory?: WasmMemory } };
    const memory = mod.wasmMemory ?? mod.asm?.memory;
    if (memory !== undefined) {
      const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
      const bytes = adamModuleBytes(shared);
      if (wasmApi.validate(bytes)) {
        const instance = new wasmApi.Instance(new wasmApi.Module(bytes), { env: { memory } });
        fn = instance.exports['adam'] as SimdAdam;
      }
    }
  } catch {
    fn = null;
  }
  instances.set(emscriptenModule, fn);
  return fn ?? undefined;
}
