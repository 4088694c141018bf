import { Sequential, layers, tf, utils } from '../src';
import type { BackendName } from '../src';
import { parseSettings } from '../src/study/config/settings';
import { buildModel } from '../src/study/run/model-for-setting';
import type { StudyConfig } from '../src/study/config/resolve';
import { expectNoLeak, useBackend } from './helpers';

beforeAll(() => useBackend('wasm'));

/** A Dense layer with an all-ones [n, units] kernel and no bias: with x = I, y is the masked kernel itself. */
function onesDense(n: number, units: number, rate: number) {
  const dense = layers.Dense(units, { useBias: false, dropConnect: rate });
  const eye = tf.eye(n);
  dense.apply(eye).dispose();
  tf.tidy(() => dense.kernel!.assign(tf.ones([n, units])));
  return { dense, eye };
}

describe('Dense dropConnect', () => {
  test('training drops kernel weights with probability rate and scales the rest by 1/(1−rate); inference uses the kernel', () => {
    const rate = 0.3;
    const { dense, eye } = onesDense(100, 200, rate);
    const y = dense.apply(eye, { training: true });
    const v = Array.from(y.dataSync());
    const scale = Math.fround(1 / (1 - rate));
    expect(v.every((e) => e === 0 || e === scale)).toBe(true);
    const dropped = v.filter((e) => e === 0).length / v.length;
    expect(Math.abs(dropped - rate)).toBeLessThan(4 * Math.sqrt((rate * (1 - rate)) / v.length));
    const next = dense.apply(eye, { training: true });
    expect(Array.from(next.dataSync())).not.toEqual(v); // a fresh mask per step
    const inference = dense.apply(eye);
    expect(Array.from(inference.dataSync()).every((e) => e === 1)).toBe(true);
    tf.dispose([y, next, inference, eye]);
    dense.dispose();
  });

  test('the gradient reaches only the kept weights: dL/dK = (xᵀ·dL/dy) ⊙ mask', () => {
    const { dense, eye } = onesDense(5, 4, 0.5);
    const r = tf.tensor2d(Array.from({ length: 20 }, (_, i) => i + 1), [5, 4]);
    let y: tf.Tensor | undefined;
    const { grads, value } = tf.variableGrads(() => {
      const out = dense.apply(eye, { training: true });
      y = tf.keep(out.clone());
      return tf.sum(tf.mul(out, r)) as tf.Scalar;
    }, [dense.kernel!]);
    const mask = Array.from(y!.dataSync()); // = kernel ⊙ mask = mask with x = I and a ones kernel
    const expected = Array.from(r.dataSync()).map((e, i) => e * mask[i]!);
    expect(Array.from(grads[dense.kernel!.name]!.dataSync())).toEqual(expected);
    expect(mask.some((e) => e === 0)).toBe(true);
    tf.dispose([r, y!, value, grads[dense.kernel!.name]!, eye]);
    dense.dispose();
  });

  test('seeded by the global seed and the layer place; config keeps it; errors; no leaks in fit', async () => {
    const x = tf.randomNormal([6, 4], 0, 1, 'float32', 3);
    const once = () => {
      utils.setRandomSeed(11);
      const model = new Sequential([layers.Dense(5, { inputShape: [4], dropConnect: 0.4 })]);
      const { value } = model.forward(x, { training: true });
      const v = Array.from(value.dataSync());
      value.dispose();
      model.dispose();
      return v;
    };
    expect(once()).toEqual(once());
    const dense = layers.Dense(3, { dropConnect: 0.25 });
    expect(dense.getConfig()['dropConnect']).toBe(0.25);
    expect(layers.Dense(3).getConfig()).not.toHaveProperty('dropConnect');
    expect((layers.get(JSON.parse(JSON.stringify(dense.serialize()))) as typeof dense).dropConnect).toBe(0.25);
    expect(() => layers.Dense(3, { dropConnect: 1 })).toThrow(/`dropConnect` for Dense: expected a number in \[0, 1\)/);
    utils.setRandomSeed(1);
    const model = new Sequential([layers.Dense(8, { inputShape: [4], dropConnect: 0.5 }), layers.Dense(2, { activation: 'softmax' })]);
    model.compile({ loss: 'categoricalCrossentropy' });
    const y = utils.toCategorical([0, 1, 0, 1, 0, 1], 2);
    await model.fit(x, y, { epochs: 1, verbose: 0 });
    await expectNoLeak(async () => {
      await model.fit(x, y, { epochs: 2, batchSize: 3, verbose: 0 });
      model.predict(x).dispose();
    });
    model.dispose();
    tf.dispose([x, y]);
  });
});

describe('study settings', () => {
  test('new tokens parse to specs, combine with +, and old tokens are unchanged', () => {
    const settings = parseSettings('none,l1=1e-4,l1_prox=1e-4+dropconnect=0.2,batchnorm+gaussian_noise=0.1,alpha_dropout,orthogonal=0.02');
    expect(settings.map((s) => s.name)).toEqual(['none', 'l1', 'l1_prox+dropconnect', 'batchnorm+gaussian_noise', 'alpha_dropout', 'orthogonal']);
    expect(settings[1]!.spec).toEqual({ kernelRegularizer: { className: 'L1', config: { l1: 1e-4 } } });
    expect(settings[2]!.spec).toEqual({ kernelRegularizer: { className: 'L1Prox', config: { l1: 1e-4 } }, dropConnect: 0.2 });
    expect(settings[3]!.spec).toEqual({ batchNormalization: true, gaussianNoise: 0.1 });
    expect(settings[4]!.spec).toEqual({ alphaDropout: 0.1 });
    expect(settings[5]!.spec).toEqual({ kernelRegularizer: { className: 'OrthogonalRegularizer', config: { factor: 0.02, mode: 'rows' } } });
    expect(() => parseSettings('dropconnect=1')).toThrow(/dropconnect rate must be in \[0, 1\)/);
    expect(() => parseSettings('batchnorm=1')).toThrow(/'batchnorm' takes no value/);
    expect(() => parseSettings('l1+l1_prox')).toThrow(/kernelRegularizer is given twice/);
  });

  test('the MLP gets the layers of each setting', () => {
    const config = { hidden: [4, 4], activation: 'relu', optimizer: 'adam' } as unknown as StudyConfig;
    const spec = parseSettings('batchnorm+gaussian_noise=0.1+alpha_dropout=0.1+dropout=0.2+dropconnect=0.3')[0]!.spec;
    utils.setRandomSeed(1);
    const model = buildModel(config, spec, 3, 2, true);
    expect(model.layers.map((l) => l.name)).toEqual([
      'hidden_1', 'batch_normalization_1', 'gaussian_noise_1', 'alpha_dropout_1', 'dropout_1',
      'hidden_2', 'batch_normalization_2', 'gaussian_noise_2', 'alpha_dropout_2', 'dropout_2', 'output',
    ]);
    expect((model.layers[0] as unknown as { dropConnect: number }).dropConnect).toBe(0.3);
    expect((model.layers[10] as unknown as { dropConnect: number }).dropConnect).toBe(0);
    // Extra layers never shift the Dense layers' initial weights.
    utils.setRandomSeed(1);
    const plain = buildModel(config, {}, 3, 2, true);
    const kernels = (m: Sequential) => m.layers.filter((l) => l.className === 'Dense').map((l) => Array.from(l.weights[0]!.variable.dataSync()));
    expect(kernels(model)).toEqual(kernels(plain));
    model.dispose();
    plain.dispose();
  });
});

const firstLosses: number[] = [];

describe.each<BackendName>(['cpu', 'wasm'])('on the %s backend', (name) => {
  beforeAll(() => useBackend(name));
  afterAll(() => useBackend('wasm'));

  test('every new layer trains and predicts, with the same noise as on the other backend', async () => {
    utils.setRandomSeed(5);
    const model = new Sequential([
      layers.Reshape([2, 3], { inputShape: [6] }), layers.SpatialDropout1D(0.2), layers.Flatten(), layers.GaussianNoise(0.1),
      layers.Dense(8, { dropConnect: 0.2, activation: 'selu' }), layers.AlphaDropout(0.1), layers.GaussianDropout(0.1), layers.BatchNormalization(),
      layers.LayerNormalization(), layers.ActivityRegularization({ l2: 1e-3 }), layers.Dense(2), layers.Activation('softmax'),
    ]);
    model.compile({ loss: 'categoricalCrossentropy', optimizer: 'sgd' });
    const x = tf.tensor2d(Array.from({ length: 48 }, (_, i) => Math.sin(i)), [8, 6]);
    const y = utils.toCategorical([0, 1, 0, 1, 0, 1, 0, 1], 2);
    const history = await model.fit(x, y, { epochs: 2, batchSize: 4, verbose: 0, shuffle: false });
    const loss = history.history['loss']!;
    expect(loss.every((l) => Number.isFinite(l))).toBe(true);
    await expectNoLeak(async () => {
      await model.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0 });
      model.predict(x).dispose();
    });
    model.dispose();
    tf.dispose([x, y]);
    firstLosses.push(loss[0]!);
    expect(firstLosses[firstLosses.length - 1]).toBeCloseTo(firstLosses[0]!, 4); // same draws on every backend: the same loss
  });
});
