/** What `fit` returns: the epochs run and each logged value per epoch (Keras' History). */
import type { Callback, Logs } from './callbacks/callback';

export class History implements Callback {
  /** The epoch indices that ran (0-based; they start at initialEpoch). */
  readonly epoch: number[] = [];
  /** One array per key: loss, penalty, metrics, and val_-prefixed validation values. */
  readonly history: Record<string, number[]> = {};

  onEpochEnd(epoch: number, logs: Logs): void {
    this.epoch.push(epoch);
    for (const [key, value] of Object.entries(logs)) (this.history[key] ??= []).push(value);
  }
}
