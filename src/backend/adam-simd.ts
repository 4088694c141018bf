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

import { F32, I32, V128, add, div, get, i32Add, instantiateOn, load, moduleBytes, mul, overLanes, set, splat, sqrt, store, sub, tee } from './wasm-asm';

export type SimdAdam = (w: number, g: number, m: number, v: number, out: number, n: number, c1: number, c2: number, alpha: number, eps: number, wd: number, lr: number) => void;

// Locals: params 0–11, then i (byte offset), end, and the vectors.
const [W, G, M, V, OUT, N, C1, C2, ALPHA, EPS, WD, LR] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const [I, END, VC1, VC2, VALPHA, VEPS, VWD, VLR, GI, MI, VI, WI] = [12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23];
const at = (base: number): number[] => [...get(base), ...get(I), ...i32Add];

const body: number[] = [
  ...[[C1, VC1], [C2, VC2], [ALPHA, VALPHA], [EPS, VEPS], [WD, VWD], [LR, VLR]].flatMap(([p, l]) => [...get(p!), ...splat, ...set(l!)]),
  ...overLanes(N, I, END, [
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
  ]),
];

/** The module's bytes; `shared` for the threaded build's shared memory (which needs a maximum). */
export function adamModuleBytes(shared: boolean): Uint8Array {
  const params = [I32, I32, I32, I32, I32, I32, F32, F32, F32, F32, F32, F32];
  return moduleBytes([{ name: 'adam', params, results: [], locals: [[2, I32], [10, V128]], body }], shared);
}

const instances = new WeakMap<object, SimdAdam | null>();

/**
 * The SIMD update bound to a wasm backend's memory, or undefined where it cannot run (no memory
 * found, or WebAssembly SIMD not supported): the caller then runs the JavaScript loop.
 */
export function simdAdamFor(emscriptenModule: object): SimdAdam | undefined {
  return instantiateOn(emscriptenModule, instances, adamModuleBytes, (exports) => exports['adam'] as SimdAdam);
}
