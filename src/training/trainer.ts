/**
 * Trainer: what a model needs to learn, as in Keras 3 (`Model` over `Trainer`). `fit` runs the
 * loop (fit-loop.ts), which calls `trainStep(batch)` once per batch; `trainStep` runs the forward
 * pass, `computeLoss`, the gradients, the optimizer and the constraints. Each is a method a
 * subclass may override to change what one step does without copying the loop. The model class
 * (models/) supplies the forward pass and the weights.
 */
import { ready } from '../backend/backends';
import { withTapeCleanup } from '../backend/tape';
import { derivedGenerator } from '../backend/random';
import type { RandomGenerator } from '../backend/random';
import { tf } from '../backend/tf';
import { ConfigError, describe } from '../errors';
import type { Layer } from '../layers/layer';
import { readOptions } from '../options';
import { checkBatchSize } from './data';
import type { TensorInput } from './data';
import { evaluateTensors } from './evaluate';
import type { EvaluateLogs } from './evaluate';
import { runFit } from './fit-loop';
import type { FitOptions } from './fit-options';
import type { History } from './history';
import type { LossLike } from './losses';
import type { MetricIdentifier } from './metrics';
import { Objective } from './objective';
import type { Prediction, StepLogs } from './objective';
import { getLearningRate, getOptimizer } from './optimizers';
import type { OptimizerLike } from './optimizers';
import { prepareData } from './prepare-data';

export interface CompileOptions {
  /** 'adam' | 'sgd' | 'adamw' | 'rmsprop' | 'adagrad', `{ name, learningRate }`, `{ className, config }` or a tf.Optimizer (default 'adam'). */
  optimizer?: OptimizerLike | null;
  /** Loss name, `{ className, config }`, a `losses.*` object or a function (yTrue, yPred) => per-sample or mean loss. Required. */
  loss: LossLike;
  /** Metrics to report: 'accuracy' (or 'acc'), loss names, 'precision', 'recall', 'auc', 'f1Score', 'topKCategoricalAccuracy', 'hinge', or `metrics.*({ … })` / `{ className, config }` (default none). */
  metrics?: MetricIdentifier[] | null;
}

export const COMPILE_OPTION_NAMES = ['optimizer', 'loss', 'metrics'] as const;

export interface EvaluateOptions {
  /** Rows per forward pass (default 32). */
  batchSize?: number | null;
}

/** One batch of a step: inputs, labels and optional per-row loss weights. */
export interface Batch {
  x: tf.Tensor;
  y: tf.Tensor;
  sampleWeight?: tf.Tensor;
}

/** What compile resolved; read by the loop and the steps. */
export interface Compiled {
  optimizer: tf.Optimizer;
  objective: Objective;
  /** What compile was given, for saving. */
  options: { loss: LossLike; metrics: MetricIdentifier[] };
}

export abstract class Trainer {
  /** Set to true (e.g. from a callback) to end `fit` after the current batch. */
  stopTraining = false;
  /**
   * Set by a callback in `onTrainBegin` (BackupAndRestore, as Keras' `model._initial_epoch`) to
   * start this fit at that epoch instead of fit's `initialEpoch`. The loop reads it once, right
   * after onTrainBegin, and clears it.
   */
  resumeAtEpoch: number | undefined = undefined;
  protected compiledState: Compiled | undefined;
  /** True while fit runs: a second concurrent fit on the same weights is refused. */
  private fitting = false;
  private shuffleRandom: RandomGenerator | undefined;

  /** The layers, in order. */
  abstract get layers(): readonly Layer[];
  /** Feature shape of one input row (no batch dimension), once known. */
  abstract get inputShape(): number[] | undefined;
  abstract get built(): boolean;
  abstract build(inputShape: number[]): void;
  /** Output feature shape of each layer, once built. */
  abstract outputShapes(): number[][] | undefined;
  /** The forward pass; with `preActivation`, the last layer's output before its activation. */
  abstract forward(x: tf.Tensor, options: { training: boolean; preActivation?: boolean }): Prediction;
  /** Σ of the weight regularizers' penalties (0 when none). */
  abstract penaltyTensor(): tf.Scalar;

  /** The weight penalty as a number, read asynchronously: works on every backend (webgpu in Node too). */
  async penaltyAsync(): Promise<number> {
    const penalty = tf.tidy(() => this.penaltyTensor());
    try {
      return (await penalty.data())[0]!;
    } finally {
      penalty.dispose();
    }
  }
  /** Variables the optimizer updates, in layer order. */
  abstract trainableVariables(): tf.Variable[];
  /** After each update: proximal steps of regularizers that have one (given the learning rate), then constraints. */
  abstract applyConstraints(learningRate?: number, stepScale?: (variable: tf.Variable) => tf.Tensor | undefined): void;
  abstract getWeights(): tf.Tensor[];
  abstract setWeights(weights: tf.Tensor[]): void;
  /** Throws a clear error when the model's weights were freed. */
  abstract assertUsable(): void;

  /** The stream that shuffles batches: derived from the global seed on first use, continued by later fits. */
  shuffleStream(): RandomGenerator {
    return (this.shuffleRandom ??= derivedGenerator('model', 'shuffle'));
  }

  /** Output units (last axis of the last layer), once built. */
  outputUnits(): number | undefined {
    const shapes = this.outputShapes();
    const last = shapes?.[shapes.length - 1];
    return last?.[last.length - 1];
  }

  compile(options: CompileOptions): void {
    if (options === null || typeof options !== 'object') {
      throw new ConfigError(`Invalid options for compile: expected { optimizer, loss, metrics }. Received: ${describe(options)}`);
    }
    const o = readOptions('compile', options, COMPILE_OPTION_NAMES);
    if (o.loss === undefined) throw new ConfigError("Missing `loss` for compile: expected a loss name such as 'categoricalCrossentropy' or a function.");
    const last = this.layers[this.layers.length - 1];
    if (last === undefined) throw new ConfigError('Cannot compile an empty model: add layers first.');
    if (o.metrics !== undefined && !Array.isArray(o.metrics)) {
      throw new ConfigError(`Invalid \`metrics\` for compile: expected an array such as ['accuracy']. Received: metrics=${describe(o.metrics)}`);
    }
    const metrics = o.metrics ?? [];
    const units = this.outputUnits() ?? (last as { units?: number }).units ?? 0;
    const objective = new Objective(o.loss, metrics, { activation: last.outputActivation, units });
    const optimizer = getOptimizer(o.optimizer ?? 'adam');
    this.compiledState?.optimizer.dispose();
    this.compiledState = { optimizer, objective, options: { loss: o.loss, metrics: [...metrics] } };
  }

  get isCompiled(): boolean {
    return this.compiledState !== undefined;
  }

  get compiled(): Compiled {
    if (this.compiledState === undefined) throw new ConfigError('The model is not compiled: call model.compile({ optimizer, loss, metrics }) before fit or evaluate.');
    return this.compiledState;
  }

  /** 'up' or 'down' for a compiled metric's log name (monitoring callbacks' mode 'auto'); undefined for others. */
  metricDirection(name: string): 'up' | 'down' | undefined {
    return this.compiledState?.objective.metrics.find((m) => m.name === name)?.direction;
  }

  /** The compiled optimizer. */
  get optimizer(): tf.Optimizer {
    return this.compiled.optimizer;
  }

  /**
   * Data loss (mean over the batch, weighted by sampleWeight) plus the regularization penalty,
   * Keras' `compute_loss`. Returns the total and the penalty part; call inside a gradient scope.
   */
  computeLoss(batch: Batch, prediction: Prediction): { total: tf.Scalar; penalty: tf.Scalar } {
    const { objective } = this.compiled;
    const data = tf.mean(objective.dataLoss(batch.y, prediction, batch.sampleWeight));
    const weights = this.penaltyTensor();
    const penalty = prediction.activityPenalty ? (tf.add(weights, prediction.activityPenalty) as tf.Scalar) : weights;
    return { total: tf.add(data, penalty) as tf.Scalar, penalty };
  }

  /**
   * One training step on one batch, Keras' `train_step`: forward in training mode, loss,
   * gradients, optimizer update, constraints. Returns the batch's logs (loss and mean metrics as
   * batch-mean scalars, counted metrics such as precision as their count vectors); the loop disposes them. Override to change what a step does.
   */
  trainStep(batch: Batch): StepLogs {
    const { objective, optimizer } = this.compiled;
    const variables = this.trainableVariables();
    let kept: tf.Tensor[] = [];
    const lossOf = (): tf.Scalar => {
      const prediction = this.forward(batch.x, { training: true, preActivation: objective.wantsPreActivation });
      const { total, penalty } = this.computeLoss(batch, prediction);
      // Kept past variableGrads' own tidy, for the logs.
      kept = [penalty, ...objective.metricStepValues(batch.y, prediction)].map((t) => tf.keep(t));
      return total;
    };
    let loss: tf.Scalar;
    if (variables.length > 0) {
      const { value, grads } = withTapeCleanup(() => tf.variableGrads(lossOf, variables));
      optimizer.applyGradients(grads as tf.NamedTensorMap);
      loss = value;
    } else {
      loss = lossOf(); // nothing to train (e.g. only Dropout): a step that only measures, as in Keras
    }
    // The step's learning rate (a schedule's value too), for proximal regularizers.
    const learningRate = getLearningRate(optimizer);
    // Adaptive optimizers (keras-ts' Adam) also give their per-weight step size.
    const adaptive = optimizer as tf.Optimizer & { stepScale?: (variable: tf.Variable) => tf.Tensor | undefined };
    const stepScale = typeof adaptive.stepScale === 'function' ? (v: tf.Variable) => adaptive.stepScale!(v) : undefined;
    this.applyConstraints(typeof learningRate === 'number' && Number.isFinite(learningRate) ? learningRate : undefined, stepScale);
    const [penalty, ...metrics] = kept;
    const logs: StepLogs = { loss, penalty: penalty as tf.Scalar };
    objective.metrics.forEach((m, i) => (logs[m.name] = metrics[i]!));
    return logs;
  }

  /** Trains the model; resolves to a History (per-epoch loss = data loss + penalty, penalty, metrics, val_*). */
  async fit(x: TensorInput, y: TensorInput, options: FitOptions = {}): Promise<History> {
    this.assertUsable();
    if (this.fitting) throw new ConfigError('This model is already training: wait for the running fit to finish before starting another.');
    this.fitting = true;
    try {
      await ready(); // picks the 'auto' backend on first use
      return await runFit(this, x, y, options);
    } finally {
      this.fitting = false;
    }
  }

  /** Inference-mode loss (data loss + penalty), `penalty` and metrics over (x, y). */
  async evaluate(x: TensorInput, y: TensorInput, options: EvaluateOptions = {}): Promise<EvaluateLogs> {
    this.assertUsable();
    const o = readOptions('evaluate', options, ['batchSize']);
    const batchSize = checkBatchSize(o.batchSize ?? 32);
    await ready();
    const data = await prepareData(this, x, y);
    try {
      return await evaluateTensors(this, data.x, data.y, batchSize);
    } finally {
      for (const t of data.owned) t.dispose();
    }
  }
}
