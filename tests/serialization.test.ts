/** One config form per concept: every public class survives JSON and behaves the same after. */
import { Sequential, activations, constraints, initializers, layers, regularizers, tf, utils } from '../src';
import type { SerializedObject } from '../src';
import { RandomGenerator } from '../src/backend/random';
import { expectNoLeak, useBackend } from './helpers';

beforeAll(() => useBackend('wasm'));

const throughJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const W = tf.tensor2d([[0.5, -1.5, 0], [2, -0.25, 0.1], [3, 1, -2]]);
afterAll(() => W.dispose());
const valueOf = (t: tf.Tensor): number[] => {
  const out = Array.from(t.dataSync());
  t.dispose();
  return out;
};

describe('regularizers', () => {
  test.each([
    ['L1', regularizers.l1(0.003)],
    ['L2', regularizers.l2(0.02)],
    ['L1L2', regularizers.l1l2({ l1: 0.003, l2: 0.02 })],
  ])('%s: serialize → JSON → get gives the same penalty and gradient', (className, original) => {
    const json = throughJson(original.serialize());
    expect(json.className).toBe(className);
    const again = regularizers.get(json)!;
    expect(again.serialize()).toEqual(original.serialize());
    expect(valueOf(again.apply(W))).toEqual(valueOf(original.apply(W)));
    const g = (r: regularizers.Regularizer) => valueOf(tf.grad((w: tf.Tensor) => r.apply(w))(W));
    expect(g(again)).toEqual(g(original));
  });

  test.each(['L1L2', 'l1_l2', 'l1l2', 'L1', 'l1', 'L2', 'l2'])('Keras name %s resolves', (name) => {
    expect(regularizers.get(name as never)).toBeInstanceOf(regularizers.Regularizer);
  });

  test('null means no regularizer; config typos and wrong keys are errors', () => {
    expect(regularizers.get(null)).toBeUndefined();
    expect(() => regularizers.l1l2({ L1: 0.5 } as never)).toThrow(/Unknown option `L1` for regularizers.l1l2: did you mean l1\?/);
    expect(() => regularizers.get({ className: 'L1', config: { l2: 5 } })).toThrow(/Unknown option `l2`/);
    expect(() => regularizers.get({ className: 'L3', config: {} })).toThrow(/Unknown regularizer "L3".*Known: L1, L2, L1L2/);
  });

  test('a custom Regularizer subclass is a regularizer; a function cannot be serialized', () => {
    class Half extends regularizers.Regularizer {
      readonly className = 'Half';
      apply(w: tf.Tensor): tf.Scalar {
        return tf.tidy(() => tf.mul(tf.sum(w), 0.5) as tf.Scalar);
      }
      getConfig() {
        return {};
      }
    }
    const dense = layers.Dense(2, { kernelRegularizer: new Half() });
    expect(dense.getConfig()['kernelRegularizer']).toEqual({ className: 'Half', config: {} });
    expect(() => layers.Dense(2, { kernelRegularizer: (w) => tf.sum(w) as tf.Scalar }).getConfig()).toThrow(/Cannot serialize a custom regularizer function/);
  });
});

describe('constraints', () => {
  test.each([
    ['MaxNorm', constraints.maxNorm({ maxValue: 1.5, axis: 0 })],
    ['NonNeg', constraints.nonNeg()],
    ['UnitNorm', constraints.unitNorm({ axis: 1 })],
    ['MinMaxNorm', constraints.minMaxNorm({ minValue: 0.5, maxValue: 2, rate: 0.5, axis: 0 })],
  ])('%s: serialize → JSON → get projects the same', (className, original) => {
    const json = throughJson(original.serialize());
    expect(json.className).toBe(className);
    const again = constraints.get(json)!;
    expect(again.serialize()).toEqual(original.serialize());
    expect(valueOf(again.apply(W))).toEqual(valueOf(original.apply(W)));
  });

  test.each(['MaxNorm', 'max_norm', 'maxNorm', 'NonNeg', 'non_neg', 'UnitNorm', 'unit_norm', 'MinMaxNorm', 'min_max_norm'])('Keras name %s resolves', (name) => {
    expect(constraints.get(name as never)).toBeInstanceOf(constraints.Constraint);
  });

  test('a Dense layer keeps its constraint through getConfig (it used to come back as {})', () => {
    const config = layers.Dense(3, { kernelConstraint: constraints.maxNorm(2) }).getConfig();
    expect(config['kernelConstraint']).toEqual({ className: 'MaxNorm', config: { maxValue: 2, axis: 0 } });
    expect((layers.Dense(config as never).kernelConstraint as constraints.MaxNorm).maxValue).toBe(2);
  });

  test('an axis outside the weight rank is a clear error', () => {
    expect(() => constraints.maxNorm({ axis: 3 }).apply(W)).toThrow(/Invalid `axis` for constraints.MaxNorm: expected an axis of a rank-2 weight/);
  });
});

describe('initializers', () => {
  test.each(initializers.INITIALIZER_CLASS_NAMES.map((n) => [n]))('%s: config → JSON → get draws the same values', (className) => {
    const original = initializers.get({ className, config: {} })!;
    const again = initializers.get(throughJson(original.serialize()))!;
    expect(again.serialize()).toEqual(original.serialize());
    expect(valueOf(again.call([4, 3], new RandomGenerator(5)))).toEqual(valueOf(original.call([4, 3], new RandomGenerator(5))));
  });

  test('an own seed draws the same values whatever stream the layer passes, as Keras', () => {
    const init = initializers.get({ className: 'RandomNormal', config: { mean: 1, stddev: 0.5, seed: 3 } })!;
    expect(valueOf(init.call([5], new RandomGenerator(1)))).toEqual(valueOf(init.call([5], new RandomGenerator(2))));
  });

  test.each(['glorotUniform', 'glorot_uniform', 'GlorotUniform'])('%s names the same initializer', (name) => {
    expect(initializers.get(name as never)!.className).toBe('GlorotUniform');
  });
});

describe('activations', () => {
  test.each(activations.ACTIVATION_NAMES.map((n) => [n]))('%s: serialize → get is the same function', (name) => {
    const x = tf.tensor1d([-2, -0.5, 0, 0.5, 2]);
    const again = activations.get(throughJson(activations.serialize(name)));
    const values = (fn: (t: tf.Tensor) => tf.Tensor) => Array.from(tf.tidy(() => tf.clone(fn(x))).dataSync());
    expect(values(again)).toEqual(values(activations.get(name)));
    x.dispose();
  });
});

describe('layers and models', () => {
  test('layers.Dense(getConfig()) rebuilds an equal layer (units included in the options)', () => {
    const original = layers.Dense(7, {
      activation: 'tanh', kernelRegularizer: regularizers.l1(0.003), biasRegularizer: 'l2', activityRegularizer: regularizers.l1l2({ l1: 0.1, l2: 0.2 }),
      kernelInitializer: 'heNormal', kernelConstraint: constraints.unitNorm(), inputShape: [5], name: 'd',
    });
    const config = throughJson(original.getConfig());
    expect(layers.Dense(config as never).getConfig()).toEqual(original.getConfig());
    expect(layers.Dense(config['units'] as number, config as never).getConfig()).toEqual(original.getConfig());
    expect(() => layers.Dense(3, { units: 4 } as never)).toThrow(/Invalid `units` for Dense: expected the same value as the first argument \(3\)/);
  });

  test('layers.Dropout(getConfig()) rebuilds an equal layer', () => {
    const original = layers.Dropout(0.3, { noiseShape: [null, 1], seed: 4, name: 'drop' });
    expect(layers.Dropout(throughJson(original.getConfig()) as never).getConfig()).toEqual(original.getConfig());
  });

  test('Sequential.fromConfig(getConfig()) through JSON predicts the same with the same weights', async () => {
    utils.setRandomSeed(3);
    const model = new Sequential()
      .add(layers.Dense(6, { inputShape: [4], activation: 'relu', kernelRegularizer: regularizers.l1(0.01), kernelConstraint: constraints.maxNorm(2) }))
      .add(layers.Dropout(0.25))
      .add(layers.Dense(3, { activation: 'softmax', biasRegularizer: regularizers.l2(0.1) }));
    const config = throughJson(model.getConfig());
    const copy = Sequential.fromConfig(config);
    expect(copy.getConfig()).toEqual(model.getConfig());
    const weights = model.getWeights();
    copy.setWeights(weights);
    const x = tf.randomNormal([5, 4], 0, 1, 'float32', 1);
    await expectNoLeak(() => {
      expect(valueOf(copy.predict(x))).toEqual(valueOf(model.predict(x)));
      expect(copy.penalty()).toBe(model.penalty());
    });
    tf.dispose([x, ...weights]);
    model.dispose();
    copy.dispose();
  });

  test('layers.get of an unknown class lists the known ones', () => {
    expect(() => layers.get({ className: 'Conv2D', config: {} } as SerializedObject)).toThrow(/Unknown layer "Conv2D".*Known: Dense, Dropout/);
  });
});
