/**
 * The training objective: the compiled loss, the regularization penalties and the metrics, as one
 * object. It alone knows the logits fusion: when the model's output activation is the loss's
 * natural partner (softmax before cross-entropy, sigmoid before binary cross-entropy), it asks the
 * model for the pre-activation output z and uses the loss's stable form from z (same value, exact
 * gradient p − y); metrics and activity penalties still see the activated output. Layers, losses
 * and metrics never branch on it.
 */
import { tf } from '../backend/tf';
import { ConfigError, describe } from '../errors';
import { getLoss } from './losses';
import type { Loss, LossLike } from './losses';
import { getMetric } from './metrics';
import type { Metric, MetricIdentifier } from './metrics';

/** What the objective needs to know of the model's output layer. */
export interface OutputSignature {
  /** The output layer's activation name, if it has a separate one. */
  activation: string | undefined;
  /** Output units (last axis). */
  units: number;
}

/** A forward pass as the objective asked for it. */
export interface Prediction {
  /** The model's output, or the pre-activation z when the objective asked for it. */
  value: tf.Tensor;
  /** Sum of the activity-regularizer penalties of this pass (each already divided by the batch size). */
  activityPenalty: tf.Scalar | undefined;
}

/**
 * Per-batch results: `loss` (data + penalty) and `penalty` scalars, then per metric its batch mean
 * (a scalar) or, for counted metrics (precision, recall, F1, AUC), this batch's counts.
 */
export type StepLogs = Record<string, tf.Tensor>;

/** [batch, ...] → [batch]: a sequence output (rank > 2 labels) counts each row once, as Keras' mean reduction. */
const perRow = (t: tf.Tensor): tf.Tensor => (t.rank <= 1 ? t : tf.mean(t, Array.from({ length: t.rank - 1 }, (_, i) => i + 1)));

const ACTIVATE: Record<'softmax' | 'sigmoid', (z: tf.Tensor) => tf.Tensor> = { softmax: (z) => tf.softmax(z), sigmoid: (z) => tf.sigmoid(z) };

export class Objective {
  readonly loss: Loss;
  readonly metrics: Metric[];
  /** The output activation folded into the loss, if any: the model then returns z. */
  readonly fusedActivation: 'softmax' | 'sigmoid' | undefined;
  /** Keys of the logs, in order: loss, penalty, then the metrics. */
  readonly logNames: string[];

  constructor(loss: LossLike, metrics: readonly MetricIdentifier[], output: OutputSignature) {
    this.loss = getLoss(loss);
    const logitsOf = this.loss.logitsOf;
    this.fusedActivation = logitsOf !== undefined && this.loss.fromLogits !== undefined && output.activation === logitsOf ? logitsOf : undefined;
    this.metrics = metrics.map((m) => getMetric(m, { sparse: this.loss.sparse, units: output.units }));
    this.logNames = ['loss', 'penalty', ...this.metrics.map((m) => m.name)];
    const seen = new Set<string>();
    for (const name of this.logNames) {
      if (seen.has(name)) {
        throw new ConfigError(`Invalid \`metrics\` for compile: ${describe(name)} is listed twice (or names the loss/penalty log); list each metric once.`);
      }
      seen.add(name);
    }
  }

  /** Whether the model should hand over its pre-activation output. */
  get wantsPreActivation(): boolean {
    return this.fusedActivation !== undefined;
  }

  /** The model's output from a prediction (applies the fused activation back). */
  output(prediction: Prediction): tf.Tensor {
    return this.fusedActivation === undefined ? prediction.value : ACTIVATE[this.fusedActivation](prediction.value);
  }

  /** Per-sample data loss [batch], optionally weighted per row. */
  dataLoss(yTrue: tf.Tensor, prediction: Prediction, sampleWeight?: tf.Tensor): tf.Tensor {
    const loss = perRow(this.fusedActivation !== undefined ? this.loss.fromLogits!(yTrue, prediction.value) : this.loss.perSample(yTrue, prediction.value));
    return sampleWeight === undefined ? loss : tf.mul(loss, sampleWeight);
  }

  /**
   * Per metric, this batch's log: a mean metric's batch mean (a scalar), a counted metric's counts
   * vector. What `trainStep` returns for each metric.
   */
  metricStepValues(yTrue: tf.Tensor, prediction: Prediction): tf.Tensor[] {
    if (this.metrics.length === 0) return [];
    const output = this.output(prediction);
    return this.metrics.map((m) => (m.counts !== undefined ? m.counts.batch(yTrue, output) : tf.mean(perRow(m.perSample!(yTrue, output)))));
  }

  /** Per metric, this batch's part of the running sums: [Σ of per-sample values] or the counts. */
  metricSums(yTrue: tf.Tensor, prediction: Prediction): tf.Tensor[] {
    if (this.metrics.length === 0) return [];
    const output = this.output(prediction);
    return this.metrics.map((m) => (m.counts !== undefined ? m.counts.batch(yTrue, output) : tf.reshape(tf.sum(perRow(m.perSample!(yTrue, output))), [1])));
  }

  /** Slots of each log (logNames' order) in the running sums: 1, or a counted metric's count length. */
  get slotSizes(): number[] {
    return [1, 1, ...this.metrics.map((m) => m.counts?.size ?? 1)];
  }

  /** One step's running-sum vector from its logs (logNames' order): means × rows, counts as they are. */
  stepSums(values: tf.Tensor[], rows: number): tf.Tensor {
    return tf.concat(values.map((v, i) => (this.metrics[i - 2]?.counts === undefined ? tf.reshape(tf.mul(v, rows), [1]) : tf.reshape(v, [-1]))));
  }

  /** Logs from running sums over `rows` rows: sums / rows for means, a counted metric's result from its counts. */
  readLogs(sums: ArrayLike<number>, rows: number): Record<string, number> {
    const logs: Record<string, number> = {};
    let offset = 0;
    this.slotSizes.forEach((size, i) => {
      const counts = this.metrics[i - 2]?.counts;
      logs[this.logNames[i]!] = counts === undefined ? sums[offset]! / rows : counts.result(Array.prototype.slice.call(sums, offset, offset + size) as number[]);
      offset += size;
    });
    return logs;
  }
}
