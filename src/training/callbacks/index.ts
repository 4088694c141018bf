/** `callbacks.EarlyStopping({ … })`, the other Keras callbacks and the callback types, in Keras' spelling. */
import { BackupAndRestore as BackupAndRestoreCallback } from './backup-and-restore';
import type { BackupAndRestoreOptions } from './backup-and-restore';
import { CSVLogger as CSVLoggerCallback } from './csv-logger';
import type { CSVLoggerOptions } from './csv-logger';
import { EarlyStopping as EarlyStoppingCallback } from './early-stopping';
import type { EarlyStoppingOptions } from './early-stopping';
import { LambdaCallback as LambdaCallbackClass } from './lambda-callback';
import type { LambdaCallbackOptions } from './lambda-callback';
import { LearningRateScheduler as LearningRateSchedulerCallback } from './learning-rate-scheduler';
import type { ScheduleFunction } from './learning-rate-scheduler';
import { ModelCheckpoint as ModelCheckpointCallback } from './model-checkpoint';
import type { ModelCheckpointOptions } from './model-checkpoint';
import { ReduceLROnPlateau as ReduceLROnPlateauCallback } from './reduce-lr-on-plateau';
import type { ReduceLROnPlateauOptions } from './reduce-lr-on-plateau';
import { TerminateOnNaN as TerminateOnNaNCallback } from './terminate-on-nan';
import { MagnitudePruning as MagnitudePruningCallback } from './magnitude-pruning';
import type { MagnitudePruningOptions } from './magnitude-pruning';

export { Callback } from './callback';
export { MagnitudePruningCallback };
export type { MagnitudePruningOptions };
export { EarlyStoppingCallback, ReduceLROnPlateauCallback, LearningRateSchedulerCallback, CSVLoggerCallback, TerminateOnNaNCallback, LambdaCallbackClass, ModelCheckpointCallback, BackupAndRestoreCallback };
export { History } from '../history';
export { ProgressLogger } from './progress';
export type { EarlyStoppingOptions, ReduceLROnPlateauOptions, ScheduleFunction, CSVLoggerOptions, LambdaCallbackOptions, ModelCheckpointOptions, BackupAndRestoreOptions };
export type { BatchLogs, Logs, CallbackModel, CallbackParams } from './callback';

/** Stops training when `monitor` stops improving (Keras' EarlyStopping). */
export function EarlyStopping(options: EarlyStoppingOptions = {}): EarlyStoppingCallback {
  return new EarlyStoppingCallback(options);
}

/** Multiplies the learning rate by `factor` when `monitor` plateaus (Keras' ReduceLROnPlateau). */
export function ReduceLROnPlateau(options: ReduceLROnPlateauOptions = {}): ReduceLROnPlateauCallback {
  return new ReduceLROnPlateauCallback(options);
}

/** Sets the learning rate from `schedule(epoch, lr)` at each epoch's start (Keras' LearningRateScheduler). */
export function LearningRateScheduler(schedule: ScheduleFunction, verbose: 0 | 1 = 0): LearningRateSchedulerCallback {
  return new LearningRateSchedulerCallback(schedule, verbose);
}

/** Writes each epoch's logs to a CSV file (Keras' CSVLogger). */
export function CSVLogger(filename: string, options: CSVLoggerOptions = {}): CSVLoggerCallback {
  return new CSVLoggerCallback(filename, options);
}

/** Stops training when the loss becomes NaN or infinite (Keras' TerminateOnNaN). */
export function TerminateOnNaN(): TerminateOnNaNCallback {
  return new TerminateOnNaNCallback();
}

/** A callback from functions (Keras' LambdaCallback). */
export function LambdaCallback(options: LambdaCallbackOptions = {}): LambdaCallbackClass {
  return new LambdaCallbackClass(options);
}

/** Saves the model or its weights during training, always or when `monitor` improves (Keras' ModelCheckpoint). */
export function ModelCheckpoint(options: ModelCheckpointOptions): ModelCheckpointCallback {
  return new ModelCheckpointCallback(options);
}

/** Backs up the training state each epoch; a restarted fit resumes after the last finished epoch (Keras' BackupAndRestore). */
export function BackupAndRestore(options: BackupAndRestoreOptions): BackupAndRestoreCallback {
  return new BackupAndRestoreCallback(options);
}

/** Sets the smallest kernel weights to exactly zero on a cubic schedule up to `targetSparsity` (Zhu & Gupta 2017). */
export function MagnitudePruning(options: MagnitudePruningOptions): MagnitudePruningCallback {
  return new MagnitudePruningCallback(options);
}
