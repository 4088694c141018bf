/**
 * (c) A plain tfjs training loop, no wrapper: variables, a forward written with tf ops, and
 * `optimizer.minimize` per batch. Two flavours:
 * - `plainTfjsTrainer`: stock tfjs ops only (tf.matMul/add/relu, tf.dropout, tf.losses); autograd
 *   picks tfjs' own gradients (transposed matmuls).
 * - `plainSameKernelsTrainer`: the same loop over the kernels keras-ts runs (its dense op, its batch
 *   copies, dropout masks drawn in JS, its penalties), so the gap to keras-ts is the wrapper's cost.
 */
import { tf } from '../../src';
import { denseOp } from '../../src/backend/dense-op';
import { RandomGenerator } from '../../src/backend/random';
import { takeBatch } from '../../src/backend/rows';
import { L1, L2 } from '../../src/regularizers';
import { epochProbe } from '../workload';
import type { EpochProbe, Trainer, WorkloadSpec } from '../workload';

type Forward = (xb: tf.Tensor2D, kernels: tf.Variable[], biases: tf.Variable[]) => tf.Tensor2D; // logits
type Batch = (x: tf.Tensor2D, y: tf.Tensor2D, start: number, size: number) => [tf.Tensor2D, tf.Tensor2D];

const sliceBatch: Batch = (x, y, start, size) => [tf.slice(x, start, size), tf.slice(y, start, size)];

function plainLoop(spec: WorkloadSpec, initialWeights: tf.Tensor[], forward: Forward, penalty: (kernels: tf.Variable[]) => tf.Scalar, batch: Batch): Trainer {
  const variables = initialWeights.map((w) => tf.variable(w)); // shares the data until the first update
  const kernels = variables.filter((_, i) => i % 2 === 0);
  const biases = variables.filter((_, i) => i % 2 === 1);
  const optimizer = tf.train.adam(spec.learningRate, 0.9, 0.999, 1e-7);
  return {
    async train(x, y, epochs) {
      const probes: EpochProbe[] = [];
      const rows = x.shape[0];
      for (let epoch = 0; epoch < epochs; epoch++) {
        for (let start = 0; start < rows; start += spec.batchSize) {
          const size = Math.min(spec.batchSize, rows - start);
          tf.tidy(() => {
            const [xb, yb] = batch(x, y, start, size);
            optimizer.minimize(() => {
              const logits = forward(xb, kernels, biases);
              return tf.add(tf.losses.softmaxCrossEntropy(yb, logits), penalty(kernels)) as tf.Scalar;
            }, false, variables);
          });
        }
        variables[0]!.dataSync(); // the step's work is done before the clock stops
        probes.push(epochProbe(epoch));
      }
      return probes;
    },
    dispose: () => {
      optimizer.dispose();
      for (const v of variables) v.dispose();
    },
  };
}

export function plainTfjsTrainer(spec: WorkloadSpec, initialWeights: tf.Tensor[]): Trainer {
  const forward: Forward = (xb, kernels, biases) => {
    let h: tf.Tensor2D = xb;
    kernels.forEach((k, i) => {
      h = tf.add(tf.matMul(h, k), biases[i]!) as tf.Tensor2D; // [batch, units]
      if (i < kernels.length - 1) {
        h = tf.relu(h) as tf.Tensor2D;
        if (spec.dropout > 0) h = tf.dropout(h, spec.dropout) as tf.Tensor2D;
      }
    });
    return h;
  };
  const penalty = (kernels: tf.Variable[]) =>
    tf.add(tf.mul(tf.sum(tf.abs(kernels[0]!)), spec.l1), tf.mul(tf.sum(tf.square(kernels[1]!)), spec.l2)) as tf.Scalar;
  return plainLoop(spec, initialWeights, forward, penalty, sliceBatch);
}

export function plainSameKernelsTrainer(spec: WorkloadSpec, initialWeights: tf.Tensor[]): Trainer {
  const random = new RandomGenerator(spec.seed + 2);
  const forward: Forward = (xb, kernels, biases) => {
    let h: tf.Tensor2D = xb;
    kernels.forEach((k, i) => {
      const hidden = i < kernels.length - 1;
      h = denseOp(h, k as tf.Tensor2D, biases[i] as tf.Tensor1D, { activation: hidden ? 'relu' : 'linear', inputGradient: i > 0, training: true });
      if (hidden && spec.dropout > 0) {
        const mask = new Float32Array(h.size);
        random.fillKeepMask(mask, spec.dropout, 1 / (1 - spec.dropout));
        h = tf.mul(h, tf.tensor2d(mask, h.shape));
      }
    });
    return h;
  };
  const l1 = new L1(spec.l1);
  const l2 = new L2(spec.l2);
  const penalty = (kernels: tf.Variable[]) => tf.add(l1.apply(kernels[0]!), l2.apply(kernels[1]!)) as tf.Scalar;
  const batch: Batch = (x, y, start, size) => takeBatch([x, y], start, size) as [tf.Tensor2D, tf.Tensor2D];
  return plainLoop(spec, initialWeights, forward, penalty, batch);
}
