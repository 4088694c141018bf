/**
 * Activation (Keras 3 `layers.Activation`): applies a named activation. As the last layer it lets
 * a fused loss take its input (softmax + cross-entropy from logits), like Dense's own activation.
 */
import * as activations from '../activations';
import type { ActivationFunction, ActivationIdentifier } from '../activations';
import type { tf } from '../backend/tf';
import { ConfigError } from '../errors';
import { checkInputShape, checkName } from '../options';
import { readLayerArgs } from './args';
import { Layer } from './layer';
import type { ForwardOptions } from './layer';

export interface ActivationOptions {
  /** The activation's name ('relu', 'softmax', …); the same as the factory's first argument. */
  activation?: ActivationIdentifier;
  /** Feature shape of the input, without the batch dimension (first layer only). */
  inputShape?: number[] | null;
  /** Layer name (default activation, activation_1, …). */
  name?: string | null;
}

export const ACTIVATION_OPTION_NAMES = ['activation', 'inputShape', 'name'] as const satisfies readonly (keyof ActivationOptions)[];

export class Activation extends Layer {
  readonly className = 'Activation';
  readonly activation: ActivationIdentifier;
  private readonly fn: ActivationFunction;

  /** `new Activation('relu')`, or `new Activation({ activation: 'relu' })` (what getConfig() returns). */
  constructor(activation: ActivationIdentifier | ActivationOptions, options: ActivationOptions = {}) {
    const { o, value } = readLayerArgs('Activation', 'activation', activation, options, ACTIVATION_OPTION_NAMES);
    if (!activations.isActivationName(value)) {
      throw new ConfigError(`Invalid \`activation\` for Activation: expected one of ${activations.ACTIVATION_NAMES.map((n) => `'${n}'`).join(', ')}. Received: activation=${JSON.stringify(value)}`);
    }
    super('Activation', checkName('Activation', o.name), checkInputShape('Activation', o.inputShape));
    this.activation = value;
    this.fn = activations.get(value);
    this.built = true; // stateless
  }

  override get outputActivation(): string {
    return this.activation;
  }

  override callPreActivation(x: tf.Tensor, options: ForwardOptions): tf.Tensor {
    void options;
    return x;
  }

  computeOutputShape(inputShape: number[]): number[] {
    return [...inputShape];
  }

  call(x: tf.Tensor, options: ForwardOptions): tf.Tensor {
    void options;
    return this.fn(x);
  }

  getConfig(): Record<string, unknown> {
    return { name: this.name, activation: this.activation, ...(this.inputShape ? { inputShape: [...this.inputShape] } : {}) };
  }
}
