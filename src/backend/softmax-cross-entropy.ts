/**
 * Softmax cross-entropy from logits, −Σ_k y_k·log softmax(z)_k over the last axis, as kernels of
 * keras-ts' own on wasm and cpu ('KerasTsSoftmaxCrossEntropy' and its gradient), registered next
 * to tfjs' kernels.
 *
 * tfjs builds it from logSoftmax, a multiply and a sum, whose forward and gradients broadcast a
 * [rows, 1] term over [rows, classes]; on the wasm backend each broadcasting binary op takes about
 * a millisecond even for 128 × 10 values: ~8 % of a training step of a 784-512-512-10 MLP. These
 * tensors are small, so a plain loop over the stored values is the whole cost. Computed in float64
 * and rounded once to float32:
 *   logp = z − m − log Σ exp(z − m)   (m the row maximum)     loss = −Σ y·logp
 *   ∂z = dy · (exp(logp)·Σ y − y)                              ∂y = −dy · logp
 */
import { tf } from './tf';
import { float32Buffer, newOutput, registerKernels } from './kernel-buffers';
import { withGradient } from './custom-gradient';

export const SOFTMAX_CROSS_ENTROPY = 'KerasTsSoftmaxCrossEntropy';
export const SOFTMAX_CROSS_ENTROPY_GRAD = 'KerasTsSoftmaxCrossEntropyGrad';

type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend };

/** Outputs [loss (rows), logp (as logits)]. */
function forwardKernel({ inputs, backend }: KernelArgs): tf.TensorInfo[] {
  const { labels, logits } = inputs as { labels: tf.TensorInfo; logits: tf.TensorInfo };
  const classes = logits.shape[logits.shape.length - 1]!;
  const loss = newOutput(backend, logits.shape.slice(0, -1));
  const logp = newOutput(backend, logits.shape);
  const [y, z, l, o] = [float32Buffer(backend, labels), float32Buffer(backend, logits), float32Buffer(backend, loss), float32Buffer(backend, logp)];
  for (let row = 0, start = 0; start < z.length; row++, start += classes) {
    let max = -Infinity;
    for (let k = start; k < start + classes; k++) max = Math.max(max, z[k]!);
    let sum = 0;
    for (let k = start; k < start + classes; k++) sum += Math.exp(z[k]! - max);
    const shift = max + Math.log(sum);
    let total = 0;
    for (let k = start; k < start + classes; k++) {
      const value = z[k]! - shift;
      o[k] = value;
      if (y[k] !== 0) total -= y[k]! * value; // 0·(−∞) counts as 0, as a one-hot label means
    }
    l[row] = total;
  }
  return [loss, logp];
}

/** Outputs [∂labels, ∂logits]. */
function gradKernel({ inputs, backend }: KernelArgs): tf.TensorInfo[] {
  const { dy, labels, logp } = inputs as { dy: tf.TensorInfo; labels: tf.TensorInfo; logp: tf.TensorInfo };
  const classes = logp.shape[logp.shape.length - 1]!;
  const dLabels = newOutput(backend, logp.shape);
  const dLogits = newOutput(backend, logp.shape);
  const [d, y, l, oy, oz] = [dy, labels, logp, dLabels, dLogits].map((t) => float32Buffer(backend, t)) as [Float32Array, Float32Array, Float32Array, Float32Array, Float32Array];
  for (let row = 0, start = 0; start < l.length; row++, start += classes) {
    let labelSum = 0;
    for (let k = start; k < start + classes; k++) labelSum += y[k]!;
    const g = d[row]!;
    for (let k = start; k < start + classes; k++) {
      oy[k] = -g * l[k]!;
      oz[k] = g * (Math.exp(l[k]!) * labelSum - y[k]!);
    }
  }
  return [dLabels, dLogits];
}

let registered = false;

function register(): void {
  if (registered) return;
  registerKernels([[SOFTMAX_CROSS_ENTROPY, forwardKernel], [SOFTMAX_CROSS_ENTROPY_GRAD, gradKernel]]);
  registered = true;
}

const fused = withGradient<tf.Tensor>(([labels, logits], save) => {
  const [loss, logp] = tf.engine().runKernel(SOFTMAX_CROSS_ENTROPY, { labels: labels!, logits: logits! }, {}) as unknown as [tf.Tensor, tf.Tensor];
  save([labels!, logp]);
  return {
    value: loss,
    gradFunc: (dy, [y, lp]) => tf.engine().runKernel(SOFTMAX_CROSS_ENTROPY_GRAD, { dy, labels: y!, logp: lp! }, {}) as unknown as tf.Tensor[],
  };
});

/** −Σ y·log softmax(z) over the last axis, per row; the kernels above on wasm and cpu (float32), tf ops elsewhere. */
export function softmaxCrossEntropy(labels: tf.Tensor, logits: tf.Tensor): tf.Tensor {
  register();
  const usable = logits.dtype === 'float32' && logits.rank >= 1 && logits.shape[logits.rank - 1]! > 0
    && tf.util.arraysEqual(labels.shape, logits.shape) && tf.getKernel(SOFTMAX_CROSS_ENTROPY, tf.getBackend()) !== undefined;
  // One-hot labels are often int32 (tf.oneHot); the product with float logits is float32 either way.
  return usable ? fused(labels.dtype === 'float32' ? labels : tf.cast(labels, 'float32'), logits) : tf.neg(tf.sum(tf.mul(labels, tf.logSoftmax(logits)), -1));
}
