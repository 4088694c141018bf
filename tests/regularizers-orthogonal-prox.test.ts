import { Sequential, layers, regularizers, tf, utils } from '../src';
import { expectNoLeak, useBackend } from './helpers';

beforeAll(() => useBackend('wasm'));

/** Keras' OrthogonalRegularizer in plain JS: factor·½·Σ_{i≠j}|⟨u_i, u_j⟩| / (n(n−1)/2), u the normalized rows (columns). */
function orthogonalByHand(w: number[][], factor: number, mode: 'rows' | 'columns'): number {
  const vectors = mode === 'rows' ? w : w[0]!.map((_, j) => w.map((r) => r[j]!));
  const unit = vectors.map((v) => {
    const norm = Math.max(Math.sqrt(v.reduce((a, b) => a + b * b, 0)), 1e-7);
    return v.map((e) => e / norm);
  });
  const n = unit.length;
  let sum = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) sum += Math.abs(unit[i]!.reduce((a, e, k) => a + e * unit[j]![k]!, 0));
  return (factor * 0.5 * sum) / ((n * (n - 1)) / 2);
}

describe('OrthogonalRegularizer', () => {
  const W = [[1, 0], [1, 1], [0, 2], [-0.5, 3]];

  test.each(['rows', 'columns'] as const)('mode %s equals the Keras formula by hand', (mode) => {
    const w = tf.tensor2d(W);
    const reg = regularizers.orthogonalRegularizer({ factor: 0.03, mode });
    const value = reg.apply(w);
    expect(value.dataSync()[0]).toBeCloseTo(orthogonalByHand(W, 0.03, mode), 6);
    tf.dispose([w, value]);
  });

  test('the small example: rows [1,0], [1,1], [0,2]', () => {
    const w = tf.tensor2d([[1, 0], [1, 1], [0, 2]]);
    const value = regularizers.get('orthogonal_regularizer')!.apply(w);
    expect(value.dataSync()[0]).toBeCloseTo((0.01 * 0.5 * 4 * Math.SQRT1_2) / 3, 7);
    tf.dispose([w, value]);
  });

  test('errors, config round trip, no leaks, works as a kernel regularizer in fit', async () => {
    expect(() => regularizers.orthogonalRegularizer({ mode: 'diag' as never })).toThrow(/`mode`.*'rows' or 'columns'/);
    expect(() => regularizers.orthogonalRegularizer({ factor: -1 })).toThrow(/`factor`/);
    const v = tf.ones([3]);
    expect(() => regularizers.orthogonalRegularizer().apply(v)).toThrow(/rank 2/);
    const reg = regularizers.orthogonalRegularizer({ factor: 0.5, mode: 'columns' });
    const again = regularizers.get(JSON.parse(JSON.stringify(reg.serialize())))!;
    expect(again.serialize()).toEqual({ className: 'OrthogonalRegularizer', config: { factor: 0.5, mode: 'columns' } });
    const w = tf.tensor2d(W);
    await expectNoLeak(() => reg.apply(w).dispose());
    utils.setRandomSeed(1);
    const model = new Sequential([layers.Dense(4, { inputShape: [3], kernelRegularizer: reg }), layers.Dense(2, { activation: 'softmax' })]);
    model.compile({ loss: 'categoricalCrossentropy', optimizer: { name: 'sgd', learningRate: 0.5 } as never });
    const x = tf.randomNormal([8, 3], 0, 1, 'float32', 1);
    const y = utils.toCategorical([0, 1, 0, 1, 0, 1, 0, 1], 2);
    const before = model.penalty();
    await model.fit(x, y, { epochs: 20, batchSize: 8, verbose: 0 });
    expect(model.penalty()).toBeLessThan(before);
    model.dispose();
    tf.dispose([v, w, x, y]);
  });
});

describe('L1Prox', () => {
  test('the penalty reads like L1 but has no gradient; the proximal step soft-thresholds', () => {
    const w = tf.variable(tf.tensor1d([0.5, -0.05, 0.02, -1, 0]));
    const prox = regularizers.l1Prox(1);
    const value = prox.apply(w);
    expect(value.dataSync()[0]).toBeCloseTo(1.57, 6);
    const { grads } = tf.variableGrads(() => prox.apply(w), [w]);
    expect(Array.from(grads[w.name]!.dataSync())).toEqual([0, 0, 0, 0, 0]);
    prox.proximalStep(w, 0.1); // threshold 0.1
    expect(Array.from(w.dataSync()).map((e) => Number(e.toFixed(6)))).toEqual([0.4, 0, 0, -0.9, 0]);
    expect(regularizers.get({ className: 'L1Prox', config: { l1: 1e-4 } })!.getConfig()).toEqual({ l1: 1e-4 });
    expect(() => regularizers.l1Prox(-1)).toThrow(/`l1` for regularizers.l1Prox/);
    tf.dispose([value, grads[w.name]!, w]);
  });

  test('on a sparse regression: exact zeros, and an objective no worse than plain L1', async () => {
    const features = 12;
    const trueW = [2, 0, 0, -1.5, 0, 0, 0, 1, 0, 0, 0, 0];
    const x = tf.randomNormal([128, features], 0, 1, 'float32', 4);
    const y = tf.tidy(() => tf.matMul(x, tf.tensor2d(trueW, [features, 1])));
    const strength = 0.05;
    const train = async (reg: regularizers.Regularizer) => {
      utils.setRandomSeed(7);
      const model = new Sequential([layers.Dense(1, { inputShape: [features], useBias: false, kernelRegularizer: reg })]);
      model.compile({ loss: 'meanSquaredError', optimizer: { name: 'sgd', learningRate: 0.05 } as never });
      await model.fit(x, y, { epochs: 150, batchSize: 128, verbose: 0 });
      const kernel = Array.from(model.getWeights()[0]!.dataSync());
      const { loss } = await model.evaluate(x, y);
      model.dispose();
      return { kernel, loss: loss as number };
    };
    const prox = await train(regularizers.l1Prox(strength));
    const plain = await train(regularizers.l1(strength));
    const zeros = (k: number[]) => k.filter((e) => e === 0).length;
    expect(zeros(prox.kernel)).toBeGreaterThanOrEqual(6);
    expect(zeros(prox.kernel)).toBeGreaterThan(zeros(plain.kernel));
    expect(prox.loss).toBeLessThanOrEqual(plain.loss + 1e-4);
    tf.dispose([x, y]);
  });

  test('fit with L1Prox leaks nothing', async () => {
    utils.setRandomSeed(1);
    const model = new Sequential([layers.Dense(3, { inputShape: [4], kernelRegularizer: regularizers.l1Prox(0.01) })]);
    model.compile({ loss: 'meanSquaredError', optimizer: 'adam' });
    const x = tf.ones([4, 4]);
    const y = tf.zeros([4, 3]);
    await model.fit(x, y, { epochs: 1, verbose: 0 });
    await expectNoLeak(() => model.fit(x, y, { epochs: 2, verbose: 0 }));
    model.dispose();
    tf.dispose([x, y]);
  });
});
