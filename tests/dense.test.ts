import { ConfigError, Sequential, constraints, layers, regularizers, tf } from '../src';
import { expectNoLeak, useBackend } from './helpers';

beforeAll(() => useBackend('wasm'));

const X = [[1, -2], [0.5, 3]];
const K = [[0.1, -0.2, 0.3], [0.4, 0.5, -0.6]];
const B = [0.01, -0.02, 0.03];
const linear = X.map((row) => K[0]!.map((_, j) => row[0]! * K[0]![j]! + row[1]! * K[1]![j]! + B[j]!));

function denseWith(activation: Parameters<typeof layers.Dense>[1] extends infer O ? O extends { activation?: infer A } ? A : never : never) {
  const layer = layers.Dense(3, { activation, inputShape: [2] });
  layer.build([2]);
  layer.kernel!.assign(tf.tensor2d(K));
  layer.bias!.assign(tf.tensor1d(B));
  return layer;
}

const erf = (x: number): number => {
  // Abramowitz-Stegun 7.1.26 (|error| < 1.5e-7)
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return Math.sign(x) * y;
};

describe('forward pass equals the math on hand-set weights', () => {
  const cases: [string, (z: number, row: number[]) => number][] = [
    ['linear', (z) => z],
    ['relu', (z) => Math.max(0, z)],
    ['sigmoid', (z) => 1 / (1 + Math.exp(-z))],
    ['tanh', (z) => Math.tanh(z)],
    ['elu', (z) => (z > 0 ? z : Math.exp(z) - 1)],
    ['gelu', (z) => 0.5 * z * (1 + erf(z / Math.SQRT2))],
    ['swish', (z) => z / (1 + Math.exp(-z))],
    ['softplus', (z) => Math.log(1 + Math.exp(z))],
    ['softmax', (z, row) => Math.exp(z) / row.reduce((s, v) => s + Math.exp(v), 0)],
  ];
  test.each(cases)('%s', (activation, f) => {
    const layer = denseWith(activation as never);
    const x = tf.tensor2d(X);
    const y = layer.apply(x);
    const got = y.arraySync() as number[][];
    linear.forEach((row, i) => row.forEach((z, j) => expect(got[i]![j]).toBeCloseTo(f(z, row), 5)));
    tf.dispose([x, y]);
    layer.dispose();
  });

  test('useBias: false has no bias weight', () => {
    const layer = layers.Dense(3, { useBias: false });
    layer.build([2]);
    expect(layer.bias).toBeUndefined();
    expect(layer.countParams()).toBe(6);
    layer.dispose();
  });

  test('inputs of rank 3 apply to the last axis', () => {
    const layer = denseWith('linear');
    const x = tf.tensor3d([X, X]);
    const y = layer.apply(x);
    expect(y.shape).toEqual([2, 2, 3]);
    expect((y.arraySync() as number[][][])[1]![1]![2]).toBeCloseTo(linear[1]![2]!, 5);
    tf.dispose([x, y]);
    layer.dispose();
  });
});

describe('penalties', () => {
  test('bias regularizer penalizes the bias', () => {
    const model = new Sequential().add(layers.Dense(3, { inputShape: [2], biasRegularizer: regularizers.l1(0.5) }));
    model.setWeights([tf.tensor2d(K), tf.tensor1d(B)]);
    expect(model.penalty()).toBeCloseTo(0.5 * (0.01 + 0.02 + 0.03), 6);
    model.dispose();
  });

  test('activity regularizer: reg(output after activation) divided by the batch size (Keras ≥ 3.14), averaged over batches in evaluate', async () => {
    const model = new Sequential().add(
      layers.Dense(3, { inputShape: [2], activation: 'relu', activityRegularizer: regularizers.l2(0.1), kernelRegularizer: regularizers.l1(0.2) }),
    );
    model.compile({ loss: 'meanSquaredError' });
    model.setWeights([tf.tensor2d(K), tf.tensor1d(B)]);
    const relu = linear.map((r) => r.map((z) => Math.max(0, z)));
    const activity = (0.1 * relu.flat().reduce((s, v) => s + v * v, 0)) / X.length; // one batch of X.length rows
    const weight = 0.2 * K.flat().reduce((s, v) => s + Math.abs(v), 0);
    const mse = relu.flat().reduce((s, v) => s + v * v, 0) / 6;
    const x = tf.tensor2d(X);
    const y = tf.zeros([2, 3]);
    const result = await model.evaluate(x, y, { batchSize: 2 });
    expect(result.penalty).toBeCloseTo(weight + activity, 5);
    expect(result.loss).toBeCloseTo(mse + weight + activity, 5);
    tf.dispose([x, y]);
    model.dispose();
  });
});

describe('constraints hold after updates', () => {
  test.each([
    ['maxNorm', () => constraints.maxNorm({ maxValue: 0.5 }), (k: number[][]) => columnNorms(k).every((n) => n <= 0.5 + 1e-5)],
    ['nonNeg', () => constraints.nonNeg(), (k: number[][]) => k.flat().every((v) => v >= 0)],
    ['unitNorm', () => constraints.unitNorm(), (k: number[][]) => columnNorms(k).every((n) => Math.abs(n - 1) < 1e-4)],
    ['minMaxNorm', () => constraints.minMaxNorm({ minValue: 0.8, maxValue: 0.9 }), (k: number[][]) => columnNorms(k).every((n) => n >= 0.8 - 1e-4 && n <= 0.9 + 1e-4)],
  ])('%s', async (_name, make, holds) => {
    const model = new Sequential().add(layers.Dense(4, { inputShape: [6], kernelConstraint: make(), kernelInitializer: 'heNormal' }));
    model.compile({ optimizer: { name: 'sgd', learningRate: 0.5 }, loss: 'mse' });
    const x = tf.randomNormal([32, 6], 0, 3, 'float32', 3);
    const y = tf.randomNormal([32, 4], 0, 3, 'float32', 4);
    await model.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0 });
    expect(holds(model.layers[0]!.weights[0]!.variable.arraySync() as number[][])).toBe(true);
    tf.dispose([x, y]);
    model.dispose();
  });

  const columnNorms = (k: number[][]): number[] => k[0]!.map((_, j) => Math.sqrt(k.reduce((s, row) => s + row[j]! ** 2, 0)));
});

describe('config', () => {
  test('getConfig round-trips through the factory', () => {
    const original = layers.Dense(7, {
      activation: 'tanh', useBias: false, kernelRegularizer: regularizers.l1(0.003), biasRegularizer: 'l2',
      activityRegularizer: regularizers.l1l2({ l1: 0.1, l2: 0.2 }), kernelInitializer: 'heNormal', inputShape: [5],
    });
    const { units, ...rest } = original.getConfig() as { units: number } & Record<string, unknown>;
    const rebuilt = layers.Dense(units, { ...rest, name: 'copy' } as never);
    expect({ ...rebuilt.getConfig(), name: original.name }).toEqual(original.getConfig());
    expect(original.getConfig()['kernelRegularizer']).toEqual({ className: 'L1', config: { l1: 0.003 } });
  });
});

describe('bad arguments', () => {
  test.each([0, -1, 1.5, '64', NaN])('units=%p', (units) => {
    expect(() => layers.Dense(units as number)).toThrow(ConfigError);
    expect(() => layers.Dense(units as number)).toThrow(/Invalid `units` for Dense: expected a positive integer/);
  });
  test('snake_case option gets a camelCase hint', () => {
    expect(() => layers.Dense(4, { kernel_regularizer: regularizers.l1(0.1) } as never)).toThrow(/did you mean kernelRegularizer\?/);
  });
  test('typo gets the closest option', () => {
    expect(() => layers.Dense(4, { activaton: 'relu' } as never)).toThrow(/Unknown option `activaton` for Dense: did you mean activation\?/);
  });
  test('unknown activation names the option', () => {
    expect(() => layers.Dense(4, { activation: 'rellu' as never })).toThrow(/Invalid `activation` for Dense/);
  });
  test('bad regularizer names the option', () => {
    expect(() => layers.Dense(4, { kernelRegularizer: 'l3' as never })).toThrow(/Invalid `kernelRegularizer` for Dense/);
  });
  test('apply on wrong width is a ShapeError', async () => {
    const layer = denseWith('linear');
    const x = tf.ones([2, 5]);
    await expectNoLeak(() => expect(() => layer.apply(x)).toThrow(/expects inputs with 2 features/));
    x.dispose();
    layer.dispose();
  });
});
