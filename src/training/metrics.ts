/**
 * Metrics as per-sample values [batch] of the model's output, so the training loop can keep
 * running sums on the device and read them only when asked. 'accuracy' (or 'acc') resolves to the
 * variant that fits the labels and output; a metric is logged under the name it was given.
 */
import { tf } from '../backend/tf';
import { ConfigError, describe } from '../errors';
import { LOSS_NAMES, getLoss, isLossName } from './losses';
import type { LossIdentifier } from './losses';

export type MetricIdentifier = 'accuracy' | 'acc' | LossIdentifier;

export interface Metric {
  /** The key in logs and History: the name the metric was asked for ("accuracy", "acc", "mse"…). */
  name: string;
  /** Per-sample value [batch] from labels and the model's output (probabilities, not logits). */
  perSample(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor;
}

/** How the labels look, which decides the accuracy variant. */
export interface OutputKind {
  sparse: boolean;
  units: number;
}

function accuracy(name: string, kind: OutputKind): Metric {
  if (kind.units === 1) {
    // Binary: p > 0.5.
    return { name, perSample: (yTrue, yPred) => tf.mean(tf.cast(tf.equal(tf.greater(yPred, 0.5), tf.greater(yTrue, 0.5)), 'float32'), -1) };
  }
  return {
    name,
    perSample: (yTrue, yPred) => {
      const truth = kind.sparse ? tf.cast(tf.reshape(yTrue, [-1]), 'int32') : tf.argMax(yTrue, -1);
      return tf.cast(tf.equal(tf.argMax(yPred, -1), truth), 'float32');
    },
  };
}

export function getMetric(identifier: MetricIdentifier, kind: OutputKind): Metric {
  if (identifier === 'accuracy' || identifier === 'acc') return accuracy(identifier, kind);
  if (isLossName(identifier)) {
    const loss = getLoss(identifier);
    return { name: identifier, perSample: (yTrue, yPred) => loss.perSample(yTrue, yPred) };
  }
  throw new ConfigError(
    `Invalid metric in \`metrics\`: expected 'accuracy', 'acc' or a loss name (${LOSS_NAMES.join(', ')}, 'mse', 'mae'). Received: ${describe(identifier)}`,
  );
}
