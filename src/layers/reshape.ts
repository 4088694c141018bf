/** Reshape (Keras 3 `layers.Reshape`): [batch, …] → [batch, ...targetShape]; one entry may be −1 (inferred). */
import { tf } from '../backend/tf';
import { ShapeError, invalidArgument } from '../errors';
import { checkInputShape, checkName } from '../options';
import { readLayerArgs } from './args';
import { Layer } from './layer';
import type { ForwardOptions } from './layer';

export interface ReshapeOptions {
  /** Output feature shape without the batch dimension; the same as the factory's first argument. */
  targetShape?: number[];
  /** Feature shape of the input, without the batch dimension (first layer only). */
  inputShape?: number[] | null;
  /** Layer name (default reshape, reshape_1, …). */
  name?: string | null;
}

export const RESHAPE_OPTION_NAMES = ['targetShape', 'inputShape', 'name'] as const satisfies readonly (keyof ReshapeOptions)[];

export class Reshape extends Layer {
  readonly className = 'Reshape';
  readonly targetShape: number[];

  /** `new Reshape([4, 2])`, or `new Reshape({ targetShape: [4, 2] })` (what getConfig() returns). */
  constructor(targetShape: number[] | ReshapeOptions, options: ReshapeOptions = {}) {
    const { o, value } = readLayerArgs('Reshape', 'targetShape', targetShape, options, RESHAPE_OPTION_NAMES);
    const valid = Array.isArray(value) && value.length > 0 &&
      value.every((d) => Number.isInteger(d) && (d > 0 || d === -1)) && value.filter((d) => d === -1).length <= 1;
    if (!valid) throw invalidArgument('targetShape', 'Reshape', 'an array of positive integers with at most one -1, e.g. [4, -1]', value);
    super('Reshape', checkName('Reshape', o.name), checkInputShape('Reshape', o.inputShape));
    this.targetShape = [...(value as number[])];
    this.built = true; // stateless
  }

  computeOutputShape(inputShape: number[]): number[] {
    const size = inputShape.reduce((a, b) => a * b, 1);
    const known = this.targetShape.reduce((a, d) => (d === -1 ? a : a * d), 1);
    const fits = this.targetShape.includes(-1) ? size % known === 0 : size === known;
    if (!fits) {
      throw new ShapeError(`Reshape '${this.name}' cannot reshape inputs of feature shape [${inputShape.join(', ')}] (${size} values) to [${this.targetShape.join(', ')}].`);
    }
    return this.targetShape.map((d) => (d === -1 ? size / known : d));
  }

  call(x: tf.Tensor, options: ForwardOptions): tf.Tensor {
    void options;
    return tf.reshape(x, [x.shape[0]!, ...this.computeOutputShape(x.shape.slice(1))]);
  }

  getConfig(): Record<string, unknown> {
    return { name: this.name, targetShape: [...this.targetShape], ...(this.inputShape ? { inputShape: [...this.inputShape] } : {}) };
  }
}
