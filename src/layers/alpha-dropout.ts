/**
 * AlphaDropout (Keras 3 `layers.AlphaDropout`): dropout for SELU networks. Dropped entries are set
 * to SELU's negative saturation α' = −λα instead of 0, then every entry goes through the affine map
 * a·x + b with a = ((1−rate)(1 + rate·α'²))^(−1/2) and b = −a·α'·rate, so inputs of mean 0 and
 * variance 1 keep mean 0 and variance 1 (self-normalization). The identity at inference.
 */
import { tf } from '../backend/tf';
import { checkInputShape, checkName, optionalSeed } from '../options';
import { checkNoiseShape, checkRate, maskShape, readLayerArgs } from './args';
import { Layer } from './layer';
import type { ForwardOptions } from './layer';

/** SELU's constants (Klambauer et al. 2017), as Keras writes them. */
const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_SCALE = 1.0507009873554804934193349852946;

export interface AlphaDropoutOptions {
  /** Fraction of entries to drop, in [0, 1); the same as the factory's first argument. */
  rate?: number;
  /** Mask shape [batch, ...features]; null entries take the input's size, 1 shares one draw along that axis. Default: the input's shape. */
  noiseShape?: (number | null)[] | null;
  /** Seed of this layer's mask stream (default: derived from the global seed and the layer's place in its model). */
  seed?: number | null;
  /** Feature shape of the input, without the batch dimension (first layer only). */
  inputShape?: number[] | null;
  /** Layer name (default alpha_dropout, alpha_dropout_1, …). */
  name?: string | null;
}

export const ALPHA_DROPOUT_OPTION_NAMES = ['rate', 'noiseShape', 'seed', 'inputShape', 'name'] as const satisfies readonly (keyof AlphaDropoutOptions)[];

export class AlphaDropout extends Layer {
  readonly className = 'AlphaDropout';
  readonly rate: number;
  readonly noiseShape: (number | null)[] | undefined;
  readonly seed: number | undefined;

  /** `new AlphaDropout(0.1, { … })`, or `new AlphaDropout({ rate: 0.1, … })` (what getConfig() returns). */
  constructor(rate: number | AlphaDropoutOptions, options: AlphaDropoutOptions = {}) {
    const { o, value } = readLayerArgs('AlphaDropout', 'rate', rate, options, ALPHA_DROPOUT_OPTION_NAMES);
    const checked = checkRate('AlphaDropout', value);
    const noiseShape = checkNoiseShape('AlphaDropout', o.noiseShape);
    super('AlphaDropout', checkName('AlphaDropout', o.name), checkInputShape('AlphaDropout', o.inputShape));
    this.rate = checked;
    this.noiseShape = noiseShape;
    this.seed = optionalSeed('AlphaDropout', o.seed);
    this.built = true; // stateless
  }

  computeOutputShape(inputShape: number[]): number[] {
    return [...inputShape];
  }

  call(x: tf.Tensor, options: ForwardOptions): tf.Tensor {
    if (!options.training || this.rate === 0) return x;
    const shape = maskShape(`AlphaDropout '${this.name}'`, this.noiseShape, x.shape);
    const keep = new Float32Array(shape.reduce((a, b) => a * b, 1));
    this.stream('dropout', this.seed).fillKeepMask(keep, this.rate, 1); // 1 = kept, 0 = dropped
    const alphaP = -SELU_ALPHA * SELU_SCALE;
    const a = ((1 - this.rate) * (1 + this.rate * alphaP * alphaP)) ** -0.5;
    const b = -a * alphaP * this.rate;
    // a·(x·keep + α'·(1 − keep)) + b, as x·scale + shift with both mask-shaped (broadcast).
    const scale = keep.map((k) => a * k);
    const shift = keep.map((k) => a * alphaP * (1 - k) + b);
    return tf.add(tf.mul(x, tf.tensor(scale, shape)), tf.tensor(shift, shape));
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
