/**
 * The benchmarked workload, shared by every trainer: a 784-512-512-10 MLP (relu, softmax) with L1 on
 * the first kernel, L2 on the second, dropout 0.2 after each hidden layer, Adam, batch 128. Data and
 * initial weights are seeded, so every trainer starts from the same numbers in the same batch order.
 */
import { RandomGenerator } from '../src/backend/random';
import { tf } from '../src';

export interface WorkloadSpec {
  /** Layer widths, input first. */
  units: readonly number[];
  /** Training rows. */
  samples: number;
  epochs: number;
  batchSize: number;
  /** L1 strength on the first kernel. */
  l1: number;
  /** L2 strength on the second kernel. */
  l2: number;
  /** Dropout rate after each hidden layer. */
  dropout: number;
  learningRate: number;
  seed: number;
}

export const DEFAULT_SPEC: WorkloadSpec = {
  units: [784, 512, 512, 10],
  samples: 4096,
  epochs: 2,
  batchSize: 128,
  l1: 1e-5,
  l2: 1e-4,
  dropout: 0.2,
  learningRate: 1e-3,
  seed: 42,
};

/** What one training run leaves behind, per epoch end. */
export interface EpochProbe {
  epoch: number;
  numTensors: number;
  rssBytes: number;
}

/** One way of training the workload (keras-ts, tfjs-layers, a plain loop…). */
export interface Trainer {
  /** Trains `epochs` epochs over (x, y) in row order; resolves when the device work is done. */
  train(x: tf.Tensor2D, y: tf.Tensor2D, epochs: number): Promise<EpochProbe[]>;
  dispose(): void;
}

export type TrainerFactory = (spec: WorkloadSpec, initialWeights: tf.Tensor[]) => Trainer;

/** Seeded inputs in [0, 1) (like scaled pixels) and one-hot labels. */
export function makeData(spec: WorkloadSpec, rows = spec.samples): { x: tf.Tensor2D; y: tf.Tensor2D } {
  const random = new RandomGenerator(spec.seed + 1);
  const features = spec.units[0]!;
  const classes = spec.units[spec.units.length - 1]!;
  const labels = new Int32Array(rows);
  for (let i = 0; i < rows; i++) labels[i] = random.int(classes);
  const x = tf.tensor2d(random.uniform(rows * features), [rows, features]);
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), classes) as tf.Tensor2D);
  return { x, y };
}

/**
 * Floating-point operations of one training step per sample: forward 2·in·out per layer, backward
 * 2·in·out for each kernel gradient and 2·in·out for each input gradient except the first layer's
 * (nobody needs dL/dx). Elementwise work is left out: it is small next to the matmuls.
 */
export function flopsPerSample(units: readonly number[]): number {
  let flops = 0;
  for (let i = 1; i < units.length; i++) {
    const macs = units[i - 1]! * units[i]!;
    flops += 2 * macs * (i === 1 ? 2 : 3);
  }
  return flops;
}

export function epochProbe(epoch: number): EpochProbe {
  return { epoch, numTensors: tf.memory().numTensors, rssBytes: process.memoryUsage().rss };
}
