/**
 * Weight initializers with Keras 3's class names, formulas and defaults
 * (keras/src/initializers/random_initializers.py, Keras 3.15). Values are drawn from keras-ts'
 * seeded generator in JS, so the same seed gives the same initial weights on every backend. An
 * initializer with its own `seed` draws the same values every time, as in Keras.
 */
import { tf } from '../backend/tf';
import { RandomGenerator } from '../backend/random';
import { ConfigError, describe, invalidArgument } from '../errors';
import { optionalSeed, readOptions } from '../options';
import { ClassRegistry, isSerializedObject } from '../serialization';
import type { SerializedObject } from '../serialization';

export abstract class Initializer {
  abstract readonly className: string;
  /** Initial values of a weight of `shape` ([fanIn, fanOut] for kernels, [units] for biases). */
  abstract call(shape: number[], random: RandomGenerator): tf.Tensor;
  abstract getConfig(): Record<string, unknown>;
  serialize(): SerializedObject {
    return { className: this.className, config: this.getConfig() };
  }
}

/** A custom initializer written as a function. */
export type InitializerFunction = (shape: number[], random: RandomGenerator) => tf.Tensor;

const size = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);

function fans(shape: number[]): { fanIn: number; fanOut: number } {
  if (shape.length === 1) return { fanIn: shape[0]!, fanOut: shape[0]! };
  return { fanIn: shape[0]!, fanOut: shape[shape.length - 1]! };
}

// Keras divides by this so the truncated distribution keeps the intended variance.
const TRUNCATION_STDDEV = 0.87962566103423978;

/** Truncated normal (redraw beyond 2σ), as Keras' variance-scaling initializers use. */
function truncatedNormal(shape: number[], stddev: number, random: RandomGenerator): tf.Tensor {
  const values = new Float32Array(size(shape));
  for (let i = 0; i < values.length; i++) {
    let z = random.normal();
    while (Math.abs(z) > 2) z = random.normal();
    values[i] = z * stddev;
  }
  return tf.tensor(values, shape);
}

/** Base of the initializers that draw: an own seed pins the stream; otherwise the layer's stream. */
abstract class RandomInitializer extends Initializer {
  readonly seed: number | undefined;
  protected constructor(owner: string, seed: unknown) {
    super();
    this.seed = optionalSeed(owner, seed);
  }
  call(shape: number[], random: RandomGenerator): tf.Tensor {
    return this.draw(shape, this.seed === undefined ? random : new RandomGenerator(this.seed));
  }
  protected abstract draw(shape: number[], random: RandomGenerator): tf.Tensor;
}

type Scaling = { scale: number; mode: 'fanIn' | 'fanAvg'; distribution: 'uniform' | 'normal' };

const VARIANCE_SCALING: Record<string, Scaling> = {
  GlorotUniform: { scale: 1, mode: 'fanAvg', distribution: 'uniform' },
  GlorotNormal: { scale: 1, mode: 'fanAvg', distribution: 'normal' },
  HeUniform: { scale: 2, mode: 'fanIn', distribution: 'uniform' },
  HeNormal: { scale: 2, mode: 'fanIn', distribution: 'normal' },
  LecunUniform: { scale: 1, mode: 'fanIn', distribution: 'uniform' },
  LecunNormal: { scale: 1, mode: 'fanIn', distribution: 'normal' },
};

/** Glorot/He/LeCun: variance scale/n with n = fanIn or (fanIn + fanOut)/2. */
export class VarianceScalingInitializer extends RandomInitializer {
  constructor(readonly className: string, options: { seed?: number | null } = {}) {
    super(`initializers.${className}`, readOptions(`initializers.${className}`, options, ['seed']).seed);
  }
  protected draw(shape: number[], random: RandomGenerator): tf.Tensor {
    const { scale, mode, distribution } = VARIANCE_SCALING[this.className]!;
    const { fanIn, fanOut } = fans(shape);
    const variance = scale / Math.max(1, mode === 'fanIn' ? fanIn : (fanIn + fanOut) / 2);
    if (distribution === 'normal') return truncatedNormal(shape, Math.sqrt(variance) / TRUNCATION_STDDEV, random);
    const limit = Math.sqrt(3 * variance);
    return tf.tensor(random.uniform(size(shape), -limit, limit), shape);
  }
  getConfig(): { seed: number | null } {
    return { seed: this.seed ?? null };
  }
}

function finite(owner: string, arg: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalidArgument(arg, owner, 'a finite number', value);
  return value;
}

export class RandomNormal extends RandomInitializer {
  readonly className = 'RandomNormal';
  readonly mean: number;
  readonly stddev: number;
  /** Normal draws (defaults mean 0, stddev 0.05). */
  constructor(options: { mean?: number | null; stddev?: number | null; seed?: number | null } = {}) {
    const owner = 'initializers.RandomNormal';
    const o = readOptions(owner, options, ['mean', 'stddev', 'seed']);
    super(owner, o.seed);
    this.mean = finite(owner, 'mean', o.mean ?? 0);
    this.stddev = finite(owner, 'stddev', o.stddev ?? 0.05);
  }
  protected draw(shape: number[], random: RandomGenerator): tf.Tensor {
    const values = new Float32Array(size(shape));
    for (let i = 0; i < values.length; i++) values[i] = this.mean + random.normal() * this.stddev;
    return tf.tensor(values, shape);
  }
  getConfig(): { mean: number; stddev: number; seed: number | null } {
    return { mean: this.mean, stddev: this.stddev, seed: this.seed ?? null };
  }
}

export class RandomUniform extends RandomInitializer {
  readonly className = 'RandomUniform';
  readonly minval: number;
  readonly maxval: number;
  /** Uniform draws in [minval, maxval) (defaults −0.05, 0.05). */
  constructor(options: { minval?: number | null; maxval?: number | null; seed?: number | null } = {}) {
    const owner = 'initializers.RandomUniform';
    const o = readOptions(owner, options, ['minval', 'maxval', 'seed']);
    super(owner, o.seed);
    this.minval = finite(owner, 'minval', o.minval ?? -0.05);
    this.maxval = finite(owner, 'maxval', o.maxval ?? 0.05);
    if (this.maxval < this.minval) throw invalidArgument('maxval', owner, `a number >= minval (${this.minval})`, this.maxval);
  }
  protected draw(shape: number[], random: RandomGenerator): tf.Tensor {
    return tf.tensor(random.uniform(size(shape), this.minval, this.maxval), shape);
  }
  getConfig(): { minval: number; maxval: number; seed: number | null } {
    return { minval: this.minval, maxval: this.maxval, seed: this.seed ?? null };
  }
}

class Constant extends Initializer {
  constructor(readonly className: 'Zeros' | 'Ones', options: Record<string, never> = {}) {
    super();
    readOptions(`initializers.${className}`, options, []);
  }
  call(shape: number[]): tf.Tensor {
    return this.className === 'Zeros' ? tf.zeros(shape) : tf.ones(shape);
  }
  getConfig(): Record<string, never> {
    return {};
  }
}

/** Wraps a user function so every initializer has one shape (cannot be serialized). */
class FunctionInitializer extends Initializer {
  readonly className = 'Function';
  constructor(private readonly fn: InitializerFunction) {
    super();
  }
  call(shape: number[], random: RandomGenerator): tf.Tensor {
    return this.fn(shape, random);
  }
  getConfig(): Record<string, unknown> {
    return {};
  }
  override serialize(): SerializedObject {
    throw new ConfigError('Cannot serialize a custom initializer function: extend initializers.Initializer with a className and getConfig() to save it.');
  }
}

/** Keras class names of the built-in initializers. */
export const INITIALIZER_CLASS_NAMES = [
  'Zeros', 'Ones', 'GlorotUniform', 'GlorotNormal', 'HeUniform', 'HeNormal', 'LecunUniform', 'LecunNormal', 'RandomNormal', 'RandomUniform',
] as const;
export type InitializerClassName = (typeof INITIALIZER_CLASS_NAMES)[number];

/** camelCase names keras-ts has always accepted; Keras' class and snake_case names work too. */
export type InitializerIdentifier =
  | 'zeros' | 'ones' | 'glorotUniform' | 'glorotNormal' | 'heUniform' | 'heNormal' | 'lecunUniform' | 'lecunNormal' | 'randomNormal' | 'randomUniform'
  | 'glorot_uniform' | 'glorot_normal' | 'he_uniform' | 'he_normal' | 'lecun_uniform' | 'lecun_normal' | 'random_normal' | 'random_uniform'
  | InitializerClassName;

export type InitializerLike = Initializer | InitializerIdentifier | InitializerFunction | SerializedObject;

export const registry = new ClassRegistry<Initializer>('initializer', [
  { className: 'Zeros', fromConfig: (c) => new Constant('Zeros', c as Record<string, never>) },
  { className: 'Ones', fromConfig: (c) => new Constant('Ones', c as Record<string, never>) },
  ...Object.keys(VARIANCE_SCALING).map((name) => ({ className: name, fromConfig: (c: Record<string, unknown>) => new VarianceScalingInitializer(name, c) })),
  { className: 'RandomNormal', fromConfig: (c) => new RandomNormal(c) },
  { className: 'RandomUniform', fromConfig: (c) => new RandomUniform(c) },
]);

/** Resolves any initializer identifier; null or undefined → undefined (the layer's default). */
export function get(identifier: InitializerLike | null | undefined): Initializer | undefined {
  if (identifier === null || identifier === undefined) return undefined;
  if (identifier instanceof Initializer) return identifier;
  if (typeof identifier === 'function') return new FunctionInitializer(identifier);
  if (typeof identifier === 'string') return registry.fromName(identifier);
  if (isSerializedObject(identifier)) return registry.fromSerialized(identifier);
  throw new ConfigError(
    `Invalid initializer: expected a name (${INITIALIZER_CLASS_NAMES.join(', ')} or camelCase/snake_case), { className, config }, an Initializer, a function or null. Received: ${describe(identifier)}`,
  );
}

export function serialize(initializer: Initializer): SerializedObject {
  return initializer.serialize();
}
