import { ConfigError, layers, tf } from '../src';
import { expectNoLeak, useBackend } from './helpers';

beforeAll(() => useBackend('wasm'));

function values(layer: ReturnType<typeof layers.Dropout>, x: tf.Tensor, training: boolean): Float32Array {
  const y = layer.apply(x, { training });
  const v = y.dataSync() as Float32Array;
  y.dispose();
  return v;
}

describe('training mode', () => {
  test.each([0.2, 0.5, 0.9])('rate %p: zeroed fraction ≈ rate, survivors scaled by 1/(1−rate)', (rate) => {
    const n = 200_000;
    const x = tf.ones([400, n / 400]);
    const v = values(layers.Dropout(rate, { seed: 11 }), x, true);
    const zeros = v.filter((e) => e === 0).length / n;
    const sigma = Math.sqrt((rate * (1 - rate)) / n);
    expect(Math.abs(zeros - rate)).toBeLessThan(4 * sigma);
    const scale = Math.fround(1 / (1 - rate));
    expect(v.every((e) => e === 0 || e === scale)).toBe(true);
    const mean = v.reduce((a, b) => a + b, 0) / n;
    expect(Math.abs(mean - 1)).toBeLessThan(4 * Math.sqrt(rate / (1 - rate) / n));
    x.dispose();
  });

  test('rate 0 is the identity', () => {
    const x = tf.randomNormal([10, 10]);
    expect(values(layers.Dropout(0), x, true)).toEqual(x.dataSync());
    x.dispose();
  });

  test('no tensors leak', async () => {
    const x = tf.ones([8, 8]);
    const layer = layers.Dropout(0.5);
    await expectNoLeak(() => values(layer, x, true));
    x.dispose();
  });
});

test('inference is the exact identity', () => {
  const x = tf.randomNormal([50, 20], 0, 1, 'float32', 5);
  expect(values(layers.Dropout(0.7), x, false)).toEqual(x.dataSync());
  x.dispose();
});

describe('noiseShape broadcasting', () => {
  test('[null, 1] drops whole rows', () => {
    const x = tf.ones([500, 16]);
    const v = values(layers.Dropout(0.5, { noiseShape: [null, 1], seed: 3 }), x, true);
    const rows = Array.from({ length: 500 }, (_, r) => Array.from(v.slice(r * 16, r * 16 + 16)));
    expect(rows.every((row) => row.every((e) => e === 0) || row.every((e) => e === 2))).toBe(true);
    const dropped = rows.filter((row) => row[0] === 0).length / 500;
    expect(Math.abs(dropped - 0.5)).toBeLessThan(4 * Math.sqrt(0.25 / 500));
    x.dispose();
  });

  test('[1, null] drops whole columns', () => {
    const x = tf.ones([30, 200]);
    const v = values(layers.Dropout(0.3, { noiseShape: [1, null], seed: 4 }), x, true);
    for (let c = 0; c < 200; c++) {
      const column = Array.from({ length: 30 }, (_, r) => v[r * 200 + c]);
      expect(new Set(column).size).toBe(1);
    }
    x.dispose();
  });

  test('noiseShape of the wrong rank is an error naming noiseShape', () => {
    const x = tf.ones([4, 4]);
    expect(() => layers.Dropout(0.5, { noiseShape: [1] }).apply(x, { training: true })).toThrow(/`noiseShape`/);
    x.dispose();
  });
});

describe('seeds', () => {
  test('same seed → same mask; different seeds differ', () => {
    const x = tf.ones([64, 64]);
    const a = values(layers.Dropout(0.5, { seed: 9 }), x, true);
    const b = values(layers.Dropout(0.5, { seed: 9 }), x, true);
    const c = values(layers.Dropout(0.5, { seed: 10 }), x, true);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    x.dispose();
  });
});

describe('bad arguments', () => {
  test.each([1, 1.5, -0.1, NaN, '0.2'])('rate=%p', (rate) => {
    expect(() => layers.Dropout(rate as number)).toThrow(ConfigError);
    expect(() => layers.Dropout(rate as number)).toThrow(/Invalid `rate` for Dropout: expected a number in \[0, 1\)/);
  });
  test('unknown option gets a hint', () => {
    expect(() => layers.Dropout(0.2, { noise_shape: [null, 1] } as never)).toThrow(/did you mean noiseShape\?/);
  });
  test('bad seed', () => {
    expect(() => layers.Dropout(0.2, { seed: -1 })).toThrow(/Invalid `seed` for Dropout/);
  });
  test('config round trip', () => {
    const d = layers.Dropout(0.25, { noiseShape: [null, 1], seed: 5 });
    const { rate, ...rest } = d.getConfig() as { rate: number } & Record<string, unknown>;
    expect(layers.Dropout(rate, { ...rest, name: 'other' } as never).getConfig()).toEqual({ ...d.getConfig(), name: 'other' });
  });
});
