/** Small helpers in Keras' `utils` namespace. */
import { tf } from './backend/tf';
import { invalidArgument } from './errors';

export { setRandomSeed } from './backend/random';

/** Integer class ids → one-hot rows [n, numClasses] (Keras' to_categorical). */
export function toCategorical(labels: number[] | Int32Array | tf.Tensor, numClasses?: number): tf.Tensor2D {
  return tf.tidy(() => {
    const ids = labels instanceof tf.Tensor ? tf.cast(tf.reshape(labels, [-1]), 'int32') : tf.tensor1d(Array.from(labels), 'int32');
    const classes = numClasses ?? (ids.size === 0 ? 0 : ids.max().dataSync()[0]! + 1);
    if (!Number.isInteger(classes) || classes < 1) throw invalidArgument('numClasses', 'utils.toCategorical', 'a positive integer', classes);
    return tf.oneHot(ids, classes) as tf.Tensor2D;
  });
}
