/** (b) stock tfjs-layers: `tf.sequential()` + `model.fit`, same model, weights, data order and backend. */
import { tf } from '../../src';
import { epochProbe } from '../workload';
import type { EpochProbe, Trainer, WorkloadSpec } from '../workload';

export function tfjsLayersTrainer(spec: WorkloadSpec, initialWeights: tf.Tensor[]): Trainer {
  const [input, ...widths] = spec.units;
  const model = tf.sequential();
  widths.forEach((units, i) => {
    const last = i === widths.length - 1;
    model.add(tf.layers.dense({
      units,
      activation: last ? 'softmax' : 'relu',
      ...(i === 0 ? { inputShape: [input!], kernelRegularizer: tf.regularizers.l1({ l1: spec.l1 }) } : {}),
      ...(i === 1 ? { kernelRegularizer: tf.regularizers.l2({ l2: spec.l2 }) } : {}),
    }));
    if (!last && spec.dropout > 0) model.add(tf.layers.dropout({ rate: spec.dropout }));
  });
  model.compile({ optimizer: tf.train.adam(spec.learningRate, 0.9, 0.999, 1e-7), loss: 'categoricalCrossentropy' });
  model.setWeights(initialWeights);
  return {
    async train(x, y, epochs) {
      const probes: EpochProbe[] = [];
      await model.fit(x, y, {
        epochs, batchSize: spec.batchSize, shuffle: false, verbose: 0,
        callbacks: { onEpochEnd: async (epoch) => void probes.push(epochProbe(epoch)) },
      });
      return probes;
    },
    dispose: () => {
      model.optimizer.dispose();
      model.dispose();
    },
  };
}
