/**
 * The L1/L2 penalties' full-size passes as kernels of keras-ts' own, registered for the wasm and cpu
 * backends next to tfjs' kernels (none of tfjs' is replaced):
 *   KerasTsAbsSum     Σ|x|      instead of Abs + Sum (a full-size temporary, two passes)
 *   KerasTsSquareSum  Σx²       instead of Square + Sum
 *   KerasTsSignScale  s·sign(x) instead of Neg, Step, Step, Sub, Multiply (five passes)
 * On wasm as WebAssembly SIMD (penalty-simd.ts), on cpu as the JavaScript loops below, which add in
 * the SIMD pass's order, so both give the same bits. Sums are taken in float64 and rounded once:
 * closer to the exact sum than tf.sum on wasm (a float32 running sum). The sign pass is exact
 * (±s or 0, NaN kept as step(x) − step(−x) keeps it). Other backends use the tf ops.
 */
import { tf } from './tf';
import { float32Buffer, newOutput, registerKernels, wasmBackendOf } from './kernel-buffers';
import { simdPenaltiesFor } from './penalty-simd';

export const ABS_SUM = 'KerasTsAbsSum';
export const SQUARE_SUM = 'KerasTsSquareSum';
export const SIGN_SCALE = 'KerasTsSignScale';

const f = Math.fround;

/**
 * Σ term(x) as the SIMD pass adds it: four float64 partial sums by index mod 4 over the first
 * n − n % 4 elements, (p0 + p1) + (p2 + p3), then the rest in order, rounded to float32 once.
 * `partial`: that first part, when the SIMD pass computed it.
 */
function laneSum(x: Float32Array, term: (v: number) => number, partial?: number): number {
  const lanes = x.length - (x.length % 4);
  let total = partial;
  if (total === undefined) {
    const p = new Float64Array(4);
    for (let i = 0; i < lanes; i++) p[i & 3] = p[i & 3]! + term(x[i]!);
    total = p[0]! + p[1]! + (p[2]! + p[3]!);
  }
  for (let i = lanes; i < x.length; i++) total += term(x[i]!);
  return f(total);
}

const absTerm = (v: number) => Math.abs(v);
const squareTerm = (v: number) => v * v; // exact in float64 for a float32 v

function signScaleLoop(x: Float32Array, out: Float32Array, s: number, from: number): void {
  for (let i = from; i < x.length; i++) {
    const v = x[i]!;
    out[i] = Number.isNaN(v) ? v : f(((v > 0 ? 1 : 0) - (v < 0 ? 1 : 0)) * s);
  }
}

type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs?: tf.NamedAttrMap };

function inputOf(kernel: string, inputs: tf.NamedTensorInfoMap): tf.TensorInfo {
  const x = inputs['x'];
  if (x === undefined) throw new TypeError(`${kernel} takes x`);
  return x;
}

function reductionKernel(kernel: string, term: (v: number) => number, pick: 'absSum' | 'squareSum') {
  return ({ inputs, backend }: KernelArgs): tf.TensorInfo => {
    const x = inputOf(kernel, inputs);
    const n = tf.util.sizeFromShape(x.shape);
    const out = newOutput(backend, []);
    const wasm = wasmBackendOf(backend);
    const simd = wasm !== undefined ? simdPenaltiesFor(wasm.wasm) : undefined;
    const lanes = n - (n % 4);
    // The views after the allocation (which may grow the wasm heap).
    const partial = simd !== undefined && lanes > 0 ? simd[pick](wasm!.offset(x), lanes) : undefined;
    float32Buffer(backend, out)[0] = laneSum(float32Buffer(backend, x), term, partial);
    return out;
  };
}

function signScaleKernel({ inputs, backend }: KernelArgs): tf.TensorInfo {
  const x = inputOf(SIGN_SCALE, inputs);
  const scale = inputs['scale'];
  if (scale === undefined || tf.util.sizeFromShape(scale.shape) !== 1) throw new TypeError(`${SIGN_SCALE} takes a scalar scale`);
  const s = float32Buffer(backend, scale)[0]!;
  const n = tf.util.sizeFromShape(x.shape);
  const out = newOutput(backend, x.shape);
  const wasm = wasmBackendOf(backend);
  const simd = wasm !== undefined ? simdPenaltiesFor(wasm.wasm) : undefined;
  const lanes = simd !== undefined ? n - (n % 4) : 0;
  if (lanes > 0) simd!.signScale(wasm!.offset(x), wasm!.offset(out), lanes, s);
  if (lanes < n) signScaleLoop(float32Buffer(backend, x), float32Buffer(backend, out), s, lanes);
  return out;
}

const KERNELS: [string, (args: KernelArgs) => tf.TensorInfo][] = [
  [ABS_SUM, reductionKernel(ABS_SUM, absTerm, 'absSum')],
  [SQUARE_SUM, reductionKernel(SQUARE_SUM, squareTerm, 'squareSum')],
  [SIGN_SCALE, signScaleKernel],
];

let registered = false;

function register(): void {
  if (registered) return;
  registerKernels(KERNELS);
  registered = true;
}

/** Whether the fused kernels run here: the active backend is wasm or cpu, and x is float32. */
function fused(x: tf.Tensor): boolean {
  register();
  return x.dtype === 'float32' && tf.getKernel(ABS_SUM, tf.getBackend()) !== undefined;
}

/** Σ|x| as a scalar. */
export function absSum(x: tf.Tensor): tf.Scalar {
  return fused(x) ? (tf.engine().runKernel(ABS_SUM, { x }, {}) as tf.Scalar) : tf.sum(tf.abs(x));
}

/** Σx² as a scalar. */
export function squareSum(x: tf.Tensor): tf.Scalar {
  return fused(x) ? (tf.engine().runKernel(SQUARE_SUM, { x }, {}) as tf.Scalar) : tf.sum(tf.square(x));
}

/** s·sign(x) for a scalar s: −s, 0 or s per element (NaN stays NaN). Elsewhere sign is step(x) − step(−x): wasm's Sign kernel is slow. */
export function signScale(x: tf.Tensor, s: tf.Scalar): tf.Tensor {
  if (fused(x) && s.dtype === 'float32') return tf.engine().runKernel(SIGN_SCALE, { x, scale: s }, {}) as tf.Tensor;
  return tf.tidy(() => tf.mul(tf.sub(tf.step(x, 0), tf.step(tf.neg(x), 0)), s));
}
