import { Sequential, callbacks, layers, tf } from '../src';
import type { CallbackModel } from '../src/training/callbacks';
import { blobs, useBackend } from './helpers';

beforeAll(() => useBackend('wasm'));

/** A stand-in model whose "weights" are the epoch they were saved at. */
function fakeModel(): CallbackModel & { epoch: number; restored: number | undefined } {
  return {
    stopTraining: false,
    epoch: 0,
    restored: undefined,
    getWeights() {
      return [tf.scalar(this.epoch)];
    },
    setWeights(ws: tf.Tensor[]) {
      this.restored = ws[0]!.dataSync()[0];
    },
  };
}

function drive(es: ReturnType<typeof callbacks.EarlyStopping>, values: number[], key = 'val_loss') {
  const model = fakeModel();
  es.setModel!(model);
  es.onTrainBegin();
  let ran = 0;
  for (const [epoch, value] of values.entries()) {
    model.epoch = epoch;
    es.onEpochEnd(epoch, { [key]: value });
    ran++;
    if (model.stopTraining) break;
  }
  es.onTrainEnd();
  return { ran, model };
}

test('stops after `patience` epochs without improvement (Keras 3 semantics)', () => {
  const { ran } = drive(callbacks.EarlyStopping({ patience: 2 }), [1.0, 0.8, 0.9, 0.85, 0.7, 0.6]);
  expect(ran).toBe(4); // best at epoch 1, no improvement at 2 and 3 → stop after epoch 3
});

test('patience 0 stops at the first epoch without improvement', () => {
  expect(drive(callbacks.EarlyStopping(), [1, 0.9, 0.95, 0.5]).ran).toBe(3);
});

test('minDelta: improvements smaller than it do not count', () => {
  // 0.95 is not 0.1 better than 1 → one epoch without improvement → stop (patience 1).
  expect(drive(callbacks.EarlyStopping({ minDelta: 0.1, patience: 1 }), [1, 0.95, 0.5]).ran).toBe(2);
  expect(drive(callbacks.EarlyStopping({ minDelta: 0.1, patience: 1 }), [1, 0.85, 0.7]).ran).toBe(3);
});

test('mode auto maximizes accuracy-like monitors', () => {
  const es = callbacks.EarlyStopping({ monitor: 'val_accuracy', patience: 1 });
  expect(es.mode).toBe('auto');
  expect(drive(es, [0.5, 0.6, 0.55, 0.7], 'val_accuracy').ran).toBe(3);
});

test('startFromEpoch ignores early epochs', () => {
  expect(drive(callbacks.EarlyStopping({ startFromEpoch: 3 }), [1, 2, 3, 4, 5, 6]).ran).toBe(5);
});

test('restoreBestWeights restores the best epoch', () => {
  const { model } = drive(callbacks.EarlyStopping({ patience: 2, restoreBestWeights: true }), [1.0, 0.5, 0.9, 0.8, 0.1]);
  expect(model.restored).toBe(1);
});

test('a missing monitor warns once and training carries on (Keras 3)', () => {
  const es = callbacks.EarlyStopping({ monitor: 'val_loss' });
  const warnings: string[] = [];
  es.warn = (m) => void warnings.push(m);
  const model = fakeModel();
  es.setModel!(model);
  es.onTrainBegin();
  es.onEpochEnd(0, { loss: 1 });
  es.onEpochEnd(1, { loss: 2 });
  expect(warnings).toEqual(['Early stopping conditioned on metric `val_loss` which is not available. Available metrics are: loss']);
  expect(model.stopTraining).toBe(false);
});

test('bad options name the argument', () => {
  expect(() => callbacks.EarlyStopping({ patience: -1 })).toThrow(/Invalid `patience` for EarlyStopping/);
  expect(() => callbacks.EarlyStopping({ minDelta: Infinity })).toThrow(/Invalid `minDelta` for EarlyStopping/);
  expect(() => callbacks.EarlyStopping({ restoreBestWeights: 'no' as never })).toThrow(/Invalid `restoreBestWeights`/);
  expect(() => callbacks.EarlyStopping({ restore_best_weights: true } as never)).toThrow(/Unknown option `restore_best_weights`/);
});

test('in fit: stops early and restores the weights of the best val_loss epoch', async () => {
  // Train on noise and validate on other noise: val_loss soon rises.
  const x = tf.randomNormal([64, 8], 0, 1, 'float32', 1);
  const y = tf.oneHot(tf.randomUniform([64], 0, 3, 'int32', 2) as tf.Tensor1D, 3);
  const { x: vx, y: vy } = blobs(64);
  const model = new Sequential().add(layers.Dense(64, { activation: 'relu', inputShape: [8] })).add(layers.Dense(3, { activation: 'softmax' }));
  model.compile({ optimizer: { name: 'adam', learningRate: 0.05 }, loss: 'categoricalCrossentropy' });
  const snapshots: tf.Tensor[][] = [];
  const es = callbacks.EarlyStopping({ patience: 2, restoreBestWeights: true });
  const h = await model.fit(x, y, {
    epochs: 40, batchSize: 16, validationData: [vx, vy], verbose: 0,
    callbacks: [{ onEpochEnd: () => void snapshots.push(model.getWeights()) }, es],
  });
  const vl = h.history['val_loss']!;
  const best = vl.indexOf(Math.min(...vl));
  expect(h.epoch.length).toBe(best + 3);
  expect(h.epoch.length).toBeLessThan(40);
  const restored = model.getWeights();
  restored.forEach((w, i) => expect(Array.from(w.dataSync())).toEqual(Array.from(snapshots[best]![i]!.dataSync())));
  tf.dispose([x, y, vx, vy, ...restored, ...snapshots.flat()]);
  model.dispose();
});
