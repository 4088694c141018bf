/**
 * Weight constraints, applied to a variable after each optimizer update (Keras semantics).
 * Norms are taken along `axis` (default 0: for a Dense kernel [in, units], each unit's incoming weights).
 */
import { tf } from '../backend/tf';
import { ConfigError, describe, invalidArgument } from '../errors';

const EPSILON = 1e-7; // Keras' backend epsilon: keeps the division finite for all-zero columns.

export interface Constraint {
  /** The projected weights (a new tensor; the caller assigns it). */
  apply(w: tf.Tensor): tf.Tensor;
  getConfig(): Record<string, number>;
}

function nonNegativeNumber(arg: string, owner: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw invalidArgument(arg, owner, 'a finite number >= 0', value);
  }
  return value;
}

function axisArg(owner: string, value: unknown): number {
  if (!Number.isInteger(value)) throw invalidArgument('axis', owner, 'an integer axis', value);
  return value as number;
}

const norms = (w: tf.Tensor, axis: number): tf.Tensor => tf.sqrt(tf.sum(tf.square(w), axis, true));

export interface MaxNormOptions {
  /** Largest allowed norm (default 2). */
  maxValue?: number;
  /** Axis the norm runs over (default 0). */
  axis?: number;
}

/** Rescales each slice whose norm exceeds `maxValue` back to that norm. */
export function maxNorm(options: MaxNormOptions | number = {}): Constraint {
  const opts = typeof options === 'number' ? { maxValue: options } : options;
  const maxValue = nonNegativeNumber('maxValue', 'constraints.maxNorm', opts.maxValue ?? 2);
  const axis = axisArg('constraints.maxNorm', opts.axis ?? 0);
  return {
    apply: (w) =>
      tf.tidy(() => {
        const n = norms(w, axis);
        return tf.mul(w, tf.div(tf.clipByValue(n, 0, maxValue), tf.add(n, EPSILON)));
      }),
    getConfig: () => ({ maxValue, axis }),
  };
}

/** Sets negative weights to zero. */
export function nonNeg(): Constraint {
  return {
    apply: (w) => tf.tidy(() => tf.mul(w, tf.cast(tf.greaterEqual(w, 0), 'float32'))),
    getConfig: () => ({}),
  };
}

export interface UnitNormOptions {
  /** Axis the norm runs over (default 0). */
  axis?: number;
}

/** Rescales each slice to norm 1. */
export function unitNorm(options: UnitNormOptions = {}): Constraint {
  const axis = axisArg('constraints.unitNorm', options.axis ?? 0);
  return {
    apply: (w) => tf.tidy(() => tf.div(w, tf.add(norms(w, axis), EPSILON))),
    getConfig: () => ({ axis }),
  };
}

export interface MinMaxNormOptions {
  /** Smallest allowed norm (default 0). */
  minValue?: number;
  /** Largest allowed norm (default 1). */
  maxValue?: number;
  /** How far to move towards the allowed range each step, in (0, 1] (default 1: all the way). */
  rate?: number;
  /** Axis the norm runs over (default 0). */
  axis?: number;
}

/** Keeps each slice's norm within [minValue, maxValue], moving there at `rate`. */
export function minMaxNorm(options: MinMaxNormOptions = {}): Constraint {
  const owner = 'constraints.minMaxNorm';
  const minValue = nonNegativeNumber('minValue', owner, options.minValue ?? 0);
  const maxValue = nonNegativeNumber('maxValue', owner, options.maxValue ?? 1);
  if (maxValue < minValue) throw invalidArgument('maxValue', owner, `a number >= minValue (${minValue})`, maxValue);
  const rate = options.rate ?? 1;
  if (typeof rate !== 'number' || !(rate > 0 && rate <= 1)) throw invalidArgument('rate', owner, 'a number in (0, 1]', rate);
  const axis = axisArg(owner, options.axis ?? 0);
  return {
    apply: (w) =>
      tf.tidy(() => {
        const n = norms(w, axis);
        const desired = tf.add(tf.mul(rate, tf.clipByValue(n, minValue, maxValue)), tf.mul(1 - rate, n));
        return tf.mul(w, tf.div(desired, tf.add(n, EPSILON)));
      }),
    getConfig: () => ({ minValue, maxValue, rate, axis }),
  };
}

export type ConstraintIdentifier = 'maxNorm' | 'nonNeg' | 'unitNorm' | 'minMaxNorm';
export type ConstraintLike = Constraint | ConstraintIdentifier;

const BY_NAME: Record<ConstraintIdentifier, () => Constraint> = { maxNorm, nonNeg, unitNorm, minMaxNorm };

/** Resolves a constraint name (default arguments) or instance. */
export function get(identifier: ConstraintLike): Constraint {
  if (typeof identifier === 'string') {
    const make = BY_NAME[identifier];
    if (make !== undefined) return make();
  } else if (identifier !== null && typeof identifier === 'object' && typeof identifier.apply === 'function') {
    return identifier;
  }
  throw new ConfigError(
    `Invalid constraint: expected 'maxNorm' | 'nonNeg' | 'unitNorm' | 'minMaxNorm' or a constraint object. Received: ${describe(identifier)}`,
  );
}
