/**
 * `regularizers.l1(0.001)`, `regularizers.l2(0.001)`, `regularizers.l1l2({ l1, l2 })` and `get`,
 * mirroring `keras.regularizers` (Keras 3): class names L1, L2, L1L2; `get` takes a name ('l1',
 * 'L1L2', 'l1_l2'), `{ className, config }`, an instance, a function, or null (→ undefined).
 */
import { ConfigError, describe } from '../errors';
import { ClassRegistry, isSerializedObject } from '../serialization';
import type { SerializedObject } from '../serialization';
import { L1, L1L2, L2 } from './penalties';
import type { L1L2Options } from './penalties';
import { FunctionRegularizer, Regularizer } from './regularizer';
import { L1Prox } from './l1-prox';
import { OrthogonalRegularizer } from './orthogonal';
import type { OrthogonalRegularizerOptions } from './orthogonal';
import type { RegularizerFunction } from './regularizer';

export { L1, L2, L1L2, L1Prox, OrthogonalRegularizer, Regularizer, FunctionRegularizer };
export type { RegularizerFunction, L1L2Options, OrthogonalRegularizerOptions };

/** Keras class names of the built-in regularizers. */
export const REGULARIZER_CLASS_NAMES = ['L1', 'L2', 'L1L2', 'OrthogonalRegularizer', 'L1Prox'] as const;
export type RegularizerClassName = (typeof REGULARIZER_CLASS_NAMES)[number];

/** String identifiers `get` resolves (default strengths): Keras' class names and snake_case names. */
export type RegularizerIdentifier = 'l1' | 'l2' | 'l1_l2' | 'l1l2' | 'orthogonal_regularizer' | 'l1_prox' | RegularizerClassName;

/** The serialized form of a built-in regularizer. */
export interface RegularizerConfig extends SerializedObject {
  className: RegularizerClassName;
  config: { l1?: number | null; l2?: number | null; factor?: number | null; mode?: 'rows' | 'columns' | null };
}

/** Anything a layer option accepts as a regularizer (null: none). */
export type RegularizerLike = Regularizer | RegularizerFunction | RegularizerIdentifier | RegularizerConfig | SerializedObject;

/** The registry `get` resolves names and configs through; `register` adds a custom class for loading. */
export const registry = new ClassRegistry<Regularizer>('regularizer', [
  { className: 'L1', fromConfig: (c) => new L1(c) },
  { className: 'L2', fromConfig: (c) => new L2(c) },
  { className: 'L1L2', fromConfig: (c) => new L1L2(c), aliases: ['l1l2'] },
  { className: 'OrthogonalRegularizer', fromConfig: (c) => new OrthogonalRegularizer(c as OrthogonalRegularizerOptions), aliases: ['orthogonal'] },
  { className: 'L1Prox', fromConfig: (c) => new L1Prox(c), aliases: ['l1prox'] },
]);

/** L1 penalty l1·Σ|w| (default l1 = 0.01). */
export function l1(strength?: number): L1 {
  return new L1(strength);
}

/** L2 penalty l2·Σw² (default l2 = 0.01; no ½ factor, as in Keras). */
export function l2(strength?: number): L2 {
  return new L2(strength);
}

/** Both penalties: l1·Σ|w| + l2·Σw² (each defaults to 0, as Keras 3's L1L2). */
export function l1l2(options: L1L2Options = {}): L1L2 {
  return new L1L2(options);
}

/** Penalty factor·½·Σ|offdiag(normalized Gram matrix)|/pairs on a rank-2 weight (Keras' OrthogonalRegularizer; default factor 0.01, mode 'rows'). */
export function orthogonalRegularizer(options: OrthogonalRegularizerOptions = {}): OrthogonalRegularizer {
  return new OrthogonalRegularizer(options);
}

/** L1 by soft-thresholding after each step, w ← sign(w)·max(|w| − lr·strength, 0): exact zeros (default 0.01). */
export function l1Prox(strength?: number): L1Prox {
  return new L1Prox(strength);
}

/** Keras' spelling of `l1l2`. */
export const l1_l2 = l1l2;

/** Resolves any regularizer identifier; null or undefined → undefined (no regularizer). */
export function get(identifier: RegularizerLike | null | undefined): Regularizer | undefined {
  if (identifier === null || identifier === undefined) return undefined;
  if (identifier instanceof Regularizer) return identifier;
  if (typeof identifier === 'function') return new FunctionRegularizer(identifier);
  if (typeof identifier === 'string') return registry.fromName(identifier);
  if (isSerializedObject(identifier)) return registry.fromSerialized(identifier);
  if (typeof identifier === 'object' && typeof (identifier as { apply?: unknown }).apply === 'function') {
    const duck = identifier as { apply(w: unknown): unknown };
    return new FunctionRegularizer((w) => duck.apply(w) as ReturnType<RegularizerFunction>);
  }
  throw new ConfigError(
    `Invalid regularizer: expected a name (${REGULARIZER_CLASS_NAMES.join(', ')}, 'l1', 'l2', 'l1_l2'), { className, config }, a regularizer, a function or null. Received: ${describe(identifier)}`,
  );
}

/** The `{ className, config }` form (custom functions cannot be serialized). */
export function serialize(regularizer: Regularizer): SerializedObject {
  return regularizer.serialize();
}
