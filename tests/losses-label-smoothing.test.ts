import { Sequential, layers, losses, tf } from '../src';
import { expectNoLeak, useBackend } from './helpers';

beforeAll(() => useBackend('wasm'));

const z = [1, 2, 0.5];
const softmax = (v: number[]) => {
  const e = v.map(Math.exp);
  const s = e.reduce((a, b) => a + b);
  return e.map((x) => x / s);
};
const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

/** −Σ (y·(1 − s) + s/K) · log p, by hand. */
function smoothedCategorical(y: number[], p: number[], s: number): number {
  return -y.reduce((acc, yi, i) => acc + (yi * (1 - s) + s / y.length) * Math.log(p[i]!), 0);
}

/** mean over units of BCE with y·(1 − s) + 0.5·s, by hand. */
function smoothedBinary(y: number[], p: number[], s: number): number {
  return y.reduce((acc, yi, i) => {
    const t = yi * (1 - s) + 0.5 * s;
    return acc - (t * Math.log(p[i]!) + (1 - t) * Math.log(1 - p[i]!));
  }, 0) / y.length;
}

test('categorical label smoothing: probabilities and logits forms equal the hand formula', () => {
  const loss = losses.get({ className: 'CategoricalCrossentropy', config: { labelSmoothing: 0.1 } });
  const expected = smoothedCategorical([0, 1, 0], softmax(z), 0.1);
  tf.tidy(() => {
    const y = tf.tensor2d([[0, 1, 0]]);
    expect(loss.perSample(y, tf.softmax(tf.tensor2d([z]))).dataSync()[0]).toBeCloseTo(expected, 5);
    expect(loss.fromLogits!(y, tf.tensor2d([z])).dataSync()[0]).toBeCloseTo(expected, 5);
  });
  expect(losses.serialize(loss)).toEqual({ className: 'CategoricalCrossentropy', config: { fromLogits: false, labelSmoothing: 0.1 } });
});

test('binary label smoothing: probabilities and logits forms equal the hand formula', () => {
  const loss = losses.BinaryCrossentropy({ labelSmoothing: 0.2 });
  const zs = [0.3, -1.2];
  const expected = smoothedBinary([1, 0], zs.map(sigmoid), 0.2);
  tf.tidy(() => {
    const y = tf.tensor2d([[1, 0]]);
    expect(loss.perSample(y, tf.sigmoid(tf.tensor2d([zs]))).dataSync()[0]).toBeCloseTo(expected, 5);
    expect(loss.fromLogits!(y, tf.tensor2d([zs])).dataSync()[0]).toBeCloseTo(expected, 5);
  });
});

/** A model whose output before the activation is z for every row (kernel 0, bias z). */
async function constantModel(activation: 'softmax' | 'sigmoid' | 'linear', bias: number[], loss: Parameters<Sequential['compile']>[0]['loss']) {
  const model = new Sequential([layers.Dense({ units: bias.length, inputShape: [2], activation })]);
  model.compile({ optimizer: 'sgd', loss });
  model.setWeights([tf.zeros([2, bias.length]), tf.tensor1d(bias)]);
  return model;
}

test('compile with label smoothing: fused softmax path, unfused and fromLogits give the same loss', async () => {
  const expected = smoothedCategorical([0, 1, 0], softmax(z), 0.1);
  const x = tf.ones([4, 2]);
  const y = tf.tensor2d([[0, 1, 0], [0, 1, 0], [0, 1, 0], [0, 1, 0]]);
  for (const [activation, loss] of [
    ['softmax', { className: 'CategoricalCrossentropy', config: { labelSmoothing: 0.1 } }],
    ['softmax', losses.CategoricalCrossentropy({ labelSmoothing: 0.1 })],
    ['linear', losses.CategoricalCrossentropy({ labelSmoothing: 0.1, fromLogits: true })],
  ] as const) {
    const model = await constantModel(activation, z, loss);
    if (activation === 'softmax') expect(model.compiled.objective.fusedActivation).toBe('softmax');
    const logs = await expectNoLeak(() => model.evaluate(x, y));
    expect(logs.loss).toBeCloseTo(expected, 5);
    model.dispose();
  }
  tf.dispose([x, y]);
});

test('compile with binary label smoothing on a sigmoid output (fused)', async () => {
  const expected = smoothedBinary([1], [sigmoid(0.3)], 0.2);
  const model = await constantModel('sigmoid', [0.3], { className: 'BinaryCrossentropy', config: { labelSmoothing: 0.2 } });
  expect(model.compiled.objective.fusedActivation).toBe('sigmoid');
  const x = tf.ones([3, 2]);
  const y = tf.ones([3, 1]);
  expect((await model.evaluate(x, y)).loss).toBeCloseTo(expected, 5);
  await model.fit(x, y, { epochs: 1, verbose: 0 }); // warm-up: first-use caches
  await expectNoLeak(() => model.fit(x, y, { epochs: 1, verbose: 0 }));
  tf.dispose([x, y]);
  model.dispose();
});

test('loss options are checked', () => {
  expect(() => losses.CategoricalCrossentropy({ labelSmoothing: 1.5 })).toThrow(/labelSmoothing.*\[0, 1\]/);
  expect(() => losses.get({ className: 'SparseCategoricalCrossentropy', config: { labelSmoothing: 0.1 } })).toThrow(/labelSmoothing/);
  expect(() => losses.get({ className: 'CategoricalCrossentropy', config: { label_smoothing: 0.1 } })).toThrow(/did you mean labelSmoothing/);
  expect(losses.get('categorical_crossentropy').name).toBe('categoricalCrossentropy');
  expect(losses.get('BinaryCrossentropy').name).toBe('binaryCrossentropy');
});
