/**
 * The base of every keras-ts layer: a name, lazily built weights, `apply(x, { training })`, the
 * weight penalty of its regularizers, its random streams and a flat config.
 */
import { tf } from '../backend/tf';
import { RandomGenerator, derivedGenerator } from '../backend/random';
import type { Constraint } from '../constraints';
import { ConfigError } from '../errors';
import { Regularizer } from '../regularizers/regularizer';
import type { SerializedObject } from '../serialization';

/** Options of one forward call. */
export interface CallOptions {
  /** Training mode: dropout and noise layers are active only when true (default false). */
  training?: boolean;
}

/** What a model passes to each layer's forward pass. */
export interface ForwardOptions extends CallOptions {
  /** False when no gradient with respect to the input is needed (no weight upstream): a layer may skip it. */
  inputGradient?: boolean;
}

/** One weight of a layer with its regularizer and constraint. */
export interface LayerWeight {
  /** "kernel", "bias", "gamma", "moving_mean"… */
  name: string;
  variable: tf.Variable;
  regularizer: Regularizer | undefined;
  constraint: Constraint | undefined;
  /** False for statistics updated outside the gradient step (BatchNormalization's moving mean). */
  trainable: boolean;
}

const nameCounts = new Map<string, number>();

/** Keras-style unique names: dense, dense_1, dense_2… */
export function uniqueLayerName(prefix: string): string {
  const count = nameCounts.get(prefix) ?? 0;
  nameCounts.set(prefix, count + 1);
  return count === 0 ? prefix : `${prefix}_${count}`;
}

/** Keras' snake_case of a class name, the prefix of default layer names ('Dense' → 'dense', 'SpatialDropout1D' → 'spatial_dropout1d'). */
const prefixOf = (className: string): string =>
  className.replace(/(.)([A-Z][a-z]+)/g, '$1_$2').replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();

export abstract class Layer {
  readonly name: string;
  /** Feature shape (no batch dimension) declared with `inputShape`, if any. */
  readonly inputShape: number[] | undefined;
  /** Applied to this layer's output; its penalty joins the loss (see the README on Keras' batch division). */
  readonly activityRegularizer: Regularizer | undefined;
  protected built = false;
  private disposed = false;
  /** Where this layer's random streams come from; the model sets it (class and index within the model). */
  private seedKey: (string | number)[] | undefined;
  private readonly streams = new Map<string, RandomGenerator>();

  protected constructor(className: string, name: string | undefined, inputShape: number[] | undefined, activityRegularizer?: Regularizer) {
    this.name = name ?? uniqueLayerName(prefixOf(className));
    this.inputShape = inputShape;
    this.activityRegularizer = activityRegularizer;
  }

  /** The layer's Keras class name ("Dense", "Dropout"). */
  abstract readonly className: string;

  /**
   * For layers whose output is `activation(z)`: the activation's name. A loss that can take z
   * directly (cross-entropy after softmax) asks the model for `callPreActivation` instead.
   */
  get outputActivation(): string | undefined {
    return undefined;
  }

  /** z, the output before `outputActivation` (only for layers that have one). */
  callPreActivation(x: tf.Tensor, options: ForwardOptions): tf.Tensor {
    void x;
    void options;
    throw new ConfigError(`${this.className} '${this.name}' has no separate output activation.`);
  }

  /** Creates the weights for inputs of feature shape `inputShape` (no batch dimension). */
  build(inputShape: number[]): void {
    void inputShape;
    this.built = true;
  }

  get isBuilt(): boolean {
    return this.built;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Output feature shape for an input feature shape (no batch dimension). */
  abstract computeOutputShape(inputShape: number[]): number[];

  /** The forward pass. Inputs are [batch, ...features]. */
  abstract call(x: tf.Tensor, options: ForwardOptions): tf.Tensor;

  /** Throws a clear error when the layer's weights were freed. */
  assertUsable(): void {
    if (this.disposed) throw new ConfigError(`Layer '${this.name}' was disposed; create a new layer (or a new model) instead.`);
  }

  /** Runs the layer on `x` directly, building it from x's shape on first use. */
  apply(x: tf.Tensor, options: CallOptions = {}): tf.Tensor {
    this.assertUsable();
    if (!this.built) this.build(x.shape.slice(1));
    return tf.tidy(() => {
      const y = this.call(x, { training: options.training ?? false });
      // Identity layers return their input; hand back a separate tensor the caller may dispose.
      return y === x ? tf.clone(x) : y;
    });
  }

  /** This layer's weights in Keras order (kernel, then bias). Empty before build. */
  get weights(): LayerWeight[] {
    return [];
  }

  /** Weights the optimizer updates. */
  get trainableWeights(): LayerWeight[] {
    return this.weights.filter((w) => w.trainable);
  }

  /** Sum of the weight regularizers' penalties, or undefined when there are none. */
  weightPenalty(): tf.Scalar | undefined {
    const terms = this.weights.flatMap((w) => (w.regularizer ? [w.regularizer.apply(w.variable)] : []));
    if (terms.length === 0) return undefined;
    return terms.length === 1 ? terms[0]! : (tf.addN(terms) as tf.Scalar);
  }

  /**
   * Called after each optimizer update: runs the proximal step of regularizers that have one
   * (L1Prox) given the optimizer's learning rate, then projects weights onto their constraints.
   */
  applyConstraints(learningRate?: number, stepScale?: (variable: tf.Variable) => tf.Tensor | undefined): void {
    for (const w of this.weights) {
      if (learningRate !== undefined && w.regularizer !== undefined && w.regularizer.proximalStep !== Regularizer.prototype.proximalStep) {
        const scale = stepScale?.(w.variable);
        try {
          w.regularizer.proximalStep(w.variable, learningRate, scale);
        } finally {
          scale?.dispose();
        }
      }
      if (w.constraint === undefined) continue;
      const projected = w.constraint.apply(w.variable);
      w.variable.assign(projected);
      projected.dispose();
    }
  }

  countParams(): number {
    return this.weights.reduce((n, w) => n + w.variable.size, 0);
  }

  /** Sets the key of this layer's random streams: the model calls it with (className, index among its class). */
  setSeedKey(key: (string | number)[]): void {
    this.seedKey = [...key];
  }

  /**
   * This layer's stream for one purpose ('weights', 'dropout'), derived from the global seed and the
   * layer's place in its model; a standalone layer keys it by its name. Created on first use.
   */
  protected stream(purpose: string, seed?: number): RandomGenerator {
    let stream = this.streams.get(purpose);
    if (stream === undefined) {
      stream = seed !== undefined ? new RandomGenerator(seed) : derivedGenerator(...(this.seedKey ?? ['layer', this.name]), purpose);
      this.streams.set(purpose, stream);
    }
    return stream;
  }

  /** The positions of the layer's random streams (for saving training state). */
  getRandomState(): Record<string, number[]> {
    return Object.fromEntries([...this.streams].map(([purpose, stream]) => [purpose, stream.getState()]));
  }

  /** Restores stream positions saved by getRandomState. */
  setRandomState(state: Record<string, number[]>): void {
    for (const [purpose, words] of Object.entries(state)) {
      const stream = this.streams.get(purpose) ?? new RandomGenerator(0);
      stream.setState(words);
      this.streams.set(purpose, stream);
    }
  }

  /** The constructor's options as a flat object, `name` included: `layers.X(config)` rebuilds the layer. */
  abstract getConfig(): Record<string, unknown>;

  /** `{ className, config }`. */
  serialize(): SerializedObject {
    return { className: this.className, config: this.getConfig() };
  }

  /** Frees the layer's variables; using the layer afterwards is an error. */
  dispose(): void {
    for (const w of this.weights) w.variable.dispose();
    this.disposed = true;
  }
}
