/**
 * The `optimizers` namespace, Keras' spelling: `optimizers.Adam({ learningRate: 1e-3 })`,
 * `optimizers.get('sgd')`, `optimizers.schedules.ExponentialDecay({ … })`. Each factory returns a
 * tf.Optimizer built through the one config path (getOptimizer), so it saves the same way.
 */
import type { tf } from '../backend/tf';
import type { SerializedObject } from '../serialization';
import { getOptimizer } from './optimizers';
import type { OptimizerLike } from './optimizers';
import { CosineDecay as CosineDecaySchedule, ExponentialDecay as ExponentialDecaySchedule, PiecewiseConstantDecay as PiecewiseSchedule } from './schedules';
import type { CosineDecayOptions, ExponentialDecayOptions, PiecewiseConstantDecayOptions, ScheduleLike } from './schedules';

/** Options every optimizer takes (Keras' BaseOptimizer); none is set by default. */
export interface BaseOptimizerOptions {
  /** Step size or a schedule. */
  learningRate?: number | ScheduleLike;
  /** Decoupled weight decay: v ← v − v·weightDecay·lr before each update (default none; AdamW 0.004). */
  weightDecay?: number;
  /** Clip each gradient to this L2 norm (default none). */
  clipnorm?: number;
  /** Clip each gradient element to [−clipvalue, clipvalue] (default none). */
  clipvalue?: number;
  /** Scale the gradients together so their global L2 norm is at most this (default none). */
  globalClipnorm?: number;
}

export interface SGDOptions extends BaseOptimizerOptions {
  /** Momentum (default 0). */
  momentum?: number;
  /** Nesterov momentum (default false). */
  nesterov?: boolean;
}

export interface AdamOptions extends BaseOptimizerOptions {
  /** Decay of the first moment (default 0.9). */
  beta1?: number;
  /** Decay of the second moment (default 0.999). */
  beta2?: number;
  /** Numerical floor (default 1e-7). */
  epsilon?: number;
}

export interface RMSpropOptions extends BaseOptimizerOptions {
  /** Decay of the squared-gradient average (default 0.9). */
  rho?: number;
  /** Momentum (default 0). */
  momentum?: number;
  /** Numerical floor (default 1e-7). */
  epsilon?: number;
  /** Normalize by the gradient's variance (default false). */
  centered?: boolean;
}

export interface AdagradOptions extends BaseOptimizerOptions {
  /** Starting accumulator value (default 0.1). */
  initialAccumulatorValue?: number;
  /** Numerical floor (default 1e-7). */
  epsilon?: number;
}

const build = (className: string, options: object): tf.Optimizer => getOptimizer({ className, config: { ...options } } as SerializedObject);

export const SGD = (options: SGDOptions = {}): tf.Optimizer => build('SGD', options);
export const Adam = (options: AdamOptions = {}): tf.Optimizer => build('Adam', options);
export const AdamW = (options: AdamOptions = {}): tf.Optimizer => build('AdamW', options);
export const RMSprop = (options: RMSpropOptions = {}): tf.Optimizer => build('RMSprop', options);
export const Adagrad = (options: AdagradOptions = {}): tf.Optimizer => build('Adagrad', options);

/** An optimizer from a name, `{ className, config }` or an instance (Keras' optimizers.get). */
export const get = (identifier: OptimizerLike): tf.Optimizer => getOptimizer(identifier);

/** Learning-rate schedules (Keras' optimizers.schedules). */
export const schedules = {
  ExponentialDecay: (options: ExponentialDecayOptions) => new ExponentialDecaySchedule(options),
  CosineDecay: (options: CosineDecayOptions) => new CosineDecaySchedule(options),
  PiecewiseConstantDecay: (options: PiecewiseConstantDecayOptions) => new PiecewiseSchedule(options),
};

export { getLearningRate, setLearningRate } from './optimizers';
