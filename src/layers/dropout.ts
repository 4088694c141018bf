/**
 * Dropout: during training, zeroes each unit with probability `rate` and scales survivors by
 * 1/(1−rate) (inverted dropout), so inference is the identity and needs no rescaling.
 */
import { tf } from '../backend/tf';
import { checkInputShape, checkName, optionalSeed } from '../options';
import { checkNoiseShape, checkRate, maskShape, readLayerArgs } from './args';
import { Layer } from './layer';
import type { ForwardOptions } from './layer';

export interface DropoutOptions {
  /** Fraction of units to drop, in [0, 1); the same as the factory's first argument. */
  rate?: number;
  /** Mask shape [batch, ...features]; null entries take the input's size, 1 shares one draw
   *  along that axis (e.g. [null, 1] drops whole rows). Default: the input's shape. */
  noiseShape?: (number | null)[] | null;
  /** Seed of this layer's own mask stream (default: derived from the global seed and the layer's place in its model). */
  seed?: number | null;
  /** Feature shape of the input, without the batch dimension (first layer only). */
  inputShape?: number[] | null;
  /** Layer name (default dropout, dropout_1, …). */
  name?: string | null;
}

export const DROPOUT_OPTION_NAMES = ['rate', 'noiseShape', 'seed', 'inputShape', 'name'] as const satisfies readonly (keyof DropoutOptions)[];

export class Dropout extends Layer {
  readonly className = 'Dropout';
  readonly rate: number;
  readonly noiseShape: (number | null)[] | undefined;
  readonly seed: number | undefined;

  /** `new Dropout(0.2, { … })`, or `new Dropout({ rate: 0.2, … })` (what getConfig() returns). */
  constructor(rate: number | DropoutOptions, options: DropoutOptions = {}) {
    const { o, value } = readLayerArgs('Dropout', 'rate', rate, options, DROPOUT_OPTION_NAMES);
    const checkedRate = checkRate('Dropout', value);
    const noiseShape = checkNoiseShape('Dropout', o.noiseShape);
    super('Dropout', checkName('Dropout', o.name), checkInputShape('Dropout', o.inputShape));
    this.rate = checkedRate;
    this.noiseShape = noiseShape;
    this.seed = optionalSeed('Dropout', o.seed);
    this.built = true; // stateless: built at construction, as in Keras
  }

  computeOutputShape(inputShape: number[]): number[] {
    return [...inputShape];
  }

  call(x: tf.Tensor, options: ForwardOptions): tf.Tensor {
    if (!options.training || this.rate === 0) return x;
    const shape = maskShape(`Dropout '${this.name}'`, this.noiseShape, x.shape);
    const size = shape.reduce((a, b) => a * b, 1);
    // Drawn in JS from the layer's seeded stream: identical masks on every backend, one upload.
    const mask = new Float32Array(size);
    this.stream('dropout', this.seed).fillKeepMask(mask, this.rate, 1 / (1 - this.rate));
    return tf.mul(x, tf.tensor(mask, shape)); // broadcasts along axes where noiseShape is 1
  }

  getConfig(): Record<string, unknown> {
    return {
      name: this.name,
      rate: this.rate,
      noiseShape: this.noiseShape === undefined ? null : [...this.noiseShape],
      seed: this.seed ?? null,
      ...(this.inputShape ? { inputShape: [...this.inputShape] } : {}),
    };
  }
}
