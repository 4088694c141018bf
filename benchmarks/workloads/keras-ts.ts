/** (a) keras-ts: `Sequential` + `fit`, the library as users call it. */
import { Sequential, layers, regularizers, tf, utils } from '../../src';
import { FusedAdam } from '../../src/backend/fused-adam';
import { epochProbe } from '../workload';
import type { EpochProbe, Trainer, WorkloadSpec } from '../workload';

/** The workload's model in keras-ts, compiled; `seed` fixes its initial weights and dropout masks. */
export function buildKerasTsModel(spec: WorkloadSpec, fused = false): Sequential {
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
  // fused: the one-kernel Adam update, with tfjs' epsilon placement so it computes what 'adam' computes.
  const optimizer = fused ? new FusedAdam({ learningRate: spec.learningRate, epsilonPlacement: 'tfjs' }) : { name: 'adam' as const, learningRate: spec.learningRate };
  model.compile({ optimizer, loss: 'categoricalCrossentropy' });
  return model;
}

export function kerasTsTrainer(spec: WorkloadSpec, initialWeights: tf.Tensor[], fused = false): Trainer {
  const model = buildKerasTsModel(spec, fused);
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

/** keras-ts with FusedAdam (one KerasTsAdamUpdate kernel per variable and step). */
export const kerasTsFusedTrainer = (spec: WorkloadSpec, initialWeights: tf.Tensor[]): Trainer => kerasTsTrainer(spec, initialWeights, true);
