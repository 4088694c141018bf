/**
 * DropConnect (Wan et al. 2013), beyond Keras: during training each kernel weight is dropped with
 * probability `rate` and the kept ones are scaled by 1/(1−rate), a fresh mask per training step;
 * the gradient reaches only the kept weights. Dense's `dropConnect` option uses it.
 */
import type { RandomGenerator } from '../backend/random';
import { tf } from '../backend/tf';

/** kernel ⊙ mask, mask entries 0 (probability rate) or 1/(1−rate), drawn from `stream`. */
export function dropConnectKernel(kernel: tf.Tensor, rate: number, stream: RandomGenerator): tf.Tensor {
  const mask = new Float32Array(kernel.size);
  stream.fillKeepMask(mask, rate, 1 / (1 - rate));
  return tf.mul(kernel, tf.tensor(mask, kernel.shape)); // [in, units]
}
