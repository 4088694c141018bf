/** Activation functions by Keras name. `linear` is the identity. */
import { tf } from '../backend/tf';
import { ConfigError, describe } from '../errors';

export type ActivationIdentifier =
  | 'linear'
  | 'relu'
  | 'relu6'
  | 'sigmoid'
  | 'tanh'
  | 'softmax'
  | 'elu'
  | 'selu'
  | 'gelu'
  | 'swish'
  | 'silu'
  | 'softplus'
  | 'softsign'
  | 'exponential';

export type ActivationFunction = (x: tf.Tensor) => tf.Tensor;

const SQRT_HALF = Math.SQRT1_2;

const ACTIVATIONS: Record<ActivationIdentifier, ActivationFunction> = {
  linear: (x) => x,
  relu: (x) => tf.relu(x),
  relu6: (x) => tf.relu6(x),
  sigmoid: (x) => tf.sigmoid(x),
  tanh: (x) => tf.tanh(x),
  softmax: (x) => tf.softmax(x),
  elu: (x) => tf.elu(x),
  selu: (x) => tf.selu(x),
  // Exact GELU (Keras' default, approximate=false): x·Φ(x).
  gelu: (x) => tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.mul(x, SQRT_HALF)))),
  swish: (x) => tf.mul(x, tf.sigmoid(x)),
  silu: (x) => tf.mul(x, tf.sigmoid(x)),
  softplus: (x) => tf.softplus(x),
  softsign: (x) => tf.div(x, tf.add(1, tf.abs(x))),
  exponential: (x) => tf.exp(x),
};

export const ACTIVATION_NAMES = Object.keys(ACTIVATIONS) as ActivationIdentifier[];

export function getActivation(name: ActivationIdentifier): ActivationFunction {
  const fn = ACTIVATIONS[name];
  if (fn === undefined) {
    throw new ConfigError(
      `Invalid \`activation\`: expected one of ${ACTIVATION_NAMES.map((n) => `'${n}'`).join(', ')}. Received: activation=${describe(name)}`,
    );
  }
  return fn;
}
