/**
 * Losses with Keras' formulas, as per-sample values [batch]. A loss that has a stable form from
 * the pre-activation output (cross-entropy after softmax or sigmoid) says so with `logitsOf` and
 * `fromLogits`; the training Objective decides when to use it. A new loss is one entry here.
 */
import { tf } from '../backend/tf';
import { softmaxCrossEntropy } from '../backend/softmax-cross-entropy';
import { ConfigError, describe, invalidArgument } from '../errors';
import { checkOptionNames, readOptions } from '../options';
import { ClassRegistry, isSerializedObject } from '../serialization';
import type { SerializedObject } from '../serialization';

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
  /** Keras class name and constructor options, for the `{ className, config }` form. */
  className?: string;
  getConfig?(): Record<string, unknown>;
}

/** What compile accepts as `loss`: a name, a function, `{ className, config }` or a Loss (e.g. `losses.CategoricalCrossentropy({ labelSmoothing: 0.1 })`). */
export type LossLike = LossIdentifier | LossClassName | LossFunction | SerializedObject | Loss;

/** Keras' loss class names, accepted as names too. */
export type LossClassName = 'CategoricalCrossentropy' | 'SparseCategoricalCrossentropy' | 'BinaryCrossentropy' | 'MeanSquaredError' | 'MeanAbsoluteError';

export interface CrossentropyOptions {
  /** The model outputs logits rather than probabilities (default false). */
  fromLogits?: boolean;
  /** Smooths one-hot labels: y·(1 − s) + s/K (categorical) or y·(1 − s) + 0.5·s (binary), s in [0, 1] (default 0). */
  labelSmoothing?: number;
}

export type SparseCrossentropyOptions = Omit<CrossentropyOptions, 'labelSmoothing'>;

const EPSILON = 1e-7; // Keras clips probabilities to [ε, 1−ε] before taking logs.

const lastAxisMean = (t: tf.Tensor): tf.Tensor => tf.mean(t, -1);

/** Sparse labels [batch] or [batch, 1] → one-hot [batch, classes]. */
export function oneHotLabels(yTrue: tf.Tensor, classes: number): tf.Tensor {
  return tf.oneHot(tf.cast(tf.reshape(yTrue, [-1]), 'int32'), classes);
}

/** Checked crossentropy options: [fromLogits, labelSmoothing]. */
function crossentropyOptions(owner: string, options: CrossentropyOptions | null | undefined, known: readonly string[]): [boolean, number] {
  const o = readOptions(owner, options, known);
  const fromLogits = o.fromLogits ?? false;
  if (typeof fromLogits !== 'boolean') throw invalidArgument('fromLogits', owner, 'true or false', fromLogits);
  const smoothing = o.labelSmoothing ?? 0;
  if (!(typeof smoothing === 'number' && smoothing >= 0 && smoothing <= 1)) throw invalidArgument('labelSmoothing', owner, 'a number in [0, 1]', smoothing);
  return [fromLogits, smoothing];
}

/**
 * A loss with a stable form from logits: with `fromLogits` the model's output is z and that form is
 * the loss; otherwise the objective may fuse it with the output layer's activation.
 */
function withLogits(loss: Loss & { fromLogits(yTrue: tf.Tensor, z: tf.Tensor): tf.Tensor }, fromLogits: boolean): Loss {
  if (!fromLogits) return loss;
  const { logitsOf: _activation, fromLogits: formula, ...rest } = loss;
  return { ...rest, perSample: formula };
}

function categorical(sparse: boolean, options: CrossentropyOptions | null = null): Loss {
  const className = sparse ? 'SparseCategoricalCrossentropy' : 'CategoricalCrossentropy';
  const [fromLogits, smoothing] = crossentropyOptions(className, options, sparse ? ['fromLogits'] : ['fromLogits', 'labelSmoothing']);
  // [batch, K] labels, smoothed: y·(1 − s) + s/K (Keras' categorical_crossentropy).
  const labels = (y: tf.Tensor, out: tf.Tensor) => {
    const classes = out.shape[out.rank - 1]!;
    const oneHot = sparse ? oneHotLabels(y, classes) : y;
    return smoothing > 0 ? tf.add(tf.mul(oneHot, 1 - smoothing), smoothing / classes) : oneHot;
  };
  return withLogits({
    name: sparse ? 'sparseCategoricalCrossentropy' : 'categoricalCrossentropy',
    sparse,
    perSample: (yTrue, yPred) => {
      const p = tf.clipByValue(tf.div(yPred, tf.sum(yPred, -1, true)), EPSILON, 1 - EPSILON);
      return tf.neg(tf.sum(tf.mul(labels(yTrue, yPred), tf.log(p)), -1));
    },
    logitsOf: 'softmax',
    fromLogits: (yTrue, logits) => softmaxCrossEntropy(labels(yTrue, logits), logits),
    className,
    getConfig: () => (sparse ? { fromLogits } : { fromLogits, labelSmoothing: smoothing }),
  }, fromLogits);
}

function binaryCrossentropy(options: CrossentropyOptions | null = null): Loss {
  const [fromLogits, smoothing] = crossentropyOptions('BinaryCrossentropy', options, ['fromLogits', 'labelSmoothing']);
  // y·(1 − s) + 0.5·s (Keras' binary_crossentropy).
  const labels = (y: tf.Tensor) => (smoothing > 0 ? tf.add(tf.mul(y, 1 - smoothing), 0.5 * smoothing) : y);
  return withLogits({
    name: 'binaryCrossentropy',
    sparse: false,
    perSample: (yTrue, yPred) => {
      const p = tf.clipByValue(yPred, EPSILON, 1 - EPSILON);
      const y = labels(yTrue);
      return lastAxisMean(tf.neg(tf.add(tf.mul(y, tf.log(p)), tf.mul(tf.sub(1, y), tf.log(tf.sub(1, p))))));
    },
    logitsOf: 'sigmoid',
    // max(z, 0) − z·y + log(1 + e^−|z|): never overflows.
    fromLogits: (yTrue, z) => lastAxisMean(tf.add(tf.sub(tf.relu(z), tf.mul(z, labels(yTrue))), tf.log1p(tf.exp(tf.neg(tf.abs(z)))))),
    className: 'BinaryCrossentropy',
    getConfig: () => ({ fromLogits, labelSmoothing: smoothing }),
  }, fromLogits);
}

const meanSquaredError: Loss = {
  name: 'meanSquaredError',
  className: 'MeanSquaredError',
  getConfig: () => ({}),
  sparse: false,
  perSample: (yTrue, yPred) => lastAxisMean(tf.squaredDifference(yTrue, yPred)),
};

const meanAbsoluteError: Loss = {
  name: 'meanAbsoluteError',
  className: 'MeanAbsoluteError',
  getConfig: () => ({}),
  sparse: false,
  perSample: (yTrue, yPred) => lastAxisMean(tf.abs(tf.sub(yTrue, yPred))),
};

const BY_NAME = new Map<string, Loss>([
  ['categoricalCrossentropy', categorical(false)],
  ['sparseCategoricalCrossentropy', categorical(true)],
  ['binaryCrossentropy', binaryCrossentropy()],
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

/** Loss classes by Keras class name, for `{ className, config }`. */
const registry = new ClassRegistry<Loss>('loss', [
  { className: 'CategoricalCrossentropy', fromConfig: (c) => categorical(false, c as CrossentropyOptions) },
  { className: 'SparseCategoricalCrossentropy', fromConfig: (c) => categorical(true, c as CrossentropyOptions) },
  { className: 'BinaryCrossentropy', fromConfig: (c) => binaryCrossentropy(c as CrossentropyOptions) },
  { className: 'MeanSquaredError', fromConfig: (c) => (checkOptionNames('MeanSquaredError', c, []), meanSquaredError) },
  { className: 'MeanAbsoluteError', fromConfig: (c) => (checkOptionNames('MeanAbsoluteError', c, []), meanAbsoluteError) },
]);

/** Keras' loss classes (`losses.CategoricalCrossentropy({ labelSmoothing: 0.1 })`), each a Loss for compile. */
export const CategoricalCrossentropy = (options: CrossentropyOptions = {}): Loss => categorical(false, options);
export const SparseCategoricalCrossentropy = (options: SparseCrossentropyOptions = {}): Loss => categorical(true, options);
export const BinaryCrossentropy = (options: CrossentropyOptions = {}): Loss => binaryCrossentropy(options);
export const MeanSquaredError = (): Loss => meanSquaredError;
export const MeanAbsoluteError = (): Loss => meanAbsoluteError;

const isLoss = (value: unknown): value is Loss =>
  value !== null && typeof value === 'object' && typeof (value as Loss).perSample === 'function' && typeof (value as Loss).name === 'string';

/** The `{ className, config }` form of a loss, when it has one (not for custom functions). */
export function lossConfig(loss: Loss): SerializedObject | undefined {
  return loss.className !== undefined && loss.getConfig !== undefined ? { className: loss.className, config: loss.getConfig() } : undefined;
}

export function getLoss(identifier: LossLike): Loss {
  if (typeof identifier === 'function') return customLoss(identifier);
  if (isLoss(identifier)) return identifier;
  if (isSerializedObject(identifier)) return registry.fromSerialized(identifier);
  const loss = typeof identifier === 'string' ? BY_NAME.get(ALIASES.get(identifier) ?? identifier) ?? (registry.has(identifier) ? registry.fromName(identifier) : undefined) : undefined;
  if (loss === undefined) {
    throw new ConfigError(
      `Invalid \`loss\` for compile: expected one of ${LOSS_NAMES.map((n) => `'${n}'`).join(', ')} (or 'mse', 'mae', Keras' snake_case names), { className, config }, a losses.* object or a function (yTrue, yPred) => tensor. Received: loss=${describe(identifier)}`,
    );
  }
  return loss;
}
