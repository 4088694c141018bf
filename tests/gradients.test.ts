/**
 * keras-ts runs its own gradients (the dense op's explicit-transpose backward, L1's subgradient, the
 * fused softmax cross-entropy). Each must equal what stock tfjs autograd gives for the same math
 * written plainly with tf.matMul / tf.add / the activation, on every backend keras-ts ships.
 */
import { Sequential, layers, regularizers, tf } from '../src';
import type { ActivationIdentifier, BackendName } from '../src';
import { RandomGenerator } from '../src/backend/random';
import { denseOp } from '../src/backend/dense-op';
import { expectNoLeak, useBackend } from './helpers';

const TOLERANCE = 1e-5;

/** Seeded values in [-1, 1) with no exact zeros (where L1's subgradient is a choice, not a fact). */
function values(random: RandomGenerator, shape: number[]): tf.Tensor {
  const data = random.uniform(shape.reduce((a, b) => a * b, 1), -1, 1).map((v) => (v === 0 ? 0.5 : v));
  return tf.tensor(data, shape);
}

function expectClose(actual: tf.Tensor, expected: tf.Tensor): void {
  expect(actual.shape).toEqual(expected.shape);
  const a = actual.dataSync();
  const e = expected.dataSync();
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - e[i]!));
  expect(worst).toBeLessThanOrEqual(TOLERANCE);
  expect(a.some((v) => v !== 0)).toBe(true); // a gradient of zeros would prove nothing
}

/** The activations as stock tfjs ops. */
const PLAIN: Record<'linear' | 'relu' | 'sigmoid' | 'elu' | 'softmax', (z: tf.Tensor) => tf.Tensor> = {
  linear: (z) => z,
  relu: (z) => tf.relu(z),
  sigmoid: (z) => tf.sigmoid(z),
  elu: (z) => tf.elu(z),
  softmax: (z) => tf.softmax(z),
};

describe.each(['wasm', 'cpu'] as BackendName[])('on %s', (backendName) => {
  beforeAll(() => useBackend(backendName));

  describe('Dense gradients equal tf.grads of matMul + add + activation', () => {
    const cases = (Object.keys(PLAIN) as (keyof typeof PLAIN)[]).flatMap((activation) => [
      [activation, true],
      [activation, false],
    ]) as [keyof typeof PLAIN, boolean][];

    test.each(cases)('%s, bias %s', async (activation, useBias) => {
      await expectNoLeak(() => tf.tidy(() => {
        const random = new RandomGenerator(7);
        const layer = layers.Dense(6, { activation: activation as ActivationIdentifier, useBias });
        layer.build([5]);
        const x = values(random, [4, 5]);
        const weights = values(random, [4, 6]); // makes the scalar loss depend on every output
        layer.kernel!.assign(values(random, [5, 6]));
        if (useBias) layer.bias!.assign(values(random, [6]));
        const variables = useBias ? [layer.kernel!, layer.bias!] : [layer.kernel!];

        const dxOurs = tf.grad((xs: tf.Tensor) => tf.sum(tf.mul(layer.apply(xs, { training: true }), weights)))(x);
        const { grads } = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(x, { training: true }), weights)) as tf.Scalar, variables);

        const plain = tf.grads((xs: tf.Tensor, k: tf.Tensor, b?: tf.Tensor) => {
          const z = tf.matMul(xs as tf.Tensor2D, k as tf.Tensor2D);
          return tf.sum(tf.mul(PLAIN[activation](b === undefined ? z : tf.add(z, b)), weights));
        });
        const expected = plain(useBias ? [x, layer.kernel!, layer.bias!] : [x, layer.kernel!]);

        expectClose(dxOurs, expected[0]!);
        expectClose(grads[layer.kernel!.name]!, expected[1]!);
        if (useBias) expectClose(grads[layer.bias!.name]!, expected[2]!);
        layer.dispose();
      }));
    });

    test('the dense op without an input gradient still gives kernel and bias gradients', () => tf.tidy(() => {
      const random = new RandomGenerator(8);
      const x = values(random, [3, 4]) as tf.Tensor2D;
      const k = values(random, [4, 2]) as tf.Tensor2D;
      const b = values(random, [2]) as tf.Tensor1D;
      const [dk, db] = tf.grads((ks: tf.Tensor, bs: tf.Tensor) =>
        tf.sum(denseOp(x, ks as tf.Tensor2D, bs as tf.Tensor1D, { activation: 'relu', inputGradient: false })))([k, b]);
      const [dkPlain, dbPlain] = tf.grads((ks: tf.Tensor, bs: tf.Tensor) =>
        tf.sum(tf.relu(tf.add(tf.matMul(x, ks as tf.Tensor2D), bs))))([k, b]);
      expectClose(dk!, dkPlain!);
      expectClose(db!, dbPlain!);
    }));
  });

  describe('regularizer gradients equal tf.grads of the plain penalty', () => {
    const cases: [string, regularizers.RegularizerLike, (w: tf.Tensor) => tf.Tensor][] = [
      ['l1', regularizers.l1(0.03), (w) => tf.mul(tf.sum(tf.abs(w)), 0.03)],
      ['l2', regularizers.l2(0.02), (w) => tf.mul(tf.sum(tf.square(w)), 0.02)],
      ['l1l2', regularizers.l1l2({ l1: 0.01, l2: 0.04 }), (w) => tf.add(tf.mul(tf.sum(tf.abs(w)), 0.01), tf.mul(tf.sum(tf.square(w)), 0.04))],
    ];
    test.each(cases)('%s', async (_name, like, plain) => {
      await expectNoLeak(() => tf.tidy(() => {
        const regularizer = regularizers.get(like)!;
        const w = values(new RandomGenerator(9), [7, 5]);
        const [ours] = tf.grads((t: tf.Tensor) => regularizer.apply(t))([w]);
        const [expected] = tf.grads((t: tf.Tensor) => plain(t))([w]);
        expectClose(ours!, expected!);
      }));
    });

    test('L1 leaves exact zeros with a zero subgradient (tfjs abs would push them to -l1)', () => tf.tidy(() => {
      const [g] = tf.grads((t: tf.Tensor) => regularizers.l1(0.5).apply(t))([tf.tensor1d([0, 2, -3, 0])]);
      expect(Array.from(g!.dataSync())).toEqual([0, 0.5, -0.5, 0]);
    }));
  });

  describe('whole-model loss gradient equals the plain model written with tf ops', () => {
    const DATA_SEED = 11;
    function model(): Sequential {
      const m = new Sequential()
        .add(layers.Dense(8, { activation: 'relu', inputShape: [6], kernelRegularizer: regularizers.l1(0.01) }))
        .add(layers.Dense(7, { activation: 'elu', kernelRegularizer: regularizers.l2(0.02) }))
        .add(layers.Dense(5, { activation: 'sigmoid', useBias: false }))
        .add(layers.Dense(4, { activation: 'softmax' }));
      m.compile({ optimizer: { name: 'sgd', learningRate: 1 }, loss: 'categoricalCrossentropy' });
      const random = new RandomGenerator(DATA_SEED);
      const weights = m.trainableVariables().map((v) => values(random, v.shape));
      m.setWeights(weights);
      tf.dispose(weights);
      return m;
    }
    function data(): { x: tf.Tensor2D; y: tf.Tensor2D } {
      const random = new RandomGenerator(DATA_SEED + 1);
      const x = values(random, [10, 6]) as tf.Tensor2D;
      const y = tf.tidy(() => tf.oneHot(tf.tensor1d(Array.from({ length: 10 }, () => random.int(4)), 'int32'), 4) as tf.Tensor2D);
      return { x, y };
    }
    /** Mean categorical cross-entropy of softmax outputs plus both penalties, from tf ops only. */
    function plainGradients(weights: tf.Tensor[], x: tf.Tensor2D, y: tf.Tensor2D): tf.Tensor[] {
      return tf.grads((k1: tf.Tensor, b1: tf.Tensor, k2: tf.Tensor, b2: tf.Tensor, k3: tf.Tensor, k4: tf.Tensor, b4: tf.Tensor) => {
        const h1 = tf.relu(tf.add(tf.matMul(x, k1 as tf.Tensor2D), b1));
        const h2 = tf.elu(tf.add(tf.matMul(h1 as tf.Tensor2D, k2 as tf.Tensor2D), b2));
        const h3 = tf.sigmoid(tf.matMul(h2 as tf.Tensor2D, k3 as tf.Tensor2D));
        const p = tf.softmax(tf.add(tf.matMul(h3, k4 as tf.Tensor2D), b4));
        const crossEntropy = tf.mean(tf.neg(tf.sum(tf.mul(y, tf.log(p)), -1)));
        const penalty = tf.add(tf.mul(tf.sum(tf.abs(k1)), 0.01), tf.mul(tf.sum(tf.square(k2)), 0.02));
        return tf.add(crossEntropy, penalty);
      })(weights);
    }

    test('gradient of loss + penalty (the forward fit runs: logits and fused softmax cross-entropy)', async () => {
      await expectNoLeak(() => tf.tidy(() => {
        const m = model();
        const { x, y } = data();
        const variables = m.trainableVariables();
        const { grads } = tf.variableGrads(() => {
          const { objective } = m.compiled;
          expect(objective.fusedActivation).toBe('softmax');
          const prediction = m.forward(x, { training: true, preActivation: true });
          return m.computeLoss({ x, y }, prediction).total;
        }, variables);
        const expected = plainGradients(variables, x, y);
        variables.forEach((v, i) => expectClose(grads[v.name]!, expected[i]!));
        m.dispose();
      }));
    });

    test('one full-batch fit step with sgd(1) moves every weight by minus that gradient', async () => {
      const m = model();
      const { x, y } = data();
      const before = m.getWeights();
      const expected = plainGradients(m.trainableVariables(), x, y);
      await m.fit(x, y, { epochs: 1, batchSize: 10, shuffle: false, verbose: 0 });
      const after = m.getWeights();
      after.forEach((w, i) => {
        const step = tf.sub(before[i]!, w);
        expectClose(step, expected[i]!);
        step.dispose();
      });
      tf.dispose([x, y, ...before, ...after, ...expected]);
      m.dispose();
    });
  });
});
