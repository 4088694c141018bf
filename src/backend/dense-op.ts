/**
 * The dense (fully connected) op with a gradient that never uses transposed matmuls.
 *
 * Why: tfjs' own MatMul gradient calls BatchMatMul with `transposeA`/`transposeB`, which the wasm
 * (XNNPACK) backend runs 10-25x slower than a plain matmul of the same size. Transposing the
 * operand explicitly first costs one memory pass and keeps every matmul on the fast path. The op
 * is keras-ts' own (tf.customGrad): tfjs' kernel registry is left untouched.
 */
import { tf } from './tf';
import { withGradient } from './custom-gradient';

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

/** Whether transposed matmuls are slow on the active backend (explicit transposes win there). */
export function prefersExplicitTranspose(): boolean {
  return tf.getBackend() === 'wasm';
}

/** a^T b without the transpose flag on backends where the flag is slow. */
export function matMulTransposeA(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return prefersExplicitTranspose() ? tf.matMul(tf.transpose(a), b) : tf.matMul(a, b, true, false);
}

/** a b^T without the transpose flag on backends where the flag is slow. */
export function matMulTransposeB(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return prefersExplicitTranspose() ? tf.matMul(a, tf.transpose(b)) : tf.matMul(a, b, false, true);
}

/**
 * y = act(x · kernel + bias), one fused kernel forward; backward as three plain matmuls' worth:
 * dz = dy ⊙ act'(y), dKernel = xᵀ·dz, dBias = Σ_batch dz, dx = dz·kernelᵀ.
 */
export function denseOp(
  x: tf.Tensor2D, // [batch, in]
  kernel: tf.Tensor2D, // [in, units]
  bias: tf.Tensor1D | undefined, // [units]
  options: DenseOpOptions,
): tf.Tensor2D {
  const { activation, inputGradient } = options;
  // Built per call: the closure carries this call's activation and input-gradient choice.
  const op = withGradient<tf.Tensor2D>(([xs, k, b], save) => {
    const y = tf.fused.matMul({
      a: xs as tf.Tensor2D,
      b: k as tf.Tensor2D,
      ...(b === undefined ? {} : { bias: b }),
      activation: FUSED_ACTIVATION[activation],
    }) as tf.Tensor2D; // [batch, units]
    save([xs!, k!, y]);
    return {
      value: y,
      gradFunc: (dy, saved) => {
        const [xSaved, kSaved, ySaved] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
        const dz = activationGradient(dy, ySaved, activation) as tf.Tensor2D; // [batch, units]
        const dx = inputGradient ? matMulTransposeB(dz, kSaved) : tf.zerosLike(xSaved); // [batch, in]
        const dk = matMulTransposeA(xSaved, dz); // [in, units]
        return b === undefined ? [dx, dk] : [dx, dk, tf.sum(dz, 0)];
      },
    };
  });
  return bias === undefined ? op(x, kernel) : op(x, kernel, bias);
}
