/** `callbacks.EarlyStopping({ … })` and the callback types, in Keras' spelling. */
import { EarlyStopping as EarlyStoppingCallback } from './early-stopping';
import type { EarlyStoppingOptions } from './early-stopping';

export { EarlyStoppingCallback };
export { History } from '../history';
export { ProgressLogger } from './progress';
export type { EarlyStoppingOptions };
export type { Callback, BatchLogs, Logs, CallbackModel } from './callback';

/** Stops training when `monitor` stops improving (Keras' EarlyStopping). */
export function EarlyStopping(options: EarlyStoppingOptions = {}): EarlyStoppingCallback {
  return new EarlyStoppingCallback(options);
}
