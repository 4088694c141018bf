/**
 * Batched inference-mode evaluation. `loss` follows Keras: mean data loss plus the regularization
 * penalty (weights + activity); `penalty` is that penalty part alone.
 */
import { takeBatch } from '../backend/rows';
import { tf } from '../backend/tf';
import type { Trainer } from './trainer';

export type EvaluateLogs = { loss: number; penalty: number } & Record<string, number>;

/** Sums over rows on the device: [data loss, activity penalty·rows, metrics…], read once. */
export function evaluateTensors(model: Trainer, x: tf.Tensor, y: tf.Tensor, batchSize: number): EvaluateLogs {
  const { objective } = model.compiled;
  const rows = x.shape[0]!;
  const sums = tf.tidy(() => {
    let total: tf.Tensor | undefined;
    for (let start = 0; start < rows; start += batchSize) {
      const size = Math.min(batchSize, rows - start);
      const [xb, yb] = rows <= batchSize ? [x, y] : (takeBatch([x, y], start, size) as [tf.Tensor, tf.Tensor]);
      const prediction = model.forward(xb, { training: false, preActivation: objective.wantsPreActivation });
      const parts = [
        tf.sum(objective.dataLoss(yb, prediction)),
        tf.mul(prediction.activityPenalty ?? tf.scalar(0), size),
        ...objective.metricValues(yb, prediction).map((m) => tf.sum(m)),
      ];
      const batchSums = tf.stack(parts);
      total = total === undefined ? batchSums : tf.add(total, batchSums);
    }
    return total!;
  });
  const values = sums.dataSync();
  sums.dispose();
  const weightPenalty = tf.tidy(() => model.penaltyTensor().dataSync()[0]!);
  const penalty = weightPenalty + values[1]! / rows;
  const logs: EvaluateLogs = { loss: values[0]! / rows + penalty, penalty };
  objective.metrics.forEach((m, i) => (logs[m.name] = values[i + 2]! / rows));
  return logs;
}
