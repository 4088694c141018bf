/**
 * Metrics of the model's output. Most are means of per-sample values [batch], so the training loop
 * keeps running sums on the device and reads them only when asked. Precision, Recall, F1Score and
 * AUC are not means: they carry confusion counts that are summed over batches and turned into a
 * value once (confusion-metrics.ts). 'accuracy' (or 'acc') resolves to the variant that fits the
 * labels and output; a metric is logged under the name it was given (or its config's `name`).
 */
import { tf } from '../backend/tf';
import { ConfigError, describe, invalidArgument } from '../errors';
import { readOptions } from '../options';
import { ClassRegistry, isSerializedObject } from '../serialization';
import type { SerializedObject } from '../serialization';
import { auc, f1Score, precisionOrRecall } from './confusion-metrics';
import type { AUCOptions, ConfusionCounts, F1ScoreOptions, PrecisionOptions } from './confusion-metrics';
import { LOSS_NAMES, getLoss, isLossName } from './losses';
import type { LossIdentifier } from './losses';

/** Metric names beyond accuracy and the losses (Keras' snake_case and class names resolve too). */
export type MetricName = 'precision' | 'recall' | 'auc' | 'f1Score' | 'topKCategoricalAccuracy' | 'hinge';

export type MetricIdentifier = 'accuracy' | 'acc' | LossIdentifier | MetricName | SerializedObject;

export interface Metric {
  /** The key in logs and History: the name the metric was asked for ("accuracy", "acc", "mse"…). */
  name: string;
  /** 'up' when larger is better (accuracy, AUC, …), 'down' for losses (read by monitoring callbacks' mode 'auto'). */
  direction: 'up' | 'down';
  /** Per-sample value [batch] from labels and the model's output (probabilities, not logits). */
  perSample?(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor;
  /** Instead of perSample: counts summed over batches, and the value from their sums. */
  counts?: ConfusionCounts;
}

/** How the labels look, which decides the accuracy variant. */
export interface OutputKind {
  sparse: boolean;
  units: number;
}

/** Class indices [batch] of the labels (sparse ids or one-hot rows). */
const labelIds = (yTrue: tf.Tensor, sparse: boolean): tf.Tensor => (sparse ? tf.cast(tf.reshape(yTrue, [-1]), 'int32') : tf.argMax(yTrue, -1));

function accuracy(name: string, kind: OutputKind): Metric {
  if (kind.units === 1) {
    // Binary: p > 0.5.
    return { name, direction: 'up', perSample: (yTrue, yPred) => tf.mean(tf.cast(tf.equal(tf.greater(yPred, 0.5), tf.greater(yTrue, 0.5)), 'float32'), -1) };
  }
  return { name, direction: 'up', perSample: (yTrue, yPred) => tf.cast(tf.equal(tf.argMax(yPred, -1), labelIds(yTrue, kind.sparse)), 'float32') };
}

/** Keras' top_k_categorical_accuracy: the true class is among the k highest scores (ties favour it, as in_top_k). */
function topK(name: string, options: { k?: number; name?: string }, kind: OutputKind): Metric {
  const o = readOptions('TopKCategoricalAccuracy', options, ['k', 'name']);
  const k = o.k ?? 5;
  if (!(Number.isInteger(k) && k > 0)) throw invalidArgument('k', 'TopKCategoricalAccuracy', 'a positive integer', k);
  return {
    name,
    direction: 'up',
    perSample: (yTrue, yPred) => {
      const classes = yPred.shape[yPred.rank - 1]!;
      const trueScore = tf.sum(tf.mul(yPred, tf.oneHot(labelIds(yTrue, kind.sparse), classes)), -1); // [batch]
      const higher = tf.sum(tf.cast(tf.greater(yPred, tf.expandDims(trueScore, -1)), 'float32'), -1);
      return tf.cast(tf.less(higher, k), 'float32');
    },
  };
}

/** Keras' hinge: mean(max(1 − y·ŷ, 0)); 0/1 labels are first mapped to −1/1. */
function hinge(name: string): Metric {
  return {
    name,
    direction: 'down',
    perSample: (yTrue, yPred) => {
      const y = tf.reshape(yTrue, yPred.shape);
      const binary = tf.all(tf.logicalOr(tf.equal(y, 0), tf.equal(y, 1)));
      const signed = tf.where(binary, tf.sub(tf.mul(y, 2), 1), y);
      return tf.mean(tf.relu(tf.sub(1, tf.mul(signed, yPred))), -1);
    },
  };
}

type MetricBuilder = (kind: OutputKind, name: string | undefined) => Metric;

const counted = (defaultName: string, make: (kind: OutputKind) => ConfusionCounts): MetricBuilder => (kind, name) => ({
  name: name ?? defaultName,
  direction: 'up',
  counts: make(kind),
});

/** Metric classes by Keras class name; config keys are the constructor's options. */
const registry = new ClassRegistry<MetricBuilder>('metric', [
  { className: 'Precision', fromConfig: (c) => counted('precision', (k) => precisionOrRecall('Precision', c as PrecisionOptions, k.sparse, k.units)) },
  { className: 'Recall', fromConfig: (c) => counted('recall', (k) => precisionOrRecall('Recall', c as PrecisionOptions, k.sparse, k.units)) },
  { className: 'F1Score', fromConfig: (c) => counted('f1_score', (k) => f1Score(c as F1ScoreOptions, k.sparse, k.units)) },
  { className: 'AUC', fromConfig: (c) => counted('auc', (k) => auc(c as AUCOptions, k.sparse)), aliases: ['auc'] },
  {
    className: 'TopKCategoricalAccuracy',
    fromConfig: (c) => (kind, name) => topK(name ?? 'top_k_categorical_accuracy', c, kind),
    aliases: ['top_k_categorical_accuracy', 'topKCategoricalAccuracy'],
  },
  { className: 'Hinge', fromConfig: (c) => (readOptions('Hinge', c, ['name']), (_kind, name) => hinge(name ?? 'hinge')) },
]);

const configName = (config: Record<string, unknown> | undefined): string | undefined => {
  const name = config?.['name'];
  if (name !== undefined && name !== null && (typeof name !== 'string' || name.length === 0)) throw invalidArgument('name', 'metric', 'a non-empty string', name);
  return name ?? undefined;
};

export function getMetric(identifier: MetricIdentifier, kind: OutputKind): Metric {
  if (identifier === 'accuracy' || identifier === 'acc') return accuracy(identifier, kind);
  if (isLossName(identifier)) {
    const loss = getLoss(identifier);
    return { name: identifier, direction: 'down', perSample: (yTrue, yPred) => loss.perSample(yTrue, yPred) };
  }
  if (typeof identifier === 'string' && registry.has(identifier)) return registry.fromName(identifier)(kind, identifier);
  if (isSerializedObject(identifier)) {
    const name = configName(identifier.config);
    const build = registry.fromSerialized(identifier);
    return build(kind, name);
  }
  throw new ConfigError(
    `Invalid metric in \`metrics\`: expected 'accuracy', 'acc', ${registry.classNames.map((n) => `'${n}'`).join(', ')} (or their snake_case names), { className, config } or a loss name (${LOSS_NAMES.join(', ')}, 'mse', 'mae'). Received: ${describe(identifier)}`,
  );
}

/** Keras' metric classes as `{ className, config }` for compile: `metrics: [metrics.AUC({ numThresholds: 100 })]`. */
export const Precision = (options: PrecisionOptions = {}): SerializedObject => ({ className: 'Precision', config: { ...options } });
export const Recall = (options: PrecisionOptions = {}): SerializedObject => ({ className: 'Recall', config: { ...options } });
export const F1Score = (options: F1ScoreOptions = {}): SerializedObject => ({ className: 'F1Score', config: { ...options } });
export const AUC = (options: AUCOptions = {}): SerializedObject => ({ className: 'AUC', config: { ...options } });
export const TopKCategoricalAccuracy = (options: { k?: number; name?: string } = {}): SerializedObject => ({ className: 'TopKCategoricalAccuracy', config: { ...options } });
export const Hinge = (options: { name?: string } = {}): SerializedObject => ({ className: 'Hinge', config: { ...options } });
