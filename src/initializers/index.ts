/**
 * Weight initializers (Keras' formulas), drawn from keras-ts' seeded generator in JS so the same
 * seed gives the same initial weights on every backend.
 */
import { tf } from '../backend/tf';
import type { RandomGenerator } from '../backend/random';
import { ConfigError, describe } from '../errors';

export type InitializerIdentifier =
  | 'zeros'
  | 'ones'
  | 'glorotUniform'
  | 'glorotNormal'
  | 'heUniform'
  | 'heNormal'
  | 'lecunUniform'
  | 'lecunNormal'
  | 'randomNormal'
  | 'randomUniform';

/** Makes the initial values of a weight of `shape` ([fanIn, fanOut] for kernels, [units] for biases). */
export type Initializer = (shape: number[], random: RandomGenerator) => tf.Tensor;

function fans(shape: number[]): { fanIn: number; fanOut: number } {
  if (shape.length === 1) return { fanIn: shape[0]!, fanOut: shape[0]! };
  return { fanIn: shape[0]!, fanOut: shape[shape.length - 1]! };
}

const size = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);

function uniform(limit: number): Initializer {
  return (shape, random) => tf.tensor(random.uniform(size(shape), -limit, limit), shape);
}

/** Truncated normal (redraw beyond 2σ), as Keras' variance-scaling initializers use. */
function truncatedNormal(stddev: number): Initializer {
  return (shape, random) => {
    const values = new Float32Array(size(shape));
    for (let i = 0; i < values.length; i++) {
      let z = random.normal();
      while (Math.abs(z) > 2) z = random.normal();
      values[i] = z * stddev;
    }
    return tf.tensor(values, shape);
  };
}

// Keras divides by this so the truncated distribution keeps the intended variance.
const TRUNCATION_STDDEV = 0.87962566103423978;

function varianceScaling(scale: number, mode: 'fanIn' | 'fanAvg', distribution: 'uniform' | 'normal'): Initializer {
  return (shape, random) => {
    const { fanIn, fanOut } = fans(shape);
    const n = mode === 'fanIn' ? fanIn : (fanIn + fanOut) / 2;
    const variance = scale / Math.max(1, n);
    const make =
      distribution === 'uniform' ? uniform(Math.sqrt(3 * variance)) : truncatedNormal(Math.sqrt(variance) / TRUNCATION_STDDEV);
    return make(shape, random);
  };
}

const BY_NAME: Record<InitializerIdentifier, Initializer> = {
  zeros: (shape) => tf.zeros(shape),
  ones: (shape) => tf.ones(shape),
  glorotUniform: varianceScaling(1, 'fanAvg', 'uniform'),
  glorotNormal: varianceScaling(1, 'fanAvg', 'normal'),
  heUniform: varianceScaling(2, 'fanIn', 'uniform'),
  heNormal: varianceScaling(2, 'fanIn', 'normal'),
  lecunUniform: varianceScaling(1, 'fanIn', 'uniform'),
  lecunNormal: varianceScaling(1, 'fanIn', 'normal'),
  randomNormal: (shape, random) => {
    const values = new Float32Array(size(shape));
    for (let i = 0; i < values.length; i++) values[i] = random.normal() * 0.05;
    return tf.tensor(values, shape);
  },
  randomUniform: uniform(0.05),
};

export type InitializerLike = InitializerIdentifier | Initializer;

export function get(identifier: InitializerLike): Initializer {
  if (typeof identifier === 'function') return identifier;
  const init = typeof identifier === 'string' ? BY_NAME[identifier] : undefined;
  if (init === undefined) {
    throw new ConfigError(
      `Unknown initializer: expected one of ${Object.keys(BY_NAME).map((k) => `'${k}'`).join(', ')} or a function. Received: ${describe(identifier)}`,
    );
  }
  return init;
}
