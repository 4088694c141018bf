/**
 * The base of every keras-ts layer: a name, lazily built weights, `apply(x, { training })`,
 * the weight penalty of its regularizers and a flat config.
 */
import { tf } from '../backend/tf';
import type { Constraint } from '../constraints';
import type { Regularizer } from '../regularizers';

/** Options of one forward call. */
export interface CallOptions {
  /** Training mode: dropout is active only when true (default false). */
  training?: boolean;
}

/** Internal options the model passes to speed up training (not needed for direct use). */
export interface ModelCallOptions extends CallOptions {
  /** Return the pre-activation output (the model fuses softmax/sigmoid into the loss). */
  skipActivation?: boolean;
  /** False when no gradient with respect to the input is needed (the first layer). */
  inputGradient?: boolean;
}

/** One weight of a layer with its regularizer and constraint. */
export interface LayerWeight {
  /** "kernel" or "bias". */
  name: string;
  variable: tf.Variable;
  regularizer: Regularizer | undefined;
  constraint: Constraint | undefined;
}

const nameCounts = new Map<string, number>();

/** Keras-style unique names: dense, dense_1, dense_2… */
export function uniqueLayerName(prefix: string): string {
  const count = nameCounts.get(prefix) ?? 0;
  nameCounts.set(prefix, count + 1);
  return count === 0 ? prefix : `${prefix}_${count}`;
}

export abstract class Layer {
  readonly name: string;
  /** Feature shape (no batch dimension) declared with `inputShape`, if any. */
  readonly inputShape: number[] | undefined;
  /** Applied to this layer's output; its penalty joins the loss (Keras semantics, not divided by batch). */
  readonly activityRegularizer: Regularizer | undefined;
  protected built = false;

  protected constructor(prefix: string, name: string | undefined, inputShape: number[] | undefined, activityRegularizer?: Regularizer) {
    this.name = name ?? uniqueLayerName(prefix);
    this.inputShape = inputShape;
    this.activityRegularizer = activityRegularizer;
  }

  /** The layer's class name as Keras prints it ("Dense", "Dropout"). */
  abstract readonly className: string;

  /** Creates the weights for inputs of feature shape `inputShape` (no batch dimension). */
  build(inputShape: number[]): void {
    void inputShape;
    this.built = true;
  }

  get isBuilt(): boolean {
    return this.built;
  }

  /** Output feature shape for an input feature shape (no batch dimension). */
  abstract computeOutputShape(inputShape: number[]): number[];

  /** The forward pass. Inputs are [batch, ...features]. */
  abstract call(x: tf.Tensor, options: ModelCallOptions): tf.Tensor;

  /** Runs the layer on `x` directly, building it from x's shape on first use. */
  apply(x: tf.Tensor, options: CallOptions = {}): tf.Tensor {
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

  /** Sum of the weight regularizers' penalties, or undefined when there are none. */
  weightPenalty(): tf.Scalar | undefined {
    const terms = this.weights.flatMap((w) => (w.regularizer ? [w.regularizer.apply(w.variable)] : []));
    if (terms.length === 0) return undefined;
    return terms.length === 1 ? terms[0]! : (tf.addN(terms) as tf.Scalar);
  }

  /** Projects weights onto their constraints; called after each optimizer update. */
  applyConstraints(): void {
    for (const w of this.weights) {
      if (w.constraint === undefined) continue;
      const projected = w.constraint.apply(w.variable);
      w.variable.assign(projected);
      projected.dispose();
    }
  }

  countParams(): number {
    return this.weights.reduce((n, w) => n + w.variable.size, 0);
  }

  /** The constructor's arguments as a flat object: `layers.X(...)` of it rebuilds the layer. */
  abstract getConfig(): Record<string, unknown>;

  /** Frees the layer's variables. */
  dispose(): void {
    for (const w of this.weights) w.variable.dispose();
  }
}
