/**
 * The Constraint base class: a projection applied to a weight after each optimizer update (Keras
 * semantics). Extend it for a custom constraint that saves with the model.
 */
import type { tf } from '../backend/tf';
import type { SerializedObject } from '../serialization';

export abstract class Constraint {
  /** Keras class name ('MaxNorm', 'NonNeg', 'UnitNorm', 'MinMaxNorm'). */
  abstract readonly className: string;
  /** The projected weights (a new tensor; the caller assigns it). */
  abstract apply(w: tf.Tensor): tf.Tensor;
  /** The constructor's options: `fromConfig` of it rebuilds an equal constraint. */
  abstract getConfig(): Record<string, unknown>;

  serialize(): SerializedObject {
    return { className: this.className, config: this.getConfig() };
  }
}
