/** Layer factories in Keras' spelling: `layers.Dense(64, { … })`, `layers.Dropout(0.2)`. */
import { Dense as DenseLayer } from './dense';
import type { DenseOptions } from './dense';
import { Dropout as DropoutLayer } from './dropout';
import type { DropoutOptions } from './dropout';

export { Layer } from './layer';
export type { CallOptions, LayerWeight } from './layer';
export { DenseLayer, DropoutLayer };
export type { DenseOptions, DropoutOptions };
export type { ActivationIdentifier } from '../activations';

/** A densely connected layer: activation(x · kernel + bias). */
export function Dense(units: number, options: DenseOptions = {}): DenseLayer {
  return new DenseLayer(units, options);
}

/** Inverted dropout with rate in [0, 1); active only in training. */
export function Dropout(rate: number, options: DropoutOptions = {}): DropoutLayer {
  return new DropoutLayer(rate, options);
}
