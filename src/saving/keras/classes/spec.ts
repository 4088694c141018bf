/**
 * The table form of a Keras class: how each key of its Keras config maps to keras-ts, so that
 * supporting a new class is one table entry (see layers.ts, objects.ts, optimizers.ts).
 */
import type { PyJson } from '../python-json';

/** The families of objects a config can hold. */
export type Family = 'regularizer' | 'constraint' | 'initializer' | 'optimizer' | 'layer';

/** The families that appear nested inside a layer's config. */
export type NestedFamily = Exclude<Family, 'layer' | 'optimizer'>;

/** What a value is: decides its check on read and its JSON form on write. */
export type ValueKind =
  /** A real number Keras holds as a Python float (written `1.0`, `1e-07`). */
  | 'float'
  | 'int'
  | 'bool'
  | 'string'
  /** An activation name ('relu'); Keras serializes built-in activations as their names. */
  | 'activation'
  /** A list of dimensions, `null` for an unknown one (Dropout's `noise_shape`). */
  | 'dims'
  /** A target shape: positive integers, at most one -1 (Reshape's `target_shape`). */
  | 'shape'
  /**
   * An axis or a list of axes. Keras writes a list once the layer is built (LayerNormalization
   * turns `-1` into `[-1]` in `build`); a one-element list reads back as the plain integer.
   */
  | 'axes'
  /** A nested object of this family, as `{ className, config }`. */
  | NestedFamily;

/** A key of the Keras config that keras-ts uses, under the camelCase name keras-ts gives it. */
export interface Field {
  /** The key in Keras' config ('use_bias'). */
  keras: string;
  /** The key in keras-ts' config; defaults to the camelCase of `keras` ('useBias'). */
  ts?: string;
  kind: ValueKind;
  /** Whether `null` is allowed (keras-ts' "not set"). */
  nullable?: boolean;
  /**
   * keras-ts' default, used when a keras-ts config leaves the key out; nested objects as their
   * class name ('GlorotUniform'). `undefined`: the key is required.
   */
  default?: unknown;
  /** Keras' default where it differs from keras-ts' (used when a Keras file leaves the key out). */
  kerasDefault?: unknown;
  /** Keras writes the key only when the value is not null (a layer's `activity_regularizer`). */
  omitWhenNull?: boolean;
}

/**
 * A key only Keras uses. On write it gets `value` (Keras' default); on read it is dropped, unless
 * `mustEqual` is set: then a different value is an error, because dropping it would silently change
 * what the model computes (gradient clipping, quantization…).
 */
export interface KerasOnlyKey {
  keras: string;
  kerasOnly: true;
  value: PyJson;
  mustEqual?: boolean;
}

export type KeySpec = Field | KerasOnlyKey;

export const isKerasOnly = (key: KeySpec): key is KerasOnlyKey => 'kerasOnly' in key;

export interface ClassSpec {
  /** Keras' class name, also keras-ts' `className`. */
  className: string;
  /** The Keras module written in `module` ('keras.layers'). */
  module: string;
  family: Family;
  /** The config's keys in the order Keras' `get_config` writes them. */
  keys: KeySpec[];
  /** String identifiers accepted for this class besides its class name ('l1', 'glorot_uniform'). */
  aliases?: string[];
}

/** A weight a layer owns, in the order the layer lists (and Keras saves) them. */
export interface WeightSpec {
  name: string;
  shape: number[];
  trainable: boolean;
}

export interface LayerSpec extends ClassSpec {
  family: 'layer';
  /** The weights of a layer with keras-ts config `config` fed inputs of shape `inputShape` (no batch dim). */
  weights(config: Readonly<Record<string, unknown>>, inputShape: readonly number[]): WeightSpec[];
  /** Output shape (no batch dim). */
  outputShape(config: Readonly<Record<string, unknown>>, inputShape: readonly number[]): number[];
  /** Whether Keras writes a `build_config` for it (layers with a `build` method). */
  hasBuildConfig: boolean;
}

export interface OptimizerSpec extends ClassSpec {
  family: 'optimizer';
  /**
   * The optimizer's slot variables as Keras creates them in `build`: each inner list is one
   * `add_optimizer_variables` call, which interleaves its slots per model variable; the calls
   * follow one another. Adam: [['momentum', 'velocity']] (+ [['velocity_hat']] with amsgrad).
   */
  slotGroups(config: Readonly<Record<string, unknown>>): string[][];
}
