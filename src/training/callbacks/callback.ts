/** The callback hooks of `fit`, as plain objects (Keras' Callback methods in camelCase). */

/** Epoch-level logs: every History key ("loss", "penalty", "accuracy", "val_loss"…). */
export type Logs = Record<string, number>;

/**
 * Batch-level logs. Reading a metric (e.g. `logs.loss`, the running mean of the epoch so far)
 * syncs with the device, so the loop only pays for values a callback actually reads.
 */
export interface BatchLogs {
  /** 0-based batch index within the epoch. */
  batch: number;
  /** Rows in this batch. */
  size: number;
  readonly [metric: string]: number;
}

export interface Callback {
  onTrainBegin?(logs: Logs): void | Promise<void>;
  onEpochBegin?(epoch: number, logs: Logs): void | Promise<void>;
  onBatchEnd?(batch: number, logs: BatchLogs): void | Promise<void>;
  onEpochEnd?(epoch: number, logs: Logs): void | Promise<void>;
  onTrainEnd?(logs: Logs): void | Promise<void>;
}

/** What a callback may need from the model it is attached to (set before onTrainBegin). */
export interface CallbackModel {
  stopTraining: boolean;
  getWeights(): import('../../backend/tf').tf.Tensor[];
  setWeights(weights: import('../../backend/tf').tf.Tensor[]): void;
}

/** Callbacks that need the model implement this; fit calls it before training starts. */
export interface ModelAware {
  setModel(model: CallbackModel): void;
}

export function isModelAware(callback: Callback): callback is Callback & ModelAware {
  return typeof (callback as Partial<ModelAware>).setModel === 'function';
}
