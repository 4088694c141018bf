import { ConfigError, ShapeError, Sequential, layers, tf, utils } from '../src';
import { expectNoLeak, useBackend } from './helpers';

beforeAll(() => useBackend('wasm'));

const X = [[1, 2, 0], [3, -2, 4], [5, 0, 8], [-1, 4, 4]];
const columnStats = (rows: number[][]) => rows[0]!.map((_, j) => {
  const col = rows.map((r) => r[j]!);
  const mean = col.reduce((a, b) => a + b, 0) / col.length;
  return { mean, variance: col.reduce((a, b) => a + (b - mean) ** 2, 0) / col.length }; // biased, as Keras
});

function expectClose(actual: ArrayLike<number>, expected: number[], digits = 4): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((e, i) => expect(actual[i]!).toBeCloseTo(e, digits));
}

describe('BatchNormalization', () => {
  test('training normalizes with batch statistics and moves the running ones (hand formula after k steps)', () => {
    const bn = layers.BatchNormalization({ momentum: 0.9, epsilon: 1e-3 });
    const x = tf.tensor2d(X);
    const stats = columnStats(X);
    const k = 3;
    for (let step = 0; step < k; step++) {
      const y = bn.apply(x, { training: true });
      expectClose(y.dataSync(), X.flatMap((r) => r.map((v, j) => (v - stats[j]!.mean) / Math.sqrt(stats[j]!.variance + 1e-3))));
      y.dispose();
    }
    const [gamma, beta, movingMean, movingVariance] = bn.weights;
    expect(bn.weights.map((w) => [w.name, w.trainable])).toEqual([['gamma', true], ['beta', true], ['moving_mean', false], ['moving_variance', false]]);
    expect(bn.trainableWeights.length).toBe(2);
    void gamma;
    void beta;
    const m = 0.9 ** k;
    expectClose(movingMean!.variable.dataSync(), stats.map((s) => (1 - m) * s.mean), 5);
    expectClose(movingVariance!.variable.dataSync(), stats.map((s) => m * 1 + (1 - m) * s.variance), 5);
    // Inference uses the moving statistics and leaves them alone.
    const y = bn.apply(x);
    expectClose(y.dataSync(), X.flatMap((r) => r.map((v, j) => (v - (1 - m) * stats[j]!.mean) / Math.sqrt(m + (1 - m) * stats[j]!.variance + 1e-3))));
    expectClose(movingMean!.variable.dataSync(), stats.map((s) => (1 - m) * s.mean), 5);
    tf.dispose([x, y]);
  });

  test('fit updates the moving statistics once per step; they are not trained', async () => {
    utils.setRandomSeed(3);
    const model = new Sequential([layers.BatchNormalization({ inputShape: [3] }), layers.Dense(2, { activation: 'softmax' })]);
    model.compile({ loss: 'categoricalCrossentropy', optimizer: 'sgd' });
    const x = tf.tensor2d(X);
    const y = utils.toCategorical([0, 1, 0, 1], 2);
    await model.fit(x, y, { epochs: 5, batchSize: 4, verbose: 0 }); // 5 steps of the whole batch
    const stats = columnStats(X);
    const m = 0.99 ** 5;
    const weights = model.getWeights();
    expectClose(weights[2]!.dataSync(), stats.map((s) => (1 - m) * s.mean), 4);
    expectClose(weights[3]!.dataSync(), stats.map((s) => m + (1 - m) * s.variance), 4);
    expect(model.summary()).toMatch(/Non-trainable params: 6/);
    await expectNoLeak(async () => {
      await model.fit(x, y, { epochs: 2, batchSize: 2, verbose: 0 });
      await model.evaluate(x, y);
      model.predict(x).dispose();
    });
    tf.dispose([x, y, ...weights]);
    model.dispose();
  });

  test('axis 1 of [batch, channels, steps] inputs, center/scale off, errors', () => {
    const bn = layers.BatchNormalization({ axis: 1, center: false, scale: false });
    const x = tf.tensor3d([[[1, 3], [0, 0]], [[5, 7], [2, 2]]]); // channel 0: 1,3,5,7; channel 1: 0,0,2,2
    const y = bn.apply(x, { training: true });
    const s0 = Math.sqrt(5 + 1e-3);
    const s1 = Math.sqrt(1 + 1e-3);
    expectClose(y.dataSync(), [-3 / s0, -1 / s0, -1 / s1, -1 / s1, 1 / s0, 3 / s0, 1 / s1, 1 / s1]);
    expect(bn.weights.map((w) => w.name)).toEqual(['moving_mean', 'moving_variance']);
    expect(() => layers.BatchNormalization({ momentum: 2 })).toThrow(/`momentum` for BatchNormalization/);
    expect(() => layers.BatchNormalization({ axis: 0 })).toThrow(/`axis`/);
    expect(() => layers.BatchNormalization({ epsilon: 0 })).toThrow(ConfigError);
    const wrong = tf.ones([2, 3, 2]);
    expect(() => bn.apply(wrong)).toThrow(ShapeError);
    tf.dispose([x, y, wrong]);
    bn.dispose();
  });

  test('no tensors leak on training, inference and error paths', async () => {
    const bn = layers.BatchNormalization();
    const x = tf.ones([4, 3]);
    bn.apply(x).dispose();
    const wrong = tf.ones([4, 5]);
    await expectNoLeak(() => {
      bn.apply(x, { training: true }).dispose();
      bn.apply(x).dispose();
      expect(() => bn.apply(wrong, { training: true })).toThrow(ShapeError);
    });
    tf.dispose([x, wrong]);
    bn.dispose();
  });
});

describe('LayerNormalization', () => {
  test('normalizes each sample over the last axis (values by hand)', () => {
    const ln = layers.LayerNormalization();
    const rows = [[1, 2, 3, 4], [2, 2, 2, 6]];
    const x = tf.tensor2d(rows);
    const expected = rows.flatMap((r) => {
      const mean = r.reduce((a, b) => a + b, 0) / r.length;
      const variance = r.reduce((a, b) => a + (b - mean) ** 2, 0) / r.length;
      return r.map((v) => (v - mean) / Math.sqrt(variance + 1e-3));
    });
    const train = ln.apply(x, { training: true });
    const infer = ln.apply(x);
    expectClose(train.dataSync(), expected);
    expectClose(infer.dataSync(), expected);
    expect(ln.weights.map((w) => [w.name, w.variable.shape])).toEqual([['gamma', [4]], ['beta', [4]]]);
    tf.dispose([x, train, infer]);
    ln.dispose();
  });

  test('several axes, gamma and beta broadcast; errors', () => {
    const ln = layers.LayerNormalization({ axis: [1, 2], epsilon: 1e-5 });
    const x = tf.tensor3d([[[0, 2, 4], [6, 8, 10]]]);
    ln.apply(x).dispose();
    tf.tidy(() => ln.weights[0]!.variable.assign(tf.fill([2, 3], 2)));
    tf.tidy(() => ln.weights[1]!.variable.assign(tf.fill([2, 3], 1)));
    const y = ln.apply(x);
    const values = [0, 2, 4, 6, 8, 10];
    const sd = Math.sqrt(values.reduce((a, b) => a + (b - 5) ** 2, 0) / 6 + 1e-5);
    expectClose(y.dataSync(), values.map((v) => (2 * (v - 5)) / sd + 1));
    expect(() => layers.LayerNormalization({ axis: [] })).toThrow(/`axis` for LayerNormalization/);
    const wrong = tf.ones([1, 3, 2]);
    expect(() => ln.apply(wrong)).toThrow(ShapeError);
    tf.dispose([x, y, wrong]);
    ln.dispose();
  });
});

test('configs rebuild the same layers through JSON', () => {
  const bn = layers.BatchNormalization({ axis: 1, momentum: 0.9, epsilon: 1e-4, center: false, gammaRegularizer: 'l2', betaConstraint: 'nonNeg' as never });
  const ln = layers.LayerNormalization({ axis: [1, 2], epsilon: 1e-5, scale: false });
  for (const layer of [bn, ln]) {
    const again = layers.get(JSON.parse(JSON.stringify(layer.serialize())));
    expect(again.className).toBe(layer.className);
    expect(again.getConfig()).toEqual(layer.getConfig());
  }
});
