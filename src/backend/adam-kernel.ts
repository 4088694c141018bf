/**
 * One-pass Adam/AdamW update as a kernel of its own ('KerasTsAdamUpdate'), registered by keras-ts for
 * the wasm and cpu backends next to tfjs' kernels (none of tfjs' is replaced).
 *
 * tfjs' AdamOptimizer runs about 14 full-size kernels per variable and step (each allocating its
 * output); this one reads w, g, m, v once and writes w, m, v in place. The math is Keras 3's
 * (keras/src/optimizers/adam.py and the base optimizer's weight decay, keras-team/keras@13de96ae),
 * each operation rounded to float32 as Keras does in float32:
 *   w ← w − (w·wd)·lr                       (AdamW only; wd·lr = 0 for Adam)
 *   m ← m + (g − m)·(1 − β1)
 *   v ← v + (g² − v)·(1 − β2)
 *   w ← w − (m·α) / (√v + ε)                with α = lr·√(1 − β2^t) / (1 − β1^t)
 * On wasm it runs as WebAssembly SIMD over the backend's own memory (adam-simd.ts); on cpu as a
 * JavaScript loop over the stored arrays. Both do the same float32 operations: the same bits.
 *
 * Inputs { variable, gradient, m, v }; output: the new variable value, in a new buffer. `m` and `v`
 * are updated in place (the optimizer owns them, see `ownsBuffer`). The weights must not be written
 * in place: tfjs-backend-wasm caches XNNPACK's packed copy of a matmul's right operand (and bias) per
 * tensor id, so a weight changed under the same id would keep multiplying with its old values.
 */
import { tf } from './tf';
import { simdAdamFor } from './adam-simd';
import { float32Buffer, newOutput, registerKernels, wasmBackendOf } from './kernel-buffers';


export const ADAM_UPDATE = 'KerasTsAdamUpdate';

export interface AdamUpdateAttrs {
  /** lr·√(1 − β2^t) / (1 − β1^t), the step's scaled learning rate. */
  alpha: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** Decoupled weight decay (AdamW's wd; 0 for Adam). */
  weightDecay: number;
  /** The learning rate the decay is scaled by. */
  learningRate: number;
}

const f = Math.fround;

/**
 * The update over flat float32 arrays, every intermediate rounded to float32: reads w, writes the new
 * weights to `out` (which may be w itself), updates m and v in place.
 */
export function adamUpdate(w: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, out: Float32Array, a: AdamUpdateAttrs): void {
  const n = w.length;
  const c1 = f(1 - a.beta1);
  const c2 = f(1 - a.beta2);
  const alpha = f(a.alpha);
  const eps = f(a.epsilon);
  const wd = f(a.weightDecay);
  const lr = f(a.learningRate);
  for (let i = 0; i < n; i++) {
    const gi = g[i]!;
    const wi = f(w[i]! - f(f(w[i]! * wd) * lr)); // = w when wd = 0, as in the SIMD pass
    const mi = f(m[i]! + f(f(gi - m[i]!) * c1));
    const vi = f(v[i]! + f(f(f(gi * gi) - v[i]!) * c2));
    m[i] = mi;
    v[i] = vi;
    out[i] = wi - f(f(mi * alpha) / f(f(Math.sqrt(vi)) + eps));
  }
}

function adamUpdateKernel({ inputs, backend, attrs }: { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs?: tf.NamedAttrMap }): tf.TensorInfo {
  const { variable, gradient, m, v } = inputs;
  if (variable === undefined || gradient === undefined || m === undefined || v === undefined) throw new TypeError(`${ADAM_UPDATE} takes variable, gradient, m and v`);
  const size = tf.util.sizeFromShape(variable.shape);
  for (const t of [gradient, m, v]) {
    if (tf.util.sizeFromShape(t.shape) !== size) throw new TypeError(`${ADAM_UPDATE}: shapes differ (${variable.shape} vs ${t.shape})`);
  }
  const out = newOutput(backend, variable.shape);
  const a = attrs as unknown as AdamUpdateAttrs;
  const wasm = wasmBackendOf(backend);
  const simd = wasm !== undefined ? simdAdamFor(wasm.wasm) : undefined;
  const lanes = size - (size % 4);
  if (simd !== undefined && lanes > 0) {
    const [pw, pg, pm, pv, po] = [variable, gradient, m, v, out].map((t) => wasm!.offset(t)) as [number, number, number, number, number];
    const f32 = Math.fround;
    simd(pw, pg, pm, pv, po, lanes, f32(1 - a.beta1), f32(1 - a.beta2), f32(a.alpha), f32(a.epsilon), f32(a.weightDecay), f32(a.learningRate));
    if (lanes === size) return out;
  }
  // The views after the allocation (which may grow the wasm heap); nothing allocates while they are used.
  const views = [variable, gradient, m, v, out].map((t) => float32Buffer(backend, t)) as [Float32Array, Float32Array, Float32Array, Float32Array, Float32Array];
  const start = simd !== undefined ? lanes : 0; // the SIMD pass did [0, lanes)
  adamUpdate(...(views.map((view) => view.subarray(start)) as typeof views), a);
  return out;
}

let registered = false;

/** Registers the kernel for the wasm and cpu backends (idempotent). Other backends use plain ops. */
export function registerAdamKernel(): void {
  if (registered) return;
  registerKernels([[ADAM_UPDATE, adamUpdateKernel]]);
  registered = true;
}
