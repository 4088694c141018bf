import { Sequential, TrainingError, layers, regularizers, tf } from '../src';
import type { Callback } from '../src';
import { blobs, expectNoLeak, useBackend } from './helpers';

beforeAll(() => useBackend('wasm'));

function classifier(l2 = 0): Sequential {
  const model = new Sequential()
    .add(layers.Dense(16, { activation: 'relu', inputShape: [8], ...(l2 > 0 ? { kernelRegularizer: regularizers.l2(l2) } : {}) }))
    .add(layers.Dropout(0.1))
    .add(layers.Dense(3, { activation: 'softmax' }));
  model.compile({ optimizer: { name: 'adam', learningRate: 0.01 }, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

test('fit reduces the loss on a learnable task; history has Keras keys', async () => {
  const { x, y } = blobs(300);
  const model = classifier(0.001);
  const h = await model.fit(x, y, { epochs: 12, batchSize: 32, validationSplit: 0.2, verbose: 0 });
  expect(h.epoch).toEqual([...Array(12).keys()]);
  expect(Object.keys(h.history).sort()).toEqual(['accuracy', 'loss', 'penalty', 'val_accuracy', 'val_loss', 'val_penalty']);
  expect(h.history['loss']!.at(-1)!).toBeLessThan(0.5 * h.history['loss']![0]!);
  expect(h.history['val_accuracy']!.at(-1)!).toBeGreaterThan(0.85);
  expect(h.history['penalty']!.every((p) => p > 0)).toBe(true);
  tf.dispose([x, y]);
  model.dispose();
});

test('no tensors leak across fit, evaluate and predict', async () => {
  const { x, y } = blobs(100);
  const model = classifier(0.001);
  await model.fit(x, y, { epochs: 1, verbose: 0 }); // creates optimizer slots once
  await expectNoLeak(async () => {
    await model.fit(x, y, { epochs: 3, batchSize: 16, validationData: [x, y], verbose: 0 });
    await model.evaluate(x, y);
    model.predict(x).dispose();
  });
  tf.dispose([x, y]);
  model.dispose();
});

test('no tensors leak when several layers add penalties (validation and evaluate sum them)', async () => {
  const { x, y } = blobs(100);
  const model = new Sequential()
    .add(layers.Dense(16, { activation: 'relu', inputShape: [8], kernelRegularizer: regularizers.l1(0.001) }))
    .add(layers.Dense(16, { activation: 'relu', kernelRegularizer: regularizers.l2(0.001), biasRegularizer: regularizers.l1(0.01) }))
    .add(layers.Dense(3, { activation: 'softmax', kernelRegularizer: regularizers.l1l2({ l1: 0.001, l2: 0.001 }) }));
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  await model.fit(x, y, { epochs: 1, verbose: 0 });
  await expectNoLeak(async () => {
    await model.fit(x, y, { epochs: 2, batchSize: 16, validationSplit: 0.2, verbose: 0 });
    await model.evaluate(x, y);
  });
  tf.dispose([x, y]);
  model.dispose();
});

test('loss = data loss + penalty; penalty is 0 without regularizers', async () => {
  const { x, y } = blobs(64);
  const plain = classifier(0);
  const h = await plain.fit(x, y, { epochs: 2, verbose: 0 });
  expect(h.history['penalty']).toEqual([0, 0]);
  const regularized = classifier(0.05);
  const p0 = regularized.penalty();
  const h2 = await regularized.fit(x, y, { epochs: 1, batchSize: 64, shuffle: false, verbose: 0 });
  // One batch: the logged penalty is the penalty before the single update.
  expect(h2.history['penalty']![0]).toBeCloseTo(p0, 5);
  tf.dispose([x, y]);
  plain.dispose();
  regularized.dispose();
});

test('validationSplit holds out the last rows', async () => {
  const { x, y } = blobs(100);
  const model = classifier();
  const seen: number[] = [];
  const h = await model.fit(x, y, { epochs: 1, batchSize: 100, validationSplit: 0.25, verbose: 0, callbacks: [{ onBatchEnd: (_b, logs) => void seen.push(logs.size) }] });
  expect(seen).toEqual([75]);
  const tail = await model.evaluate(x.slice(75), y.slice(75));
  expect(h.history['val_loss']![0]).toBeCloseTo(tail.loss, 5);
  tf.dispose([x, y]);
  model.dispose();
});

test('callbacks run in order with the right epochs; stopTraining ends fit', async () => {
  const { x, y } = blobs(64);
  const model = classifier();
  const events: string[] = [];
  const recorder: Callback = {
    onTrainBegin: () => void events.push('train-begin'),
    onEpochBegin: (e) => void events.push(`epoch-begin ${e}`),
    onBatchEnd: (b) => void events.push(`batch ${b}`),
    onEpochEnd: (e, logs) => {
      events.push(`epoch-end ${e} ${typeof logs['loss']}`);
      if (e === 1) model.stopTraining = true;
    },
    onTrainEnd: () => void events.push('train-end'),
  };
  const h = await model.fit(x, y, { epochs: 5, batchSize: 32, verbose: 0, callbacks: [recorder] });
  expect(events).toEqual(['train-begin', 'epoch-begin 0', 'batch 0', 'batch 1', 'epoch-end 0 number', 'epoch-begin 1', 'batch 0', 'batch 1', 'epoch-end 1 number', 'train-end']);
  expect(h.epoch).toEqual([0, 1]);
  tf.dispose([x, y]);
  model.dispose();
});

test('batch logs read running means only on demand', async () => {
  const { x, y } = blobs(64);
  const model = classifier();
  const losses: number[] = [];
  const h = await model.fit(x, y, { epochs: 1, batchSize: 16, shuffle: false, verbose: 0, callbacks: [{ onBatchEnd: (_b, logs) => void losses.push(logs['loss']!) }] });
  expect(losses).toHaveLength(4);
  expect(losses.at(-1)).toBeCloseTo(h.history['loss']![0]!, 5);
  tf.dispose([x, y]);
  model.dispose();
});

test('initialEpoch starts the epoch count there', async () => {
  const { x, y } = blobs(32);
  const model = classifier();
  const h = await model.fit(x, y, { epochs: 4, initialEpoch: 2, verbose: 0 });
  expect(h.epoch).toEqual([2, 3]);
  tf.dispose([x, y]);
  model.dispose();
});

test('classWeight scales the per-row loss', async () => {
  const { x, y } = blobs(64);
  const run = async (classWeight?: Record<number, number>) => {
    const model = new Sequential().add(layers.Dense(3, { activation: 'softmax', inputShape: [8], kernelInitializer: 'zeros' }));
    model.compile({ optimizer: { name: 'sgd', learningRate: 1e-9 }, loss: 'categoricalCrossentropy' });
    const h = await model.fit(x, y, { epochs: 1, batchSize: 64, verbose: 0, ...(classWeight ? { classWeight } : {}) });
    model.dispose();
    return h.history['loss']![0]!;
  };
  // Zero kernel → uniform probabilities → per-row loss ln 3; weights 2 on every class doubles it.
  expect(await run()).toBeCloseTo(Math.log(3), 5);
  expect(await run({ 0: 2, 1: 2, 2: 2 })).toBeCloseTo(2 * Math.log(3), 5);
  tf.dispose([x, y]);
});

test('a NaN loss stops training with a TrainingError', async () => {
  const model = new Sequential().add(layers.Dense(1, { inputShape: [1] }));
  model.compile({ loss: () => tf.scalar(NaN) });
  await expect(model.fit([[1], [2]], [[1], [2]], { epochs: 3, verbose: 0 })).rejects.toThrow(TrainingError);
  await expect(model.fit([[1], [2]], [[1], [2]], { epochs: 3, verbose: 0 })).rejects.toThrow(/loss became NaN in epoch 1/);
  model.dispose();
});

test('verbose 2 prints one line per epoch', async () => {
  const { x, y } = blobs(32);
  const model = classifier();
  const lines: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    await model.fit(x, y, { epochs: 2, verbose: 2 });
  } finally {
    spy.mockRestore();
  }
  expect(lines).toHaveLength(2);
  expect(lines[0]).toMatch(/^Epoch 1\/2 - .* - loss: \d\.\d{4} - penalty: 0\.0000 - accuracy: \d\.\d{4}\n$/);
  tf.dispose([x, y]);
  model.dispose();
});
