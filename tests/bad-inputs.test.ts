import { ConfigError, DataError, Sequential, layers, tf } from '../src';
import type { FitOptions, TensorInput } from '../src';
import { flat, useBackend } from './helpers';

beforeAll(() => useBackend('wasm'));

const X = [[1, 2, 3], [4, 5, 6], [7, 8, 9], [1, 0, 1]];
const Y = [[1, 0], [0, 1], [1, 0], [0, 1]];

function model(): Sequential {
  const m = new Sequential().add(layers.Dense(4, { activation: 'relu', inputShape: [3] })).add(layers.Dense(2, { activation: 'softmax' }));
  m.compile({ loss: 'categoricalCrossentropy' });
  return m;
}

/** fit must reject with `pattern` before any step: weights unchanged, no callback ran, no leak. */
async function rejectsCleanly(x: TensorInput, y: TensorInput, options: FitOptions, pattern: RegExp, type: typeof DataError | typeof ConfigError = DataError) {
  const m = model();
  const before = m.getWeights();
  const tensorsBefore = tf.memory().numTensors;
  let batches = 0;
  const fitting = m.fit(x, y, { verbose: 0, ...options, callbacks: [{ onBatchEnd: () => void batches++ }] });
  await expect(fitting).rejects.toThrow(type);
  await expect(m.fit(x, y, { verbose: 0, ...options })).rejects.toThrow(pattern);
  expect(tf.memory().numTensors).toBe(tensorsBefore);
  expect(batches).toBe(0);
  const after = m.getWeights();
  expect(flat(after)).toEqual(flat(before));
  tf.dispose([...before, ...after]);
  m.dispose();
}

test('row-count mismatch', () => rejectsCleanly(X, Y.slice(0, 3), {}, /Mismatched row counts: `x` has 4 rows and `y` has 3/));
test('wrong feature width', () => rejectsCleanly([[1, 2], [3, 4]], [[1, 0], [0, 1]], {}, /Invalid `x`: expected rows of shape \[3\].*Received: x shape \[2, 2\]/));
test('integer labels with categoricalCrossentropy hint at the sparse loss', () =>
  rejectsCleanly(X, [0, 1, 0, 1], {}, /Invalid `y`: expected labels of shape \[4, 2\].*sparseCategoricalCrossentropy/));
test('labels with the wrong width', () => rejectsCleanly(X, [[1, 0, 0], [0, 1, 0], [1, 0, 0], [0, 0, 1]], {}, /Invalid `y`: expected labels of shape \[4, 2\]/));
test('NaN in x', () => rejectsCleanly([[NaN, 2, 3], ...X.slice(1)], Y, {}, /Invalid `x`: expected finite numbers/));
test('Infinity in y', () => rejectsCleanly(X, [[Infinity, 0], ...Y.slice(1)], {}, /Invalid `y`: expected finite numbers/));
test('empty data', () => rejectsCleanly({ values: new Float32Array(0), shape: [0, 3] }, { values: new Float32Array(0), shape: [0, 2] }, {}, /Invalid `x`: expected at least one row/));
test.each([0, -1, 1.5])('batchSize %p', (batchSize) => rejectsCleanly(X, Y, { batchSize }, /Invalid `batchSize`: expected a positive integer/));
test.each([0, 1, 1.5, -0.2])('validationSplit %p', (validationSplit) => rejectsCleanly(X, Y, { validationSplit }, /Invalid `validationSplit` for fit: expected a number in \(0, 1\)/));
test('validation data with the wrong width', () =>
  rejectsCleanly(X, Y, { validationData: [[[1, 2]], [[1, 0]]] }, /Invalid `validationData\[0\]`: expected rows of shape \[3\]/));
test('unknown fit option', () => rejectsCleanly(X, Y, { batch_size: 8 } as FitOptions, /Unknown option `batch_size` for fit/, ConfigError));
test('epochs 0', () => rejectsCleanly(X, Y, { epochs: 0 }, /Invalid `epochs` for fit: expected a positive integer/, ConfigError));

test('sparse labels out of range', async () => {
  const m = new Sequential().add(layers.Dense(2, { activation: 'softmax', inputShape: [3] }));
  m.compile({ loss: 'sparseCategoricalCrossentropy' });
  await expect(m.fit(X, [0, 1, 2, 1], { verbose: 0 })).rejects.toThrow(/expected integer class ids in \[0, 2\)/);
  m.dispose();
});

test('typed arrays with a shape are accepted', async () => {
  const m = model();
  const h = await m.fit({ values: Float32Array.from(X.flat()), shape: [4, 3] }, { values: Float32Array.from(Y.flat()), shape: [4, 2] }, { verbose: 0 });
  expect(h.history['loss']).toHaveLength(1);
  m.dispose();
});

test('evaluate and predict check their inputs too', async () => {
  const m = model();
  await expect(m.evaluate([[1, 2]], [[1, 0]])).rejects.toThrow(/Invalid `x`/);
  expect(() => m.predict([[1, NaN, 3]])).toThrow(/expected finite numbers/);
  expect(() => m.predict(X, { batchSize: 0 })).toThrow(/Invalid `batchSize`/);
  m.dispose();
});
