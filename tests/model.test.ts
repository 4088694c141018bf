import { ConfigError, Sequential, layers, regularizers, tf, utils } from '../src';
import { blobs, expectNoLeak, useBackend } from './helpers';

beforeAll(() => useBackend('wasm'));

function articleModel(): Sequential {
  return new Sequential()
    .add(layers.Dense(64, { activation: 'relu', inputShape: [20], kernelRegularizer: regularizers.l1(0.001) }))
    .add(layers.Dropout(0.2))
    .add(layers.Dense(64, { activation: 'relu', kernelRegularizer: regularizers.l2(0.001) }))
    .add(layers.Dense(3, { activation: 'softmax' }));
}

test('add chains and returns the model', () => {
  const model = new Sequential();
  expect(model.add(layers.Dense(2, { inputShape: [3] }))).toBe(model);
  model.dispose();
});

test('summary lists layers, output shapes, params and totals', () => {
  const model = articleModel();
  const text = model.summary();
  expect(text).toMatch(/dense \(Dense\)|dense_\d+ \(Dense\)/);
  expect(text).toContain('(None, 64)');
  expect(text).toContain('(None, 3)');
  expect(text).toContain('1,344'); // 20·64 + 64
  expect(text).toContain('4,160'); // 64·64 + 64
  expect(text).toContain('195'); // 64·3 + 3
  expect(text).toContain('Total params: 5,699');
  expect(text).toMatch(/kernel L1\(l1=0\.001\)/);
  expect(text).toMatch(/dropout rate=0\.2/);
  model.dispose();
});

test('penalty() equals the hand computation from getWeights()', () => {
  const model = articleModel();
  const [k1, , k2] = model.getWeights();
  const l1 = 0.001 * Array.from(k1!.dataSync()).reduce((s, v) => s + Math.abs(v), 0);
  const l2 = 0.001 * Array.from(k2!.dataSync()).reduce((s, v) => s + v * v, 0);
  expect(model.penalty()).toBeCloseTo(l1 + l2, 5);
  tf.dispose(model.getWeights());
  model.dispose();
});

test('getWeights is kernel, bias per Dense layer in order', () => {
  const model = articleModel();
  const ws = model.getWeights();
  expect(ws.map((w) => w.shape)).toEqual([[20, 64], [64], [64, 64], [64], [64, 3], [3]]);
  tf.dispose(ws);
  model.dispose();
});

test('evaluate().loss = hand cross-entropy from predict() + penalty()', async () => {
  const model = articleModel();
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const { x, y, labels } = blobs(100, 20, 3);
  const result = await expectNoLeak(() => model.evaluate(x, y, { batchSize: 16 }));
  const probs = model.predict(x).arraySync() as number[][];
  const ce = probs.reduce((s, p, i) => s - Math.log(p[labels[i]!]!), 0) / probs.length;
  const acc = probs.filter((p, i) => p.indexOf(Math.max(...p)) === labels[i]).length / probs.length;
  expect(result.loss).toBeCloseTo(ce + model.penalty(), 5);
  expect(result.penalty).toBeCloseTo(model.penalty(), 6);
  expect(result.accuracy).toBeCloseTo(acc, 6);
  tf.dispose([x, y]);
  model.dispose();
});

test('predict matches a hand forward pass and does not leak', async () => {
  const model = new Sequential().add(layers.Dense(2, { inputShape: [2], activation: 'relu' })).add(layers.Dense(1));
  model.setWeights([tf.tensor2d([[1, -1], [2, 1]]), tf.tensor1d([0, 0.5]), tf.tensor2d([[3], [-2]]), tf.tensor1d([1])]);
  const out = await expectNoLeak(() => {
    const p = model.predict([[1, 1], [-1, 0.5]]);
    const v = Array.from(p.dataSync());
    p.dispose();
    return v;
  });
  // row 1: relu([3, 0.5]) → 3·3 − 2·0.5 + 1 = 9; row 2: relu([0, 2]) → −4 + 1 = −3
  expect(out[0]).toBeCloseTo(9, 5);
  expect(out[1]).toBeCloseTo(-3, 5);
  model.dispose();
});

describe('losses and optimizers train', () => {
  test('sparseCategoricalCrossentropy with integer labels', async () => {
    const { x, labels } = blobs(200, 8, 4);
    const model = new Sequential().add(layers.Dense(16, { activation: 'relu', inputShape: [8] })).add(layers.Dense(3, { activation: 'softmax' }));
    model.compile({ optimizer: { name: 'adam', learningRate: 0.01 }, loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const h = await model.fit(x, labels, { epochs: 15, verbose: 0 });
    expect(h.history['loss']!.at(-1)!).toBeLessThan(0.6 * h.history['loss']![0]!);
    expect(h.history['accuracy']!.at(-1)!).toBeGreaterThan(0.8);
    x.dispose();
    model.dispose();
  });

  test('binaryCrossentropy with a sigmoid output', async () => {
    const { x, labels } = blobs(200, 8, 5);
    const y = labels.map((l) => [l === 0 ? 1 : 0]);
    const model = new Sequential().add(layers.Dense(8, { activation: 'tanh', inputShape: [8] })).add(layers.Dense(1, { activation: 'sigmoid' }));
    model.compile({ optimizer: { name: 'adam', learningRate: 0.02 }, loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    const h = await model.fit(x, y, { epochs: 15, verbose: 0 });
    expect(h.history['loss']!.at(-1)!).toBeLessThan(0.6 * h.history['loss']![0]!);
    expect(h.history['accuracy']!.at(-1)!).toBeGreaterThan(0.85);
    x.dispose();
    model.dispose();
  });

  test.each(['sgd', 'adam', 'adamw', 'rmsprop', 'adagrad'] as const)('meanSquaredError regression with %s', async (optimizer) => {
    utils.setRandomSeed(3); // initial weights and batch order: the loss bound holds for this draw, not for every one
    const x = tf.randomNormal([128, 4], 0, 1, 'float32', 8);
    const y = tf.matMul(x, tf.tensor2d([[1], [-2], [0.5], [0]]));
    const model = new Sequential().add(layers.Dense(1, { inputShape: [4] }));
    model.compile({ optimizer: { name: optimizer, learningRate: 0.05 }, loss: 'meanSquaredError', metrics: ['mae'] });
    const h = await model.fit(x, y, { epochs: 10, batchSize: 16, verbose: 0 });
    expect(h.history['loss']!.at(-1)!).toBeLessThan(0.5 * h.history['loss']![0]!);
    expect(Object.keys(h.history)).toEqual(['loss', 'penalty', 'mae']);
    tf.dispose([x, y]);
    model.dispose();
  });

  test('a tf.Optimizer instance works', async () => {
    const model = new Sequential().add(layers.Dense(1, { inputShape: [1] }));
    model.compile({ optimizer: tf.train.sgd(0.1), loss: 'mse' });
    const h = await model.fit([[1], [2], [3]], [[2], [4], [6]], { epochs: 20, verbose: 0 });
    expect(h.history['loss']!.at(-1)!).toBeLessThan(h.history['loss']![0]!);
    model.dispose();
  });
});

describe('compile errors name the argument', () => {
  let model: Sequential;
  beforeAll(() => {
    model = new Sequential().add(layers.Dense(1, { inputShape: [1] }));
  });
  test('optimizer', () => expect(() => model.compile({ optimizer: 'adamm' as never, loss: 'mse' })).toThrow(/Invalid `optimizer` for compile.*Received: optimizer="adamm"/));
  test('loss', () => expect(() => model.compile({ loss: 'crossentropy' as never })).toThrow(/Invalid `loss` for compile/));
  test('metric', () => expect(() => model.compile({ loss: 'mse', metrics: ['precission' as never] })).toThrow(/Invalid metric in `metrics`/));
  test('learningRate', () => expect(() => model.compile({ optimizer: { name: 'sgd', learningRate: -1 }, loss: 'mse' })).toThrow(/`learningRate`/));
  test('unknown option', () => expect(() => model.compile({ loss: 'mse', metric: ['accuracy'] } as never)).toThrow(ConfigError));
  test('fit before compile', async () => {
    const fresh = new Sequential().add(layers.Dense(1, { inputShape: [1] }));
    await expect(fresh.fit([[1]], [[1]], { verbose: 0 })).rejects.toThrow(/not compiled/);
  });
  test('setWeights with wrong shapes', () => {
    expect(() => model.setWeights([tf.zeros([2, 1]), tf.zeros([1])])).toThrow(/Invalid `weights\[0\]` for setWeights: expected shape \[1, 1\]/);
  });
});
