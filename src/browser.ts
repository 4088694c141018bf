/**
 * keras-ts for browsers: the library part (layers, models, training, saving through tfjs IOHandlers such
 * as `indexeddb://`) on webgpu, webgl, wasm and cpu. Bundlers pick this entry through package.json's
 * `browser` field, which also swaps the Node-only modules for browser stand-ins (backend selection,
 * `node:fs`, `node:path`, h5wasm, cli-progress). Left out: the CLI, studies and the file datasets.
 * `.keras` files are Node-only; here they throw a KerasTsError naming the IOHandlers to use.
 */
export { tf } from './backend/tf';
export * as backend from './backend/backends-browser';
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
export { Sequential } from './models/sequential';
export { loadModel } from './models/load';
export * as models from './models';
export { Trainer } from './training/trainer';
export { History } from './training/history';
export { FusedAdam, FusedAdamW } from './backend/fused-adam';
export { KerasTsError, ConfigError, ShapeError, DataError, BackendError, TrainingError, FormatError } from './errors';

export type { SerializedObject } from './serialization';
export type { BackendName, BackendChoice, UseOptions } from './backend/backends-browser';
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
export type { Callback, BatchLogs, Logs, EarlyStoppingOptions, ReduceLROnPlateauOptions, CSVLoggerOptions, LambdaCallbackOptions, ScheduleFunction, CallbackParams } from './training/callbacks';
