/** Hostile inputs to the training floor: throwing custom code, NaN, impossible class weights, ragged rows. */
import { DataError, Sequential, TrainingError, layers, tf, utils } from '../../src';
import { expectNoLeak, flat, useBackend } from '../helpers';

beforeAll(() => useBackend('wasm'));

function model(options: Parameters<typeof layers.Dense>[1] = {}): Sequential {
  utils.setRandomSeed(1);
  const m = new Sequential().add(layers.Dense(3, { inputShape: [4], activation: 'softmax', ...options }));
  m.compile({ loss: 'categoricalCrossentropy', optimizer: 'adam' });
  return m;
}
const x = () => tf.tidy(() => tf.randomNormal([8, 4], 0, 1, 'float32', 2));
const y = () => tf.tidy(() => tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1], 'int32'), 3));

test('a custom regularizer that throws during fit leaks no tensor', async () => {
  const m = model({ kernelRegularizer: ((w: tf.Tensor) => { tf.mul(w, 2); throw new Error('regularizer failed'); }) as never });
  const [xs, ys] = [x(), y()];
  await expectNoLeak(() => expect(m.fit(xs, ys, { verbose: 0 })).rejects.toThrow(/regularizer failed/));
  tf.dispose([xs, ys]);
  m.dispose();
});

test('a custom loss that throws during fit leaks no tensor', async () => {
  const m = model();
  m.compile({ loss: (a: tf.Tensor, b: tf.Tensor) => { tf.sub(a, b); throw new Error('loss failed'); } });
  const [xs, ys] = [x(), y()];
  await expectNoLeak(() => expect(m.fit(xs, ys, { verbose: 0 })).rejects.toThrow(/loss failed/));
  tf.dispose([xs, ys]);
  m.dispose();
});

test('a NaN from a custom regularizer stops training and leaves the last finite weights', async () => {
  const m = model({ kernelRegularizer: (w: tf.Tensor) => tf.mul(tf.sum(w), NaN) as tf.Scalar });
  m.compile({ loss: 'categoricalCrossentropy', optimizer: 'sgd' }); // no optimizer slots: the tensor count stays put
  const before = flat(m.getWeights());
  const [xs, ys] = [x(), y()];
  await expectNoLeak(() => expect(m.fit(xs, ys, { verbose: 0 })).rejects.toThrow(TrainingError));
  const after = flat(m.getWeights());
  expect(after.flat().every(Number.isFinite)).toBe(true);
  expect(after).toEqual(before);
  tf.dispose([xs, ys]);
  m.dispose();
});

test('classWeight for a class the model does not have is an error', async () => {
  const m = model();
  const [xs, ys] = [x(), y()];
  await expectNoLeak(() => expect(m.fit(xs, ys, { verbose: 0, classWeight: { 0: 1, 7: 2 } })).rejects.toThrow(/the model has 3 classes .*class 7/));
  tf.dispose([xs, ys]);
  m.dispose();
});

test('ragged rows of x are a DataError naming the row', async () => {
  const m = model();
  await expect(m.fit([[1, 2, 3, 4], [1, 2]] as never, [[1, 0, 0], [0, 1, 0]], { verbose: 0 })).rejects.toThrow(DataError);
  await expect(m.fit([[1, 2, 3, 4], [1, 2]] as never, [[1, 0, 0], [0, 1, 0]], { verbose: 0 })).rejects.toThrow(/rows of different lengths \(x\[1\] has 2 values, x\[0\] has 4\)/);
  m.dispose();
});

test('using a disposed model or layer is a clear error', async () => {
  const m = model();
  const layer = m.layers[0]!;
  m.dispose();
  expect(() => m.predict([[1, 2, 3, 4]])).toThrow(/was disposed/);
  await expect(m.fit([[1, 2, 3, 4]], [[1, 0, 0]], { verbose: 0 })).rejects.toThrow(/was disposed/);
  expect(() => layer.apply(tf.ones([1, 4]))).toThrow(/was disposed/);
  expect(() => new Sequential().add(layer)).toThrow(/was disposed/);
});

test('a second fit while one runs is refused', async () => {
  const m = model();
  const [xs, ys] = [x(), y()];
  const first = m.fit(xs, ys, { epochs: 3, verbose: 0 });
  await expect(m.fit(xs, ys, { verbose: 0 })).rejects.toThrow(/already training/);
  await first;
  tf.dispose([xs, ys]);
  m.dispose();
});
