/**
 * `regularizers.l1(0.001)`, `regularizers.l2(0.001)`, `regularizers.l1l2({ l1, l2 })` and `get`,
 * mirroring `keras.regularizers`.
 */
import { ConfigError, describe } from '../errors';
import { FunctionRegularizer, L1, L1L2, L2 } from './regularizer';
import type { L1L2Options, Regularizer, RegularizerConfig, RegularizerFunction } from './regularizer';

export { L1, L2, L1L2, FunctionRegularizer };
export type { Regularizer, RegularizerConfig, RegularizerFunction, L1L2Options };

/** String identifiers `get` resolves to a default-strength regularizer. */
export type RegularizerIdentifier = 'l1' | 'l2' | 'l1_l2' | 'l1l2';

/** Anything a layer option accepts as a regularizer. */
export type RegularizerLike = Regularizer | RegularizerFunction | RegularizerIdentifier | RegularizerConfig;

/** L1 penalty l1·Σ|w| (default l1 = 0.01). */
export function l1(strength = 0.01): L1 {
  return new L1(strength);
}

/** L2 penalty l2·Σw² (default l2 = 0.01; no ½ factor, as in Keras). */
export function l2(strength = 0.01): L2 {
  return new L2(strength);
}

/** Both penalties: l1·Σ|w| + l2·Σw² (defaults 0.01 each). */
export function l1l2(options: L1L2Options = {}): L1L2 {
  return new L1L2(options);
}

/** Keras' spelling of `l1l2`. */
export const l1_l2 = l1l2;

const BY_NAME: Record<RegularizerIdentifier, () => Regularizer> = {
  l1: () => new L1(),
  l2: () => new L2(),
  l1_l2: () => new L1L2(),
  l1l2: () => new L1L2(),
};

/** Resolves a string, a `{ className, config }` object, an instance or a function to a Regularizer. */
export function get(identifier: RegularizerLike): Regularizer {
  if (typeof identifier === 'function') return new FunctionRegularizer(identifier);
  if (typeof identifier === 'string') {
    const make = BY_NAME[identifier as RegularizerIdentifier];
    if (make === undefined) {
      throw new ConfigError(
        `Unknown regularizer: expected one of 'l1', 'l2', 'l1_l2', a regularizer or a function. Received: ${describe(identifier)}`,
      );
    }
    return make();
  }
  if (identifier !== null && typeof identifier === 'object') {
    if ('apply' in identifier && typeof identifier.apply === 'function') return identifier;
    if ('className' in identifier) {
      const { className, config } = identifier;
      if (className === 'L1') return new L1(config?.l1);
      if (className === 'L2') return new L2(config?.l2);
      if (className === 'L1L2') return new L1L2(config ?? {});
    }
  }
  throw new ConfigError(
    `Invalid regularizer: expected 'l1' | 'l2' | 'l1_l2', { className: 'L1' | 'L2' | 'L1L2', config }, a regularizer or a function. Received: ${describe(identifier)}`,
  );
}

/** The `{ className, config }` form of a built-in regularizer (custom functions cannot be serialized). */
export function serialize(regularizer: Regularizer): RegularizerConfig {
  if (regularizer.serialize === undefined) {
    throw new ConfigError('Cannot serialize a custom regularizer: only l1, l2 and l1l2 have a config form.');
  }
  return regularizer.serialize();
}
