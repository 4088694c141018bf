/**
 * Dropout: during training, zeroes each unit with probability `rate` and scales survivors by
 * 1/(1−rate) (inverted dropout), so inference is the identity and needs no rescaling.
 */
import { tf } from '../backend/tf';
import { nextGenerator } from '../backend/random';
import type { RandomGenerator } from '../backend/random';
import { invalidArgument } from '../errors';
import { Layer } from './layer';
import type { ModelCallOptions } from './layer';
import { checkInputShape, checkName, checkOptionNames } from '../options';

export interface DropoutOptions {
  /** Mask shape [batch, ...features]; null/undefined entries take the input's size, 1 shares one draw
   *  along that axis (e.g. [null, 1] drops whole rows). Default: the input's shape. */
  noiseShape?: (number | null)[];
  /** Seed of this layer's own mask stream (default: drawn from the global seed). */
  seed?: number;
  /** Feature shape of the input, without the batch dimension (first layer only). */
  inputShape?: number[];
  /** Layer name (default dropout, dropout_1, …). */
  name?: string;
}

const OPTION_NAMES: readonly (keyof DropoutOptions)[] = ['noiseShape', 'seed', 'inputShape', 'name'];

export class Dropout extends Layer {
  readonly className = 'Dropout';
  readonly rate: number;
  readonly noiseShape: (number | null)[] | undefined;
  readonly seed: number | undefined;
  private readonly random: RandomGenerator;

  constructor(rate: number, options: DropoutOptions = {}) {
    checkOptionNames('Dropout', options, OPTION_NAMES);
    if (typeof rate !== 'number' || !(rate >= 0 && rate < 1)) {
      throw invalidArgument('rate', 'Dropout', 'a number in [0, 1)', rate);
    }
    const { noiseShape, seed } = options;
    if (noiseShape !== undefined && (!Array.isArray(noiseShape) || !noiseShape.every((d) => d == null || (Number.isInteger(d) && d > 0)))) {
      throw invalidArgument('noiseShape', 'Dropout', 'an array of positive integers or null, e.g. [null, 1]', noiseShape);
    }
    if (seed !== undefined && !(Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff)) {
      throw invalidArgument('seed', 'Dropout', 'an integer in [0, 2^32)', seed);
    }
    super('dropout', checkName('Dropout', options.name), checkInputShape('Dropout', options.inputShape));
    this.rate = rate;
    this.noiseShape = noiseShape === undefined ? undefined : [...noiseShape];
    this.seed = seed;
    this.random = nextGenerator(seed);
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

  call(x: tf.Tensor, options: ModelCallOptions): tf.Tensor {
    if (!options.training || this.rate === 0) return x;
    const shape = this.maskShape(x.shape);
    const size = shape.reduce((a, b) => a * b, 1);
    // Drawn in JS from the layer's seeded stream: identical masks on every backend, one upload.
    const mask = new Float32Array(size);
    this.random.fillKeepMask(mask, this.rate, 1 / (1 - this.rate));
    return tf.mul(x, tf.tensor(mask, shape)); // broadcasts along axes where noiseShape is 1
  }

  getConfig(): Record<string, unknown> {
    const config: Record<string, unknown> = { name: this.name, rate: this.rate };
    if (this.noiseShape !== undefined) config['noiseShape'] = [...this.noiseShape];
    if (this.seed !== undefined) config['seed'] = this.seed;
    if (this.inputShape) config['inputShape'] = [...this.inputShape];
    return config;
  }
}
