/**
 * Optimizers by Keras name with Keras 3's defaults, over tfjs' optimizers. One config form:
 * `{ className: 'Adam', config: { learningRate, beta1, beta2, epsilon } }` (Keras' keys camelCased);
 * the older `{ name: 'adam', learningRate }` and the names 'adam', 'sgd', … resolve to it.
 */
import { FusedAdam, FusedAdamW } from '../backend/fused-adam';
import { tf } from '../backend/tf';
import { ConfigError, describe, invalidArgument } from '../errors';
import { readOptions } from '../options';
import { isSerializedObject } from '../serialization';
import type { SerializedObject } from '../serialization';

export const OPTIMIZER_NAMES = ['sgd', 'adam', 'adamw', 'rmsprop', 'adagrad'] as const;
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];

/** Keras class name of each optimizer. */
export const OPTIMIZER_CLASS_NAMES: Record<OptimizerName, string> = { sgd: 'SGD', adam: 'Adam', adamw: 'AdamW', rmsprop: 'RMSprop', adagrad: 'Adagrad' };

export interface OptimizerConfig {
  name: OptimizerName;
  /** Step size (defaults: sgd 0.01, others 0.001, as in Keras). */
  learningRate?: number | undefined;
  /** AdamW's decoupled weight decay (default 0.004, as in Keras). */
  weightDecay?: number | undefined;
}

export type OptimizerLike = OptimizerName | OptimizerConfig | SerializedObject | tf.Optimizer;

/** Every option of each optimizer in config form, with Keras 3's defaults. */
const DEFAULTS: Record<OptimizerName, Record<string, number | boolean>> = {
  sgd: { learningRate: 0.01, momentum: 0, nesterov: false },
  adam: { learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
  adamw: { learningRate: 0.001, weightDecay: 0.004, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
  rmsprop: { learningRate: 0.001, rho: 0.9, momentum: 0, epsilon: 1e-7, centered: false },
  adagrad: { learningRate: 0.001, initialAccumulatorValue: 0.1, epsilon: 1e-7 },
};

/** keras-ts' name of the optimizer class behind a Keras class name or any accepted spelling. */
function nameOf(className: string): OptimizerName | undefined {
  const lower = className.toLowerCase();
  return OPTIMIZER_NAMES.find((n) => n === lower);
}

function checkedConfig(name: OptimizerName, config: Record<string, unknown>): Record<string, number | boolean> {
  const owner = `optimizer ${OPTIMIZER_CLASS_NAMES[name]}`;
  // Keras' configs also carry the instance's `name` and `amsgrad` (false unless asked for): drop them.
  const { name: _instanceName, amsgrad, ...rest } = config;
  void _instanceName;
  if (amsgrad !== undefined && amsgrad !== null && amsgrad !== false) {
    throw invalidArgument('amsgrad', owner, 'false (tfjs has no AMSGrad variant)', amsgrad);
  }
  const known = Object.keys(DEFAULTS[name]);
  // null is "not set" (Keras writes weight_decay: null on optimizers that have none).
  const set = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== null && v !== undefined));
  const given = readOptions(owner, set, known) as Record<string, unknown>;
  const out: Record<string, number | boolean> = { ...DEFAULTS[name] };
  for (const [key, value] of Object.entries(given)) {
    const fallback = DEFAULTS[name][key]!;
    if (typeof fallback === 'boolean') {
      if (typeof value !== 'boolean') throw invalidArgument(key, owner, 'true or false', value);
    } else if (!(typeof value === 'number' && Number.isFinite(value) && (key === 'learningRate' ? value > 0 : value >= 0))) {
      throw invalidArgument(key, owner, key === 'learningRate' ? 'a positive finite number' : 'a finite number >= 0', value);
    }
    out[key] = value as number | boolean;
  }
  return out;
}

function make(name: OptimizerName, c: Record<string, number | boolean>): tf.Optimizer {
  const n = (key: string) => c[key] as number;
  switch (name) {
    case 'sgd':
      if (c['nesterov'] === true || n('momentum') > 0) return tf.train.momentum(n('learningRate'), n('momentum'), c['nesterov'] === true);
      return tf.train.sgd(n('learningRate'));
    case 'adam': // one fused update kernel per variable on wasm and cpu (Keras 3 math)
      return new FusedAdam({ learningRate: n('learningRate'), beta1: n('beta1'), beta2: n('beta2'), epsilon: n('epsilon') });
    case 'adamw':
      return new FusedAdamW({ learningRate: n('learningRate'), beta1: n('beta1'), beta2: n('beta2'), epsilon: n('epsilon'), weightDecay: n('weightDecay') });
    case 'rmsprop':
      return tf.train.rmsprop(n('learningRate'), n('rho'), n('momentum'), n('epsilon'), c['centered'] === true);
    case 'adagrad':
      return tf.train.adagrad(n('learningRate'), n('initialAccumulatorValue'));
  }
}

/** The `{ className, config }` form of any accepted optimizer identifier (not of a tf.Optimizer instance). */
export function optimizerConfig(identifier: Exclude<OptimizerLike, tf.Optimizer>): SerializedObject {
  let name: OptimizerName | undefined;
  let config: Record<string, unknown> = {};
  if (typeof identifier === 'string') name = nameOf(identifier);
  else if (isSerializedObject(identifier)) [name, config] = [nameOf(identifier.className), identifier.config ?? {}];
  else if (identifier !== null && typeof identifier === 'object' && typeof (identifier as OptimizerConfig).name === 'string') {
    const { name: n, ...rest } = identifier as OptimizerConfig;
    // undefined entries mean "not set", like null.
    [name, config] = [nameOf(n), Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined))];
  }
  if (name === undefined) {
    throw new ConfigError(
      `Invalid \`optimizer\` for compile: expected ${OPTIMIZER_NAMES.map((n) => `'${n}'`).join(' | ')}, { name, learningRate }, { className, config } or a tf.Optimizer. Received: optimizer=${describe(identifier)}`,
    );
  }
  return { className: OPTIMIZER_CLASS_NAMES[name], config: checkedConfig(name, config) };
}

/** A tf.Optimizer for an identifier (instances are used as they are). */
export function getOptimizer(identifier: OptimizerLike): tf.Optimizer {
  if (identifier instanceof tf.Optimizer) return identifier;
  const { className, config } = optimizerConfig(identifier);
  const optimizer = make(nameOf(className)!, config as Record<string, number | boolean>);
  // Remember the config form, so a saved model names its optimizer the Keras way.
  (optimizer as tf.Optimizer & { kerasConfig?: SerializedObject }).kerasConfig = { className, config };
  return optimizer;
}

/** The config form of a compiled optimizer, if keras-ts made it. */
export function configOfOptimizer(optimizer: tf.Optimizer): SerializedObject | undefined {
  return (optimizer as tf.Optimizer & { kerasConfig?: SerializedObject }).kerasConfig;
}
