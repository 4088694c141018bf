/** A callback from functions (Keras' LambdaCallback): `callbacks.LambdaCallback({ onEpochEnd: (epoch, logs) => … })`. */
import { invalidArgument } from '../../errors';
import { readOptions } from '../../options';
import { Callback } from './callback';
import type { BatchLogs, Logs } from './callback';

export interface LambdaCallbackOptions {
  /** Called with (logs) when training starts. */
  onTrainBegin?: (logs: Logs) => void | Promise<void>;
  /** Called with (epoch, logs) at the start of each epoch. */
  onEpochBegin?: (epoch: number, logs: Logs) => void | Promise<void>;
  /** Called with (batch, logs) after each batch. */
  onBatchEnd?: (batch: number, logs: BatchLogs) => void | Promise<void>;
  /** Called with (epoch, logs) at the end of each epoch. */
  onEpochEnd?: (epoch: number, logs: Logs) => void | Promise<void>;
  /** Called with (logs) when training ends. */
  onTrainEnd?: (logs: Logs) => void | Promise<void>;
}

const HOOKS = ['onTrainBegin', 'onEpochBegin', 'onBatchEnd', 'onEpochEnd', 'onTrainEnd'] as const;

export class LambdaCallback extends Callback {
  constructor(options: LambdaCallbackOptions = {}) {
    super();
    const o = readOptions('LambdaCallback', options, HOOKS) as Record<string, unknown>;
    for (const hook of HOOKS) {
      const fn = o[hook];
      if (fn === undefined) continue;
      if (typeof fn !== 'function') throw invalidArgument(hook, 'LambdaCallback', 'a function', fn);
      Object.defineProperty(this, hook, { value: fn, enumerable: true });
    }
  }
}
