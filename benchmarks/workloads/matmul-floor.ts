/**
 * (d) The matmul floor: per batch, only the training step's matrix products (forward x·W per layer,
 * dW = xᵀ·dz per layer, dx = dz·Wᵀ for every layer but the first) on the workload's shapes, with
 * operands prepared once (transposes outside the loop, weights packed once and cached). No
 * elementwise work, no optimizer, no data copies: keras-ts ÷ this is the overhead above the floor.
 */
import { tf } from '../../src';
import { RandomGenerator } from '../../src/backend/random';
import { epochProbe } from '../workload';
import type { EpochProbe, Trainer, WorkloadSpec } from '../workload';

export function matmulFloorTrainer(spec: WorkloadSpec, initialWeights: tf.Tensor[]): Trainer {
  const random = new RandomGenerator(spec.seed);
  const units = spec.units;
  const b = spec.batchSize;
  const kernels = initialWeights.filter((_, i) => i % 2 === 0).map((w) => w.clone());
  const kernelsT = kernels.map((k) => tf.transpose(k)); // [out, in]: dx = dz·Wᵀ
  // Activations a_i [batch, in_i] (their transposes for dW) and upstream gradients dz_i [batch, out_i].
  const acts = units.slice(0, -1).map((n) => tf.tensor2d(random.uniform(b * n), [b, n]));
  const actsT = acts.map((a) => tf.transpose(a));
  const dz = units.slice(1).map((n) => tf.tensor2d(random.uniform(b * n), [b, n]));
  const owned = [...kernels, ...kernelsT, ...acts, ...actsT, ...dz];
  return {
    async train(x, _y, epochs) {
      const probes: EpochProbe[] = [];
      const steps = Math.ceil(x.shape[0] / b);
      for (let epoch = 0; epoch < epochs; epoch++) {
        for (let step = 0; step < steps; step++) {
          tf.tidy(() => {
            kernels.forEach((k, i) => {
              tf.matMul(acts[i]!, k); // forward
              tf.matMul(actsT[i]!, dz[i]!); // dW
              if (i > 0) tf.matMul(dz[i]!, kernelsT[i]!); // dx
            });
          });
        }
        tf.tidy(() => tf.matMul(acts[0]!, kernels[0]!).dataSync()); // wait for the device, as fit's epoch-end read does
        probes.push(epochProbe(epoch));
      }
      return probes;
    },
    dispose: () => tf.dispose(owned),
  };
}
