/**
 * InputLayer (Keras 3 `layers.InputLayer` / `keras.Input`): a first layer that only declares the
 * feature shape of the model's inputs; the identity. `layers.Input({ shape: [20] })` is the same
 * as giving the next layer `inputShape: [20]`.
 */
import type { tf } from '../backend/tf';
import { ConfigError, invalidArgument } from '../errors';
import { checkName, readOptions } from '../options';
import { Layer } from './layer';
import type { ForwardOptions } from './layer';

export interface InputLayerOptions {
  /** Feature shape of one input row, without the batch dimension, e.g. [20]. Required. */
  shape?: number[];
  /** Layer name (default input_layer, …). */
  name?: string | null;
}

export const INPUT_LAYER_OPTION_NAMES = ['shape', 'name'] as const satisfies readonly (keyof InputLayerOptions)[];

export class InputLayer extends Layer {
  readonly className = 'InputLayer';

  constructor(options: InputLayerOptions) {
    const o = readOptions('InputLayer', options, INPUT_LAYER_OPTION_NAMES);
    if (o.shape === undefined) throw new ConfigError('Missing `shape` for InputLayer: expected the feature shape without the batch dimension, e.g. { shape: [20] }.');
    const shape = o.shape;
    if (!Array.isArray(shape) || shape.length === 0 || !shape.every((d) => Number.isInteger(d) && d > 0)) {
      throw invalidArgument('shape', 'InputLayer', 'an array of positive integers without the batch dimension, e.g. [20]', shape);
    }
    super('InputLayer', checkName('InputLayer', o.name), [...shape]);
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
    return { name: this.name, shape: [...this.inputShape!] };
  }
}
