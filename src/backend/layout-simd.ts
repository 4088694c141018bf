/**
 * The dense op's layout passes as WebAssembly SIMD over the wasm backend's memory (see wasm-asm.ts):
 *   transpose*(src, dst, rows, cols, srcRow, dstRow[, bias])
 *       dst[j][i] = act(src[i][j] (+ bias[i])), act = identity or relu (max(v, 0)): a transpose,
 *       optionally fused with the bias add and relu of a layer computed as zᵀ = Wᵀ·xᵀ
 *   relu_grad(dy, y, dz, db, rows, cols, row)
 *       dz = y > 0 ? dy : 0 (ReLU's gradient as a select: 0 wherever y ≤ 0 or y is NaN, whatever dy is),
 *       db[j] += Σ_i dz[i][j] (db zeroed by the caller): the bias gradient in the same pass
 *   col_sum(x, db, rows, cols, row)
 *       db[j] += Σ_i x[i][j]
 * Why: tfjs' wasm Transpose takes 1.6 ms for a 512×512 matrix (a scalar loop whose 2 KB column
 * stride thrashes the cache); these move 4×4 blocks with shuffles, in tiles of 16 columns. Sums add
 * rows in order (float32, like tfjs' Sum). Byte offsets and byte row strides; rows and cols
 * multiples of 4 (the caller does the edges in JavaScript).
 */
import { I32, V128, add, and, get, gt, i32Add, instantiateOn, load, moduleBytes, set, simd, store, tee } from './wasm-asm';
import type { WasmFunction } from './wasm-asm';

export interface SimdLayout {
  transpose(src: number, dst: number, rows: number, cols: number, srcRow: number, dstRow: number): void;
  transposeRelu(src: number, dst: number, rows: number, cols: number, srcRow: number, dstRow: number): void;
  transposeBias(src: number, dst: number, rows: number, cols: number, srcRow: number, dstRow: number, bias: number): void;
  transposeBiasRelu(src: number, dst: number, rows: number, cols: number, srcRow: number, dstRow: number, bias: number): void;
  reluGrad(dy: number, y: number, dz: number, db: number, rows: number, cols: number, row: number): void;
  colSum(x: number, db: number, rows: number, cols: number, row: number): void;
}

const TILE_COLS = 16;

const shuffle = (lanes: number[]): number[] => [...simd(0x0d), ...lanes];
const bytesOf = (lanes: number[]): number[] => lanes.flatMap((l) => [4 * l, 4 * l + 1, 4 * l + 2, 4 * l + 3]);
// Float32 lanes 0–3 of the first operand, 4–7 of the second.
const INTERLEAVE_LO = shuffle(bytesOf([0, 4, 1, 5]));
const INTERLEAVE_HI = shuffle(bytesOf([2, 6, 3, 7]));
const HALVES_LO = shuffle(bytesOf([0, 1, 4, 5]));
const HALVES_HI = shuffle(bytesOf([2, 3, 6, 7]));
const fmax = simd(0xe9); // f32x4.max: NaN stays NaN, max(−0, 0) = 0
const zero = [...simd(0x0c), ...new Array<number>(16).fill(0)]; // v128.const 0

const i32 = { const: (n: number) => [0x41, ...sleb(n)], add: i32Add, mul: [0x6c], geU: [0x4f], ltU: [0x49], select: [0x1b] };
function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) return [...out, byte];
    out.push(byte | 0x80);
  }
}

/** `for (v = from; v < limit; v += step) body`, with from/limit/step as instruction lists. */
function loop(v: number, from: number[], limit: number[], step: number[], body: number[]): number[] {
  return [
    ...from, ...set(v),
    0x02, 0x40, 0x03, 0x40,
    ...get(v), ...limit, ...i32.geU, 0x0d, 1,
    ...body,
    ...get(v), ...step, ...i32.add, ...set(v),
    0x0c, 0, 0x0b, 0x0b,
  ];
}

function transposeFunction(fname: string, bias: boolean, relu: boolean): WasmFunction {
  const [SRC, DST, ROWS, COLS, SROW, DROW] = [0, 1, 2, 3, 4, 5];
  const BIAS = 6;
  const first = bias ? 7 : 6;
  const [J0, JEND, I, J, S, D] = [0, 1, 2, 3, 4, 5].map((k) => first + k) as [number, number, number, number, number, number];
  const [R0, R1, R2, R3, T0, T1, T2, T3, BV] = [0, 1, 2, 3, 4, 5, 6, 7, 8].map((k) => first + 6 + k) as number[];
  const finish = [...(bias ? [...get(BV!), ...add] : []), ...(relu ? [...zero, ...fmax] : [])];
  const row = (r: number, k: number): number[] => [...get(S), ...(k === 0 ? [] : [...get(SROW), ...i32.const(k), ...i32.mul, ...i32.add]), ...load, ...set(r)];
  const column = (k: number, a: number, b: number, lanes: number[]): number[] => [
    ...get(D), ...(k === 0 ? [] : [...get(DROW), ...i32.const(k), ...i32.mul, ...i32.add]),
    ...get(a), ...get(b), ...lanes, ...finish, ...store,
  ];
  const block = [
    // s = src + i·srcRow + j·4; d = dst + j·dstRow + i·4
    ...get(SRC), ...get(I), ...get(SROW), ...i32.mul, ...i32.add, ...get(J), ...i32.const(4), ...i32.mul, ...i32.add, ...set(S),
    ...get(DST), ...get(J), ...get(DROW), ...i32.mul, ...i32.add, ...get(I), ...i32.const(4), ...i32.mul, ...i32.add, ...set(D),
    ...row(R0!, 0), ...row(R1!, 1), ...row(R2!, 2), ...row(R3!, 3),
    ...get(R0!), ...get(R1!), ...INTERLEAVE_LO, ...set(T0!),
    ...get(R0!), ...get(R1!), ...INTERLEAVE_HI, ...set(T1!),
    ...get(R2!), ...get(R3!), ...INTERLEAVE_LO, ...set(T2!),
    ...get(R2!), ...get(R3!), ...INTERLEAVE_HI, ...set(T3!),
    ...column(0, T0!, T2!, HALVES_LO), ...column(1, T0!, T2!, HALVES_HI),
    ...column(2, T1!, T3!, HALVES_LO), ...column(3, T1!, T3!, HALVES_HI),
  ];
  const rowBlock = [
    ...(bias ? [...get(BIAS), ...get(I), ...i32.const(4), ...i32.mul, ...i32.add, ...load, ...set(BV!)] : []),
    ...loop(J, get(J0), get(JEND), i32.const(4), block),
  ];
  const tile = [
    // jEnd = min(j0 + TILE, cols)
    ...get(J0), ...i32.const(TILE_COLS), ...i32.add, ...tee(JEND), ...get(COLS), ...get(JEND), ...get(COLS), ...i32.ltU, ...i32.select, ...set(JEND),
    ...loop(I, i32.const(0), get(ROWS), i32.const(4), rowBlock),
  ];
  return {
    name: fname, params: bias ? [I32, I32, I32, I32, I32, I32, I32] : [I32, I32, I32, I32, I32, I32], results: [],
    locals: [[6, I32], [9, V128]],
    body: loop(J0, i32.const(0), get(COLS), i32.const(TILE_COLS), tile),
  };
}

/** Row-wise pass over [rows, cols] (row stride `row` bytes): the bias gradient, with or without ReLU's mask. */
function columnSumFunction(fname: string, relu: boolean): WasmFunction {
  const params = relu ? [I32, I32, I32, I32, I32, I32, I32] : [I32, I32, I32, I32, I32];
  const [DY, Y, DZ, DB, ROWS, COLS, ROW] = relu ? [0, 1, 2, 3, 4, 5, 6] : [0, -1, -1, 1, 2, 3, 4];
  const first = params.length;
  const [I, J, OFF, V] = [first, first + 1, first + 2, first + 3];
  const at = (base: number): number[] => [...get(base), ...get(OFF), ...i32.add];
  const dbAt = [...get(DB!), ...get(J), ...i32.const(4), ...i32.mul, ...i32.add];
  const element = [
    // off = i·row + j·4
    ...get(I), ...get(ROW!), ...i32.mul, ...get(J), ...i32.const(4), ...i32.mul, ...i32.add, ...set(OFF),
    ...at(DY!), ...load,
    ...(relu ? [...at(Y!), ...load, ...zero, ...gt, ...and] : []),
    ...set(V),
    ...(relu ? [...at(DZ!), ...get(V), ...store] : []),
    ...dbAt, ...dbAt, ...load, ...get(V), ...add, ...store,
  ];
  return {
    name: fname, params, results: [], locals: [[3, I32], [1, V128]],
    body: loop(I, i32.const(0), get(ROWS!), i32.const(1), loop(J, i32.const(0), get(COLS!), i32.const(4), element)),
  };
}

export function layoutModuleBytes(shared: boolean): Uint8Array {
  return moduleBytes([
    transposeFunction('transpose', false, false),
    transposeFunction('transpose_relu', false, true),
    transposeFunction('transpose_bias', true, false),
    transposeFunction('transpose_bias_relu', true, true),
    columnSumFunction('relu_grad', true),
    columnSumFunction('col_sum', false),
  ], shared);
}

const instances = new WeakMap<object, SimdLayout | null>();

/** The SIMD passes bound to a wasm backend's memory, or undefined where they cannot run. */
export function simdLayoutFor(emscriptenModule: object): SimdLayout | undefined {
  return instantiateOn(emscriptenModule, instances, layoutModuleBytes, (e) => ({
    transpose: e['transpose'] as SimdLayout['transpose'],
    transposeRelu: e['transpose_relu'] as SimdLayout['transposeRelu'],
    transposeBias: e['transpose_bias'] as SimdLayout['transposeBias'],
    transposeBiasRelu: e['transpose_bias_relu'] as SimdLayout['transposeBiasRelu'],
    reluGrad: e['relu_grad'] as SimdLayout['reluGrad'],
    colSum: e['col_sum'] as SimdLayout['colSum'],
  }));
}
