/**
 * `Sequential`: a stack of layers with Keras' model API — add, build, compile, fit, evaluate,
 * predict, summary, weights and config. Training comes from `Trainer` (training/), as Keras'
 * Model sits over its Trainer; this class supplies the forward pass and the weights.
 */
import { takeBatch } from '../backend/rows';
import { tf } from '../backend/tf';
import * as activations from '../activations';
import type { ActivationIdentifier } from '../activations';
import { ConfigError, ShapeError, describe } from '../errors';
import * as layersNamespace from '../layers';
import { Layer } from '../layers/layer';
import { readOptions } from '../options';
import { isSerializedObject } from '../serialization';
import type { SerializedObject } from '../serialization';
import { checkBatchSize, checkFeatures, checkFinite, checkNotEmpty, toTensor } from '../training/data';
import { syncReadsWork } from '../backend/sync-reads';
import type { TensorInput } from '../training/data';
import type { Prediction } from '../training/objective';
import { Trainer } from '../training/trainer';
import { readTrainingBackup, writeTrainingBackup } from './backup';
import { summarize } from './model-summary';
import { saveModel } from './save';
import { loadModelWeights, saveModelWeights } from './weights-file';
import type { SaveOptions, SaveResult } from './save';

export interface PredictOptions {
  /** Rows per forward pass (default 32). */
  batchSize?: number | null;
}

/** Sequential's config: its name and its layers in `{ className, config }` form. */
export interface SequentialConfig {
  name: string;
  layers: SerializedObject[];
}

export class Sequential extends Trainer {
  readonly name: string;
  private readonly stack: Layer[] = [];
  private builtInputShape: number[] | undefined;
  private disposed = false;

  constructor(layers: Layer[] = [], name = 'sequential') {
    super();
    this.name = name;
    for (const layer of layers) this.add(layer);
  }

  /** Rebuilds a model from `getConfig()`'s output (weights are new; use setWeights or loadModel for trained ones). */
  static fromConfig(config: SequentialConfig): Sequential {
    if (config === null || typeof config !== 'object' || !Array.isArray(config.layers)) {
      throw new ConfigError(`Invalid Sequential config: expected { name, layers: [{ className, config }, …] }. Received: ${describe(config)}`);
    }
    const model = new Sequential([], typeof config.name === 'string' ? config.name : 'sequential');
    config.layers.forEach((layer, i) => {
      if (!isSerializedObject(layer)) throw new ConfigError(`Invalid Sequential config: layers[${i}] is not { className, config }. Received: ${describe(layer)}`);
      model.add(layersNamespace.get(layer));
    });
    return model;
  }

  /** Appends a layer; returns the model so calls chain. */
  add(layer: Layer): this {
    this.assertUsable();
    if (!(layer instanceof Layer)) {
      throw new ConfigError(`Invalid layer for add: expected a keras-ts layer such as layers.Dense(64). Received: ${describe(layer)}`);
    }
    layer.assertUsable();
    if (this.stack.includes(layer)) throw new ConfigError(`Layer '${layer.name}' was already added to this model; create a new layer instead.`);
    if (this.stack.length > 0 && layer.inputShape !== undefined) {
      throw new ConfigError(`Invalid \`inputShape\` on '${layer.name}': only the first layer takes inputShape.`);
    }
    // The layer's random streams follow its place among the model's layers of its class, so a
    // Dropout inserted between two Dense layers leaves their initial weights unchanged.
    layer.setSeedKey([layer.className, this.stack.filter((l) => l.className === layer.className).length]);
    this.stack.push(layer);
    if (this.stack.length === 1 && layer.inputShape !== undefined) this.build(layer.inputShape);
    else if (this.built) this.build(this.inputShape!);
    return this;
  }

  get layers(): readonly Layer[] {
    return this.stack;
  }

  get inputShape(): number[] | undefined {
    return this.stack[0]?.inputShape ?? this.builtInputShape;
  }

  get built(): boolean {
    return this.builtInputShape !== undefined;
  }

  /** Creates every layer's weights for input rows of `inputShape` (no batch dimension). */
  build(inputShape: number[]): void {
    let shape = inputShape;
    for (const layer of this.stack) {
      if (!layer.isBuilt) layer.build(shape);
      shape = layer.computeOutputShape(shape);
    }
    this.builtInputShape = [...inputShape];
  }

  outputShapes(): number[][] | undefined {
    const input = this.inputShape;
    if (input === undefined) return undefined;
    const shapes: number[][] = [];
    let shape = input;
    for (const layer of this.stack) shapes.push((shape = layer.computeOutputShape(shape)));
    return shapes;
  }

  /**
   * The forward pass. In training mode dropout is active; with `preActivation` the last layer
   * returns its output before its activation (the objective asks for it to fuse the loss). Activity
   * penalties are divided by the batch size (Keras ≥ 3.14). Builds the model from x on first use.
   */
  forward(x: tf.Tensor, options: { training: boolean; preActivation?: boolean }): Prediction {
    if (!this.built) this.build(x.shape.slice(1));
    const { training, preActivation = false } = options;
    const penalties: tf.Scalar[] = [];
    const batchSize = x.shape[0] ?? 1;
    let y = x;
    let upstreamWeights = false; // no trainable weight before this layer → no input gradient needed
    this.stack.forEach((layer, i) => {
      const raw = preActivation && i === this.stack.length - 1;
      const forwardOptions = { training, inputGradient: upstreamWeights };
      y = raw ? layer.callPreActivation(y, forwardOptions) : layer.call(y, forwardOptions);
      if (layer.activityRegularizer !== undefined) {
        const activated = raw ? activations.get(layer.outputActivation as ActivationIdentifier)(y) : y;
        penalties.push(tf.div(layer.activityRegularizer.apply(activated), batchSize) as tf.Scalar);
      }
      upstreamWeights ||= layer.trainableWeights.length > 0;
    });
    const activityPenalty = penalties.length === 0 ? undefined : penalties.length === 1 ? penalties[0] : (tf.addN(penalties) as tf.Scalar);
    return { value: y, activityPenalty };
  }

  penaltyTensor(): tf.Scalar {
    const terms = this.stack.flatMap((layer) => {
      const p = layer.weightPenalty();
      return p === undefined ? [] : [p];
    });
    if (terms.length === 0) return tf.scalar(0);
    return terms.length === 1 ? terms[0]! : (tf.addN(terms) as tf.Scalar);
  }

  /** Current total weight-regularization penalty (Σ over layers of their regularizers' penalties). */
  penalty(): number {
    return tf.tidy(() => this.penaltyTensor().dataSync()[0]!);
  }

  trainableVariables(): tf.Variable[] {
    return this.stack.flatMap((l) => l.trainableWeights.map((w) => w.variable));
  }

  applyConstraints(learningRate?: number, stepScale?: (variable: tf.Variable) => tf.Tensor | undefined): void {
    for (const layer of this.stack) layer.applyConstraints(learningRate, stepScale);
  }

  /** Runs the model in inference mode in batches; returns the outputs (the caller disposes them). */
  predict(x: TensorInput, options: PredictOptions = {}): tf.Tensor {
    this.assertUsable();
    const o = readOptions('predict', options, ['batchSize']);
    const batchSize = checkBatchSize(o.batchSize ?? 32);
    const { tensor, owned } = toTensor('x', x);
    try {
      checkNotEmpty('x', tensor);
      checkFeatures('x', tensor, this.inputShape);
      // predict answers synchronously, as Keras' does; where the backend cannot read synchronously
      // (webgpu in Node) it skips this check rather than fail: fit and evaluate still check.
      if (syncReadsWork()) checkFinite('x', tensor);
      return tf.tidy(() => {
        const rows = tensor.shape[0]!;
        const parts: tf.Tensor[] = [];
        for (let start = 0; start < rows; start += batchSize) {
          const size = Math.min(batchSize, rows - start);
          const batch = rows <= batchSize ? tensor : takeBatch([tensor], start, size)[0]!;
          const { value } = this.forward(batch, { training: false });
          parts.push(value === tensor ? tf.clone(value) : value); // never hand out the input itself
        }
        return parts.length === 1 ? parts[0]! : tf.concat(parts, 0);
      });
    } finally {
      if (owned) tensor.dispose();
    }
  }

  /** Copies of every weight, layer by layer in each layer's order (Dense: kernel, bias). */
  getWeights(): tf.Tensor[] {
    this.assertUsable();
    return this.stack.flatMap((l) => l.weights.map((w) => w.variable.clone()));
  }

  /** Sets every weight, in getWeights' order; shapes must match. */
  setWeights(weights: tf.Tensor[]): void {
    this.assertUsable();
    const variables = this.stack.flatMap((l) => l.weights.map((w) => w.variable));
    if (!Array.isArray(weights) || weights.length !== variables.length) {
      throw new ShapeError(`Invalid \`weights\` for setWeights: expected ${variables.length} tensors (kernel and bias per layer, in getWeights' order). Received: ${Array.isArray(weights) ? weights.length : describe(weights)}`);
    }
    weights.forEach((w, i) => {
      const v = variables[i]!;
      if (!(w instanceof tf.Tensor) || !tf.util.arraysEqual(w.shape, v.shape)) {
        throw new ShapeError(`Invalid \`weights[${i}]\` for setWeights: expected shape [${v.shape.join(', ')}]. Received: ${w instanceof tf.Tensor ? `[${w.shape.join(', ')}]` : describe(w)}`);
      }
    });
    weights.forEach((w, i) => variables[i]!.assign(w));
  }

  countParams(): number {
    return this.stack.reduce((n, l) => n + l.countParams(), 0);
  }

  /** A Keras-like summary table (layer, output shape, params, regularization) as a string. */
  summary(): string {
    return summarize(this.name, this.stack, this.outputShapes());
  }

  /** `{ name, layers }`, each layer as `{ className, config }`: `Sequential.fromConfig` of it rebuilds the model. */
  getConfig(): SequentialConfig {
    return { name: this.name, layers: this.stack.map((l) => l.serialize()) };
  }

  /**
   * Saves the model: a path ending in `.keras` → Keras 3's format; a directory or `file://dir` →
   * tfjs-layers' model.json + weights.bin; `indexeddb://`, `localstorage://`, `http(s)://` or a
   * tf.io.IOHandler → tfjs' own IO. See the README's "Saving and loading".
   */
  save(target: string | tf.io.IOHandler, options: SaveOptions = {}): Promise<SaveResult> {
    return saveModel(this, target, options);
  }

  /** The weights alone, as a Keras 3 `.weights.h5` file. */
  saveWeights(file: string): Promise<void> {
    return saveModelWeights(this, file);
  }

  /** Sets the weights from a `.weights.h5` file written for this architecture (by keras-ts or Keras). */
  loadWeights(file: string): Promise<void> {
    return loadModelWeights(this, file);
  }

  /** Writes weights, optimizer state, random streams and `info` to one `.keras` file, atomically (used by BackupAndRestore). */
  writeBackup(file: string, info: Record<string, number>): Promise<void> {
    return writeTrainingBackup(this, file, info);
  }

  /** Restores a file written by writeBackup into this compiled model; returns its `info` (used by BackupAndRestore). */
  readBackup(file: string): Promise<Record<string, number>> {
    return readTrainingBackup(this, file);
  }

  assertUsable(): void {
    if (this.disposed) throw new ConfigError(`Model '${this.name}' was disposed; build a new model instead.`);
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Frees every layer's variables and the optimizer's state; using the model afterwards is an error. */
  dispose(): void {
    if (this.disposed) return;
    for (const layer of this.stack) layer.dispose();
    this.compiledState?.optimizer.dispose();
    this.disposed = true;
  }
}
