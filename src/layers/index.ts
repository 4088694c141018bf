/**
 * Layer factories in Keras' spelling: `layers.Dense(64, { … })`, `layers.Dropout(0.2)`; `get`
 * rebuilds a layer from `{ className, config }`. A new layer is one file here plus one entry below.
 */
import { ConfigError, describe } from '../errors';
import { ClassRegistry, isSerializedObject } from '../serialization';
import type { SerializedObject } from '../serialization';
import { Dense as DenseLayer } from './dense';
import type { DenseOptions } from './dense';
import { Dropout as DropoutLayer } from './dropout';
import type { DropoutOptions } from './dropout';
import { Layer } from './layer';

export { Layer, DenseLayer, DropoutLayer };
export type { CallOptions, ForwardOptions, LayerWeight } from './layer';
export type { DenseOptions, DropoutOptions };
export type { ActivationIdentifier } from '../activations';

/** Every layer class `get` can rebuild, by Keras class name. */
export const registry = new ClassRegistry<Layer>('layer', [
  { className: 'Dense', fromConfig: (c) => new DenseLayer(c as DenseOptions) },
  { className: 'Dropout', fromConfig: (c) => new DropoutLayer(c as DropoutOptions) },
]);

/** A densely connected layer: activation(x · kernel + bias). `Dense(config)` takes getConfig()'s output. */
export function Dense(units: number | DenseOptions, options: DenseOptions = {}): DenseLayer {
  return new DenseLayer(units, options);
}

/** Inverted dropout with rate in [0, 1); active only in training. */
export function Dropout(rate: number | DropoutOptions, options: DropoutOptions = {}): DropoutLayer {
  return new DropoutLayer(rate, options);
}

/** A layer from `{ className, config }` (or an instance, returned as is). */
export function get(identifier: Layer | SerializedObject): Layer {
  if (identifier instanceof Layer) return identifier;
  if (isSerializedObject(identifier)) return registry.fromSerialized(identifier);
  throw new ConfigError(`Invalid layer: expected a keras-ts layer or { className, config }. Received: ${describe(identifier)}`);
}

export function serialize(layer: Layer): SerializedObject {
  return layer.serialize();
}
