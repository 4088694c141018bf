import { ShapeError, Sequential, layers, tf, utils } from '../src';
import type { Layer } from '../src';
import { expectNoLeak, useBackend } from './helpers';

beforeAll(() => useBackend('wasm'));

describe('Flatten and Reshape', () => {
  test('shapes and values', () => {
    const x = tf.range(0, 24).reshape([2, 3, 4]);
    const flat = layers.Flatten().apply(x);
    expect(flat.shape).toEqual([2, 12]);
    expect(Array.from(flat.dataSync())).toEqual(Array.from(x.dataSync()));
    const first = layers.Flatten({ dataFormat: 'channels_first' }).apply(x); // channels (3) moved last
    expect(first.shape).toEqual([2, 12]);
    expect(Array.from(first.dataSync()).slice(0, 6)).toEqual([0, 4, 8, 1, 5, 9]);
    const reshaped = layers.Reshape([4, -1]).apply(x);
    expect(reshaped.shape).toEqual([2, 4, 3]);
    expect(layers.Reshape([6, 2]).computeOutputShape([3, 4])).toEqual([6, 2]);
    expect(() => layers.Reshape([5, -1]).apply(x)).toThrow(ShapeError);
    expect(() => layers.Reshape([-1, -1])).toThrow(/`targetShape` for Reshape/);
    expect(() => layers.Reshape([4, 3], { targetShape: [3, 4] })).toThrow(/the same value as the first argument/);
    tf.dispose([x, flat, first, reshaped]);
  });

  test('a model over [rows, cols] inputs: Flatten then Dense, no leaks', async () => {
    utils.setRandomSeed(2);
    const model = new Sequential([layers.Reshape([2, 3], { inputShape: [6] }), layers.Flatten(), layers.Dense(2, { activation: 'softmax' })]);
    expect(model.outputShapes()).toEqual([[2, 3], [6], [2]]);
    model.compile({ loss: 'categoricalCrossentropy' });
    const x = tf.randomNormal([8, 6], 0, 1, 'float32', 1);
    const y = utils.toCategorical([0, 1, 0, 1, 0, 1, 0, 1], 2);
    await model.fit(x, y, { epochs: 1, verbose: 0 });
    await expectNoLeak(async () => {
      await model.fit(x, y, { epochs: 1, verbose: 0 });
      model.predict(x).dispose();
    });
    model.dispose();
    tf.dispose([x, y]);
  });
});

describe('Activation', () => {
  test('applies the named function; as the last layer the loss may take its input', () => {
    const x = tf.tensor2d([[-1, 0, 2]]);
    const y = layers.Activation('relu').apply(x);
    expect(Array.from(y.dataSync())).toEqual([0, 0, 2]);
    const softmax = layers.Activation('softmax');
    expect(softmax.outputActivation).toBe('softmax');
    const z = softmax.callPreActivation(x, {});
    expect(z).toBe(x);
    expect(() => layers.Activation('nope' as never)).toThrow(/`activation` for Activation/);
    tf.dispose([x, y]);
  });
});

describe('ActivityRegularization', () => {
  test('the identity; its input joins the loss divided by the batch size', () => {
    utils.setRandomSeed(1);
    const model = new Sequential([layers.ActivityRegularization({ l1: 0.1, l2: 0.01, inputShape: [2] })]);
    const x = tf.tensor2d([[1, -2], [3, 0]]);
    const { value, activityPenalty } = model.forward(x, { training: true });
    expect(Array.from(value.dataSync())).toEqual([1, -2, 3, 0]);
    expect(activityPenalty!.dataSync()[0]).toBeCloseTo((0.1 * 6 + 0.01 * 14) / 2, 6);
    expect(() => layers.ActivityRegularization({ l1: -1 })).toThrow(/`l1` for ActivityRegularization/);
    tf.dispose([x, value, activityPenalty!]);
  });
});

test.each<[string, () => Layer]>([
  ['Flatten', () => layers.Flatten({ dataFormat: 'channels_first' })],
  ['Reshape', () => layers.Reshape([4, -1], { inputShape: [8] })],
  ['Activation', () => layers.Activation('tanh')],
  ['ActivityRegularization', () => layers.ActivityRegularization({ l1: 0.01 })],
  ['SpatialDropout2D', () => layers.SpatialDropout2D(0.2, { dataFormat: 'channels_first' })],
  ['SpatialDropout3D', () => layers.SpatialDropout3D(0.2, { seed: 3 })],
])('%s: the JSON config rebuilds the same layer', (_, make) => {
  const layer = make();
  const again = layers.get(JSON.parse(JSON.stringify(layer.serialize())));
  expect(again.className).toBe(layer.className);
  expect(again.getConfig()).toEqual(layer.getConfig());
});

test('default names follow Keras', () => {
  expect(layers.SpatialDropout1D(0.1).name).toMatch(/^spatial_dropout1d(_\d+)?$/);
  expect(layers.BatchNormalization().name).toMatch(/^batch_normalization(_\d+)?$/);
  expect(layers.ActivityRegularization().name).toMatch(/^activity_regularization(_\d+)?$/);
});

describe('Input', () => {
  test('declares the input shape of a model; only as the first layer; config round trip', () => {
    const input = layers.Input({ shape: [6] });
    const model = new Sequential([input, layers.Dense(2)]);
    expect(model.built).toBe(true);
    expect(model.inputShape).toEqual([6]);
    expect(model.countParams()).toBe(14);
    expect(() => new Sequential([layers.Dense(2, { inputShape: [3] }), layers.Input({ shape: [2] })])).toThrow(/only the first layer takes inputShape/);
    expect(() => layers.Input({} as never)).toThrow(/Missing `shape` for InputLayer/);
    expect(() => layers.Input({ shape: [0] })).toThrow(/`shape` for InputLayer.*shape=\[0\]/);
    const again = layers.get(JSON.parse(JSON.stringify(input.serialize())));
    expect(again.getConfig()).toEqual(input.getConfig());
    model.dispose();
  });
});
