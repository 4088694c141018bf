/**
 * GaussianNoise (Keras 3 `layers.GaussianNoise`): during training adds zero-mean Gaussian noise of
 * standard deviation `stddev` to every entry; the identity at inference.
 */
import { tf } from '../backend/tf';
import { invalidArgument } from '../errors';
import { checkInputShape, checkName, optionalSeed } from '../options';
import { readLayerArgs } from './args';
import { Layer } from './layer';
import type { ForwardOptions } from './layer';

export interface GaussianNoiseOptions {
  /** Standard deviation of the noise, >= 0; the same as the factory's first argument. */
  stddev?: number;
  /** Seed of this layer's noise stream (default: derived from the global seed and the layer's place in its model). */
  seed?: number | null;
  /** Feature shape of the input, without the batch dimension (first layer only). */
  inputShape?: number[] | null;
  /** Layer name (default gaussian_noise, gaussian_noise_1, …). */
  name?: string | null;
}

export const GAUSSIAN_NOISE_OPTION_NAMES = ['stddev', 'seed', 'inputShape', 'name'] as const satisfies readonly (keyof GaussianNoiseOptions)[];

/** `count` draws of N(mean, stddev²) from a layer's stream, as float32. */
export function normalDraws(stream: { normal(): number }, count: number, mean: number, stddev: number): Float32Array {
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = mean + stddev * stream.normal();
  return out;
}

export class GaussianNoise extends Layer {
  readonly className = 'GaussianNoise';
  readonly stddev: number;
  readonly seed: number | undefined;

  /** `new GaussianNoise(0.1, { … })`, or `new GaussianNoise({ stddev: 0.1, … })` (what getConfig() returns). */
  constructor(stddev: number | GaussianNoiseOptions, options: GaussianNoiseOptions = {}) {
    const { o, value } = readLayerArgs('GaussianNoise', 'stddev', stddev, options, GAUSSIAN_NOISE_OPTION_NAMES);
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw invalidArgument('stddev', 'GaussianNoise', 'a finite number >= 0', value);
    super('GaussianNoise', checkName('GaussianNoise', o.name), checkInputShape('GaussianNoise', o.inputShape));
    this.stddev = value;
    this.seed = optionalSeed('GaussianNoise', o.seed);
    this.built = true; // stateless
  }

  computeOutputShape(inputShape: number[]): number[] {
    return [...inputShape];
  }

  call(x: tf.Tensor, options: ForwardOptions): tf.Tensor {
    if (!options.training || this.stddev === 0) return x;
    // Drawn in JS from the seeded stream: the same noise on every backend.
    const noise = normalDraws(this.stream('noise', this.seed), x.size, 0, this.stddev);
    return tf.add(x, tf.tensor(noise, x.shape));
  }

  getConfig(): Record<string, unknown> {
    return { name: this.name, stddev: this.stddev, seed: this.seed ?? null, ...(this.inputShape ? { inputShape: [...this.inputShape] } : {}) };
  }
}
