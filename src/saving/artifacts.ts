/**
 * The neutral form of a saved model that every file format reads and writes. A format codec
 * (`.keras`, tfjs-layers) turns bytes into these artifacts and back; `model.save`/`loadModel` turn
 * a live model into them and back. Codecs never see a tensor or a layer object, only plain data.
 */

/** keras-ts' one serializable form of any object: Keras class name, config keys as the options. */
export interface SerializedObject {
  /** Keras class name: 'Dense', 'Dropout', 'L1', 'L2', 'L1L2', 'MaxNorm', 'GlorotUniform', 'Adam', … */
  className: string;
  /**
   * The constructor's options, camelCase keys as keras-ts spells them (`kernelRegularizer`,
   * `maxValue`). Nested objects (a layer's regularizer, initializer, constraint) are themselves
   * SerializedObjects; a `null` value means "not set"; activations are plain strings ('relu').
   */
  config: Record<string, unknown>;
}

/** One weight's values. Float32 only (keras-ts trains in float32). */
export interface WeightValue {
  /** The weight's own name within its owner: 'kernel', 'bias', 'gamma', 'moving_mean', … */
  name: string;
  shape: number[];
  values: Float32Array;
}

/** One layer's weights, in the order the layer lists them (Dense: kernel, then bias). */
export interface LayerWeights {
  /** The layer's name in the model ('dense', 'dense_1', 'hidden_1'). */
  layerName: string;
  /** The layer's Keras class name ('Dense'). */
  className: string;
  weights: WeightValue[];
}

/** The optimizer and where training stood, for resuming bit for bit. */
export interface TrainingState {
  /** The optimizer as a SerializedObject, e.g. { className: 'Adam', config: { learningRate: 0.001, beta1: 0.9, … } }. */
  optimizer: SerializedObject;
  /** Optimizer steps taken so far. */
  iterations: number;
  /**
   * Optimizer slot variables in a fixed order: for each trainable weight in model order (layer
   * order, then the layer's weight order), each slot of the optimizer ('momentum', 'velocity', …)
   * in the optimizer's slot order. `name` is `<layerName>/<weightName>/<slot>`.
   */
  slots: WeightValue[];
  /** What `compile` was given (loss, metrics), for rebuilding a compiled model. */
  compile?: { loss: string; metrics: string[] };
  /** keras-ts' own extras (random-stream state, epoch counters), opaque to the codecs; JSON only. */
  extras?: Record<string, unknown>;
}

/** Everything a saved model holds. */
export interface ModelArtifacts {
  /** { className: 'Sequential', config: { name, layers: SerializedObject[] } }; the first layer's config carries `inputShape`. */
  model: SerializedObject;
  /** One entry per layer in model order, layers without weights included (with `weights: []`). */
  layers: LayerWeights[];
  /** Present when the optimizer state was saved. */
  training?: TrainingState;
}
