/**
 * Losses with Keras' formulas, as per-sample values [batch]. A loss that has a stable form from
 * the pre-activation output (cross-entropy after softmax or sigmoid) says so with `logitsOf` and
 * `fromLogits`; the training Objective decides when to use it. A new loss is one entry here.
 */
import { tf } from '../backend/tf';
import { ConfigError, describe } from '../errors';

/** Keras' loss names in keras-ts' camelCase. */
export const LOSS_NAMES = [
  'categoricalCrossentropy', 'sparseCategoricalCrossentropy', 'binaryCrossentropy', 'meanSquaredError', 'meanAbsoluteError',
] as const;
export type LossName = (typeof LOSS_NAMES)[number];

/** Loss names and the short and snake_case spellings Keras also accepts. */
export type LossIdentifier = LossName | 'mse' | 'mae' | 'categorical_crossentropy' | 'sparse_categorical_crossentropy' | 'binary_crossentropy' | 'mean_squared_error' | 'mean_absolute_error';

/** A custom loss: per-sample or mean loss of a batch (a [batch] tensor or a scalar). */
export type LossFunction = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;

export interface Loss {
  name: string;
  /** Labels are integer class ids rather than one-hot rows. */
  sparse: boolean;
  /** Per-sample loss [batch] from the model's output. */
  perSample(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor;
  /** The activation whose input this loss can take directly, with `fromLogits` its formula then. */
  logitsOf?: 'softmax' | 'sigmoid';
  /** Per-sample loss [batch] from the pre-activation output z (same value, stable, gradient p − y). */
  fromLogits?(yTrue: tf.Tensor, logits: tf.Tensor): tf.Tensor;
}

const EPSILON = 1e-7; // Keras clips probabilities to [ε, 1−ε] before taking logs.

const lastAxisMean = (t: tf.Tensor): tf.Tensor => tf.mean(t, -1);

/** Sparse labels [batch] or [batch, 1] → one-hot [batch, classes]. */
export function oneHotLabels(yTrue: tf.Tensor, classes: number): tf.Tensor {
  return tf.oneHot(tf.cast(tf.reshape(yTrue, [-1]), 'int32'), classes);
}

function categorical(sparse: boolean): Loss {
  const toOneHot = (y: tf.Tensor, out: tf.Tensor) => (sparse ? oneHotLabels(y, out.shape[out.rank - 1]!) : y);
  return {
    name: sparse ? 'sparseCategoricalCrossentropy' : 'categoricalCrossentropy',
    sparse,
    perSample: (yTrue, yPred) => {
      const p = tf.clipByValue(tf.div(yPred, tf.sum(yPred, -1, true)), EPSILON, 1 - EPSILON);
      return tf.neg(tf.sum(tf.mul(toOneHot(yTrue, yPred), tf.log(p)), -1));
    },
    logitsOf: 'softmax',
    fromLogits: (yTrue, logits) => tf.neg(tf.sum(tf.mul(toOneHot(yTrue, logits), tf.logSoftmax(logits)), -1)),
  };
}

const binaryCrossentropy: Loss = {
  name: 'binaryCrossentropy',
  sparse: false,
  perSample: (yTrue, yPred) => {
    const p = tf.clipByValue(yPred, EPSILON, 1 - EPSILON);
    return lastAxisMean(tf.neg(tf.add(tf.mul(yTrue, tf.log(p)), tf.mul(tf.sub(1, yTrue), tf.log(tf.sub(1, p))))));
  },
  logitsOf: 'sigmoid',
  // max(z, 0) − z·y + log(1 + e^−|z|): never overflows.
  fromLogits: (yTrue, z) => lastAxisMean(tf.add(tf.sub(tf.relu(z), tf.mul(z, yTrue)), tf.log1p(tf.exp(tf.neg(tf.abs(z)))))),
};

const meanSquaredError: Loss = {
  name: 'meanSquaredError',
  sparse: false,
  perSample: (yTrue, yPred) => lastAxisMean(tf.squaredDifference(yTrue, yPred)),
};

const meanAbsoluteError: Loss = {
  name: 'meanAbsoluteError',
  sparse: false,
  perSample: (yTrue, yPred) => lastAxisMean(tf.abs(tf.sub(yTrue, yPred))),
};

const BY_NAME = new Map<string, Loss>([
  ['categoricalCrossentropy', categorical(false)],
  ['sparseCategoricalCrossentropy', categorical(true)],
  ['binaryCrossentropy', binaryCrossentropy],
  ['meanSquaredError', meanSquaredError],
  ['meanAbsoluteError', meanAbsoluteError],
]);

/** Short names and Keras' snake_case names. */
const ALIASES = new Map<string, LossName>([
  ['mse', 'meanSquaredError'], ['mae', 'meanAbsoluteError'],
  ['categorical_crossentropy', 'categoricalCrossentropy'], ['sparse_categorical_crossentropy', 'sparseCategoricalCrossentropy'],
  ['binary_crossentropy', 'binaryCrossentropy'], ['mean_squared_error', 'meanSquaredError'], ['mean_absolute_error', 'meanAbsoluteError'],
]);

/** Whether a string names a built-in loss (any spelling). */
export function isLossName(name: unknown): name is LossIdentifier {
  return typeof name === 'string' && (BY_NAME.has(name) || ALIASES.has(name));
}

/** A user function as a Loss: a scalar result is that batch's mean, repeated per sample. */
function customLoss(fn: LossFunction): Loss {
  return {
    name: fn.name || 'customLoss',
    sparse: false,
    perSample: (yTrue, yPred) => {
      const value = fn(yTrue, yPred);
      if (!(value instanceof tf.Tensor)) throw new ConfigError(`Invalid \`loss\` function: expected it to return a tf.Tensor. Received: ${describe(value)}`);
      const rows = yPred.shape[0]!;
      // A scalar is spread over the rows through yPred, so the gradient still reaches the model.
      return value.rank === 0 ? tf.add(tf.mul(tf.mean(tf.reshape(yPred, [rows, -1]), -1), 0), value) : tf.mean(tf.reshape(value, [rows, -1]), -1);
    },
  };
}

export function getLoss(identifier: LossIdentifier | LossFunction): Loss {
  if (typeof identifier === 'function') return customLoss(identifier);
  const loss = typeof identifier === 'string' ? BY_NAME.get(ALIASES.get(identifier) ?? identifier) : undefined;
  if (loss === undefined) {
    throw new ConfigError(
      `Invalid \`loss\` for compile: expected one of ${LOSS_NAMES.map((n) => `'${n}'`).join(', ')} (or 'mse', 'mae', Keras' snake_case names) or a function (yTrue, yPred) => tensor. Received: loss=${describe(identifier)}`,
    );
  }
  return loss;
}
