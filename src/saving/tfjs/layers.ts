/**
 * Layer configs between keras-ts' form (`{ name, …options, inputShape? }`, camelCase) and the one
 * tfjs-layers 4.22 writes (src/layers/core.ts `getConfig` + engine/topology.ts `Layer.getConfig`:
 * class keys, then name, trainable, and batch_input_shape/dtype on a layer built with an input
 * shape). One table entry per layer class.
 */
import type { SerializedObject } from '../artifacts';
import { Fields, isRecord } from './fields';
import type { JsonObject } from './fields';
import { objectFromTfjs, objectToTfjs } from './objects';
import type { ObjectKind, TfjsObject } from './objects';

export interface LayerCodec {
  /** The class name, the same in keras-ts and tfjs-layers. */
  readonly className: string;
  /**
   * For a class tfjs-layers 4.22 lacks: the tfjs class written in its place, one that predicts the
   * same at inference (a layer that is the identity there). The keras-ts metadata names the real class.
   */
  readonly standIn?: string;
  /** keras-ts options → tfjs config keys in tfjs' order (name, trainable and shape are added around them). */
  toTfjs(f: Fields): JsonObject;
  /** tfjs config → keras-ts options, every option present (`null` = not set). */
  fromTfjs(f: Fields): JsonObject;
}

/** keras-ts activation → tfjs activation with the same function (tfjs src/activations.ts class names). */
const ACTIVATIONS_TO_TFJS: ReadonlyMap<string, string> = new Map([
  ['linear', 'linear'],
  ['relu', 'relu'],
  ['relu6', 'relu6'],
  ['sigmoid', 'sigmoid'],
  ['tanh', 'tanh'],
  ['softmax', 'softmax'],
  ['elu', 'elu'],
  ['selu', 'selu'],
  ['gelu', 'gelu'], // both exact: x·Φ(x) with erf
  ['swish', 'swish'],
  ['silu', 'swish'], // the same function under Keras' other name
  ['softplus', 'softplus'],
  ['softsign', 'softsign'],
]);

/** tfjs activation → keras-ts activation. */
const ACTIVATIONS_FROM_TFJS: ReadonlyMap<string, string> = new Map(
  [...ACTIVATIONS_TO_TFJS].filter(([keras]) => keras !== 'silu').map(([keras, tfjs]) => [tfjs, keras]),
);

function activationToTfjs(f: Fields): string {
  const name = f.string('activation', 'linear');
  const tfjs = ACTIVATIONS_TO_TFJS.get(name);
  if (tfjs === undefined) throw f.invalid('activation', `an activation tfjs-layers has (${[...ACTIVATIONS_TO_TFJS.keys()].join(', ')})`);
  return tfjs;
}

function activationFromTfjs(f: Fields): string {
  if (f.isUnset('activation')) return 'linear'; // tfjs: no activation is the identity
  const keras = ACTIVATIONS_FROM_TFJS.get(f.string('activation'));
  if (keras === undefined) throw f.invalid('activation', `an activation keras-ts has (${[...ACTIVATIONS_FROM_TFJS.keys()].join(', ')})`);
  return keras;
}

/** An object option, or the given default when unset (Dense's initializers always have a value). */
function objectOrDefault(kind: ObjectKind, f: Fields, key: string, fallback: SerializedObject): SerializedObject | null {
  return objectFromTfjs(kind, f, key) ?? fallback;
}

function initializerToTfjs(f: Fields, key: string, kerasDefault: string): TfjsObject | null {
  return f.isUnset(key) ? objectToTfjs('initializer', f.nested({ [key]: kerasDefault }, f.where), key) : objectToTfjs('initializer', f, key);
}

const DENSE: LayerCodec = {
  className: 'Dense',
  toTfjs: (f) => {
    // tfjs-layers 4.22 refuses to build a layer with an activity regularizer ("not supported yet"),
    // so a model.json naming one could not be loaded at all. It is checked here, written as null and
    // kept in userDefinedMetadata (see metadata.ts); stock tfjs then predicts the same, minus that
    // penalty in training.
    objectToTfjs('regularizer', f, 'activityRegularizer');
    return {
      units: f.positiveInteger('units'),
      activation: activationToTfjs(f),
      use_bias: f.boolean('useBias', true),
      kernel_initializer: initializerToTfjs(f, 'kernelInitializer', 'glorotUniform'), // keras-ts' default
      bias_initializer: initializerToTfjs(f, 'biasInitializer', 'zeros'),
      kernel_regularizer: objectToTfjs('regularizer', f, 'kernelRegularizer'),
      bias_regularizer: objectToTfjs('regularizer', f, 'biasRegularizer'),
      activity_regularizer: null,
      kernel_constraint: objectToTfjs('constraint', f, 'kernelConstraint'),
      bias_constraint: objectToTfjs('constraint', f, 'biasConstraint'),
    };
  },
  fromTfjs: (f) => ({
    units: f.positiveInteger('units'),
    activation: activationFromTfjs(f),
    useBias: f.boolean('use_bias', true),
    // tfjs' Dense defaults when a file leaves them out: glorotNormal and zeros.
    kernelInitializer: objectOrDefault('initializer', f, 'kernel_initializer', { className: 'GlorotNormal', config: { seed: null } }),
    biasInitializer: objectOrDefault('initializer', f, 'bias_initializer', { className: 'Zeros', config: {} }),
    kernelRegularizer: objectFromTfjs('regularizer', f, 'kernel_regularizer'),
    biasRegularizer: objectFromTfjs('regularizer', f, 'bias_regularizer'),
    activityRegularizer: objectFromTfjs('regularizer', f, 'activity_regularizer'),
    kernelConstraint: objectFromTfjs('constraint', f, 'kernel_constraint'),
    biasConstraint: objectFromTfjs('constraint', f, 'bias_constraint'),
  }),
};

const DROPOUT: LayerCodec = {
  className: 'Dropout',
  toTfjs: (f) => ({ rate: f.number('rate'), noise_shape: f.nullableShape('noiseShape'), seed: f.seed('seed') }),
  fromTfjs: (f) => ({ rate: f.number('rate'), noiseShape: f.nullableShape('noise_shape'), seed: f.seed('seed') }),
};

/**
 * The noise layers: tfjs-layers' GaussianNoise, GaussianDropout and AlphaDropout write their rate
 * (stddev) only; a seed or AlphaDropout's noise shape rides in the keras-ts metadata.
 */
const GAUSSIAN_NOISE: LayerCodec = {
  className: 'GaussianNoise',
  toTfjs: (f) => ({ stddev: f.number('stddev') }),
  fromTfjs: (f) => ({ stddev: f.number('stddev'), seed: null }),
};

const GAUSSIAN_DROPOUT: LayerCodec = {
  className: 'GaussianDropout',
  toTfjs: (f) => ({ rate: f.number('rate') }),
  fromTfjs: (f) => ({ rate: f.number('rate'), seed: null }),
};

const ALPHA_DROPOUT: LayerCodec = {
  className: 'AlphaDropout',
  toTfjs: (f) => ({ rate: f.number('rate') }),
  fromTfjs: (f) => ({ rate: f.number('rate'), noiseShape: null, seed: null }),
};

/** tfjs-layers' SpatialDropout1D is its Dropout with a (batch, 1, channels) noise shape: rate, noise_shape, seed. */
const SPATIAL_DROPOUT_1D: LayerCodec = {
  className: 'SpatialDropout1D',
  toTfjs: (f) => ({ rate: f.number('rate'), noise_shape: null, seed: f.seed('seed') }),
  fromTfjs: (f) => ({ rate: f.number('rate'), seed: f.seed('seed') }),
};

const FLATTEN: LayerCodec = {
  className: 'Flatten',
  toTfjs: (f) => ({ data_format: f.string('dataFormat', 'channels_last') }),
  fromTfjs: (f) => ({ dataFormat: f.string('data_format', 'channels_last') }),
};

const RESHAPE: LayerCodec = {
  className: 'Reshape',
  toTfjs: (f) => ({ target_shape: targetShape(f, 'targetShape') }),
  fromTfjs: (f) => ({ targetShape: targetShape(f, 'target_shape') }),
};

function targetShape(f: Fields, key: string): number[] {
  const value = f.get(key);
  if (!Array.isArray(value) || value.length === 0 || !value.every((d) => Number.isInteger(d) && ((d as number) > 0 || d === -1)) || value.filter((d) => d === -1).length > 1) {
    throw f.invalid(key, 'a list of positive integers with at most one -1');
  }
  return [...(value as number[])];
}

const ACTIVATION: LayerCodec = {
  className: 'Activation',
  toTfjs: (f) => ({ activation: activationToTfjs(f) }),
  fromTfjs: (f) => ({ activation: activationFromTfjs(f) }),
};

const ZEROS: SerializedObject = { className: 'Zeros', config: {} };
const ONES: SerializedObject = { className: 'Ones', config: {} };

function axesOf(f: Fields, key: string): number | number[] {
  const value = f.get(key);
  if (value == null) return -1;
  if (Number.isInteger(value)) return value as number;
  if (Array.isArray(value) && value.length > 0 && value.every((d) => Number.isInteger(d))) return [...(value as number[])];
  throw f.invalid(key, 'an integer axis or a list of them');
}

/** tfjs-layers' BatchNormalization (normalization.ts): the same keys as Keras, weights gamma, beta, moving_mean, moving_variance. */
const BATCH_NORMALIZATION: LayerCodec = {
  className: 'BatchNormalization',
  toTfjs: (f) => ({
    axis: f.integer('axis', -1),
    momentum: f.number('momentum', 0.99),
    epsilon: f.number('epsilon', 1e-3),
    center: f.boolean('center', true),
    scale: f.boolean('scale', true),
    beta_initializer: initializerToTfjs(f, 'betaInitializer', 'zeros'),
    gamma_initializer: initializerToTfjs(f, 'gammaInitializer', 'ones'),
    moving_mean_initializer: initializerToTfjs(f, 'movingMeanInitializer', 'zeros'),
    moving_variance_initializer: initializerToTfjs(f, 'movingVarianceInitializer', 'ones'),
    beta_regularizer: objectToTfjs('regularizer', f, 'betaRegularizer'),
    gamma_regularizer: objectToTfjs('regularizer', f, 'gammaRegularizer'),
    beta_constraint: objectToTfjs('constraint', f, 'betaConstraint'),
    gamma_constraint: objectToTfjs('constraint', f, 'gammaConstraint'),
  }),
  fromTfjs: (f) => ({
    axis: f.integer('axis', -1),
    momentum: f.number('momentum', 0.99),
    epsilon: f.number('epsilon', 1e-3),
    center: f.boolean('center', true),
    scale: f.boolean('scale', true),
    betaInitializer: objectOrDefault('initializer', f, 'beta_initializer', ZEROS),
    gammaInitializer: objectOrDefault('initializer', f, 'gamma_initializer', ONES),
    movingMeanInitializer: objectOrDefault('initializer', f, 'moving_mean_initializer', ZEROS),
    movingVarianceInitializer: objectOrDefault('initializer', f, 'moving_variance_initializer', ONES),
    betaRegularizer: objectFromTfjs('regularizer', f, 'beta_regularizer'),
    gammaRegularizer: objectFromTfjs('regularizer', f, 'gamma_regularizer'),
    betaConstraint: objectFromTfjs('constraint', f, 'beta_constraint'),
    gammaConstraint: objectFromTfjs('constraint', f, 'gamma_constraint'),
  }),
};

/** tfjs-layers' LayerNormalization has no constraint keys; constraints ride in the keras-ts metadata. */
const LAYER_NORMALIZATION: LayerCodec = {
  className: 'LayerNormalization',
  toTfjs: (f) => ({
    axis: axesOf(f, 'axis'),
    epsilon: f.number('epsilon', 1e-3),
    center: f.boolean('center', true),
    scale: f.boolean('scale', true),
    beta_initializer: initializerToTfjs(f, 'betaInitializer', 'zeros'),
    gamma_initializer: initializerToTfjs(f, 'gammaInitializer', 'ones'),
    beta_regularizer: objectToTfjs('regularizer', f, 'betaRegularizer'),
    gamma_regularizer: objectToTfjs('regularizer', f, 'gammaRegularizer'),
  }),
  fromTfjs: (f) => ({
    axis: axesOf(f, 'axis'),
    epsilon: f.number('epsilon', 1e-3),
    center: f.boolean('center', true),
    scale: f.boolean('scale', true),
    betaInitializer: objectOrDefault('initializer', f, 'beta_initializer', ZEROS),
    gammaInitializer: objectOrDefault('initializer', f, 'gamma_initializer', ONES),
    betaRegularizer: objectFromTfjs('regularizer', f, 'beta_regularizer'),
    gammaRegularizer: objectFromTfjs('regularizer', f, 'gamma_regularizer'),
    betaConstraint: null,
    gammaConstraint: null,
  }),
};

/**
 * SpatialDropout2D/3D (tfjs-layers 4.22 has neither): written as tfjs' Dropout, the identity at
 * inference as they are; keras-ts restores the class and its data format from the metadata.
 */
const spatialDropout = (className: string): LayerCodec => ({
  className,
  standIn: 'Dropout',
  toTfjs: (f) => ({ rate: f.number('rate'), noise_shape: null, seed: f.seed('seed') }),
  fromTfjs: (f) => ({ rate: f.number('rate'), dataFormat: f.string('data_format', 'channels_last'), seed: f.seed('seed') }),
});

/** ActivityRegularization (not in tfjs-layers 4.22): written as the identity Activation('linear'); l1/l2 in the metadata. */
const ACTIVITY_REGULARIZATION: LayerCodec = {
  className: 'ActivityRegularization',
  standIn: 'Activation',
  toTfjs: () => ({ activation: 'linear' }),
  fromTfjs: (f) => ({ l1: f.number('l1', 0), l2: f.number('l2', 0) }),
};

const LAYERS: readonly LayerCodec[] = [
  DENSE, DROPOUT, GAUSSIAN_NOISE, GAUSSIAN_DROPOUT, ALPHA_DROPOUT, SPATIAL_DROPOUT_1D, FLATTEN, RESHAPE, ACTIVATION,
  BATCH_NORMALIZATION, LAYER_NORMALIZATION, spatialDropout('SpatialDropout2D'), spatialDropout('SpatialDropout3D'),
  ACTIVITY_REGULARIZATION,
];

export const LAYER_CLASS_NAMES: readonly string[] = LAYERS.map((c) => c.className);

function codecFor(className: string, onUnknown: () => Error): LayerCodec {
  const codec = LAYERS.find((c) => c.className === className);
  if (codec === undefined) throw onUnknown();
  return codec;
}

const quotedClasses = (): string => LAYER_CLASS_NAMES.map((n) => `"${n}"`).join(', ');

/** A keras-ts layer (`{ className, config }`) as tfjs' model.json holds it. `where` names the layer's place. */
export function layerToTfjs(layer: unknown, where: string): TfjsObject {
  const outer = Fields.ofArtifacts(isRecord(layer) ? layer : {}, where);
  if (!isRecord(layer) || typeof layer['className'] !== 'string' || !isRecord(layer['config'])) {
    throw outer.error(`Invalid layer: expected { className, config }. Received: ${JSON.stringify(layer)}`);
  }
  const className = layer['className'];
  if (className === 'InputLayer') return inputLayerToTfjs(Fields.ofArtifacts(layer['config'], `${where} (InputLayer)`));
  const codec = codecFor(className, () => outer.error(`Unsupported layer class "${className}": tfjs-layers files can hold ${quotedClasses()}`));
  const f = Fields.ofArtifacts(layer['config'], `${where} (${className})`);
  const name = f.string('name');
  const config: JsonObject = { ...codec.toTfjs(f), name, trainable: true };
  const inputShape = f.nullableShape('inputShape');
  if (inputShape !== null) {
    config['batch_input_shape'] = [null, ...inputShape];
    config['dtype'] = 'float32';
  }
  return { class_name: codec.standIn ?? className, config };
}

/** keras-ts' explicit `layers.Input` as tfjs-layers' InputLayer (engine/input_layer.ts `getConfig`). */
function inputLayerToTfjs(f: Fields): TfjsObject {
  const shape = f.nullableShape('shape');
  if (shape === null || shape.length === 0) throw f.invalid('shape', 'the input shape (positive integers, no batch dimension)');
  return { class_name: 'InputLayer', config: { batch_input_shape: [null, ...shape], dtype: 'float32', sparse: false, name: f.string('name') } };
}

/** The input shape (without the batch dimension) a tfjs layer config declares, or null. */
export function inputShapeFromTfjs(f: Fields): number[] | null {
  const key = f.get('batch_input_shape') != null ? 'batch_input_shape' : 'batch_shape'; // Keras 3 spells it batch_shape
  const shape = f.get(key);
  if (shape == null) return null;
  if (!Array.isArray(shape) || shape.length < 2 || !shape.slice(1).every((d) => Number.isInteger(d) && (d as number) > 0)) {
    throw f.invalid(key, '[batch, …dims] with positive integer dims');
  }
  return shape.slice(1) as number[];
}

/** A tfjs layer from a model.json as keras-ts' `{ className, config }`. `where` names the layer and its file. */
export function layerFromTfjs(className: string, config: JsonObject, where: string): SerializedObject {
  const f = Fields.ofFile(config, `${where} (${className})`);
  const codec = codecFor(className, () =>
    f.error(`Unsupported layer class "${className}": keras-ts reads ${quotedClasses()} (and a leading "InputLayer")`),
  );
  const out: JsonObject = { name: f.string('name'), ...codec.fromTfjs(f) };
  const inputShape = inputShapeFromTfjs(f);
  if (inputShape !== null) out['inputShape'] = inputShape;
  return { className, config: out };
}
