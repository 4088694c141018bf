import { ConfigError, layers, regularizers, tf, Sequential } from '../src';
import { useBackend } from './helpers';

const W = [[0.5, -1.5, 0], [2, -0.25, 0.1]];
const sumAbs = W.flat().reduce((a, b) => a + Math.abs(b), 0);
const sumSq = W.flat().reduce((a, b) => a + b * b, 0);

beforeAll(() => useBackend('wasm'));

describe('penalty values follow Keras (no 1/2 factor)', () => {
  test.each([
    ['l1', () => regularizers.l1(0.003), 0.003 * sumAbs],
    ['l2', () => regularizers.l2(0.02), 0.02 * sumSq],
    ['l1l2', () => regularizers.l1l2({ l1: 0.003, l2: 0.02 }), 0.003 * sumAbs + 0.02 * sumSq],
    ['l1_l2 alias (an unset strength is 0, as Keras 3)', () => regularizers.l1_l2({ l1: 0.5 }), 0.5 * sumAbs],
    ['l1l2 with null l2 (Keras 3: None → 0)', () => regularizers.l1l2({ l1: 0.5, l2: null }), 0.5 * sumAbs],
  ])('%s', (_name, make, expected) => {
    const w = tf.tensor2d(W);
    const p = make().apply(w);
    expect(p.rank).toBe(0);
    expect(p.dataSync()[0]).toBeCloseTo(expected, 6);
    tf.dispose([w, p]);
  });

  test("defaults are Keras 3's: L1 and L2 0.01, L1L2 0 each", () => {
    expect(regularizers.l1().getConfig()).toEqual({ l1: 0.01 });
    expect(regularizers.l2().getConfig()).toEqual({ l2: 0.01 });
    expect(regularizers.l1l2().getConfig()).toEqual({ l1: 0, l2: 0 });
  });
});

describe('gradients', () => {
  test('l1 gradient is l1·sign(w) (0 at w = 0)', () => {
    const w = tf.tensor2d(W);
    const g = tf.grad((t: tf.Tensor) => regularizers.l1(0.003).apply(t))(w);
    expect(Array.from(g.dataSync())).toEqual(W.flat().map((v) => Math.fround(0.003 * Math.sign(v))));
    tf.dispose([w, g]);
  });

  test('l2 gradient is 2·l2·w', () => {
    const w = tf.tensor2d(W);
    const g = tf.grad((t: tf.Tensor) => regularizers.l2(0.02).apply(t))(w);
    Array.from(g.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(2 * 0.02 * W.flat()[i]!, 6));
    tf.dispose([w, g]);
  });
});

describe('get and serialization', () => {
  test.each([
    ['l1', { className: 'L1', config: { l1: 0.01 } }], ['L1', { className: 'L1', config: { l1: 0.01 } }],
    ['l2', { className: 'L2', config: { l2: 0.01 } }], ['L2', { className: 'L2', config: { l2: 0.01 } }],
    ['l1_l2', { className: 'L1L2', config: { l1: 0, l2: 0 } }], ['L1L2', { className: 'L1L2', config: { l1: 0, l2: 0 } }],
  ] as const)('get(%s) resolves as Keras 3 does', (name, expected) => {
    expect(regularizers.get(name)!.serialize()).toEqual(expected);
  });

  test('serialize → get round-trips config and penalty', () => {
    const original = regularizers.l1l2({ l1: 0.2, l2: 0.3 });
    const again = regularizers.get(regularizers.serialize(original))!;
    expect(again.getConfig()).toEqual({ l1: 0.2, l2: 0.3 });
    const w = tf.tensor2d(W);
    const [a, b] = [original.apply(w), again.apply(w)];
    expect(a.dataSync()[0]).toBe(b.dataSync()[0]);
    tf.dispose([w, a, b]);
  });

  test('get returns instances unchanged', () => {
    const r = regularizers.l2(0.5);
    expect(regularizers.get(r)).toBe(r);
  });

  test('a plain function is a custom regularizer, in a Dense layer too', async () => {
    const custom = (w: tf.Tensor) => tf.mul(tf.sum(tf.abs(w)), 0.1) as tf.Scalar;
    const model = new Sequential().add(layers.Dense(2, { inputShape: [2], kernelRegularizer: custom, useBias: false }));
    model.setWeights([tf.tensor2d([[1, -2], [3, -4]])]);
    expect(model.penalty()).toBeCloseTo(1.0, 6);
    model.dispose();
  });

  test('unknown names throw', () => {
    expect(() => regularizers.get('l3' as never)).toThrow(/Unknown regularizer/);
  });
});

describe('invalid strengths throw ConfigError naming the argument', () => {
  test.each([-0.1, NaN, Infinity, '0.1'])('l1(%p)', (bad) => {
    expect(() => regularizers.l1(bad as number)).toThrow(ConfigError);
    expect(() => regularizers.l1(bad as number)).toThrow(/`l1`/);
  });
  test.each([-1, NaN, -Infinity, 'x'])('l2(%p)', (bad) => {
    expect(() => regularizers.l2(bad as number)).toThrow(/Invalid `l2` for regularizers.l2/);
  });
  test('l1l2 with a bad l2', () => {
    expect(() => regularizers.l1l2({ l1: 0.1, l2: -2 })).toThrow(/Invalid `l2` for regularizers.l1l2.*Received: l2=-2/);
  });
});
