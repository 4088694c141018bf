/**
 * ActivityRegularization (Keras 3 `layers.ActivityRegularization`): the identity, whose input
 * joins the loss as l1·Σ|x| + l2·Σx² (divided by the batch size, as the model does for every
 * activity penalty, Keras ≥ 3.14).
 */
import type { tf } from '../backend/tf';
import { L1L2 } from '../regularizers';
import { checkInputShape, checkName, nonNegativeNumber, readOptions } from '../options';
import { Layer } from './layer';
import type { ForwardOptions } from './layer';

export interface ActivityRegularizationOptions {
  /** L1 strength (default 0). */
  l1?: number | null;
  /** L2 strength (default 0). */
  l2?: number | null;
  /** Feature shape of the input, without the batch dimension (first layer only). */
  inputShape?: number[] | null;
  /** Layer name (default activity_regularization, …). */
  name?: string | null;
}

export const ACTIVITY_REGULARIZATION_OPTION_NAMES = ['l1', 'l2', 'inputShape', 'name'] as const satisfies readonly (keyof ActivityRegularizationOptions)[];

export class ActivityRegularization extends Layer {
  readonly className = 'ActivityRegularization';
  readonly l1: number;
  readonly l2: number;

  constructor(options: ActivityRegularizationOptions = {}) {
    const owner = 'ActivityRegularization';
    const o = readOptions(owner, options, ACTIVITY_REGULARIZATION_OPTION_NAMES);
    const l1 = nonNegativeNumber('l1', owner, o.l1 ?? 0);
    const l2 = nonNegativeNumber('l2', owner, o.l2 ?? 0);
    super(owner, checkName(owner, o.name), checkInputShape(owner, o.inputShape), new L1L2({ l1, l2 }));
    this.l1 = l1;
    this.l2 = l2;
    this.built = true; // stateless
  }

  computeOutputShape(inputShape: number[]): number[] {
    return [...inputShape];
  }

  call(x: tf.Tensor, options: ForwardOptions): tf.Tensor {
    void options;
    return x;
  }

  getConfig(): Record<string, unknown> {
    return { name: this.name, l1: this.l1, l2: this.l2, ...(this.inputShape ? { inputShape: [...this.inputShape] } : {}) };
  }
}
