/**
 * The dense (fully connected) op with a gradient that never uses transposed matmuls.
 *
 * Why: tfjs' own MatMul gradient calls BatchMatMul with `transposeA`/`transposeB`, which the wasm
 * (XNNPACK) backend runs 10-25x slower than a plain matmul of the same size. Transposing the
 * operand explicitly first costs one memory pass and keeps every matmul on the fast path. The op
 * is keras-ts' own (tf.customGrad): tfjs' kernel registry is left untouched.
 */
import { tf } from './tf';
import { saveExceptVariables, withGradient } from './custom-gradient';
import { columnSum, layoutKernelsRun, reluGradWithBias, transpose2d, transposeBiasActivation } from './layout-kernels';

/** Activations the fused kernels of every tfjs backend implement. */
export type FusableActivation = 'linear' | 'relu' | 'relu6' | 'elu' | 'sigmoid';

const FUSED_ACTIVATION: Record<FusableActivation, tf.fused.Activation> = {
  linear: 'linear',
  relu: 'relu',
  relu6: 'relu6',
  elu: 'elu',
  sigmoid: 'sigmoid',
};

export interface DenseOpOptions {
  /** Activation fused into the kernel; others are applied by the caller on the linear output. */
  activation: FusableActivation;
  /** False skips the input gradient (first layer: nobody needs dL/dx), saving one matmul. */
  inputGradient: boolean;
  /** A training step (the weights change after it): default false. */
  training?: boolean;
}

/** dL/dz from dL/dy for y = act(z), written in terms of the saved output y (no extra forward). */
function activationGradient(dy: tf.Tensor, y: tf.Tensor, activation: FusableActivation): tf.Tensor {
  switch (activation) {
    case 'linear':
      return dy;
    case 'relu':
      return tf.mul(dy, tf.step(y, 0));
    case 'relu6':
      return tf.mul(dy, tf.mul(tf.step(y, 0), tf.step(tf.neg(y), -6)));
    case 'elu':
      // elu'(z) = 1 for z > 0, exp(z) = y + 1 otherwise.
      return tf.mul(dy, tf.where(tf.greater(y, 0), tf.onesLike(y), tf.add(y, 1)));
    case 'sigmoid':
      return tf.mul(dy, tf.mul(y, tf.sub(1, y)));
  }
}

/**
 * Whether transposed matmuls are slow on the active backend (explicit transposes win there): wasm,
 * where keras-ts' layout kernels do the transposes (tfjs' wasm Transpose takes 1.6 ms for 512×512).
 */
export function prefersExplicitTranspose(): boolean {
  return tf.getBackend() === 'wasm' && layoutKernelsRun();
}

/** Zeros for a product with an empty dimension (an empty sum is 0): XNNPACK refuses such a product and prints a warning. */
function emptyProduct(rows: number, shared: number, cols: number): tf.Tensor2D | undefined {
  return rows === 0 || shared === 0 || cols === 0 ? tf.zeros([rows, cols]) : undefined;
}

/** a^T b without the transpose flag on backends where the flag is slow. */
export function matMulTransposeA(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  if (!prefersExplicitTranspose()) return tf.matMul(a, b, true, false);
  return emptyProduct(a.shape[1], a.shape[0], b.shape[1]) ?? tf.matMul(transpose2d(a), b);
}

/**
 * a b^T without the transpose flag on backends where the flag is slow. There it is computed as
 * (b a^T)^T: the fast matmul repacks its right operand on every call (it caches the packing per
 * tensor, and the weights change every step), so the right operand should be the small a^T
 * [in, batch] rather than the big b^T [in, units]; two small transposes replace one large one.
 */
export function matMulTransposeB(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  if (!prefersExplicitTranspose()) return tf.matMul(a, b, false, true);
  return emptyProduct(a.shape[0], a.shape[1], b.shape[0]) ?? transpose2d(tf.matMul(b, transpose2d(a)));
}

/**
 * act(x · kernel + bias) as one kernel call. tf.fused.matMul only fuses the activation when no
 * gradient is being recorded; inside this op's forward nothing is recorded (the op has its own
 * gradient), so the fused kernel is called directly. It takes rank-3 operands: [1, rows, cols].
 */
function fusedForward(x: tf.Tensor2D, kernel: tf.Tensor2D, bias: tf.Tensor | undefined, activation: FusableActivation): tf.Tensor2D {
  const inputs: tf.NamedTensorMap = { a: tf.reshape(x, [1, ...x.shape]), b: tf.reshape(kernel, [1, ...kernel.shape]) };
  if (bias !== undefined) inputs['bias'] = bias;
  const attrs = { transposeA: false, transposeB: false, activation: FUSED_ACTIVATION[activation], leakyreluAlpha: 0 };
  const y = tf.engine().runKernel('_FusedMatMul', inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor3D; // [1, batch, units]
  return tf.reshape(y, [x.shape[0], kernel.shape[1]]);
}

/**
 * Whether a training step computes the layer as zᵀ = kernelᵀ·xᵀ. The fast matmul packs its right
 * operand into its own layout on every call for a new tensor, and the weights are new after every
 * update: packing a 512×512 kernel costs about as much as the product with 128 rows. With the
 * kernel on the left the packed operand is xᵀ [in, batch], smaller whenever units > batch; the
 * transposes (kernel, x, and zᵀ back, fused with bias and relu) are keras-ts' SIMD layout kernels,
 * and xᵀ is the one the kernel gradient needs anyway. Inference keeps x·W: there the weights stay
 * the same tensor from batch to batch, so their packing is cached.
 */
function computesTransposed(x: tf.Tensor2D, kernel: tf.Tensor2D, activation: FusableActivation, training: boolean): boolean {
  // An empty batch stays on x·W: XNNPACK refuses a product with no output columns.
  return training && (activation === 'linear' || activation === 'relu') && x.shape[0] > 0 && kernel.shape[1] > x.shape[0];
}

/**
 * y = act(x · kernel + bias), one fused kernel forward (or the transposed form above); backward as
 * plain matmuls: dz = dy ⊙ act'(y), dKernel = xᵀ·dz, dBias = Σ_batch dz, dx = dz·kernelᵀ. Without
 * an input gradient x is not an input of the op at all, so no zeros tensor stands in for dL/dx.
 */
export function denseOp(
  x: tf.Tensor2D, // [batch, in]
  kernel: tf.Tensor2D, // [in, units]
  bias: tf.Tensor1D | undefined, // [units]
  options: DenseOpOptions,
): tf.Tensor2D {
  const { activation, inputGradient } = options;
  const layoutKernels = prefersExplicitTranspose();
  const transposed = layoutKernels && computesTransposed(x, kernel, activation, options.training ?? false);
  // Built per call: the closure carries this call's x (when it is not an input), activation and bias choice.
  const op = withGradient<tf.Tensor2D>((inputs, save) => {
    const [xs, k, b] = inputGradient ? inputs : [x, ...inputs];
    let y: tf.Tensor2D; // [batch, units]
    let xForGradient: tf.Tensor2D; // x [batch, in], or xᵀ [in, batch] when transposed
    if (transposed) {
      xForGradient = transpose2d(xs as tf.Tensor2D);
      const zT: tf.Tensor2D = tf.matMul(transpose2d(k as tf.Tensor2D), xForGradient); // [units, batch]
      y = transposeBiasActivation(zT, b as tf.Tensor1D | undefined, activation as 'linear' | 'relu');
    } else {
      xForGradient = xs as tf.Tensor2D;
      y = fusedForward(xForGradient, k as tf.Tensor2D, b, activation);
    }
    const restore = saveExceptVariables([xForGradient, k!, y], save);
    return {
      value: y,
      gradFunc: (dy, saved) => {
        const [xSaved, kSaved, ySaved] = restore(saved) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
        let dz: tf.Tensor2D; // [batch, units]
        let dBias: tf.Tensor1D | undefined;
        if (layoutKernels && activation === 'relu') [dz, dBias] = reluGradWithBias(dy, ySaved);
        else dz = activationGradient(dy, ySaved, activation) as tf.Tensor2D;
        if (bias !== undefined && dBias === undefined) dBias = layoutKernels ? columnSum(dz) : (tf.sum(dz, 0) as tf.Tensor1D);
        const grads: tf.Tensor[] = [transposed ? tf.matMul(xSaved, dz) : matMulTransposeA(xSaved, dz)]; // dKernel [in, units]
        if (inputGradient) grads.unshift(matMulTransposeB(dz, kSaved)); // dx [batch, in]
        if (bias !== undefined) grads.push(dBias!); // dBias [units]
        return grads;
      },
    };
  });
  const inputs: tf.Tensor[] = inputGradient ? [x, kernel] : [kernel];
  if (bias !== undefined) inputs.push(bias);
  return op(...inputs);
}
