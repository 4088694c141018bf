import { ConfigError, ShapeError, Sequential, layers, tf, utils } from '../src';
import type { Layer } from '../src';
import { expectNoLeak, useBackend } from './helpers';

beforeAll(() => useBackend('wasm'));

function run(layer: Layer, x: tf.Tensor, training = true): Float32Array {
  const y = layer.apply(x, { training });
  const v = y.dataSync() as Float32Array;
  y.dispose();
  return v;
}

const meanOf = (v: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]!;
  return s / v.length;
};
const varianceOf = (v: ArrayLike<number>) => {
  const m = meanOf(v);
  let s = 0;
  for (let i = 0; i < v.length; i++) s += (v[i]! - m) ** 2;
  return s / v.length;
};

describe('GaussianNoise', () => {
  test('adds N(0, stddev²) in training, nothing at inference', () => {
    const x = tf.zeros([200, 500]);
    const v = run(layers.GaussianNoise(0.5, { seed: 3 }), x);
    expect(Math.abs(meanOf(v))).toBeLessThan(4 * 0.5 / Math.sqrt(v.length));
    expect(varianceOf(v)).toBeCloseTo(0.25, 2);
    expect(run(layers.GaussianNoise(0.5), x, false).every((e) => e === 0)).toBe(true);
    x.dispose();
  });

  test('bad stddev and options are rejected', () => {
    expect(() => layers.GaussianNoise(-1)).toThrow(/`stddev` for GaussianNoise.*stddev=-1/);
    expect(() => layers.GaussianNoise(0.1, { sed: 1 } as never)).toThrow(/did you mean seed/);
    expect(() => layers.GaussianNoise(0.1, { seed: -2 })).toThrow(ConfigError);
  });
});

describe('GaussianDropout', () => {
  test('multiplies by N(1, rate/(1−rate))', () => {
    const x = tf.ones([200, 500]);
    const v = run(layers.GaussianDropout(0.3, { seed: 4 }), x);
    expect(Math.abs(meanOf(v) - 1)).toBeLessThan(0.01);
    expect(varianceOf(v)).toBeCloseTo(0.3 / 0.7, 2);
    expect(Array.from(run(layers.GaussianDropout(0.3), x, false))).toEqual(Array.from(x.dataSync()));
    x.dispose();
  });

  test('rate must be in [0, 1)', () => {
    expect(() => layers.GaussianDropout(1)).toThrow(/`rate` for GaussianDropout: expected a number in \[0, 1\). Received: rate=1/);
  });
});

describe('AlphaDropout', () => {
  test('keeps mean 0 and variance 1 on standard normal inputs; dropped entries are a·α′ + b', () => {
    const rate = 0.2;
    const x = tf.randomNormal([400, 500], 0, 1, 'float32', 9);
    const v = run(layers.AlphaDropout(rate, { seed: 5 }), x);
    expect(Math.abs(meanOf(v))).toBeLessThan(0.01);
    expect(Math.abs(varianceOf(v) - 1)).toBeLessThan(0.02);
    const alphaP = -1.6732632423543772 * 1.0507009873554805;
    const a = ((1 - rate) * (1 + rate * alphaP ** 2)) ** -0.5;
    const dropped = Math.fround(a * alphaP - a * alphaP * rate);
    const fraction = v.filter((e) => Math.abs(e - dropped) < 1e-6).length / v.length;
    expect(Math.abs(fraction - rate)).toBeLessThan(4 * Math.sqrt((rate * (1 - rate)) / v.length));
    x.dispose();
  });

  test('noiseShape shares draws; inference is the identity', () => {
    const x = tf.ones([6, 50]);
    const v = run(layers.AlphaDropout(0.5, { noiseShape: [null, 1], seed: 1 }), x);
    for (let r = 0; r < 6; r++) expect(new Set(v.slice(r * 50, r * 50 + 50)).size).toBe(1);
    expect(Array.from(run(layers.AlphaDropout(0.5), x, false))).toEqual(Array.from(x.dataSync()));
    expect(() => layers.AlphaDropout(0.5, { noiseShape: [0] })).toThrow(/noiseShape/);
    x.dispose();
  });
});

describe('SpatialDropout', () => {
  test('2D channels_last drops whole channels, survivors scaled by 1/(1−rate)', () => {
    const x = tf.ones([16, 5, 5, 32]);
    const v = run(layers.SpatialDropout2D(0.5, { seed: 2 }), x);
    let dropped = 0;
    for (let b = 0; b < 16; b++) {
      for (let c = 0; c < 32; c++) {
        const values = new Set<number>();
        for (let p = 0; p < 25; p++) values.add(v[b * 25 * 32 + p * 32 + c]!);
        expect(values.size).toBe(1);
        const [only] = [...values];
        expect([0, 2]).toContain(only);
        if (only === 0) dropped++;
      }
    }
    expect(Math.abs(dropped / (16 * 32) - 0.5)).toBeLessThan(4 * Math.sqrt(0.25 / (16 * 32)));
    x.dispose();
  });

  test('channels_first, 1D and 3D; wrong rank is a ShapeError', () => {
    const x = tf.ones([4, 8, 3, 3]); // [batch, channels, rows, cols]
    const v = run(layers.SpatialDropout2D(0.5, { dataFormat: 'channels_first', seed: 2 }), x);
    for (let b = 0; b < 4; b++) for (let c = 0; c < 8; c++) expect(new Set(v.slice((b * 8 + c) * 9, (b * 8 + c + 1) * 9)).size).toBe(1);
    const x1 = tf.ones([4, 10, 6]);
    const v1 = run(layers.SpatialDropout1D(0.5, { seed: 1 }), x1);
    for (let b = 0; b < 4; b++) for (let c = 0; c < 6; c++) expect(new Set(Array.from({ length: 10 }, (_, t) => v1[b * 60 + t * 6 + c])).size).toBe(1);
    const x3 = tf.ones([2, 2, 2, 2, 3]);
    expect(run(layers.SpatialDropout3D(0.5, { seed: 1 }), x3).length).toBe(48);
    expect(() => layers.SpatialDropout1D(0.1).apply(x, { training: true })).toThrow(ShapeError);
    expect(() => layers.SpatialDropout2D(0.1, { dataFormat: 'nhwc' as never })).toThrow(/dataFormat/);
    expect(() => layers.SpatialDropout1D(0.1, { dataFormat: 'channels_last' } as never)).toThrow(/Unknown option `dataFormat`/);
    tf.dispose([x, x1, x3]);
  });
});

describe('seeds, configs and memory', () => {
  const makers: [string, () => Layer][] = [
    ['GaussianNoise', () => layers.GaussianNoise(0.2, { seed: 7 })],
    ['GaussianDropout', () => layers.GaussianDropout(0.2, { seed: 7 })],
    ['AlphaDropout', () => layers.AlphaDropout(0.2, { noiseShape: [null, 1, 4], seed: 7 })],
    ['SpatialDropout1D', () => layers.SpatialDropout1D(0.3, { seed: 7 })],
  ];

  test.each(makers)('%s: the same seed gives the same noise; the JSON config rebuilds the same layer', (_, make) => {
    const x = tf.randomNormal([3, 5, 4], 0, 1, 'float32', 1);
    const first = make();
    const again = layers.get(JSON.parse(JSON.stringify(first.serialize())));
    expect(again.className).toBe(first.className);
    expect(again.getConfig()).toEqual(first.getConfig());
    expect(Array.from(run(again, x))).toEqual(Array.from(run(make(), x)));
    x.dispose();
  });

  test('without a seed, streams follow the global seed and the place in the model', () => {
    const build = () => new Sequential([layers.GaussianNoise(1, { inputShape: [4] }), layers.GaussianDropout(0.3)]);
    const x = tf.ones([2, 4]);
    const outputs = [1, 1, 2].map((seed) => {
      utils.setRandomSeed(seed);
      const model = build();
      const { value } = model.forward(x, { training: true });
      const v = Array.from(value.dataSync());
      value.dispose();
      return v;
    });
    expect(outputs[0]).toEqual(outputs[1]);
    expect(outputs[0]).not.toEqual(outputs[2]);
    x.dispose();
  });

  test.each(makers)('%s: no tensors leak in training and inference', async (_, make) => {
    const x = tf.ones([2, 3, 4]);
    const layer = make();
    await expectNoLeak(() => {
      run(layer, x, true);
      run(layer, x, false);
    });
    x.dispose();
  });

  test('a model with noise layers fits and predicts without leaks', async () => {
    utils.setRandomSeed(1);
    const model = new Sequential([
      layers.Dense(8, { inputShape: [4], activation: 'selu' }), layers.AlphaDropout(0.1), layers.GaussianNoise(0.1),
      layers.GaussianDropout(0.1), layers.Dense(2, { activation: 'softmax' }),
    ]);
    model.compile({ loss: 'categoricalCrossentropy' });
    const x = tf.randomNormal([16, 4], 0, 1, 'float32', 2);
    const y = utils.toCategorical(Array.from({ length: 16 }, (_, i) => i % 2), 2);
    await model.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
    await expectNoLeak(async () => {
      await model.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0 });
      model.predict(x).dispose();
    });
    model.dispose();
    tf.dispose([x, y]);
  });
});
