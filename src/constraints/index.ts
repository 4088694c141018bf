/**
 * Weight constraints (`keras.constraints`, Keras 3): MaxNorm, NonNeg, UnitNorm, MinMaxNorm, each
 * applied to a variable after each optimizer update. `get` takes a name ('maxNorm', 'MaxNorm',
 * 'max_norm'), `{ className, config }`, an instance or null (→ undefined).
 */
import type { tf } from '../backend/tf';
import { ConfigError, describe } from '../errors';
import { ClassRegistry, isSerializedObject } from '../serialization';
import type { SerializedObject } from '../serialization';
import { Constraint } from './constraint';
import { MaxNorm, MinMaxNorm, NonNeg, UnitNorm } from './norms';
import type { MaxNormOptions, MinMaxNormOptions, UnitNormOptions } from './norms';

export { Constraint, MaxNorm, NonNeg, UnitNorm, MinMaxNorm };
export type { MaxNormOptions, UnitNormOptions, MinMaxNormOptions };

/** Keras class names of the built-in constraints. */
export const CONSTRAINT_CLASS_NAMES = ['MaxNorm', 'NonNeg', 'UnitNorm', 'MinMaxNorm'] as const;
export type ConstraintClassName = (typeof CONSTRAINT_CLASS_NAMES)[number];

/** Names `get` resolves with default arguments. */
export type ConstraintIdentifier = 'maxNorm' | 'nonNeg' | 'unitNorm' | 'minMaxNorm' | 'max_norm' | 'non_neg' | 'unit_norm' | 'min_max_norm' | ConstraintClassName;

export type ConstraintLike = Constraint | ConstraintIdentifier | SerializedObject;

export const registry = new ClassRegistry<Constraint>('constraint', [
  { className: 'MaxNorm', fromConfig: (c) => new MaxNorm(c) },
  { className: 'NonNeg', fromConfig: (c) => new NonNeg(c as Record<string, never>) },
  { className: 'UnitNorm', fromConfig: (c) => new UnitNorm(c) },
  { className: 'MinMaxNorm', fromConfig: (c) => new MinMaxNorm(c) },
]);

/** Rescales each slice whose norm exceeds `maxValue` (default 2) back to that norm; a number is maxValue. */
export function maxNorm(options: MaxNormOptions | number = {}): MaxNorm {
  return new MaxNorm(typeof options === 'number' ? { maxValue: options } : options);
}

/** Sets negative weights to zero. */
export function nonNeg(): NonNeg {
  return new NonNeg();
}

/** Rescales each slice to norm 1. */
export function unitNorm(options: UnitNormOptions = {}): UnitNorm {
  return new UnitNorm(options);
}

/** Keeps each slice's norm within [minValue, maxValue] (defaults 0 and 1), moving there at `rate`. */
export function minMaxNorm(options: MinMaxNormOptions = {}): MinMaxNorm {
  return new MinMaxNorm(options);
}

/** Resolves any constraint identifier; null or undefined → undefined (no constraint). */
export function get(identifier: ConstraintLike | null | undefined): Constraint | undefined {
  if (identifier === null || identifier === undefined) return undefined;
  if (identifier instanceof Constraint) return identifier;
  if (typeof identifier === 'string') return registry.fromName(identifier);
  if (isSerializedObject(identifier)) return registry.fromSerialized(identifier);
  if (typeof identifier === 'object' && typeof (identifier as { apply?: unknown }).apply === 'function') {
    return new ObjectConstraint(identifier as unknown as { apply(w: tf.Tensor): tf.Tensor });
  }
  throw new ConfigError(
    `Invalid constraint: expected a name (${CONSTRAINT_CLASS_NAMES.join(', ')}, 'maxNorm', 'max_norm', …), { className, config }, a Constraint or null. Received: ${describe(identifier)}`,
  );
}

/** A duck-typed `{ apply(w) }` object used as a constraint (cannot be serialized). */
class ObjectConstraint extends Constraint {
  readonly className = 'Custom';
  constructor(private readonly inner: { apply(w: tf.Tensor): tf.Tensor }) {
    super();
  }
  apply(w: tf.Tensor): tf.Tensor {
    return this.inner.apply(w);
  }
  getConfig(): Record<string, unknown> {
    return {};
  }
  override serialize(): SerializedObject {
    throw new ConfigError('Cannot serialize a custom constraint object: extend constraints.Constraint with a className and getConfig() to save it.');
  }
}

export function serialize(constraint: Constraint): SerializedObject {
  return constraint.serialize();
}
