import { Sequential, layers, optimizers, tf } from '../src';
import { configOfOptimizer, getOptimizer } from '../src/training/optimizers';
import { expectNoLeak, useBackend } from './helpers';

beforeAll(() => useBackend('wasm'));

/** Runs `steps` updates of loss = Σ coef·w from w0 and returns w after each step. */
function run(optimizer: tf.Optimizer, w0: number[], coef: number[], steps: number): number[][] {
  const w = tf.variable(tf.tensor1d(w0));
  const c = tf.tensor1d(coef);
  const out: number[][] = [];
  for (let i = 0; i < steps; i++) {
    optimizer.minimize(() => tf.sum(tf.mul(w, c)) as tf.Scalar);
    out.push(Array.from(w.dataSync()));
  }
  w.dispose();
  c.dispose();
  optimizer.dispose();
  return out;
}

const close = (actual: number[][], expected: number[][]) =>
  expected.forEach((row, i) => row.forEach((v, j) => expect(actual[i]![j]!).toBeCloseTo(v, 5)));

test('weightDecay on SGD: v ← v − v·wd·lr before the step (Keras 3 formula)', () => {
  // grad 1, lr 0.1, wd 0.5: w ← 0.95·w − 0.1
  close(run(optimizers.SGD({ learningRate: 0.1, weightDecay: 0.5 }), [1, 2], [1, 1], 2), [[0.85, 1.8], [0.7075, 1.61]]);
});

test('AdamW: decay with the current lr, then Adam (first step moves by ≈ lr)', () => {
  const lr = 0.1, wd = 0.5, eps = 1e-7;
  const step1 = 1 - 1 * wd * lr - lr * (1 / (1 + eps));
  close(run(optimizers.AdamW({ learningRate: lr, weightDecay: wd }), [1], [1], 1), [[step1]]);
  expect(configOfOptimizer(getOptimizer('adamw'))!.config['weightDecay']).toBe(0.004);
});

test('clipnorm clips each gradient to its own norm; clipvalue clips elements', () => {
  close(run(optimizers.SGD({ learningRate: 1, clipnorm: 1 }), [0, 0], [3, 4], 1), [[-0.6, -0.8]]);
  close(run(optimizers.SGD({ learningRate: 1, clipnorm: 10 }), [0, 0], [3, 4], 1), [[-3, -4]]);
  close(run(optimizers.SGD({ learningRate: 1, clipvalue: 1 }), [0, 0], [3, -4], 1), [[-1, 1]]);
});

test('globalClipnorm scales all gradients by one factor; clipnorm clips each', () => {
  const pair = (options: Parameters<typeof optimizers.SGD>[0]) => {
    const a = tf.variable(tf.scalar(0));
    const b = tf.variable(tf.scalar(0));
    const opt = optimizers.SGD(options);
    opt.minimize(() => tf.add(tf.mul(a, 3), tf.mul(b, 4)) as tf.Scalar);
    const out = [a.dataSync()[0]!, b.dataSync()[0]!];
    tf.dispose([a, b]);
    opt.dispose();
    return out;
  };
  const [ga, gb] = pair({ learningRate: 1, globalClipnorm: 1 });
  expect(ga).toBeCloseTo(-0.6, 5);
  expect(gb).toBeCloseTo(-0.8, 5);
  const [ca, cb] = pair({ learningRate: 1, clipnorm: 1 });
  expect(ca).toBeCloseTo(-1, 5);
  expect(cb).toBeCloseTo(-1, 5);
});

test('clip options are mutually exclusive and checked', () => {
  expect(() => optimizers.Adam({ clipnorm: 1, clipvalue: 1 })).toThrow(/Only one of `clipnorm`, `clipvalue` and `globalClipnorm`.*clipnorm=1, clipvalue=1/);
  expect(() => optimizers.Adam({ globalClipnorm: -1 })).toThrow(/globalClipnorm/);
  expect(() => optimizers.SGD({ weightDecay: -0.1 })).toThrow(/weightDecay/);
});

test('schedules give Keras values at given steps', () => {
  const e = optimizers.schedules.ExponentialDecay({ initialLearningRate: 1, decaySteps: 10, decayRate: 0.5 });
  expect(e.call(5)).toBeCloseTo(Math.SQRT1_2, 10);
  expect(e.call(20)).toBeCloseTo(0.25, 10);
  const s = optimizers.schedules.ExponentialDecay({ initialLearningRate: 1, decaySteps: 10, decayRate: 0.5, staircase: true });
  expect([s.call(5), s.call(10), s.call(19)]).toEqual([1, 0.5, 0.5]);

  const c = optimizers.schedules.CosineDecay({ initialLearningRate: 1, decaySteps: 10, alpha: 0.1 });
  expect(c.call(0)).toBeCloseTo(1, 10);
  expect(c.call(5)).toBeCloseTo(0.55, 10);
  expect(c.call(50)).toBeCloseTo(0.1, 10); // capped at decaySteps
  const w = optimizers.schedules.CosineDecay({ initialLearningRate: 0, decaySteps: 10, warmupTarget: 1, warmupSteps: 4 });
  expect([w.call(0), w.call(2), w.call(4), w.call(9), w.call(100)].map((v) => +v.toFixed(10))).toEqual([0, 0.5, 1, 0.5, 0]);

  const p = optimizers.schedules.PiecewiseConstantDecay({ boundaries: [10, 20], values: [1, 0.5, 0.1] });
  expect([0, 10, 11, 20, 21].map((t) => p.call(t))).toEqual([1, 1, 0.5, 0.5, 0.1]);
  expect(() => optimizers.schedules.PiecewiseConstantDecay({ boundaries: [10], values: [1] })).toThrow(/values/);
});

test('a schedule in { className, config } form drives the learning rate per iteration', () => {
  const schedule = { className: 'ExponentialDecay', config: { initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.5 } };
  const opt = getOptimizer({ className: 'SGD', config: { learningRate: schedule } });
  expect(configOfOptimizer(opt)!.config['learningRate']).toEqual({ className: 'ExponentialDecay', config: { ...schedule.config, staircase: false } });
  expect(() => optimizers.setLearningRate(opt, 0.3)).toThrow(/not settable/);
  close(run(opt, [1], [1], 3), [[0.9], [0.85], [0.825]]); // lr 0.1, 0.05, 0.025
});

test('setLearningRate changes the step of every optimizer kind', () => {
  for (const make of [() => optimizers.SGD({ learningRate: 1 }), () => optimizers.SGD({ learningRate: 1, momentum: 0.5 }), () => optimizers.RMSprop(), () => optimizers.Adam()]) {
    const opt = make();
    optimizers.setLearningRate(opt, 0.25);
    expect(optimizers.getLearningRate(opt)).toBe(0.25);
    expect(configOfOptimizer(opt)!.config['learningRate']).toBe(0.25);
    opt.dispose();
  }
  close(run((() => { const o = optimizers.SGD({ learningRate: 1 }); optimizers.setLearningRate(o, 0.25); return o; })(), [0], [1], 1), [[-0.25]]);
});

test('fit with weight decay, clipping and a schedule leaks no tensors', async () => {
  const model = new Sequential([layers.Dense({ units: 2, inputShape: [3], activation: 'softmax' })]);
  model.compile({
    optimizer: { className: 'Adam', config: { weightDecay: 0.01, globalClipnorm: 1, learningRate: { className: 'CosineDecay', config: { initialLearningRate: 0.01, decaySteps: 5 } } } },
    loss: 'categoricalCrossentropy',
  });
  const x = tf.randomNormal([8, 3], 0, 1, 'float32', 3);
  const y = tf.oneHot(tf.tensor1d([0, 1, 0, 1, 0, 1, 0, 1], 'int32'), 2);
  await model.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0 }); // warms the optimizer's slots
  await expectNoLeak(() => model.fit(x, y, { epochs: 2, batchSize: 4, verbose: 0 }));
  expect(model.optimizer.iterations).toBe(6);
  expect(optimizers.getLearningRate(model.optimizer)).toBeCloseTo(0, 10); // past decaySteps, alpha 0
  tf.dispose([x, y]);
  model.dispose();
});
