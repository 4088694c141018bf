/**
 * SpatialDropout1D/2D/3D (Keras 3 `layers.SpatialDropout*`): inverted dropout of whole channels.
 * One keep draw per (sample, channel) is shared across every spatial position, since neighbouring
 * positions of a feature map are correlated and dropping single entries barely regularizes them.
 */
import { tf } from '../backend/tf';
import { ShapeError } from '../errors';
import { checkInputShape, checkName, optionalSeed } from '../options';
import { checkDataFormat, checkRate, readLayerArgs } from './args';
import type { DataFormat } from './args';
import { Layer } from './layer';
import type { ForwardOptions } from './layer';

export interface SpatialDropoutOptions {
  /** Fraction of channels to drop, in [0, 1); the same as the factory's first argument. */
  rate?: number;
  /** Where the channels are (2D and 3D only; 1D is always 'channels_last'): default 'channels_last'. */
  dataFormat?: DataFormat | null;
  /** Seed of this layer's mask stream (default: derived from the global seed and the layer's place in its model). */
  seed?: number | null;
  /** Feature shape of the input, without the batch dimension (first layer only), e.g. [steps, channels]. */
  inputShape?: number[] | null;
  /** Layer name (default spatial_dropout1d, …). */
  name?: string | null;
}

const NAMES_1D = ['rate', 'seed', 'inputShape', 'name'] as const satisfies readonly (keyof SpatialDropoutOptions)[];
const NAMES = ['rate', 'dataFormat', 'seed', 'inputShape', 'name'] as const satisfies readonly (keyof SpatialDropoutOptions)[];

/** The shared implementation; `spatialRank` is 1, 2 or 3. */
abstract class SpatialDropout extends Layer {
  readonly rate: number;
  readonly dataFormat: DataFormat;
  readonly seed: number | undefined;

  protected constructor(className: string, readonly spatialRank: 1 | 2 | 3, rate: number | SpatialDropoutOptions, options: SpatialDropoutOptions) {
    const { o, value } = readLayerArgs(className, 'rate', rate, options, spatialRank === 1 ? NAMES_1D : NAMES);
    const checked = checkRate(className, value);
    super(className, checkName(className, o.name), checkInputShape(className, o.inputShape));
    this.rate = checked;
    this.dataFormat = checkDataFormat(className, o.dataFormat);
    this.seed = optionalSeed(className, o.seed);
    this.built = true; // stateless
  }

  computeOutputShape(inputShape: number[]): number[] {
    return [...inputShape];
  }

  call(x: tf.Tensor, options: ForwardOptions): tf.Tensor {
    if (x.rank !== this.spatialRank + 2) {
      throw new ShapeError(`${this.className} '${this.name}' expects inputs of rank ${this.spatialRank + 2} ([batch, ${this.spatialRank === 1 ? 'steps' : 'spatial…'}, channels]). Received shape [${x.shape.join(', ')}]`);
    }
    if (!options.training || this.rate === 0) return x;
    const channelAxis = this.dataFormat === 'channels_last' ? x.rank - 1 : 1;
    const shape = x.shape.map((d, i) => (i === 0 || i === channelAxis ? d : 1)); // [batch, 1…, channels]
    const mask = new Float32Array(shape.reduce((a, b) => a * b, 1));
    this.stream('dropout', this.seed).fillKeepMask(mask, this.rate, 1 / (1 - this.rate));
    return tf.mul(x, tf.tensor(mask, shape));
  }

  getConfig(): Record<string, unknown> {
    return {
      name: this.name,
      rate: this.rate,
      ...(this.spatialRank === 1 ? {} : { dataFormat: this.dataFormat }),
      seed: this.seed ?? null,
      ...(this.inputShape ? { inputShape: [...this.inputShape] } : {}),
    };
  }
}

/** Drops whole channels of [batch, steps, channels] inputs. */
export class SpatialDropout1D extends SpatialDropout {
  readonly className = 'SpatialDropout1D';
  constructor(rate: number | Omit<SpatialDropoutOptions, 'dataFormat'>, options: Omit<SpatialDropoutOptions, 'dataFormat'> = {}) {
    super('SpatialDropout1D', 1, rate, options);
  }
}

/** Drops whole channels of [batch, rows, cols, channels] inputs (or channels first). */
export class SpatialDropout2D extends SpatialDropout {
  readonly className = 'SpatialDropout2D';
  constructor(rate: number | SpatialDropoutOptions, options: SpatialDropoutOptions = {}) {
    super('SpatialDropout2D', 2, rate, options);
  }
}

/** Drops whole channels of [batch, d1, d2, d3, channels] inputs (or channels first). */
export class SpatialDropout3D extends SpatialDropout {
  readonly className = 'SpatialDropout3D';
  constructor(rate: number | SpatialDropoutOptions, options: SpatialDropoutOptions = {}) {
    super('SpatialDropout3D', 3, rate, options);
  }
}
