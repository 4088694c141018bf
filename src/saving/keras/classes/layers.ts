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


const same = (_config: Readonly<Record<string, unknown>>, inputShape: readonly number[]): number[] => [...inputShape];
const none = (): [] => [];
const seedKey: KeySpec = { keras: 'seed', kind: 'int', nullable: true, default: null };

/** A stateless layer whose output has its input's shape and whose own keys follow the base keys. */
const identityLike = (className: string, keys: KeySpec[]): LayerSpec => ({
  className,
  module: 'keras.layers',
  family: 'layer',
  keys: [...layerBase(false), ...keys],
  weights: none,
  outputShape: same,
  hasBuildConfig: false,
});

export const GAUSSIAN_NOISE = identityLike('GaussianNoise', [{ keras: 'stddev', kind: 'float' }, seedKey]);
export const GAUSSIAN_DROPOUT = identityLike('GaussianDropout', [{ keras: 'rate', kind: 'float' }, seedKey]);
export const ALPHA_DROPOUT = identityLike('AlphaDropout', [
  { keras: 'rate', kind: 'float' },
  seedKey,
  { keras: 'noise_shape', kind: 'dims', nullable: true, default: null },
]);

/**
 * SpatialDropout1D/2D/3D: `BaseSpatialDropout.get_config` writes rate, seed, name, dtype (no
 * `trainable`), then 2D/3D add data_format.
 */
const spatialDropout = (className: string, dataFormat: boolean): LayerSpec => ({
  className,
  module: 'keras.layers',
  family: 'layer',
  keys: [
    { keras: 'rate', kind: 'float' },
    seedKey,
    { keras: 'name', kind: 'string' },
    { keras: 'dtype', kerasOnly: true, value: FLOAT32_POLICY },
    ...(dataFormat ? [{ keras: 'data_format', kind: 'string', default: 'channels_last' } as const] : []),
  ],
  weights: none,
  outputShape: same,
  hasBuildConfig: false,
});
export const SPATIAL_DROPOUT_1D = spatialDropout('SpatialDropout1D', false);
export const SPATIAL_DROPOUT_2D = spatialDropout('SpatialDropout2D', true);
export const SPATIAL_DROPOUT_3D = spatialDropout('SpatialDropout3D', true);

/** ActivityRegularization drops the base `activity_regularizer` key and writes l1, l2. */
export const ACTIVITY_REGULARIZATION = identityLike('ActivityRegularization', [
  { keras: 'l1', kind: 'float', default: 0 },
  { keras: 'l2', kind: 'float', default: 0 },
]);

export const ACTIVATION = identityLike('Activation', [{ keras: 'activation', kind: 'activation' }]);

export const FLATTEN: LayerSpec = {
  ...identityLike('Flatten', [{ keras: 'data_format', kind: 'string', default: 'channels_last' }]),
  outputShape: (_config, inputShape) => [inputShape.reduce((a, b) => a * b, 1)],
};

export const RESHAPE: LayerSpec = {
  ...identityLike('Reshape', [{ keras: 'target_shape', kind: 'shape' }]),
  outputShape: (config, inputShape) => {
    const target = config['targetShape'] as number[];
    const size = inputShape.reduce((a, b) => a * b, 1);
    const known = target.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
    return target.map((d) => (d === -1 ? size / known : d));
  },
  hasBuildConfig: true,
};

/** The normalizations' parameter keys, in Keras' order. */
const initializerKey = (keras: string, fallback: string): KeySpec => ({ keras, kind: 'initializer', default: fallback });
const nullableKey = (keras: string, kind: 'regularizer' | 'constraint'): KeySpec => ({ keras, kind, nullable: true, default: null });

/** The axis counted from the batch axis (0) for inputs of feature shape `inputShape`. */
const fromBatch = (axis: number, inputShape: readonly number[]): number => (axis < 0 ? axis + inputShape.length + 1 : axis);

export const BATCH_NORMALIZATION: LayerSpec = {
  className: 'BatchNormalization',
  module: 'keras.layers',
  family: 'layer',
  keys: [
    ...layerBase(false),
    { keras: 'axis', kind: 'int', default: -1 },
    { keras: 'momentum', kind: 'float', default: 0.99 },
    { keras: 'epsilon', kind: 'float', default: 1e-3 },
    { keras: 'center', kind: 'bool', default: true },
    { keras: 'scale', kind: 'bool', default: true },
    initializerKey('beta_initializer', 'Zeros'),
    initializerKey('gamma_initializer', 'Ones'),
    initializerKey('moving_mean_initializer', 'Zeros'),
    initializerKey('moving_variance_initializer', 'Ones'),
    nullableKey('beta_regularizer', 'regularizer'),
    nullableKey('gamma_regularizer', 'regularizer'),
    nullableKey('beta_constraint', 'constraint'),
    nullableKey('gamma_constraint', 'constraint'),
    // Cross-replica statistics: the same result on one device, so dropped on read.
    { keras: 'synchronized', kerasOnly: true, value: false },
  ],
  // Keras' `build` order, which is also `vars/0..3` in model.weights.h5: gamma, beta (trainable),
  // moving_mean, moving_variance (not trainable); gamma/beta only with scale/center.
  weights: (config, inputShape) => {
    const dim = inputShape[fromBatch((config['axis'] as number | undefined) ?? -1, inputShape) - 1] ?? 0;
    return [
      ...(config['scale'] === false ? [] : [{ name: 'gamma', shape: [dim], trainable: true }]),
      ...(config['center'] === false ? [] : [{ name: 'beta', shape: [dim], trainable: true }]),
      { name: 'moving_mean', shape: [dim], trainable: false },
      { name: 'moving_variance', shape: [dim], trainable: false },
    ];
  },
  outputShape: same,
  hasBuildConfig: true,
};

export const LAYER_NORMALIZATION: LayerSpec = {
  className: 'LayerNormalization',
  module: 'keras.layers',
  family: 'layer',
  keys: [
    ...layerBase(false),
    { keras: 'axis', kind: 'axes', default: -1 },
    { keras: 'epsilon', kind: 'float', default: 1e-3 },
    { keras: 'center', kind: 'bool', default: true },
    { keras: 'scale', kind: 'bool', default: true },
    // Deprecated variance scaling keras-ts does not compute: refused when set.
    { keras: 'rms_scaling', kerasOnly: true, value: false, mustEqual: true },
    initializerKey('beta_initializer', 'Zeros'),
    initializerKey('gamma_initializer', 'Ones'),
    nullableKey('beta_regularizer', 'regularizer'),
    nullableKey('gamma_regularizer', 'regularizer'),
    nullableKey('beta_constraint', 'constraint'),
    nullableKey('gamma_constraint', 'constraint'),
  ],
  // gamma then beta, each shaped like the normalized axes.
  weights: (config, inputShape) => {
    const axis = (config['axis'] as number | number[] | undefined) ?? -1;
    const shape = (Array.isArray(axis) ? axis : [axis]).map((a) => inputShape[fromBatch(a, inputShape) - 1] ?? 0);
    return [
      ...(config['scale'] === false ? [] : [{ name: 'gamma', shape, trainable: true }]),
      ...(config['center'] === false ? [] : [{ name: 'beta', shape: [...shape], trainable: true }]),
    ];
  },
  outputShape: same,
  hasBuildConfig: true,
};

export const LAYERS: LayerSpec[] = [
  DENSE,
  DROPOUT,
  GAUSSIAN_NOISE,
  GAUSSIAN_DROPOUT,
  ALPHA_DROPOUT,
  SPATIAL_DROPOUT_1D,
  SPATIAL_DROPOUT_2D,
  SPATIAL_DROPOUT_3D,
  ACTIVITY_REGULARIZATION,
  FLATTEN,
  RESHAPE,
  ACTIVATION,
  BATCH_NORMALIZATION,
  LAYER_NORMALIZATION,
];
