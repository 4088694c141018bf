/**
 * Activation functions by Keras name (`keras.activations`). As in Keras, an activation serializes
 * as its name: `get('relu')` gives the function, `serialize` gives back the name.
 */
import { tf } from '../backend/tf';
import { ConfigError, describe } from '../errors';

/** Keras' activation names keras-ts implements. `linear` is the identity. */
export const ACTIVATION_NAMES = [
  'linear', 'relu', 'relu6', 'sigmoid', 'tanh', 'softmax', 'elu', 'selu', 'gelu', 'swish', 'silu', 'softplus', 'softsign', 'exponential',
] as const;

export type ActivationIdentifier = (typeof ACTIVATION_NAMES)[number];

export type ActivationFunction = (x: tf.Tensor) => tf.Tensor;

const SQRT_HALF = Math.SQRT1_2;

const ACTIVATIONS = new Map<ActivationIdentifier, ActivationFunction>([
  ['linear', (x) => x],
  ['relu', (x) => tf.relu(x)],
  ['relu6', (x) => tf.relu6(x)],
  ['sigmoid', (x) => tf.sigmoid(x)],
  ['tanh', (x) => tf.tanh(x)],
  ['softmax', (x) => tf.softmax(x)],
  ['elu', (x) => tf.elu(x)],
  ['selu', (x) => tf.selu(x)],
  // Exact GELU (Keras' default, approximate=false): x·Φ(x).
  ['gelu', (x) => tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.mul(x, SQRT_HALF))))],
  ['swish', (x) => tf.mul(x, tf.sigmoid(x))],
  ['silu', (x) => tf.mul(x, tf.sigmoid(x))],
  ['softplus', (x) => tf.softplus(x)],
  ['softsign', (x) => tf.div(x, tf.add(1, tf.abs(x)))],
  ['exponential', (x) => tf.exp(x)],
]);

export function isActivationName(name: unknown): name is ActivationIdentifier {
  return typeof name === 'string' && ACTIVATIONS.has(name as ActivationIdentifier);
}

/** The activation function of a name; null/undefined → 'linear' (Keras' default). */
export function get(name: ActivationIdentifier | null | undefined): ActivationFunction {
  const fn = ACTIVATIONS.get(name ?? 'linear');
  if (fn === undefined) {
    throw new ConfigError(
      `Invalid \`activation\`: expected one of ${ACTIVATION_NAMES.map((n) => `'${n}'`).join(', ')}. Received: activation=${describe(name)}`,
    );
  }
  return fn;
}

/** Kept for callers that used the older name. */
export const getActivation = get;

/** An activation's serialized form: its name, checked. */
export function serialize(name: ActivationIdentifier): ActivationIdentifier {
  get(name);
  return name;
}
