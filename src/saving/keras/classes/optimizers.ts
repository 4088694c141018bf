/**
 * Optimizers. Keys in the order Keras 3.15.1 writes them: `BaseOptimizer.get_config`, then the
 * class's own keys (optimizers/base_optimizer.py, adam.py, adamw.py, sgd.py, rmsprop.py, adagrad.py).
 * Slot order follows each class's `build`.
 */
import { kerasSnakeCase } from '../names';
import type { KeySpec, OptimizerSpec } from './spec';

/** Keras' shared optimizer keys; `learningRate` default and `weightDecay` default per class. */
function baseKeys(className: string, learningRate: number, weightDecay: number | null): KeySpec[] {
  return [
    // Keras names an unnamed optimizer after its class (`auto_name`): 'adam', 'sgd', 'adam_w'.
    { keras: 'name', kind: 'string', default: kerasSnakeCase(className) },
    { keras: 'learning_rate', kind: 'float', default: learningRate },
    { keras: 'weight_decay', kind: 'float', nullable: true, default: weightDecay },
    // Gradient clipping, EMA, loss scaling and accumulation change the updates; keras-ts has none of
    // them, so a file that sets them is refused rather than trained differently.
    { keras: 'clipnorm', kerasOnly: true, value: null, mustEqual: true },
    { keras: 'global_clipnorm', kerasOnly: true, value: null, mustEqual: true },
    { keras: 'clipvalue', kerasOnly: true, value: null, mustEqual: true },
    { keras: 'use_ema', kerasOnly: true, value: false, mustEqual: true },
    { keras: 'ema_momentum', kerasOnly: true, value: 0.99 },
    { keras: 'ema_overwrite_frequency', kerasOnly: true, value: null },
    { keras: 'loss_scale_factor', kerasOnly: true, value: null, mustEqual: true },
    { keras: 'gradient_accumulation_steps', kerasOnly: true, value: null, mustEqual: true },
  ];
}

const adamKeys: KeySpec[] = [
  { keras: 'beta_1', kind: 'float', default: 0.9 },
  { keras: 'beta_2', kind: 'float', default: 0.999 },
  { keras: 'epsilon', kind: 'float', default: 1e-7 },
  { keras: 'amsgrad', kind: 'bool', default: false },
];

/** Adam builds momentum and velocity in one call (interleaved per variable), then velocity_hat. */
const adamSlots = (config: Readonly<Record<string, unknown>>): string[][] => [
  ['momentum', 'velocity'],
  ...(config['amsgrad'] === true ? [['velocity_hat']] : []),
];

const optimizer = (className: string, keys: KeySpec[], slotGroups: OptimizerSpec['slotGroups']): OptimizerSpec => ({
  className,
  module: 'keras.optimizers',
  family: 'optimizer',
  keys,
  slotGroups,
  aliases: [className.toLowerCase()],
});

export const OPTIMIZERS: OptimizerSpec[] = [
  optimizer('Adam', [...baseKeys('Adam', 0.001, null), ...adamKeys], adamSlots),
  optimizer('AdamW', [...baseKeys('AdamW', 0.001, 0.004), ...adamKeys], adamSlots),
  optimizer(
    'SGD',
    [...baseKeys('SGD', 0.01, null), { keras: 'momentum', kind: 'float', default: 0 }, { keras: 'nesterov', kind: 'bool', default: false }],
    (config) => (config['momentum'] !== 0 ? [['momentum']] : []),
  ),
  optimizer(
    'RMSprop',
    [
      ...baseKeys('RMSprop', 0.001, null),
      { keras: 'rho', kind: 'float', default: 0.9 },
      { keras: 'momentum', kind: 'float', default: 0 },
      { keras: 'epsilon', kind: 'float', default: 1e-7 },
      { keras: 'centered', kind: 'bool', default: false },
    ],
    // Three separate calls: all velocities, then all momentums, then all average gradients.
    (config) => [
      ['velocity'],
      ...((config['momentum'] as number) > 0 ? [['momentum']] : []),
      ...(config['centered'] === true ? [['average_gradient']] : []),
    ],
  ),
  optimizer(
    'Adagrad',
    [
      ...baseKeys('Adagrad', 0.001, null),
      { keras: 'initial_accumulator_value', kind: 'float', default: 0.1 },
      { keras: 'epsilon', kind: 'float', default: 1e-7 },
    ],
    () => [['accumulator']],
  ),
];
