/**
 * The callback hooks of `fit` (Keras' Callback methods in camelCase). A callback is a plain object
 * with any of the hooks, or an instance of the `Callback` base class, which also receives the model
 * and the training parameters (Keras' `set_model` / `set_params`) before `onTrainBegin`.
 */
import type { tf } from '../../backend/tf';
import type { Layer } from '../../layers/layer';

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

/** What a callback may need from the model it is attached to (set before onTrainBegin). */
export interface CallbackModel {
  stopTraining: boolean;
  getWeights(): tf.Tensor[];
  setWeights(weights: tf.Tensor[]): void;
  /** The model's layers (weight callbacks such as MagnitudePruning read their variables). */
  readonly layers?: readonly Layer[];
  /** The compiled optimizer (for learning-rate callbacks). */
  readonly optimizer?: tf.Optimizer;
  /** Whether a logged metric improves upward or downward, when the model knows it (monitor mode 'auto'). */
  metricDirection?(name: string): 'up' | 'down' | undefined;
  /** Saves the model: `.keras`, a tfjs-layers directory or `file://dir` (ModelCheckpoint). */
  save?(target: string, options?: { includeOptimizer?: boolean | null }): Promise<unknown>;
  /** Saves the weights as a Keras 3 `.weights.h5` file (ModelCheckpoint with saveWeightsOnly). */
  saveWeights?(file: string): Promise<void>;
  /** Writes weights, optimizer state, random streams and `info` to one file, atomically (BackupAndRestore). */
  writeBackup?(file: string, info: Record<string, number>): Promise<void>;
  /** Restores what writeBackup wrote into this model and returns its `info` (BackupAndRestore). */
  readBackup?(file: string): Promise<Record<string, number>>;
  /** Set in onTrainBegin to start the running fit at that epoch (BackupAndRestore; Keras' `_initial_epoch`). */
  resumeAtEpoch?: number | undefined;
}

/** Keras' `params`: what fit was asked to do. */
export interface CallbackParams {
  /** fit's verbose. */
  verbose: number;
  /** fit's epochs. */
  epochs: number;
  /** Batches per epoch. */
  steps: number;
}

/** The hooks, all optional: a plain object with some of them is a callback. */
export interface Callback {
  onTrainBegin?(logs: Logs): void | Promise<void>;
  onEpochBegin?(epoch: number, logs: Logs): void | Promise<void>;
  onBatchEnd?(batch: number, logs: BatchLogs): void | Promise<void>;
  onEpochEnd?(epoch: number, logs: Logs): void | Promise<void>;
  onTrainEnd?(logs: Logs): void | Promise<void>;
}

/**
 * Keras' Callback base class: subclass it and override the hooks; `model` and `params` are set by
 * fit before `onTrainBegin`. `warn` receives the callback's warnings (a missing monitored value,
 * an unknown mode): console.warn by default, as Keras' warnings.warn; replace it to route or
 * silence them. `print` receives verbose messages (default stdout).
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class Callback {
  /** The model being trained; undefined before fit starts. */
  model?: CallbackModel;
  /** fit's parameters; undefined before fit starts. */
  params?: CallbackParams;
  setModel?(model: CallbackModel): void {
    this.model = model;
  }
  setParams?(params: CallbackParams): void {
    this.params = params;
  }
  warn?(message: string): void {
    console.warn(message);
  }
  print?(message: string): void {
    process.stdout.write(`${message}\n`);
  }
}

/** Callbacks that need the model implement this; fit calls it before training starts. */
export interface ModelAware {
  setModel(model: CallbackModel): void;
}

export function isModelAware(callback: Callback): callback is Callback & ModelAware {
  return typeof (callback as Partial<ModelAware>).setModel === 'function';
}

/** The model a callback is attached to; a clear error when fit has not set it. */
export function modelOf(owner: string, callback: Callback): CallbackModel {
  if (callback.model === undefined) throw new Error(`${owner} has no model: it is set by fit before onTrainBegin.`);
  return callback.model;
}

/** The optimizer of a callback's model, for learning-rate callbacks. */
export function optimizerOf(owner: string, callback: Callback): tf.Optimizer {
  const optimizer = modelOf(owner, callback).optimizer;
  if (optimizer === undefined) throw new Error(`${owner} needs a compiled model with an optimizer.`);
  return optimizer;
}
