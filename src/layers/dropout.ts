/**
 * Dropout: during training, zeroes each unit with probability `rate` and scales survivors by
 * 1/(1−rate) (inverted dropout), so inference is the identity and needs no rescaling.
 */
import { tf } from '../backend/tf';
import { invalidArgument } from '../errors';
import { checkInputShape, checkName, optionalSeed, readOptions } from '../options';
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
    const given = typeof rate === 'object' && rate !== null ? rate : options;
    const o = readOptions('Dropout', given, DROPOUT_OPTION_NAMES);
    const value = typeof rate === 'object' && rate !== null ? o.rate : rate;
    if (typeof value !== 'number' || !(value >= 0 && value < 1)) throw invalidArgument('rate', 'Dropout', 'a number in [0, 1)', value);
    if (o.rate !== undefined && o.rate !== value) throw invalidArgument('rate', 'Dropout', `the same value as the first argument (${value})`, o.rate);
    const { noiseShape } = o;
    if (noiseShape !== undefined && (!Array.isArray(noiseShape) || !noiseShape.every((d) => d == null || (Number.isInteger(d) && d > 0)))) {
      throw invalidArgument('noiseShape', 'Dropout', 'an array of positive integers or null, e.g. [null, 1]', noiseShape);
    }
    super('Dropout', checkName('Dropout', o.name), checkInputShape('Dropout', o.inputShape));
    this.rate = value;
    this.noiseShape = noiseShape === undefined ? undefined : [...noiseShape];
    this.seed = optionalSeed('Dropout', o.seed);
    this.built = true; // stateless: built at construction, as in Keras
  }

  computeOutputShape(inputShape: number[]): number[] {
    return [...inputShape];
  }

  /** The mask's shape for an input shape: noiseShape with its open entries filled from the input. */
  private maskShape(shape: number[]): number[] {
    if (this.noiseShape === undefined) return shape;
    if (this.noiseShape.length !== shape.length) {
      throw invalidArgument('noiseShape', `Dropout '${this.name}'`, `${shape.length} entries to match input shape [${shape.join(', ')}]`, this.noiseShape);
    }
    return this.noiseShape.map((d, i) => d ?? shape[i]!);
  }

  call(x: tf.Tensor, options: ForwardOptions): tf.Tensor {
    if (!options.training || this.rate === 0) return x;
    const shape = this.maskShape(x.shape);
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
