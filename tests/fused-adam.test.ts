import { ConfigError, FusedAdam, FusedAdamW, Sequential, backend, layers, tf } from '../src';
import { adamUpdate } from '../src/backend/adam-kernel';
import { RandomGenerator } from '../src/backend/random';
import { blobs, expectNoLeak } from './helpers';

/** Keras 3's Adam(W) step in float64, the reference. */
function kerasStep(w: number[], g: number[], m: number[], v: number[], t: number, lr: number, wd: number, b1 = 0.9, b2 = 0.999, eps = 1e-7): void {
  const alpha = (lr * Math.sqrt(1 - b2 ** t)) / (1 - b1 ** t);
  for (let i = 0; i < w.length; i++) {
    w[i] = w[i]! - w[i]! * wd * lr;
    m[i] = m[i]! + (g[i]! - m[i]!) * (1 - b1);
    v[i] = v[i]! + (g[i]! ** 2 - v[i]!) * (1 - b2);
    w[i] = w[i]! - (m[i]! * alpha) / (Math.sqrt(v[i]!) + eps);
  }
}

/** Seeded gradients for `steps` steps of variables with these sizes. */
function gradients(sizes: number[], steps: number, seed = 3): Float32Array[][] {
  const random = new RandomGenerator(seed);
  return Array.from({ length: steps }, () => sizes.map((n) => random.uniform(n).map((u) => (u - 0.5) * 0.2)));
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d;
}

/** Runs an optimizer over fixed gradients; returns the final weights. */
function train(opt: tf.Optimizer, init: Float32Array[], shapes: number[][], grads: Float32Array[][]): Float32Array[] {
  const vars = init.map((values, i) => tf.variable(tf.tensor(values, shapes[i]!)));
  for (const step of grads) {
    tf.tidy(() => opt.applyGradients(Object.fromEntries(vars.map((v, i) => [v.name, tf.tensor(step[i]!, shapes[i]!)]))));
  }
  const out = vars.map((v) => v.dataSync() as Float32Array);
  tf.dispose(vars);
  opt.dispose();
  return out;
}

const shapes = [[40, 30], [30]];
const sizes = shapes.map((s) => s.reduce((a, b) => a * b, 1));
const init = (() => {
  const random = new RandomGenerator(9);
  return sizes.map((n) => random.uniform(n).map((u) => u - 0.5));
})();

test('one kernel step equals Keras 3 Adam and AdamW (float64 reference) to float32 precision', () => {
  for (const wd of [0, 0.004]) {
    const n = 1000;
    const random = new RandomGenerator(5);
    const [w, g, m, v] = [random.uniform(n), random.uniform(n), random.uniform(n), random.uniform(n)].map((a) => a.map((x) => x - 0.5));
    const ref = [w, g, m, v].map((a) => Array.from(a!));
    const vPos = v!.map(Math.abs);
    ref[3] = Array.from(vPos);
    for (let t = 1; t <= 3; t++) {
      const alpha = (0.01 * Math.sqrt(1 - 0.999 ** t)) / (1 - 0.9 ** t);
      adamUpdate(w!, g!, m!, vPos, w!, { alpha, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weightDecay: wd, learningRate: 0.01 });
      kerasStep(ref[0]!, ref[1]!, ref[2]!, ref[3]!, t, 0.01, wd);
    }
    expect(maxAbsDiff(w!, ref[0]!)).toBeLessThan(1e-6);
    expect(maxAbsDiff(m!, ref[2]!)).toBeLessThan(1e-6);
    expect(maxAbsDiff(vPos, ref[3]!)).toBeLessThan(1e-6);
  }
});

describe.each(['wasm', 'cpu'] as const)('on %s', (name) => {
  beforeAll(() => backend.use(name, name === 'wasm' ? { threads: 1 } : {}));

  test('300 steps: Keras math within 1e-6 of float64; with tfjs epsilon placement, tfjs AdamOptimizer (epsilon 1e-7) within 1e-6', () => {
    const grads = gradients(sizes, 300);
    const fused = train(new FusedAdam({ learningRate: 1e-3 }), init, shapes, grads);
    const fusedTfjs = train(new FusedAdam({ learningRate: 1e-3, epsilonPlacement: 'tfjs' }), init, shapes, grads);
    const stock = train(tf.train.adam(1e-3, 0.9, 0.999, 1e-7), init, shapes, grads);
    const ref = init.map((a) => Array.from(a));
    const m = sizes.map((n) => new Array<number>(n).fill(0));
    const v = sizes.map((n) => new Array<number>(n).fill(0));
    grads.forEach((step, t) => ref.forEach((w, i) => kerasStep(w, Array.from(step[i]!), m[i]!, v[i]!, t + 1, 1e-3, 0)));
    fused.forEach((w, i) => {
      expect(maxAbsDiff(w, ref[i]!)).toBeLessThan(1e-6);
      expect(maxAbsDiff(fusedTfjs[i]!, stock[i]!)).toBeLessThan(1e-6);
      // tfjs adds epsilon to √v̂, Keras to √v: early steps with small gradients differ by ~ε/(√(1−β2)·|g|).
      expect(maxAbsDiff(w, stock[i]!)).toBeLessThan(1e-3);
    });
  });

  test('AdamW decays before the Adam step, as Keras does', () => {
    const grads = gradients(sizes, 50);
    const fused = train(new FusedAdamW({ learningRate: 1e-2, weightDecay: 0.05 }), init, shapes, grads);
    const ref = init.map((a) => Array.from(a));
    const m = sizes.map((n) => new Array<number>(n).fill(0));
    const v = sizes.map((n) => new Array<number>(n).fill(0));
    grads.forEach((step, t) => ref.forEach((w, i) => kerasStep(w, Array.from(step[i]!), m[i]!, v[i]!, t + 1, 1e-2, 0.05)));
    fused.forEach((w, i) => expect(maxAbsDiff(w, ref[i]!)).toBeLessThan(1e-5));
  });

  test('getWeights/setWeights carry the state: a restored optimizer continues identically', async () => {
    const grads = gradients(sizes, 20);
    const a = new FusedAdam();
    const vars = init.map((values, i) => tf.variable(tf.tensor(values, shapes[i]!)));
    const step = (opt: FusedAdam, g: Float32Array[]): void =>
      tf.tidy(() => opt.applyGradients(Object.fromEntries(vars.map((x, i) => [x.name, tf.tensor(g[i]!, shapes[i]!)]))));
    grads.slice(0, 10).forEach((g) => step(a, g));
    const b = new FusedAdam();
    await b.setWeights(await a.getWeights());
    expect(b.iterations).toBe(10);
    const saved = vars.map((x) => x.clone());
    grads.slice(10).forEach((g) => step(a, g));
    const afterA = vars.map((x) => x.dataSync().slice());
    vars.forEach((x, i) => x.assign(saved[i]!));
    grads.slice(10).forEach((g) => step(b, g));
    vars.forEach((x, i) => expect(Array.from(x.dataSync())).toEqual(Array.from(afterA[i]!)));
    tf.dispose([...vars, ...saved]);
    a.dispose();
    b.dispose();
  });

  test('tensors sharing the weights or the state are left alone (state written in place is copied first)', async () => {
    const w = tf.variable(tf.tensor([1, 2, 3]));
    const alias = w.clone(); // shares the buffer
    const opt = new FusedAdam({ learningRate: 0.1 });
    tf.tidy(() => opt.applyGradients({ [w.name]: tf.tensor([1, 1, 1]) }));
    expect(Array.from(alias.dataSync())).toEqual([1, 2, 3]);
    expect(w.dataSync()[0]).toBeCloseTo(0.9, 5);
    const m = (await opt.getWeights())[1]!.tensor.clone();
    const mBefore = Array.from(m.dataSync());
    tf.tidy(() => opt.applyGradients({ [w.name]: tf.tensor([1, 1, 1]) }));
    expect(Array.from(m.dataSync())).toEqual(mBefore);
    tf.dispose([w, alias, m]);
    opt.dispose();
  });

  test('a matmul after the update sees the new weights (the wasm backend caches packed weights per tensor)', () => {
    const x = tf.tensor2d(init[0]!.slice(0, 4 * 40), [4, 40]);
    const w = tf.variable(tf.tensor2d(init[0]!, [40, 30]));
    tf.matMul(x, w).dispose(); // packs w
    const opt = new FusedAdam({ learningRate: 0.1 });
    tf.tidy(() => opt.applyGradients({ [w.name]: tf.onesLike(w) }));
    const after = tf.matMul(x, w);
    const expected = tf.matMul(x, tf.tensor2d(w.dataSync().slice(), [40, 30]));
    expect(Array.from(after.dataSync())).toEqual(Array.from(expected.dataSync()));
    tf.dispose([x, w, after, expected]);
    opt.dispose();
  });

  test('fit with FusedAdam learns and leaves the tensor count flat', async () => {
    const { x, y } = blobs(256);
    const model = new Sequential()
      .add(layers.Dense(16, { activation: 'relu', inputShape: [8] }))
      .add(layers.Dense(3, { activation: 'softmax' }));
    model.compile({ optimizer: new FusedAdam({ learningRate: 0.01 }), loss: 'categoricalCrossentropy' });
    await model.fit(x, y, { epochs: 1, batchSize: 32, verbose: 0 });
    const history = await expectNoLeak(() => model.fit(x, y, { epochs: 20, batchSize: 32, verbose: 0 }));
    const loss = history.history['loss']!;
    expect(loss[loss.length - 1]!).toBeLessThan(loss[0]! * 0.8);
    model.dispose();
    tf.dispose([x, y]);
  });
});

test('FusedAdam gives the same bits on wasm and cpu', async () => {
  const grads = gradients(sizes, 100);
  await backend.use('wasm', { threads: 1 });
  const onWasm = train(new FusedAdamW(), init, shapes, grads);
  await backend.use('cpu');
  const onCpu = train(new FusedAdamW(), init, shapes, grads);
  onWasm.forEach((w, i) => expect(Array.from(w)).toEqual(Array.from(onCpu[i]!)));
});

test('invalid hyperparameters are ConfigErrors naming the argument', () => {
  expect(() => new FusedAdam({ learningRate: -1 })).toThrow(ConfigError);
  expect(() => new FusedAdam({ beta1: 1 })).toThrow(/Invalid `beta1` for FusedAdam: expected a number in \[0, 1\)/);
  expect(() => new FusedAdamW({ weightDecay: -0.1 })).toThrow(/Invalid `weightDecay` for FusedAdamW/);
});
