/**
 * Optimizers by Keras name with Keras 3's defaults, over tfjs' optimizers. One config form:
 * `{ className: 'Adam', config: { learningRate, beta1, beta2, epsilon } }` (Keras' keys camelCased);
 * the older `{ name: 'adam', learningRate }` and the names 'adam', 'sgd', … resolve to it.
 */
import { FusedAdam, FusedAdamW } from '../backend/fused-adam';
import { tf } from '../backend/tf';
import { ConfigError, describe, invalidArgument } from '../errors';
import { readOptions } from '../options';
import { isSerializedObject, serialize } from '../serialization';
import type { SerializedObject } from '../serialization';
import { getSchedule } from './schedules';
import type { LearningRateSchedule, ScheduleLike } from './schedules';

export const OPTIMIZER_NAMES = ['sgd', 'adam', 'adamw', 'rmsprop', 'adagrad'] as const;
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];

/** Keras class name of each optimizer. */
export const OPTIMIZER_CLASS_NAMES: Record<OptimizerName, string> = { sgd: 'SGD', adam: 'Adam', adamw: 'AdamW', rmsprop: 'RMSprop', adagrad: 'Adagrad' };

export interface OptimizerConfig {
  name: OptimizerName;
  /** Step size or a schedule (defaults: sgd 0.01, others 0.001, as in Keras). */
  learningRate?: number | ScheduleLike | undefined;
  /** Decoupled weight decay (AdamW's default 0.004; others none, as in Keras). */
  weightDecay?: number | undefined;
  /** Clip each gradient to this L2 norm (default none). */
  clipnorm?: number | undefined;
  /** Clip each gradient element to [−clipvalue, clipvalue] (default none). */
  clipvalue?: number | undefined;
  /** Scale all gradients together so their global L2 norm is at most this (default none). */
  globalClipnorm?: number | undefined;
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

/** Options of Keras' base optimizer every optimizer takes; not set by default (null in Keras). */
const COMMON_OPTIONS = ['weightDecay', 'clipnorm', 'clipvalue', 'globalClipnorm'] as const;

/** What keras-ts adds around a tfjs optimizer's update, as Keras 3's BaseOptimizer.apply does. */
export interface UpdateSettings {
  schedule?: LearningRateSchedule;
  weightDecay?: number;
  clipnorm?: number;
  clipvalue?: number;
  globalClipnorm?: number;
}

type Gradients = tf.NamedTensorMap | { name: string; tensor: tf.Tensor }[];

/** g · c / max(‖g‖, c) (Keras' clip_by_norm). */
const clipByNorm = (g: tf.Tensor, c: number): tf.Tensor => tf.div(tf.mul(g, c), tf.maximum(tf.norm(g), c));

/** The gradients clipped as Keras 3's `_clip_gradients` does (at most one of the three is set). */
function clipGradients(grads: tf.Tensor[], s: UpdateSettings): tf.Tensor[] | undefined {
  const { clipnorm, clipvalue, globalClipnorm } = s;
  if (clipnorm !== undefined) return grads.map((g) => clipByNorm(g, clipnorm));
  if (clipvalue !== undefined) return grads.map((g) => tf.clipByValue(g, -clipvalue, clipvalue));
  if (globalClipnorm !== undefined) {
    const norm = tf.sqrt(tf.addN(grads.map((g) => tf.sum(tf.square(g)))));
    const scale = tf.mul(globalClipnorm, tf.minimum(tf.div(1, norm), 1 / globalClipnorm)); // clip_by_global_norm
    return grads.map((g) => tf.mul(g, scale));
  }
  return undefined;
}

/**
 * Wraps a tfjs optimizer's update in Keras 3's order (BaseOptimizer.apply): learning rate from the
 * schedule at the current iteration, gradient clipping, decoupled weight decay (v ← v − v·wd·lr),
 * then the optimizer's own step (which counts the iteration).
 */
function withKerasUpdate<T extends tf.Optimizer>(optimizer: T, s: UpdateSettings): T & { kerasUpdate: UpdateSettings } {
  const own = optimizer.applyGradients.bind(optimizer);
  const wrapped = Object.assign(optimizer, { kerasUpdate: s });
  wrapped.applyGradients = (gradients: Gradients): void => {
    if (s.schedule !== undefined) writeLearningRate(optimizer, s.schedule.call(optimizer.iterations));
    const named = Array.isArray(gradients) ? gradients : Object.entries(gradients).map(([name, tensor]) => ({ name, tensor }));
    tf.tidy(() => {
      const clipped = clipGradients(named.map((g) => g.tensor), s);
      if (s.weightDecay !== undefined && s.weightDecay > 0) {
        const lr = readLearningRate(optimizer);
        for (const { name } of named) {
          const variable = tf.engine().registeredVariables[name];
          if (variable !== undefined) variable.assign(tf.sub(variable, tf.mul(tf.mul(variable, s.weightDecay), lr)));
        }
      }
      own(clipped === undefined ? gradients : named.map((g, i) => ({ name: g.name, tensor: clipped[i]! })));
    });
  };
  return wrapped;
}

/** tfjs keeps the step size in a protected field (SGD also caches −lr in a scalar). */
function readLearningRate(optimizer: tf.Optimizer): number {
  return (optimizer as unknown as { learningRate: number }).learningRate;
}

function writeLearningRate(optimizer: tf.Optimizer, value: number): void {
  // tfjs' optimizer classes answer instanceof by duck typing, so ask for the method itself.
  const sgd = optimizer as unknown as { learningRate: number; setLearningRate?: (lr: number) => void };
  if (typeof sgd.setLearningRate === 'function') sgd.setLearningRate(value);
  else sgd.learningRate = value;
}

const settingsOf = (optimizer: tf.Optimizer): UpdateSettings | undefined => (optimizer as tf.Optimizer & { kerasUpdate?: UpdateSettings }).kerasUpdate;

/** The optimizer's current learning rate (a schedule's value at the current iteration). */
export function getLearningRate(optimizer: tf.Optimizer): number {
  const schedule = settingsOf(optimizer)?.schedule;
  return schedule !== undefined ? schedule.call(optimizer.iterations) : readLearningRate(optimizer);
}

/** Sets the learning rate (callbacks); refused for an optimizer built with a schedule, as in Keras. */
export function setLearningRate(optimizer: tf.Optimizer, value: number): void {
  if (settingsOf(optimizer)?.schedule !== undefined) {
    throw new ConfigError('This optimizer was created with a learning rate schedule as its `learningRate`, hence its learning rate is not settable.');
  }
  if (!(typeof value === 'number' && Number.isFinite(value) && value >= 0)) throw invalidArgument('learningRate', 'optimizer', 'a finite number >= 0', value);
  if (typeof readLearningRate(optimizer) !== 'number') throw new ConfigError(`This optimizer (${optimizer.getClassName()}) has no learning rate to set.`);
  writeLearningRate(optimizer, value);
  const config = configOfOptimizer(optimizer)?.config;
  if (config !== undefined) config['learningRate'] = value;
}

/** keras-ts' name of the optimizer class behind a Keras class name or any accepted spelling. */
function nameOf(className: string): OptimizerName | undefined {
  const lower = className.toLowerCase();
  return OPTIMIZER_NAMES.find((n) => n === lower);
}

function checkedConfig(name: OptimizerName, config: Record<string, unknown>): Record<string, unknown> {
  const owner = `optimizer ${OPTIMIZER_CLASS_NAMES[name]}`;
  // Keras' configs also carry the instance's `name` and `amsgrad` (false unless asked for): drop them.
  const { name: _instanceName, amsgrad, ...rest } = config;
  void _instanceName;
  if (amsgrad !== undefined && amsgrad !== null && amsgrad !== false) {
    throw invalidArgument('amsgrad', owner, 'false (tfjs has no AMSGrad variant)', amsgrad);
  }
  const known = [...new Set([...Object.keys(DEFAULTS[name]), ...COMMON_OPTIONS])];
  // null is "not set" (Keras writes weight_decay: null on optimizers that have none).
  const set = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== null && v !== undefined));
  const given = readOptions(owner, set, known) as Record<string, unknown>;
  const out: Record<string, unknown> = { ...DEFAULTS[name] };
  for (const [key, value] of Object.entries(given)) {
    const fallback = DEFAULTS[name][key];
    const schedule = key === 'learningRate' ? getSchedule(value) : undefined;
    if (schedule !== undefined) {
      out[key] = serialize(schedule);
      continue;
    }
    if (typeof fallback === 'boolean') {
      if (typeof value !== 'boolean') throw invalidArgument(key, owner, 'true or false', value);
    } else if (key === 'learningRate' || key === 'clipnorm' || key === 'clipvalue' || key === 'globalClipnorm') {
      if (!(typeof value === 'number' && Number.isFinite(value) && value > 0)) {
        throw invalidArgument(key, owner, key === 'learningRate' ? 'a positive finite number or a schedule ({ className, config })' : 'a positive finite number', value);
      }
    } else if (!(typeof value === 'number' && Number.isFinite(value) && value >= 0)) {
      throw invalidArgument(key, owner, 'a finite number >= 0', value);
    }
    out[key] = value;
  }
  const clips = ['clipnorm', 'clipvalue', 'globalClipnorm'].filter((k) => out[k] !== undefined);
  if (clips.length > 1) {
    throw new ConfigError(
      `Only one of \`clipnorm\`, \`clipvalue\` and \`globalClipnorm\` can be set for ${owner}. Received: ${clips.map((k) => `${k}=${String(out[k])}`).join(', ')}`,
    );
  }
  return out;
}

function make(name: OptimizerName, c: Record<string, unknown>): tf.Optimizer {
  const n = (key: string) => c[key] as number;
  const schedule = getSchedule(c['learningRate']);
  const lr = schedule !== undefined ? schedule.call(0) : n('learningRate');
  const settings: UpdateSettings = {};
  if (schedule !== undefined) settings.schedule = schedule;
  for (const key of COMMON_OPTIONS) if (typeof c[key] === 'number') settings[key] = c[key] as number;
  switch (name) {
    case 'sgd':
      return withKerasUpdate(c['nesterov'] === true || n('momentum') > 0 ? tf.train.momentum(lr, n('momentum'), c['nesterov'] === true) : tf.train.sgd(lr), settings);
    case 'adam':
    case 'adamw': {
      // One fused update kernel per variable on wasm and cpu (Keras 3 math); the fused kernel also
      // applies the decoupled weight decay, so the wrapper leaves it out.
      const { weightDecay, ...rest } = settings;
      const adam = { learningRate: lr, beta1: n('beta1'), beta2: n('beta2'), epsilon: n('epsilon') };
      return withKerasUpdate(weightDecay !== undefined && weightDecay > 0 ? new FusedAdamW({ ...adam, weightDecay }) : new FusedAdam(adam), rest);
    }
    case 'rmsprop':
      return withKerasUpdate(tf.train.rmsprop(lr, n('rho'), n('momentum'), n('epsilon'), c['centered'] === true), settings);
    case 'adagrad':
      return withKerasUpdate(tf.train.adagrad(lr, n('initialAccumulatorValue')), settings);
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
  const optimizer = make(nameOf(className)!, config);
  // Remember the config form, so a saved model names its optimizer the Keras way.
  (optimizer as tf.Optimizer & { kerasConfig?: SerializedObject }).kerasConfig = { className, config };
  return optimizer;
}

/** The config form of a compiled optimizer, if keras-ts made it. */
export function configOfOptimizer(optimizer: tf.Optimizer): SerializedObject | undefined {
  return (optimizer as tf.Optimizer & { kerasConfig?: SerializedObject }).kerasConfig;
}
