/** Flatten (Keras 3 `layers.Flatten`): [batch, d1, d2, …] → [batch, d1·d2·…]. */
import { tf } from '../backend/tf';
import { checkInputShape, checkName, readOptions } from '../options';
import { checkDataFormat } from './args';
import type { DataFormat } from './args';
import { Layer } from './layer';
import type { ForwardOptions } from './layer';

export interface FlattenOptions {
  /** With 'channels_first', channels move last before flattening, so the order matches channels-last models (default 'channels_last'). */
  dataFormat?: DataFormat | null;
  /** Feature shape of the input, without the batch dimension (first layer only), e.g. [28, 28]. */
  inputShape?: number[] | null;
  /** Layer name (default flatten, flatten_1, …). */
  name?: string | null;
}

export const FLATTEN_OPTION_NAMES = ['dataFormat', 'inputShape', 'name'] as const satisfies readonly (keyof FlattenOptions)[];

export class Flatten extends Layer {
  readonly className = 'Flatten';
  readonly dataFormat: DataFormat;

  constructor(options: FlattenOptions = {}) {
    const o = readOptions('Flatten', options, FLATTEN_OPTION_NAMES);
    super('Flatten', checkName('Flatten', o.name), checkInputShape('Flatten', o.inputShape));
    this.dataFormat = checkDataFormat('Flatten', o.dataFormat);
    this.built = true; // stateless
  }

  computeOutputShape(inputShape: number[]): number[] {
    return [inputShape.reduce((a, b) => a * b, 1)];
  }

  call(x: tf.Tensor, options: ForwardOptions): tf.Tensor {
    void options;
    if (x.rank === 2) return x;
    const ordered = this.dataFormat === 'channels_first' && x.rank > 2
      ? tf.transpose(x, [0, ...Array.from({ length: x.rank - 2 }, (_, i) => i + 2), 1]) // channels last
      : x;
    return tf.reshape(ordered, [x.shape[0]!, -1]); // [batch, features]
  }

  getConfig(): Record<string, unknown> {
    return { name: this.name, dataFormat: this.dataFormat, ...(this.inputShape ? { inputShape: [...this.inputShape] } : {}) };
  }
}
