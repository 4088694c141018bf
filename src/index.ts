/**
 * keras-ts: Keras' Sequential, Dense with L1/L2 regularizers, and Dropout on TensorFlow.js.
 * This file is the public API manifest: everything users import is named here.
 */
export { tf } from './backend/tf';
export * as backend from './backend/backends';
export * as activations from './activations';
export * as regularizers from './regularizers';
export * as constraints from './constraints';
export * as initializers from './initializers';
export * as layers from './layers';
export * as callbacks from './training/callbacks';
export * as optimizers from './training/optimizers-api';
export * as losses from './training/losses-api';
export * as metrics from './training/metrics-api';
export * as utils from './utils';
export * as datasets from './datasets';
export * as study from './study';
export { Sequential } from './models/sequential';
export { loadModel } from './models/load';
export * as models from './models';
export { Trainer } from './training/trainer';
export { History } from './training/history';
export { FusedAdam, FusedAdamW } from './backend/fused-adam';
export { KerasTsError, ConfigError, ShapeError, DataError, BackendError, TrainingError, FormatError } from './errors';

export type { SerializedObject } from './serialization';
export type { BackendName, BackendChoice, UseOptions } from './backend/backends';
export type { Regularizer, RegularizerLike, RegularizerConfig, RegularizerFunction } from './regularizers';
export type { Constraint, ConstraintLike } from './constraints';
export type { Initializer, InitializerLike } from './initializers';
export type { Layer, CallOptions, DenseOptions, DropoutOptions, ActivationIdentifier } from './layers';
export type { PredictOptions, SequentialConfig } from './models/sequential';
export type { SaveOptions, SaveResult } from './models/save';
export type { CompileOptions, EvaluateOptions, Batch } from './training/trainer';
export type { Prediction, StepLogs } from './training/objective';
export type { LossIdentifier, LossFunction, LossLike } from './training/losses';
export type { MetricIdentifier } from './training/metrics';
export type { OptimizerLike, OptimizerName, OptimizerConfig } from './training/optimizers';
export type { TensorInput } from './training/data';
export type { FitOptions } from './training/fit-options';
export type { EvaluateLogs } from './training/evaluate';
export type { Callback, BatchLogs, Logs, EarlyStoppingOptions, ReduceLROnPlateauOptions, CSVLoggerOptions, LambdaCallbackOptions, ScheduleFunction, CallbackParams, ModelCheckpointOptions, BackupAndRestoreOptions } from './training/callbacks';
export type { Dataset, DatasetSpec, Split, Task, SyntheticOptions, IdxOptions, CsvOptions } from './datasets/types';
export type { StudyOptions, StudyEvent, SettingSpec, NamedSetting, TrialRecord, StudyResultData, SettingSummary } from './study';
