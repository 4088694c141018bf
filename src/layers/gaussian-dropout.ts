/**
 * GaussianDropout (Keras 3 `layers.GaussianDropout`): during training multiplies every entry by
 * noise drawn from N(1, rate/(1−rate)), the variance of inverted dropout's keep factor; the
 * identity at inference.
 */
import { tf } from '../backend/tf';
import { checkInputShape, checkName, optionalSeed } from '../options';
import { checkRate, readLayerArgs } from './args';
import { normalDraws } from './gaussian-noise';
import { Layer } from './layer';
import type { ForwardOptions } from './layer';

export interface GaussianDropoutOptions {
  /** Drop probability in [0, 1) the noise's variance rate/(1−rate) matches; the same as the first argument. */
  rate?: number;
  /** Seed of this layer's noise stream (default: derived from the global seed and the layer's place in its model). */
  seed?: number | null;
  /** Feature shape of the input, without the batch dimension (first layer only). */
  inputShape?: number[] | null;
  /** Layer name (default gaussian_dropout, gaussian_dropout_1, …). */
  name?: string | null;
}

export const GAUSSIAN_DROPOUT_OPTION_NAMES = ['rate', 'seed', 'inputShape', 'name'] as const satisfies readonly (keyof GaussianDropoutOptions)[];

export class GaussianDropout extends Layer {
  readonly className = 'GaussianDropout';
  readonly rate: number;
  readonly seed: number | undefined;

  /** `new GaussianDropout(0.2, { … })`, or `new GaussianDropout({ rate: 0.2, … })` (what getConfig() returns). */
  constructor(rate: number | GaussianDropoutOptions, options: GaussianDropoutOptions = {}) {
    const { o, value } = readLayerArgs('GaussianDropout', 'rate', rate, options, GAUSSIAN_DROPOUT_OPTION_NAMES);
    const checked = checkRate('GaussianDropout', value);
    super('GaussianDropout', checkName('GaussianDropout', o.name), checkInputShape('GaussianDropout', o.inputShape));
    this.rate = checked;
    this.seed = optionalSeed('GaussianDropout', o.seed);
    this.built = true; // stateless
  }

  computeOutputShape(inputShape: number[]): number[] {
    return [...inputShape];
  }

  call(x: tf.Tensor, options: ForwardOptions): tf.Tensor {
    if (!options.training || this.rate === 0) return x;
    const stddev = Math.sqrt(this.rate / (1 - this.rate));
    const noise = normalDraws(this.stream('noise', this.seed), x.size, 1, stddev);
    return tf.mul(x, tf.tensor(noise, x.shape));
  }

  getConfig(): Record<string, unknown> {
    return { name: this.name, rate: this.rate, seed: this.seed ?? null, ...(this.inputShape ? { inputShape: [...this.inputShape] } : {}) };
  }
}
