/**
 * Batched inference-mode evaluation. `loss` follows Keras: mean data loss plus the regularization
 * penalty (weights + activity); `penalty` is that penalty part alone.
 */
import { takeBatch } from '../backend/rows';
import { tf } from '../backend/tf';
import type { Trainer } from './trainer';

export type EvaluateLogs = { loss: number; penalty: number } & Record<string, number>;

/** Sums over rows on the device: [data loss, activity penalty·rows, metric sums or counts…], read once. */
export async function evaluateTensors(model: Trainer, x: tf.Tensor, y: tf.Tensor, batchSize: number): Promise<EvaluateLogs> {
  const { objective } = model.compiled;
  const rows = x.shape[0]!;
  const sums = tf.tidy(() => {
    let total: tf.Tensor | undefined;
    for (let start = 0; start < rows; start += batchSize) {
      const size = Math.min(batchSize, rows - start);
      const [xb, yb] = rows <= batchSize ? [x, y] : (takeBatch([x, y], start, size) as [tf.Tensor, tf.Tensor]);
      const prediction = model.forward(xb, { training: false, preActivation: objective.wantsPreActivation });
      const batchSums = tf.concat([
        tf.reshape(tf.sum(objective.dataLoss(yb, prediction)), [1]),
        tf.reshape(tf.mul(prediction.activityPenalty ?? tf.scalar(0), size), [1]),
        ...objective.metricSums(yb, prediction),
      ]);
      total = total === undefined ? batchSums : tf.add(total, batchSums);
    }
    return total!;
  });
  // Asynchronous reads: they work on every backend, webgpu in Node included.
  const values = await sums.data();
  sums.dispose();
  const weightPenalty = await model.penaltyAsync();
  const read = objective.readLogs(values, rows); // loss: mean data loss, penalty: mean activity penalty
  const penalty = weightPenalty + read['penalty']!;
  const logs: EvaluateLogs = { ...read, loss: read['loss']! + penalty, penalty };
  return logs;
}
