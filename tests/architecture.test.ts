/** The seams of the architecture: the train-step hook, the objective's logits fusion, per-layer seeds, one option checker. */
import { ConfigError, Sequential, callbacks, layers, regularizers, tf, utils } from '../src';
import type { Batch, StepLogs } from '../src';
import { blobs, expectNoLeak, flat, useBackend } from './helpers';

beforeAll(() => useBackend('wasm'));

function mlp(): Sequential {
  return new Sequential()
    .add(layers.Dense(8, { inputShape: [8], activation: 'relu', kernelRegularizer: regularizers.l2(0.01) }))
    .add(layers.Dense(3, { activation: 'softmax' }));
}

describe('trainStep is the seam fit calls', () => {
  test('an overriding step runs once per batch and changes what a step does', async () => {
    let calls = 0;
    class Frozen extends Sequential {
      override trainStep(batch: Batch): StepLogs {
        calls++;
        // Measure only: no update. The loop still sums and logs what the step returns.
        return tf.tidy(() => {
          const prediction = this.forward(batch.x, { training: false });
          const { total, penalty } = this.computeLoss(batch, { value: prediction.value, activityPenalty: undefined });
          const accuracy = tf.mean(tf.cast(tf.equal(tf.argMax(prediction.value, -1), tf.argMax(batch.y, -1)), 'float32')) as tf.Scalar;
          return { loss: total, penalty, accuracy };
        });
      }
    }
    utils.setRandomSeed(1);
    const model = new Frozen(mlp().layers.slice() as never);
    model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const { x, y } = blobs(40);
    const before = flat(model.getWeights());
    await expectNoLeak(() => model.fit(x, y, { epochs: 2, batchSize: 10, verbose: 0 }));
    expect(calls).toBe(8);
    expect(flat(model.getWeights())).toEqual(before);
    tf.dispose([x, y]);
    model.dispose();
  });

  test('setting stopTraining in onBatchEnd stops after that batch (Keras 3)', async () => {
    utils.setRandomSeed(1);
    const model = mlp();
    model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
    const { x, y } = blobs(40);
    let batches = 0;
    const history = await model.fit(x, y, { epochs: 3, batchSize: 10, verbose: 0, callbacks: [{ onBatchEnd: (b) => { batches++; if (b === 1) model.stopTraining = true; } }] });
    expect(batches).toBe(2);
    expect(history.epoch).toEqual([0]);
    tf.dispose([x, y]);
    model.dispose();
  });
});

describe('the objective owns the logits fusion', () => {
  test('softmax + cross-entropy is fused; the logged loss equals the unfused formula on the output', async () => {
    utils.setRandomSeed(2);
    const model = mlp();
    model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    expect(model.compiled.objective.fusedActivation).toBe('softmax');
    const { x, y } = blobs(30);
    const logs = await model.evaluate(x, y);
    const p = model.predict(x);
    const manual = tf.tidy(() => tf.mean(tf.neg(tf.sum(tf.mul(y, tf.log(tf.clipByValue(p, 1e-7, 1 - 1e-7))), -1))).dataSync()[0]!);
    expect(logs.loss - logs.penalty).toBeCloseTo(manual, 5);
    tf.dispose([x, y, p]);
    model.dispose();
  });

  test('mse after softmax is not fused', () => {
    const model = mlp();
    model.compile({ loss: 'mse' });
    expect(model.compiled.objective.fusedActivation).toBeUndefined();
    model.dispose();
  });

  test("metrics are logged under the name asked for: 'acc' is acc, so EarlyStopping can watch val_acc", async () => {
    utils.setRandomSeed(3);
    const model = mlp();
    model.compile({ loss: 'categoricalCrossentropy', metrics: ['acc', 'accuracy'] });
    const { x, y } = blobs(40);
    const stop = callbacks.EarlyStopping({ monitor: 'val_acc', patience: 1 });
    const history = await model.fit(x, y, { epochs: 2, validationSplit: 0.25, verbose: 0, callbacks: [stop] });
    expect(Object.keys(history.history)).toEqual(expect.arrayContaining(['acc', 'accuracy', 'val_acc', 'val_accuracy']));
    expect(history.history['acc']).toEqual(history.history['accuracy']);
    expect(() => model.compile({ loss: 'mse', metrics: ['mse', 'mse'] })).toThrow(/"mse" is listed twice/);
    tf.dispose([x, y]);
    model.dispose();
  });
});

describe('per-layer seeds', () => {
  const weightsAfter = (before: () => void) => {
    utils.setRandomSeed(11);
    before();
    const model = new Sequential()
      .add(layers.Dense(5, { inputShape: [4] }))
      .add(layers.Dropout(0.5))
      .add(layers.Dense(2));
    const w = flat(model.getWeights());
    model.dispose();
    return w;
  };

  test('initial weights do not depend on what the process built or drew before', () => {
    const plain = weightsAfter(() => {});
    const afterOther = weightsAfter(() => {
      mlp().dispose();
      layers.Dense(9, { inputShape: [9] }).apply(tf.ones([1, 9])).dispose();
      tf.dispose(blobs(10));
    });
    expect(afterOther).toEqual(plain);
  });

  test("a Dropout between Dense layers leaves the Dense layers' weights as they were", () => {
    utils.setRandomSeed(12);
    const a = new Sequential().add(layers.Dense(5, { inputShape: [4] })).add(layers.Dense(2));
    utils.setRandomSeed(12);
    const b = new Sequential().add(layers.Dense(5, { inputShape: [4] })).add(layers.Dropout(0.3)).add(layers.Dense(2));
    expect(flat(b.getWeights())).toEqual(flat(a.getWeights()));
    a.dispose();
    b.dispose();
  });

  test('another seed gives other weights', () => {
    utils.setRandomSeed(12);
    const a = new Sequential().add(layers.Dense(5, { inputShape: [4] }));
    utils.setRandomSeed(13);
    const b = new Sequential().add(layers.Dense(5, { inputShape: [4] }));
    expect(flat(b.getWeights())).not.toEqual(flat(a.getWeights()));
    a.dispose();
    b.dispose();
  });
});

describe('one option checker everywhere', () => {
  const model = mlp();
  model.compile({ loss: 'mse' });
  afterAll(() => model.dispose());
  test.each([
    ['compile', () => model.compile({ loss: 'mse', metric: ['accuracy'] } as never), /Unknown option `metric` for compile: did you mean metrics\?/],
    ['fit', () => model.fit([[1]], [[1]], { epoch: 2 } as never), /Unknown option `epoch` for fit: did you mean epochs\?/],
    ['evaluate', () => model.evaluate([[1]], [[1]], { batch_size: 2 } as never), /Unknown option `batch_size` for evaluate: did you mean batchSize\?/],
    ['predict', () => model.predict([[1]], { batchsize: 2 } as never), /Unknown option `batchsize` for predict: did you mean batchSize\?/],
    ['EarlyStopping', () => callbacks.EarlyStopping({ patiance: 2 } as never), /Unknown option `patiance` for EarlyStopping: did you mean patience\?/],
    ['Dropout', () => layers.Dropout(0.1, { sed: 1 } as never), /Unknown option `sed` for Dropout: did you mean seed\?/],
  ])('%s', async (_name, call, message) => {
    await expect(Promise.resolve().then(call)).rejects.toThrow(ConfigError);
    await expect(Promise.resolve().then(call)).rejects.toThrow(message);
  });

  test('null options and null values mean "not set"', () => {
    const dense = layers.Dense(3, { kernelRegularizer: null, useBias: null, activation: null });
    expect(dense.useBias).toBe(true);
    expect(dense.kernelRegularizer).toBeUndefined();
    expect(layers.Dropout(0.1, null as never).rate).toBe(0.1);
  });
});
