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
import { Activation as ActivationLayer } from './activation';
import type { ActivationOptions } from './activation';
import { ActivityRegularization as ActivityRegularizationLayer } from './activity-regularization';
import type { ActivityRegularizationOptions } from './activity-regularization';
import { AlphaDropout as AlphaDropoutLayer } from './alpha-dropout';
import type { AlphaDropoutOptions } from './alpha-dropout';
import type { DataFormat } from './args';
import { BatchNormalization as BatchNormalizationLayer } from './batch-normalization';
import type { BatchNormalizationOptions } from './batch-normalization';
import { Flatten as FlattenLayer } from './flatten';
import type { FlattenOptions } from './flatten';
import { GaussianDropout as GaussianDropoutLayer } from './gaussian-dropout';
import type { GaussianDropoutOptions } from './gaussian-dropout';
import { GaussianNoise as GaussianNoiseLayer } from './gaussian-noise';
import type { GaussianNoiseOptions } from './gaussian-noise';
import { LayerNormalization as LayerNormalizationLayer } from './layer-normalization';
import type { LayerNormalizationOptions } from './layer-normalization';
import { InputLayer } from './input-layer';
import type { InputLayerOptions } from './input-layer';
import { Reshape as ReshapeLayer } from './reshape';
import type { ReshapeOptions } from './reshape';
import { SpatialDropout1D as SpatialDropout1DLayer, SpatialDropout2D as SpatialDropout2DLayer, SpatialDropout3D as SpatialDropout3DLayer } from './spatial-dropout';
import type { SpatialDropoutOptions } from './spatial-dropout';
import type { ActivationIdentifier } from '../activations';

export {
  Layer, DenseLayer, DropoutLayer, ActivationLayer, ActivityRegularizationLayer, AlphaDropoutLayer, BatchNormalizationLayer,
  FlattenLayer, GaussianDropoutLayer, GaussianNoiseLayer, LayerNormalizationLayer, ReshapeLayer, SpatialDropout1DLayer,
  SpatialDropout2DLayer, SpatialDropout3DLayer, InputLayer,
};
export type { CallOptions, ForwardOptions, LayerWeight } from './layer';
export type {
  DenseOptions, DropoutOptions, ActivationOptions, ActivityRegularizationOptions, AlphaDropoutOptions, BatchNormalizationOptions,
  DataFormat, FlattenOptions, GaussianDropoutOptions, GaussianNoiseOptions, LayerNormalizationOptions, ReshapeOptions,
  SpatialDropoutOptions, InputLayerOptions,
};
export type { ActivationIdentifier } from '../activations';

/** Every layer class `get` can rebuild, by Keras class name. */
export const registry = new ClassRegistry<Layer>('layer', [
  { className: 'Dense', fromConfig: (c) => new DenseLayer(c as DenseOptions) },
  { className: 'Dropout', fromConfig: (c) => new DropoutLayer(c as DropoutOptions) },
  { className: 'GaussianNoise', fromConfig: (c) => new GaussianNoiseLayer(c as GaussianNoiseOptions) },
  { className: 'GaussianDropout', fromConfig: (c) => new GaussianDropoutLayer(c as GaussianDropoutOptions) },
  { className: 'AlphaDropout', fromConfig: (c) => new AlphaDropoutLayer(c as AlphaDropoutOptions) },
  { className: 'SpatialDropout1D', fromConfig: (c) => new SpatialDropout1DLayer(c as SpatialDropoutOptions), aliases: ['spatial_dropout1d'] },
  { className: 'SpatialDropout2D', fromConfig: (c) => new SpatialDropout2DLayer(c as SpatialDropoutOptions), aliases: ['spatial_dropout2d'] },
  { className: 'SpatialDropout3D', fromConfig: (c) => new SpatialDropout3DLayer(c as SpatialDropoutOptions), aliases: ['spatial_dropout3d'] },
  { className: 'ActivityRegularization', fromConfig: (c) => new ActivityRegularizationLayer(c as ActivityRegularizationOptions) },
  { className: 'Flatten', fromConfig: (c) => new FlattenLayer(c as FlattenOptions) },
  { className: 'Reshape', fromConfig: (c) => new ReshapeLayer(c as ReshapeOptions) },
  { className: 'Activation', fromConfig: (c) => new ActivationLayer(c as ActivationOptions) },
  { className: 'BatchNormalization', fromConfig: (c) => new BatchNormalizationLayer(c as BatchNormalizationOptions) },
  { className: 'LayerNormalization', fromConfig: (c) => new LayerNormalizationLayer(c as LayerNormalizationOptions) },
  { className: 'InputLayer', fromConfig: (c) => new InputLayer(c as InputLayerOptions) },
]);

/** A densely connected layer: activation(x · kernel + bias). `Dense(config)` takes getConfig()'s output. */
export function Dense(units: number | DenseOptions, options: DenseOptions = {}): DenseLayer {
  return new DenseLayer(units, options);
}

/** Inverted dropout with rate in [0, 1); active only in training. */
export function Dropout(rate: number | DropoutOptions, options: DropoutOptions = {}): DropoutLayer {
  return new DropoutLayer(rate, options);
}

/** Adds N(0, stddev²) noise to every entry in training; the identity at inference. */
export function GaussianNoise(stddev: number | GaussianNoiseOptions, options: GaussianNoiseOptions = {}): GaussianNoiseLayer {
  return new GaussianNoiseLayer(stddev, options);
}

/** Multiplies every entry by N(1, rate/(1−rate)) noise in training; the identity at inference. */
export function GaussianDropout(rate: number | GaussianDropoutOptions, options: GaussianDropoutOptions = {}): GaussianDropoutLayer {
  return new GaussianDropoutLayer(rate, options);
}

/** Dropout that keeps SELU activations at mean 0 and variance 1; active only in training. */
export function AlphaDropout(rate: number | AlphaDropoutOptions, options: AlphaDropoutOptions = {}): AlphaDropoutLayer {
  return new AlphaDropoutLayer(rate, options);
}

/** Drops whole channels of [batch, steps, channels] inputs in training. */
export function SpatialDropout1D(rate: number | Omit<SpatialDropoutOptions, 'dataFormat'>, options: Omit<SpatialDropoutOptions, 'dataFormat'> = {}): SpatialDropout1DLayer {
  return new SpatialDropout1DLayer(rate, options);
}

/** Drops whole channels of [batch, rows, cols, channels] inputs in training. */
export function SpatialDropout2D(rate: number | SpatialDropoutOptions, options: SpatialDropoutOptions = {}): SpatialDropout2DLayer {
  return new SpatialDropout2DLayer(rate, options);
}

/** Drops whole channels of [batch, d1, d2, d3, channels] inputs in training. */
export function SpatialDropout3D(rate: number | SpatialDropoutOptions, options: SpatialDropoutOptions = {}): SpatialDropout3DLayer {
  return new SpatialDropout3DLayer(rate, options);
}

/** The identity; its input's l1·Σ|x| + l2·Σx² joins the loss. */
export function ActivityRegularization(options: ActivityRegularizationOptions = {}): ActivityRegularizationLayer {
  return new ActivityRegularizationLayer(options);
}

/** [batch, d1, d2, …] → [batch, d1·d2·…]. */
export function Flatten(options: FlattenOptions = {}): FlattenLayer {
  return new FlattenLayer(options);
}

/** [batch, …] → [batch, ...targetShape] (one entry may be −1). */
export function Reshape(targetShape: number[] | ReshapeOptions, options: ReshapeOptions = {}): ReshapeLayer {
  return new ReshapeLayer(targetShape, options);
}

/** Applies a named activation ('relu', 'softmax', …). */
export function Activation(activation: ActivationIdentifier | ActivationOptions, options: ActivationOptions = {}): ActivationLayer {
  return new ActivationLayer(activation, options);
}

/** Normalizes with batch statistics in training and moving statistics at inference. */
export function BatchNormalization(options: BatchNormalizationOptions = {}): BatchNormalizationLayer {
  return new BatchNormalizationLayer(options);
}

/** Normalizes each sample over its feature axes. */
export function LayerNormalization(options: LayerNormalizationOptions = {}): LayerNormalizationLayer {
  return new LayerNormalizationLayer(options);
}

/** A first layer that only declares the inputs' feature shape: `Input({ shape: [20] })`. */
export function Input(options: InputLayerOptions): InputLayer {
  return new InputLayer(options);
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
