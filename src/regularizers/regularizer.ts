/**
 * The Regularizer base class: a penalty on a weight (or activation) tensor, added to the training
 * loss. Extend it for a custom regularizer that saves with the model (give it a className and a
 * getConfig); a plain function `(w) => tf.Scalar` works too but cannot be serialized.
 */
import { tf } from '../backend/tf';
import { ConfigError, invalidArgument } from '../errors';
import type { SerializedObject } from '../serialization';

export abstract class Regularizer {
  /** Keras class name, the key of the serialized form ('L1', 'L2', 'L1L2'). */
  abstract readonly className: string;
  /** The penalty of `w` as a scalar tensor. */
  abstract apply(w: tf.Tensor): tf.Scalar;
  /** The constructor's options, e.g. `{ l1: 0.01 }`: `fromConfig` of it rebuilds an equal regularizer. */
  abstract getConfig(): Record<string, unknown>;

  /**
   * For penalties applied by their proximal operator (L1Prox): updates `w` in place after each
   * optimizer step, given the optimizer's current learning rate and, for adaptive optimizers, its
   * per-weight step size (Adam: 1/(√v̂ + ε)). The default does nothing.
   */
  proximalStep(w: tf.Variable, learningRate: number, stepScale?: tf.Tensor): void {
    void w;
    void learningRate;
    void stepScale;
  }

  /** `{ className, config }`. */
  serialize(): SerializedObject {
    return { className: this.className, config: this.getConfig() };
  }
}

/** A custom regularizer written as a function. */
export type RegularizerFunction = (w: tf.Tensor) => tf.Scalar;

/** Wraps a user function (or a duck-typed `{ apply }` object) so every regularizer has one shape. */
export class FunctionRegularizer extends Regularizer {
  readonly className = 'Function';
  constructor(private readonly fn: RegularizerFunction) {
    super();
  }
  apply(w: tf.Tensor): tf.Scalar {
    return tf.tidy(() => {
      const value = this.fn(w);
      if (!(value instanceof tf.Tensor) || value.rank !== 0) {
        throw invalidArgument('regularizer', 'a custom regularizer function', 'a function returning a scalar tf.Tensor', value);
      }
      return value;
    });
  }
  getConfig(): Record<string, unknown> {
    return {};
  }
  override serialize(): SerializedObject {
    throw new ConfigError(
      'Cannot serialize a custom regularizer function: extend regularizers.Regularizer with a className and getConfig() to save it.',
    );
  }
}
