/**
 * keras-ts: Keras' Sequential, Dense with L1/L2 regularizers, and Dropout on TensorFlow.js.
 * This file is the public API manifest: everything users import is named here.
 */
export { tf } from './backend/tf';
export * as backend from './backend/backends';
export * as regularizers from './regularizers';
export * as constraints from './constraints';
export * as initializers from './initializers';
export * as layers from './layers';
export * as callbacks from './training/callbacks';
export * as utils from './utils';
export * as datasets from './study/datasets';
export * as study from './study';
export { Sequential } from './training/sequential';
export { History } from './training/history';
export { FusedAdam, FusedAdamW } from './backend/fused-adam';
export { KerasTsError, ConfigError, ShapeError, DataError, BackendError, TrainingError } from './errors';

export type { BackendName, BackendChoice, UseOptions } from './backend/backends';
export type { Regularizer, RegularizerLike, RegularizerConfig, RegularizerFunction } from './regularizers';
export type { Constraint, ConstraintLike } from './constraints';
export type { Layer, CallOptions, DenseOptions, DropoutOptions, ActivationIdentifier } from './layers';
export type { CompileOptions, PredictOptions } from './model/network';
export type { LossIdentifier, LossFunction } from './model/losses';
export type { MetricIdentifier } from './model/metrics';
export type { OptimizerLike, OptimizerName, OptimizerConfig } from './model/optimizers';
export type { FusedAdamOptions } from './backend/fused-adam';
export type { TensorInput } from './model/data';
export type { FitOptions } from './training/fit-options';
export type { EvaluateOptions } from './training/sequential';
export type { EvaluateLogs } from './training/evaluate';
export type { Callback, BatchLogs, Logs, EarlyStoppingOptions } from './training/callbacks';
export type { Dataset, DatasetSpec, Split, Task, SyntheticOptions, IdxOptions, CsvOptions } from './study/datasets/types';
export type { StudyOptions, StudyEvent, SettingSpec, NamedSetting, TrialRecord, StudyResultData, SettingSummary } from './study';
