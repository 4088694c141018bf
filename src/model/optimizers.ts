/** Optimizers by Keras name with Keras' default learning rates, or any tf.Optimizer. */
import { tf } from '../backend/tf';
import { FusedAdam, FusedAdamW } from '../backend/fused-adam';
import { ConfigError, describe, invalidArgument } from '../errors';

export type OptimizerName = 'sgd' | 'adam' | 'adamw' | 'rmsprop' | 'adagrad';

export interface OptimizerConfig {
  name: OptimizerName;
  /** Step size (defaults: sgd 0.01, others 0.001, as in Keras). */
  learningRate?: number;
  /** AdamW's decoupled weight decay (default 0.004, as in Keras). */
  weightDecay?: number;
}

export type OptimizerLike = OptimizerName | OptimizerConfig | tf.Optimizer;

const DEFAULT_LEARNING_RATE: Record<OptimizerName, number> = { sgd: 0.01, adam: 0.001, adamw: 0.001, rmsprop: 0.001, adagrad: 0.001 };

function make(name: OptimizerName, learningRate: number, weightDecay: number): tf.Optimizer {
  switch (name) {
    case 'sgd':
      return tf.train.sgd(learningRate);
    case 'adam': // one fused update kernel per variable on wasm/cpu (Keras 3 math)
      return new FusedAdam({ learningRate });
    case 'adamw':
      return new FusedAdamW({ learningRate, weightDecay });
    case 'rmsprop':
      return tf.train.rmsprop(learningRate, 0.9, 0, 1e-7);
    case 'adagrad':
      return tf.train.adagrad(learningRate, 0.1);
  }
}

export function getOptimizer(identifier: OptimizerLike): tf.Optimizer {
  if (identifier instanceof tf.Optimizer) return identifier;
  const config: OptimizerConfig | undefined =
    typeof identifier === 'string' ? { name: identifier } : identifier !== null && typeof identifier === 'object' ? identifier : undefined;
  if (config === undefined || !(config.name in DEFAULT_LEARNING_RATE)) {
    throw new ConfigError(
      `Invalid \`optimizer\` for compile: expected 'sgd' | 'adam' | 'adamw' | 'rmsprop' | 'adagrad', { name, learningRate } or a tf.Optimizer. Received: optimizer=${describe(identifier)}`,
    );
  }
  const learningRate = config.learningRate ?? DEFAULT_LEARNING_RATE[config.name];
  if (!(typeof learningRate === 'number' && Number.isFinite(learningRate) && learningRate > 0)) {
    throw invalidArgument('learningRate', 'compile', 'a positive finite number', learningRate);
  }
  const weightDecay = config.weightDecay ?? 0.004;
  if (!(typeof weightDecay === 'number' && Number.isFinite(weightDecay) && weightDecay >= 0)) {
    throw invalidArgument('weightDecay', 'compile', 'a finite number >= 0', weightDecay);
  }
  return make(config.name, learningRate, weightDecay);
}
