/** Every class the codec knows, by family; lookups by class name or string identifier. */
import { CONSTRAINTS, INITIALIZERS, REGULARIZERS } from './objects';
import { LAYERS } from './layers';
import { OPTIMIZERS } from './optimizers';
import type { ClassSpec, Family, LayerSpec, OptimizerSpec } from './spec';

const BY_FAMILY: Record<Family, readonly ClassSpec[]> = {
  regularizer: REGULARIZERS,
  constraint: CONSTRAINTS,
  initializer: INITIALIZERS,
  optimizer: OPTIMIZERS,
  layer: LAYERS,
};

/** Layer classes handled by the model codec itself rather than the tables. */
export const STRUCTURAL_LAYERS = ['InputLayer'] as const;

/** Class names supported in a family, for error messages. */
export function supportedClassNames(family: Family): string[] {
  const names = BY_FAMILY[family].map((spec) => spec.className);
  return family === 'layer' ? [...STRUCTURAL_LAYERS, ...names] : names;
}

/** The spec of `className` in `family` (exact Keras class name), or undefined. */
export function findClass(family: Family, className: string): ClassSpec | undefined {
  return BY_FAMILY[family].find((spec) => spec.className === className);
}

/** Resolves a string identifier: the class name, or one of its aliases ('l1_l2', 'glorotUniform'). */
export function findByIdentifier(family: Family, identifier: string): ClassSpec | undefined {
  return BY_FAMILY[family].find((spec) => spec.className === identifier || (spec.aliases ?? []).includes(identifier));
}

export function findLayer(className: string): LayerSpec | undefined {
  return LAYERS.find((spec) => spec.className === className);
}

export function findOptimizer(className: string): OptimizerSpec | undefined {
  return OPTIMIZERS.find((spec) => spec.className === className);
}
