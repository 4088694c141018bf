/**
 * Keras 3's weight constraints (keras/src/constraints/constraints.py, Keras 3.15). Norms run along
 * `axis` (default 0: for a Dense kernel [in, units], each unit's incoming weights).
 */
import { tf } from '../backend/tf';
import { invalidArgument } from '../errors';
import { nonNegativeNumber, readOptions } from '../options';
import { Constraint } from './constraint';

const EPSILON = 1e-7; // Keras' backend epsilon: keeps the division finite for all-zero columns.

function axisArg(owner: string, value: unknown): number {
  if (!Number.isInteger(value)) throw invalidArgument('axis', owner, 'an integer axis', value);
  return value as number;
}

/** Checks an axis against a weight's rank (negative axes count from the end) when first applied. */
function checkAxis(owner: string, axis: number, w: tf.Tensor): void {
  if (axis >= w.rank || axis < -w.rank) {
    throw invalidArgument('axis', owner, `an axis of a rank-${w.rank} weight, in [${-w.rank}, ${w.rank - 1}]`, axis);
  }
}

const norms = (w: tf.Tensor, axis: number): tf.Tensor => tf.sqrt(tf.sum(tf.square(w), axis, true));

export interface MaxNormOptions {
  /** Largest allowed norm (default 2). */
  maxValue?: number | null;
  /** Axis the norm runs over (default 0). */
  axis?: number | null;
}

/** Rescales each slice whose norm exceeds `maxValue` back to that norm. */
export class MaxNorm extends Constraint {
  readonly className = 'MaxNorm';
  readonly maxValue: number;
  readonly axis: number;
  constructor(options: MaxNormOptions = {}) {
    super();
    const owner = 'constraints.MaxNorm';
    const o = readOptions(owner, options, ['maxValue', 'axis']);
    this.maxValue = nonNegativeNumber('maxValue', owner, o.maxValue ?? 2);
    this.axis = axisArg(owner, o.axis ?? 0);
  }
  apply(w: tf.Tensor): tf.Tensor {
    checkAxis('constraints.MaxNorm', this.axis, w);
    return tf.tidy(() => {
      const n = norms(w, this.axis);
      return tf.mul(w, tf.div(tf.clipByValue(n, 0, this.maxValue), tf.add(n, EPSILON)));
    });
  }
  getConfig(): { maxValue: number; axis: number } {
    return { maxValue: this.maxValue, axis: this.axis };
  }
}

/** Sets negative weights to zero. */
export class NonNeg extends Constraint {
  readonly className = 'NonNeg';
  constructor(options: Record<string, never> = {}) {
    super();
    readOptions('constraints.NonNeg', options, []);
  }
  apply(w: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.mul(w, tf.cast(tf.greaterEqual(w, 0), 'float32')));
  }
  getConfig(): Record<string, never> {
    return {};
  }
}

export interface UnitNormOptions {
  /** Axis the norm runs over (default 0). */
  axis?: number | null;
}

/** Rescales each slice to norm 1. */
export class UnitNorm extends Constraint {
  readonly className = 'UnitNorm';
  readonly axis: number;
  constructor(options: UnitNormOptions = {}) {
    super();
    const owner = 'constraints.UnitNorm';
    this.axis = axisArg(owner, readOptions(owner, options, ['axis']).axis ?? 0);
  }
  apply(w: tf.Tensor): tf.Tensor {
    checkAxis('constraints.UnitNorm', this.axis, w);
    return tf.tidy(() => tf.div(w, tf.add(norms(w, this.axis), EPSILON)));
  }
  getConfig(): { axis: number } {
    return { axis: this.axis };
  }
}

export interface MinMaxNormOptions {
  /** Smallest allowed norm (default 0). */
  minValue?: number | null;
  /** Largest allowed norm (default 1). */
  maxValue?: number | null;
  /** How far to move towards the allowed range each step, in (0, 1] (default 1: all the way). */
  rate?: number | null;
  /** Axis the norm runs over (default 0). */
  axis?: number | null;
}

/** Keeps each slice's norm within [minValue, maxValue], moving there at `rate`. */
export class MinMaxNorm extends Constraint {
  readonly className = 'MinMaxNorm';
  readonly minValue: number;
  readonly maxValue: number;
  readonly rate: number;
  readonly axis: number;
  constructor(options: MinMaxNormOptions = {}) {
    super();
    const owner = 'constraints.MinMaxNorm';
    const o = readOptions(owner, options, ['minValue', 'maxValue', 'rate', 'axis']);
    this.minValue = nonNegativeNumber('minValue', owner, o.minValue ?? 0);
    this.maxValue = nonNegativeNumber('maxValue', owner, o.maxValue ?? 1);
    if (this.maxValue < this.minValue) throw invalidArgument('maxValue', owner, `a number >= minValue (${this.minValue})`, this.maxValue);
    const rate = o.rate ?? 1;
    if (typeof rate !== 'number' || !(rate > 0 && rate <= 1)) throw invalidArgument('rate', owner, 'a number in (0, 1]', rate);
    this.rate = rate;
    this.axis = axisArg(owner, o.axis ?? 0);
  }
  apply(w: tf.Tensor): tf.Tensor {
    checkAxis('constraints.MinMaxNorm', this.axis, w);
    return tf.tidy(() => {
      const n = norms(w, this.axis);
      const desired = tf.add(tf.mul(this.rate, tf.clipByValue(n, this.minValue, this.maxValue)), tf.mul(1 - this.rate, n));
      return tf.mul(w, tf.div(desired, tf.add(n, EPSILON)));
    });
  }
  getConfig(): { minValue: number; maxValue: number; rate: number; axis: number } {
    return { minValue: this.minValue, maxValue: this.maxValue, rate: this.rate, axis: this.axis };
  }
}
