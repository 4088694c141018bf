/** Small helpers in Keras' `utils` namespace. */
import { tf } from './backend/tf';
import { ConfigError, invalidArgument } from './errors';

export { setRandomSeed } from './backend/random';

/**
 * Integer class ids → one-hot rows [n, numClasses] (Keras' to_categorical). Every label must be an
 * integer in [0, numClasses) (numClasses defaults to the largest label + 1); a negative,
 * fractional, NaN or too large label is an error, not a row of zeros.
 */
export function toCategorical(labels: number[] | Int32Array | tf.Tensor, numClasses?: number): tf.Tensor2D {
  if (numClasses !== undefined && (!Number.isInteger(numClasses) || numClasses < 1)) {
    throw invalidArgument('numClasses', 'utils.toCategorical', 'a positive integer', numClasses);
  }
  const values: ArrayLike<number> = labels instanceof tf.Tensor ? labels.dataSync() : labels;
  if (!(labels instanceof tf.Tensor) && !Array.isArray(labels) && !(labels instanceof Int32Array)) {
    throw invalidArgument('labels', 'utils.toCategorical', 'an array, Int32Array or tensor of integer class ids', labels);
  }
  let max = -1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || (numClasses !== undefined && v >= numClasses)) {
      const range = numClasses === undefined ? 'integers >= 0' : `integers in [0, ${numClasses - 1}]`;
      throw new ConfigError(`Invalid \`labels\` for utils.toCategorical: expected class ids that are ${range}. Received: labels[${i}]=${String(v)}`);
    }
    if (v > max) max = v;
  }
  const classes = numClasses ?? max + 1;
  if (classes < 1) throw invalidArgument('numClasses', 'utils.toCategorical', 'a positive integer (no labels to infer it from)', classes);
  return tf.tidy(() => tf.oneHot(tf.tensor1d(Array.from(values), 'int32'), classes) as tf.Tensor2D);
}
