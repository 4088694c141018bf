/**
 * The L1/L2 penalty passes as WebAssembly SIMD over the wasm backend's memory (see wasm-asm.ts):
 *   abs_sum(x, n)             Σ|x| in float64
 *   square_sum(x, n)          Σx² in float64 (each x² exact in float64)
 *   sign_scale(x, out, n, s)  out = s·sign(x): exactly ±s or 0 (NaN stays NaN), as step(x) − step(−x) times s
 * A sum keeps four float64 partial sums, by element index mod 4, and returns (p0 + p1) + (p2 + p3);
 * the caller adds the left-over elements and rounds to float32 once, so the result is far closer
 * to the exact sum than a float32 running sum (tfjs' wasm Sum is off by ~1e-4 relatively on 400k
 * weights). Byte offsets into the heap; n a multiple of 4.
 */
import { F32, F64, I32, V128, abs, and, bitselect, f32Const, f64Add, f64Lane, f64x2Add, f64x2Mul, get, gt, highToLow, i32Add, instantiateOn, lane, load, lt, moduleBytes, mul, ne, overLanes, promoteLow, set, splat, store, sub, tee } from './wasm-asm';
import type { WasmFunction } from './wasm-asm';

export interface SimdPenalties {
  absSum(x: number, n: number): number;
  squareSum(x: number, n: number): number;
  signScale(x: number, out: number, n: number, s: number): void;
}

const at = (base: number, i: number): number[] => [...get(base), ...get(i), ...i32Add];

/** A float64 reduction: params (x, n); locals i, end, t, p (f32x4 / f64x2 temporaries), acc01, acc23. */
function reduction(fname: string, square: boolean): WasmFunction {
  const [X, N, I, END, T, P, ACC01, ACC23] = [0, 1, 2, 3, 4, 5, 6, 7];
  // The float64 term of lanes (0, 1) of the f32x4 on the stack: |x| is exact in float32, x² in float64.
  const term = square ? [...promoteLow, ...tee(P), ...get(P), ...f64x2Mul] : [...promoteLow];
  return {
    name: fname, params: [I32, I32], results: [F64], locals: [[2, I32], [4, V128]],
    body: [
      ...overLanes(N, I, END, [
        ...at(X, I), ...load, ...(square ? [] : abs), ...set(T),
        ...get(ACC01), ...get(T), ...term, ...f64x2Add, ...set(ACC01),
        ...get(ACC23), ...get(T), ...get(T), ...highToLow, ...term, ...f64x2Add, ...set(ACC23),
      ]),
      ...get(ACC01), ...f64Lane(0), ...get(ACC01), ...f64Lane(1), ...f64Add,
      ...get(ACC23), ...f64Lane(0), ...get(ACC23), ...f64Lane(1), ...f64Add,
      ...f64Add,
    ],
  };
}

const absSum = reduction('abs_sum', false);
const squareSum = reduction('square_sum', true);

const signScale: WasmFunction = (() => {
  const [X, OUT, N, S, I, END, VS, ONE, ZERO, XI] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  void lane;
  return {
    name: 'sign_scale', params: [I32, I32, I32, F32], results: [], locals: [[2, I32], [4, V128]],
    body: [
      ...get(S), ...splat, ...set(VS),
      ...f32Const(1), ...splat, ...set(ONE),
      ...overLanes(N, I, END, [
        ...at(OUT, I),
        // NaN lanes keep x (c = x ≠ x); the others get ((x > 0) & 1 − (x < 0) & 1)·s
        ...at(X, I), ...load, ...tee(XI),
        ...get(XI), ...get(ZERO), ...gt, ...get(ONE), ...and,
        ...get(XI), ...get(ZERO), ...lt, ...get(ONE), ...and,
        ...sub, ...get(VS), ...mul,
        ...get(XI), ...get(XI), ...ne,
        ...bitselect,
        ...store,
      ]),
    ],
  };
})();

export function penaltyModuleBytes(shared: boolean): Uint8Array {
  return moduleBytes([absSum, squareSum, signScale], shared);
}

const instances = new WeakMap<object, SimdPenalties | null>();

/** The SIMD passes bound to a wasm backend's memory, or undefined where they cannot run. */
export function simdPenaltiesFor(emscriptenModule: object): SimdPenalties | undefined {
  return instantiateOn(emscriptenModule, instances, penaltyModuleBytes, (e) => ({
    absSum: e['abs_sum'] as SimdPenalties['absSum'],
    squareSum: e['square_sum'] as SimdPenalties['squareSum'],
    signScale: e['sign_scale'] as SimdPenalties['signScale'],
  }));
}
