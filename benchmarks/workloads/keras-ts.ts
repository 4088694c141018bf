/** (a) keras-ts: `Sequential` + `fit`, the library as users call it. */
import { Sequential, layers, regularizers, tf, utils } from '../../src';
import { epochProbe } from '../workload';
import type { EpochProbe, Trainer, WorkloadSpec } from '../workload';

/** The workload's model in keras-ts, compiled; `seed` fixes its initial weights and dropout masks. */
export function buildKerasTsModel(spec: WorkloadSpec, tfjsAdam = false): Sequential {
  utils.setRandomSeed(spec.seed);
  const [input, ...widths] = spec.units;
  const model = new Sequential();
  widths.forEach((units, i) => {
    const last = i === widths.length - 1;
    model.add(layers.Dense(units, {
      activation: last ? 'softmax' : 'relu',
      ...(i === 0 ? { inputShape: [input!], kernelRegularizer: regularizers.l1(spec.l1) } : {}),
      ...(i === 1 ? { kernelRegularizer: regularizers.l2(spec.l2) } : {}),
    }));
    if (!last && spec.dropout > 0) model.add(layers.Dropout(spec.dropout));
  });
  // 'adam' is FusedAdam (one update kernel per variable); tfjsAdam: tfjs' AdamOptimizer, as keras-ts used before.
  const optimizer = tfjsAdam ? tf.train.adam(spec.learningRate, 0.9, 0.999, 1e-7) : { name: 'adam' as const, learningRate: spec.learningRate };
  model.compile({ optimizer, loss: 'categoricalCrossentropy' });
  return model;
}

export function kerasTsTrainer(spec: WorkloadSpec, initialWeights: tf.Tensor[], tfjsAdam = false): Trainer {
  const model = buildKerasTsModel(spec, tfjsAdam);
  model.setWeights(initialWeights);
  return {
    async train(x, y, epochs) {
      const probes: EpochProbe[] = [];
      await model.fit(x, y, {
        epochs, batchSize: spec.batchSize, shuffle: false, verbose: 0,
        callbacks: [{ onEpochEnd: (epoch) => void probes.push(epochProbe(epoch)) }],
      });
      return probes;
    },
    dispose: () => model.dispose(),
  };
}

/** keras-ts with tfjs' AdamOptimizer (14 kernels per variable and step): the fused-update lever's baseline. */
export const kerasTsTfjsAdamTrainer = (spec: WorkloadSpec, initialWeights: tf.Tensor[]): Trainer => kerasTsTrainer(spec, initialWeights, true);
