/** Every layer class and regularizer through both file formats: same config, same predictions, same penalty. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FormatError, Sequential, layers, loadModel, regularizers, tf, utils } from '../src';
import { fileSystemHandler } from '../src/saving/tfjs';
import { useBackend } from './helpers';

beforeAll(() => useBackend('wasm'));

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-ts-layers-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const values = (t: tf.Tensor): number[] => {
  const out = Array.from(t.dataSync());
  t.dispose();
  return out;
};

/** Every layer keras-ts has, with an OrthogonalRegularizer; `extras` adds the keras-ts-only options. */
function everyLayer(extras: boolean, resolved = false): Sequential {
  return new Sequential([
    layers.Input({ shape: [4, 6] }),
    layers.GaussianNoise(0.1, { seed: 3 }),
    layers.SpatialDropout1D(0.1),
    layers.LayerNormalization({ epsilon: 1e-4, gammaRegularizer: regularizers.l2(0.01) }),
    layers.Flatten(),
    layers.Dense(12, {
      activation: 'tanh',
      kernelRegularizer: extras ? { className: 'L1Prox', config: { l1: 0.001 } } : { className: 'OrthogonalRegularizer', config: { factor: 0.02, mode: 'columns' } },
      ...(extras ? { dropConnect: 0.2 } : {}),
    }),
    layers.BatchNormalization({ momentum: 0.9, betaRegularizer: regularizers.l1(0.01) }),
    layers.Activation('relu'),
    layers.GaussianDropout(0.1),
    layers.AlphaDropout(0.1, { seed: 5 }),
    layers.ActivityRegularization({ l1: 0.01, l2: 0.001 }),
    layers.Reshape([2, 2, 3]),
    layers.SpatialDropout2D(0.1, { dataFormat: 'channels_last' }),
    layers.Reshape(resolved ? [2, 2, 1, 3] : [2, 2, -1, 3]), // stock tfjs leaves a -1 unresolved for Flatten
    layers.SpatialDropout3D(0.1),
    layers.Flatten(),
    layers.Dropout(0.1),
    layers.Dense(3, { activation: 'softmax', kernelRegularizer: { className: 'OrthogonalRegularizer', config: { factor: 0.01, mode: 'rows' } } }),
  ]);
}

async function trained(extras: boolean, resolved = false): Promise<{ model: Sequential; x: tf.Tensor }> {
  utils.setRandomSeed(11);
  const model = everyLayer(extras, resolved);
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
  const x = tf.randomNormal([32, 4, 6], 0, 1, 'float32', 7);
  const y = tf.oneHot(tf.randomUniform([32], 0, 3, 'int32', 8) as tf.Tensor1D, 3);
  await model.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0 });
  y.dispose();
  return { model, x };
}

async function expectSame(model: Sequential, x: tf.Tensor, target: string): Promise<void> {
  await model.save(target);
  const loaded = await loadModel(target);
  expect(loaded.getConfig()).toEqual(model.getConfig());
  expect(values(loaded.predict(x))).toEqual(values(model.predict(x)));
  expect(loaded.penalty()).toBe(model.penalty());
  loaded.dispose();
}

test('.keras keeps every Keras layer, OrthogonalRegularizer, an explicit Input and BatchNormalization statistics', async () => {
  const { model, x } = await trained(false);
  await expectSame(model, x, path.join(tmp, 'every.keras'));
  tf.dispose(x);
  model.dispose();
});

test('.keras refuses the keras-ts-only DropConnect and L1Prox with a clear error', async () => {
  const dense = (o: object) => new Sequential([layers.Dense(2, { inputShape: [3], ...o })]);
  const withDropConnect = dense({ dropConnect: 0.3 });
  await expect(withDropConnect.save(path.join(tmp, 'dc.keras'))).rejects.toThrow(FormatError);
  await expect(withDropConnect.save(path.join(tmp, 'dc.keras'))).rejects.toThrow(/DropConnect as \.keras is not possible.*tfjs-layers/);
  const withProx = dense({ kernelRegularizer: { className: 'L1Prox', config: { l1: 0.01 } } });
  await expect(withProx.save(path.join(tmp, 'prox.keras'))).rejects.toThrow(/kernelRegularizer.*L1Prox.*tfjs-layers/);
  expect(fs.existsSync(path.join(tmp, 'dc.keras')) || fs.existsSync(path.join(tmp, 'prox.keras'))).toBe(false);
  withDropConnect.dispose();
  withProx.dispose();
});

/** The layers tfjs-layers 4.22 has, with the keras-ts-only DropConnect and L1Prox and the Keras-only OrthogonalRegularizer. */
function tfjsLayers(): Sequential {
  return new Sequential([
    layers.GaussianNoise(0.1, { inputShape: [4, 6], seed: 3 }),
    layers.SpatialDropout1D(0.1),
    layers.LayerNormalization({ epsilon: 1e-4, gammaRegularizer: regularizers.l2(0.01) }),
    layers.Flatten(),
    layers.Dense(12, { activation: 'tanh', kernelRegularizer: { className: 'L1Prox', config: { l1: 0.001 } }, dropConnect: 0.2 }),
    layers.BatchNormalization({ momentum: 0.9, betaRegularizer: regularizers.l1(0.01) }),
    layers.Activation('relu'),
    layers.GaussianDropout(0.1),
    layers.AlphaDropout(0.1, { seed: 5 }),
    layers.Reshape([3, 4]), // stock tfjs leaves a -1 unresolved, which a following Flatten refuses
    layers.Flatten(),
    layers.Dense(3, { activation: 'softmax', kernelRegularizer: { className: 'OrthogonalRegularizer', config: { factor: 0.01, mode: 'rows' } } }),
  ]);
}

test('tfjs-layers keeps every layer tfjs has, DropConnect, L1Prox and OrthogonalRegularizer (through keras-ts metadata)', async () => {
  utils.setRandomSeed(12);
  const model = tfjsLayers();
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
  const x = tf.randomNormal([32, 4, 6], 0, 1, 'float32', 7);
  const y = tf.oneHot(tf.randomUniform([32], 0, 3, 'int32', 8) as tf.Tensor1D, 3);
  await model.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0 });
  const dir = path.join(tmp, 'tfjs-dir');
  await expectSame(model, x, dir);

  // Stock tfjs-layers loads the same directory and predicts the same.
  const stock = await tf.loadLayersModel(fileSystemHandler(dir));
  const ours = values(model.predict(x));
  const theirs = values(stock.predict(x) as tf.Tensor);
  expect(theirs.length).toBe(ours.length);
  theirs.forEach((v, i) => expect(Math.abs(v - ours[i]!)).toBeLessThan(1e-6));
  expect(stock.layers.map((l) => l.getClassName())).toEqual(model.getConfig().layers.map((l) => l.className));
  stock.dispose();
  tf.dispose([x, y]);
  model.dispose();
});

test('tfjs-layers keeps the layers tfjs lacks and an explicit Input (stand-ins and keras-ts metadata); stock tfjs predicts the same', async () => {
  const { model, x } = await trained(true, true);
  const dir = path.join(tmp, 'tfjs-every');
  await expectSame(model, x, dir);
  const stock = await tf.loadLayersModel(fileSystemHandler(dir));
  const ours = values(model.predict(x));
  const theirs = values(stock.predict(x) as tf.Tensor);
  expect(theirs.length).toBe(ours.length);
  theirs.forEach((v, i) => expect(Math.abs(v - ours[i]!)).toBeLessThan(1e-6));
  // SpatialDropout2D/3D are tfjs Dropouts, ActivityRegularization a linear Activation.
  expect(stock.layers.map((l) => l.getClassName())).toEqual([
    'InputLayer', 'GaussianNoise', 'SpatialDropout1D', 'LayerNormalization', 'Flatten', 'Dense', 'BatchNormalization', 'Activation', 'GaussianDropout',
    'AlphaDropout', 'Activation', 'Reshape', 'Dropout', 'Reshape', 'Dropout', 'Flatten', 'Dropout', 'Dense',
  ]);
  stock.dispose();
  tf.dispose(x);
  model.dispose();
});
