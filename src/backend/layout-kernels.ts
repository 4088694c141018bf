/**
 * The dense op's layout work as kernels of keras-ts' own, registered for the wasm and cpu backends
 * next to tfjs' kernels (none of tfjs' is replaced):
 *   KerasTsTranspose2D  act(xᵀ + bias per output column), act linear or relu: a plain transpose,
 *                       or the end of a layer computed as zᵀ = Wᵀ·xᵀ
 *   KerasTsReluGrad     [dz, db]: dz = y > 0 ? dy : 0 and its column sums (ReLU's gradient and the
 *                       bias gradient in one pass; tfjs runs Step, Multiply and a transposing Sum)
 *   KerasTsColumnSum    Σ over rows (the bias gradient of a linear layer)
 * On wasm as WebAssembly SIMD (layout-simd.ts) with the edges (rows or columns beyond a multiple
 * of 4) in JavaScript; on cpu the JavaScript loops alone. Both do the same float32 operations in
 * the same order (sums add rows top to bottom), so both give the same bits.
 */
import { tf } from './tf';
import { float32Buffer, newOutput, registerKernels, wasmBackendOf } from './kernel-buffers';
import { simdLayoutFor } from './layout-simd';
import type { SimdLayout } from './layout-simd';

export const TRANSPOSE_2D = 'KerasTsTranspose2D';
export const RELU_GRAD = 'KerasTsReluGrad';
export const COLUMN_SUM = 'KerasTsColumnSum';

/** What the transpose applies to each moved value. */
export type LayoutActivation = 'linear' | 'relu';

type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs?: tf.NamedAttrMap };

const f = Math.fround;
const relu = (v: number): number => (v <= 0 ? 0 : v); // as f32x4.max(v, 0): NaN stays NaN, −0 becomes 0

function matrixOf(kernel: string, t: tf.TensorInfo | undefined): [number, number] {
  if (t === undefined || t.shape.length !== 2) throw new TypeError(`${kernel} takes 2-D float32 tensors`);
  return [t.shape[0]!, t.shape[1]!];
}

/** The SIMD passes when the backend is wasm and they instantiated; with the byte offset of a tensor. */
function simdOf(backend: tf.KernelBackend): { simd: SimdLayout; offset(t: tf.TensorInfo): number } | undefined {
  const wasm = wasmBackendOf(backend);
  const simd = wasm !== undefined ? simdLayoutFor(wasm.wasm) : undefined;
  return simd !== undefined ? { simd, offset: wasm!.offset } : undefined;
}

/** dst[j][i] = act(src[i][j] + bias[i]) over rows [r0, r1) × columns [c0, c1). */
function transposeLoop(src: Float32Array, dst: Float32Array, rows: number, cols: number, bias: Float32Array | undefined, act: LayoutActivation, r0: number, r1: number, c0: number, c1: number): void {
  for (let i = r0; i < r1; i++) {
    const b = bias === undefined ? undefined : bias[i]!;
    for (let j = c0; j < c1; j++) {
      let v = src[i * cols + j]!;
      if (b !== undefined) v = f(v + b);
      dst[j * rows + i] = act === 'relu' ? relu(v) : v;
    }
  }
}

function transposeKernel({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const x = inputs['x'];
  const [rows, cols] = matrixOf(TRANSPOSE_2D, x);
  const biasInfo = inputs['bias'];
  if (biasInfo !== undefined && tf.util.sizeFromShape(biasInfo.shape) !== rows) throw new TypeError(`${TRANSPOSE_2D}: bias must have one value per row of x`);
  const act = (attrs?.['activation'] ?? 'linear') as LayoutActivation;
  const out = newOutput(backend, [cols, rows]);
  const [rows4, cols4] = [rows & ~3, cols & ~3];
  const wasm = rows4 > 0 && cols4 > 0 ? simdOf(backend) : undefined;
  if (wasm !== undefined) {
    const { simd, offset } = wasm;
    const args = [offset(x!), offset(out), rows4, cols4, cols * 4, rows * 4] as const;
    if (biasInfo === undefined) (act === 'relu' ? simd.transposeRelu : simd.transpose)(...args);
    else (act === 'relu' ? simd.transposeBiasRelu : simd.transposeBias)(...args, offset(biasInfo));
  }
  // Views after the allocation (which may grow the wasm heap).
  const [src, dst] = [float32Buffer(backend, x!), float32Buffer(backend, out)];
  const bias = biasInfo === undefined ? undefined : float32Buffer(backend, biasInfo);
  if (wasm === undefined) {
    transposeLoop(src, dst, rows, cols, bias, act, 0, rows, 0, cols);
  } else {
    transposeLoop(src, dst, rows, cols, bias, act, 0, rows, cols4, cols); // the right edge
    transposeLoop(src, dst, rows, cols, bias, act, rows4, rows, 0, cols4); // the bottom edge
  }
  return out;
}

/** Column sums (and ReLU's mask when `y` is given) over columns [c0, c1), rows top to bottom. */
function columnLoop(dy: Float32Array, y: Float32Array | undefined, dz: Float32Array | undefined, db: Float32Array, rows: number, cols: number, c0: number): void {
  for (let i = 0; i < rows; i++) {
    for (let j = c0; j < cols; j++) {
      let v = dy[i * cols + j]!;
      if (y !== undefined) {
        v = y[i * cols + j]! > 0 ? v : 0;
        dz![i * cols + j] = v;
      }
      db[j] = f(db[j]! + v);
    }
  }
}

function columnKernel(kernel: string, masked: boolean) {
  return ({ inputs, backend }: KernelArgs): tf.TensorInfo | tf.TensorInfo[] => {
    const dyInfo = masked ? inputs['dy'] : inputs['x'];
    const [rows, cols] = matrixOf(kernel, dyInfo);
    const yInfo = masked ? inputs['y'] : undefined;
    if (masked && (yInfo === undefined || !tf.util.arraysEqual(yInfo.shape, dyInfo!.shape))) throw new TypeError(`${kernel} takes dy and y of one shape`);
    const dzInfo = masked ? newOutput(backend, [rows, cols]) : undefined;
    const dbInfo = newOutput(backend, [cols]);
    float32Buffer(backend, dbInfo).fill(0);
    const cols4 = cols & ~3;
    const wasm = cols4 > 0 && rows > 0 ? simdOf(backend) : undefined;
    if (wasm !== undefined) {
      const { simd, offset } = wasm;
      if (masked) simd.reluGrad(offset(dyInfo!), offset(yInfo!), offset(dzInfo!), offset(dbInfo), rows, cols4, cols * 4);
      else simd.colSum(offset(dyInfo!), offset(dbInfo), rows, cols4, cols * 4);
    }
    const view = (t: tf.TensorInfo | undefined) => (t === undefined ? undefined : float32Buffer(backend, t));
    columnLoop(view(dyInfo)!, view(yInfo), view(dzInfo), view(dbInfo)!, rows, cols, wasm === undefined ? 0 : cols4);
    return masked ? [dzInfo!, dbInfo] : dbInfo;
  };
}

let registered = false;

/** Whether the layout kernels run on the active backend (wasm or cpu). */
export function layoutKernelsRun(): boolean {
  if (!registered) {
    registerKernels([[TRANSPOSE_2D, transposeKernel], [RELU_GRAD, columnKernel(RELU_GRAD, true)], [COLUMN_SUM, columnKernel(COLUMN_SUM, false)]]);
    registered = true;
  }
  return tf.getKernel(TRANSPOSE_2D, tf.getBackend()) !== undefined;
}

const usable = (...ts: (tf.Tensor | undefined)[]): boolean => layoutKernelsRun() && ts.every((t) => t === undefined || t.dtype === 'float32');

/** act(xᵀ + bias[:, newaxis]) for a 2-D x [rows, cols] and bias [rows]: [cols, rows]. */
export function transposeBiasActivation(x: tf.Tensor2D, bias: tf.Tensor1D | undefined, activation: LayoutActivation): tf.Tensor2D {
  if (usable(x, bias)) {
    const inputs: tf.NamedTensorMap = bias === undefined ? { x } : { x, bias };
    return tf.engine().runKernel(TRANSPOSE_2D, inputs, { activation } as unknown as tf.NamedAttrMap) as tf.Tensor2D;
  }
  return tf.tidy(() => {
    let y: tf.Tensor2D = bias === undefined ? x : tf.add(x, tf.reshape(bias, [-1, 1]));
    if (activation === 'relu') y = tf.relu(y);
    return tf.transpose(y);
  });
}

/** xᵀ of a 2-D tensor. */
export function transpose2d(x: tf.Tensor2D): tf.Tensor2D {
  return transposeBiasActivation(x, undefined, 'linear');
}

/** [dz, db] for y = relu(z): dz = y > 0 ? dy : 0, db = Σ_rows dz. */
export function reluGradWithBias(dy: tf.Tensor2D, y: tf.Tensor2D): [tf.Tensor2D, tf.Tensor1D] {
  if (usable(dy, y)) return tf.engine().runKernel(RELU_GRAD, { dy, y }, {}) as unknown as [tf.Tensor2D, tf.Tensor1D];
  return tf.tidy(() => {
    const dz = tf.where(tf.greater(y, 0), dy, tf.zerosLike(dy)) as tf.Tensor2D;
    return [dz, tf.sum(dz, 0) as tf.Tensor1D];
  });
}

/** Σ over the rows of a 2-D tensor. */
export function columnSum(x: tf.Tensor2D): tf.Tensor1D {
  return usable(x) ? (tf.engine().runKernel(COLUMN_SUM, { x }, {}) as tf.Tensor1D) : tf.sum(x, 0);
}
