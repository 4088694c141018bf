/**
 * Metrics as per-sample values [batch], so the training loop can keep running sums on the device
 * and read them only when asked. 'accuracy' resolves to the variant that fits the labels and output.
 */
import { tf } from '../backend/tf';
import { ConfigError, describe } from '../errors';
import { LOSS_NAMES, getLoss } from './losses';
import type { Loss, LossIdentifier } from './losses';

export type MetricIdentifier = 'accuracy' | 'acc' | LossIdentifier | 'mse' | 'mae';

export interface Metric {
  /** The key in logs and History ("accuracy", "meanSquaredError"…). */
  name: string;
  /** Per-sample value [batch]; `isLogits` tells whether `output` is pre-activation. */
  perSample(yTrue: tf.Tensor, output: tf.Tensor, isLogits: boolean): tf.Tensor;
}

/** How the model's output and labels look, which decides the accuracy variant. */
export interface OutputKind {
  sparse: boolean;
  units: number;
  /** The activation fused away from the output when isLogits is true. */
  fusedActivation: 'softmax' | 'sigmoid' | undefined;
}

function accuracy(kind: OutputKind): Metric {
  if (kind.units === 1) {
    // Binary: p > 0.5, which for logits is z > 0.
    return {
      name: 'accuracy',
      perSample: (yTrue, output, isLogits) =>
        tf.mean(tf.cast(tf.equal(tf.greater(output, isLogits ? 0 : 0.5), tf.greater(yTrue, 0.5)), 'float32'), -1),
    };
  }
  // Argmax is the same for logits and probabilities (softmax is monotone).
  return {
    name: 'accuracy',
    perSample: (yTrue, output) => {
      const truth = kind.sparse ? tf.cast(tf.reshape(yTrue, [-1]), 'int32') : tf.argMax(yTrue, -1);
      return tf.cast(tf.equal(tf.argMax(output, -1), truth), 'float32');
    },
  };
}

function lossMetric(loss: Loss, kind: OutputKind): Metric {
  return {
    name: loss.name,
    perSample: (yTrue, output, isLogits) => {
      if (!isLogits) return loss.perSample(yTrue, output);
      const probs = kind.fusedActivation === 'softmax' ? tf.softmax(output) : tf.sigmoid(output);
      return loss.perSample(yTrue, probs);
    },
  };
}

export function getMetric(identifier: MetricIdentifier, kind: OutputKind): Metric {
  if (identifier === 'accuracy' || identifier === 'acc') return accuracy(kind);
  if (typeof identifier === 'string' && (LOSS_NAMES as string[]).concat('mse', 'mae').includes(identifier)) {
    const metric = lossMetric(getLoss(identifier), kind);
    return identifier === 'mse' || identifier === 'mae' ? { ...metric, name: identifier } : metric;
  }
  throw new ConfigError(
    `Invalid metric in \`metrics\`: expected 'accuracy' or a loss name (${LOSS_NAMES.join(', ')}). Received: ${describe(identifier)}`,
  );
}
