/**
 * Losses with Keras' formulas, as per-sample values [batch]. When the last layer's activation is
 * the loss's natural partner (softmax for cross-entropy, sigmoid for binary cross-entropy), the
 * model hands over pre-activation logits and the loss uses the stable fused form: same value,
 * cheaper and exact gradient (p − y).
 */
import { tf } from '../backend/tf';
import { ConfigError, describe } from '../errors';

export type LossIdentifier =
  | 'categoricalCrossentropy'
  | 'sparseCategoricalCrossentropy'
  | 'binaryCrossentropy'
  | 'meanSquaredError'
  | 'meanAbsoluteError';

/** A custom loss: per-sample or mean loss of a batch (a [batch] tensor or a scalar). */
export type LossFunction = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;

export interface Loss {
  name: string;
  /** Labels are integer class ids rather than one-hot rows. */
  sparse: boolean;
  /** The activation this loss can absorb (the model then passes logits to `fromLogits`). */
  fusesWith: 'softmax' | 'sigmoid' | undefined;
  /** Per-sample loss [batch] from the model's output. */
  perSample(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor;
  /** Per-sample loss [batch] from logits (only when fusesWith is set). */
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
    fusesWith: 'softmax',
    perSample: (yTrue, yPred) => {
      const p = tf.clipByValue(tf.div(yPred, tf.sum(yPred, -1, true)), EPSILON, 1 - EPSILON);
      return tf.neg(tf.sum(tf.mul(toOneHot(yTrue, yPred), tf.log(p)), -1));
    },
    fromLogits: (yTrue, logits) => tf.neg(tf.sum(tf.mul(toOneHot(yTrue, logits), tf.logSoftmax(logits)), -1)),
  };
}

const binaryCrossentropy: Loss = {
  name: 'binaryCrossentropy',
  sparse: false,
  fusesWith: 'sigmoid',
  perSample: (yTrue, yPred) => {
    const p = tf.clipByValue(yPred, EPSILON, 1 - EPSILON);
    return lastAxisMean(tf.neg(tf.add(tf.mul(yTrue, tf.log(p)), tf.mul(tf.sub(1, yTrue), tf.log(tf.sub(1, p))))));
  },
  // max(z, 0) − z·y + log(1 + e^−|z|): never overflows.
  fromLogits: (yTrue, z) => lastAxisMean(tf.add(tf.sub(tf.relu(z), tf.mul(z, yTrue)), tf.log1p(tf.exp(tf.neg(tf.abs(z)))))),
};

const meanSquaredError: Loss = {
  name: 'meanSquaredError',
  sparse: false,
  fusesWith: undefined,
  perSample: (yTrue, yPred) => lastAxisMean(tf.squaredDifference(yTrue, yPred)),
};

const meanAbsoluteError: Loss = {
  name: 'meanAbsoluteError',
  sparse: false,
  fusesWith: undefined,
  perSample: (yTrue, yPred) => lastAxisMean(tf.abs(tf.sub(yTrue, yPred))),
};

const BY_NAME: Record<LossIdentifier, Loss> = {
  categoricalCrossentropy: categorical(false),
  sparseCategoricalCrossentropy: categorical(true),
  binaryCrossentropy,
  meanSquaredError,
  meanAbsoluteError,
};

/** Short names Keras also accepts. */
const ALIASES: Record<string, LossIdentifier> = { mse: 'meanSquaredError', mae: 'meanAbsoluteError' };

export const LOSS_NAMES = Object.keys(BY_NAME) as LossIdentifier[];

export function getLoss(identifier: LossIdentifier | 'mse' | 'mae' | LossFunction): Loss {
  if (typeof identifier === 'function') {
    return {
      name: identifier.name || 'customLoss',
      sparse: false,
      fusesWith: undefined,
      perSample: (yTrue, yPred) => {
        const value = identifier(yTrue, yPred);
        return value.rank === 0 ? tf.mul(tf.onesLike(tf.slice(yPred, [0, 0], [-1, 1]).reshape([-1])), value) : tf.reshape(value, [yPred.shape[0]!, -1]).mean(-1);
      },
    };
  }
  const loss = BY_NAME[(ALIASES[identifier] ?? identifier) as LossIdentifier];
  if (loss === undefined) {
    throw new ConfigError(
      `Invalid \`loss\` for compile: expected one of ${LOSS_NAMES.map((n) => `'${n}'`).join(', ')} or a function (yTrue, yPred) => tensor. Received: loss=${describe(identifier)}`,
    );
  }
  return loss;
}
