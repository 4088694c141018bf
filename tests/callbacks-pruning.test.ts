/** MagnitudePruning: the cubic schedule by hand, exact zeros at the target, pruned weights stay zero. */
import { ConfigError, Sequential, callbacks, layers, tf, utils } from '../src';
import { blobs, expectNoLeak, useBackend } from './helpers';

beforeAll(() => useBackend('wasm'));

const zeroFraction = (t: tf.Tensor): number => Array.from(t.dataSync()).filter((v) => v === 0).length / t.size;

test("the schedule is Zhu & Gupta's cubic ramp", () => {
  const p = callbacks.MagnitudePruning({ targetSparsity: 0.8, initialSparsity: 0.2, beginEpoch: 1, endEpoch: 5 });
  expect(p.sparsityAt(0)).toBe(0);
  expect(p.sparsityAt(1)).toBeCloseTo(0.2, 12);
  expect(p.sparsityAt(3)).toBeCloseTo(0.8 + (0.2 - 0.8) * 0.5 ** 3, 12);
  expect(p.sparsityAt(5)).toBeCloseTo(0.8, 12);
  expect(p.sparsityAt(9)).toBeCloseTo(0.8, 12);
});

test('kernels end at the target sparsity in exact zeros; biases are untouched; no tensor leaks', async () => {
  utils.setRandomSeed(3);
  const model = new Sequential()
    .add(layers.Dense(20, { inputShape: [8], activation: 'relu' }))
    .add(layers.Dense(3, { activation: 'softmax' }));
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
  const { x, y } = blobs(80);
  await model.fit(x, y, { epochs: 1, batchSize: 16, verbose: 0 }); // creates Adam's slots first
  const pruning = callbacks.MagnitudePruning({ targetSparsity: 0.75 });
  await expectNoLeak(() => model.fit(x, y, { epochs: 4, batchSize: 16, verbose: 0, callbacks: [pruning] }));
  const weights = model.getWeights();
  const [k1, b1, k2] = weights;
  expect(zeroFraction(k1!)).toBeCloseTo(Math.floor(0.75 * 160) / 160, 12);
  expect(zeroFraction(k2!)).toBeCloseTo(Math.floor(0.75 * 60) / 60, 12);
  expect(zeroFraction(b1!)).toBeLessThan(0.5);
  tf.dispose([x, y, ...weights]);
  model.dispose();
});

test('bad options are clear errors', () => {
  expect(() => callbacks.MagnitudePruning({ targetSparsity: 1 })).toThrow(/Invalid `targetSparsity` for MagnitudePruning: expected a number in \[0, 1\)/);
  expect(() => callbacks.MagnitudePruning({ targetSparsity: 0.5, beginEpoch: 3, endEpoch: 1 })).toThrow(ConfigError);
  expect(() => callbacks.MagnitudePruning({ targetSparsty: 0.5 } as never)).toThrow(/did you mean targetSparsity/);
});
