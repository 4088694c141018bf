/**
 * Layers. Keys in the order Keras 3.15.1 writes them: `Operation.get_config` (name), then
 * `Layer.get_config` (trainable, dtype, activity_regularizer only when set), then the layer's own
 * keys (core/dense.py, regularization/dropout.py).
 */
import type { PyJson } from '../python-json';
import type { KeySpec, LayerSpec } from './spec';

/** A layer's `dtype` as Keras 3 serializes the default float32 policy. */
export const FLOAT32_POLICY: PyJson = {
  module: 'keras',
  class_name: 'DTypePolicy',
  config: { name: 'float32' },
  registered_name: null,
};

/** The keys every Keras layer writes first. */
const layerBase = (activityRegularizer: boolean): KeySpec[] => [
  { keras: 'name', kind: 'string' },
  { keras: 'trainable', kerasOnly: true, value: true },
  { keras: 'dtype', kerasOnly: true, value: FLOAT32_POLICY },
  ...(activityRegularizer
    ? [{ keras: 'activity_regularizer', kind: 'regularizer', nullable: true, default: null, omitWhenNull: true } as const]
    : []),
];

const last = (shape: readonly number[]): number => shape[shape.length - 1] ?? 0;

export const DENSE: LayerSpec = {
  className: 'Dense',
  module: 'keras.layers',
  family: 'layer',
  keys: [
    ...layerBase(true),
    { keras: 'units', kind: 'int' },
    { keras: 'activation', kind: 'activation', default: 'linear' },
    { keras: 'use_bias', kind: 'bool', default: true },
    { keras: 'kernel_initializer', kind: 'initializer', default: 'GlorotUniform' },
    { keras: 'bias_initializer', kind: 'initializer', default: 'Zeros' },
    { keras: 'kernel_regularizer', kind: 'regularizer', nullable: true, default: null },
    { keras: 'bias_regularizer', kind: 'regularizer', nullable: true, default: null },
    { keras: 'kernel_constraint', kind: 'constraint', nullable: true, default: null },
    { keras: 'bias_constraint', kind: 'constraint', nullable: true, default: null },
    { keras: 'quantization_config', kerasOnly: true, value: null, mustEqual: true },
  ],
  weights: (config, inputShape) => {
    const units = config['units'] as number;
    return [
      { name: 'kernel', shape: [last(inputShape), units], trainable: true }, // [in, units]
      ...(config['useBias'] === false ? [] : [{ name: 'bias', shape: [units], trainable: true }]), // [units]
    ];
  },
  outputShape: (config, inputShape) => [...inputShape.slice(0, -1), config['units'] as number],
  hasBuildConfig: true,
};

export const DROPOUT: LayerSpec = {
  className: 'Dropout',
  module: 'keras.layers',
  family: 'layer',
  keys: [
    ...layerBase(false),
    { keras: 'rate', kind: 'float' },
    { keras: 'seed', kind: 'int', nullable: true, default: null },
    { keras: 'noise_shape', kind: 'dims', nullable: true, default: null },
  ],
  weights: () => [],
  outputShape: (_config, inputShape) => [...inputShape],
  // Dropout has no `build`; Keras marks it built at construction and writes no build_config.
  hasBuildConfig: false,
};

export const LAYERS: LayerSpec[] = [DENSE, DROPOUT];
