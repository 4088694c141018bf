/**
 * The layer stack behind `Sequential`: building, the forward pass, compile, predict, weights and
 * penalties. Training (fit/evaluate) lives one level up, in src/training.
 */
import { takeBatch } from '../backend/rows';
import { tf } from '../backend/tf';
import { ConfigError, ShapeError, describe } from '../errors';
import { Layer } from '../layers/layer';
import { DenseLayer } from '../layers';
import { getLoss } from '../training/losses';
import type { Loss, LossFunction, LossIdentifier } from '../training/losses';
import { getMetric } from '../training/metrics';
import type { Metric, MetricIdentifier } from '../training/metrics';
import { getOptimizer } from '../training/optimizers';
import type { OptimizerLike } from '../training/optimizers';
import { checkBatchSize, checkFeatures, checkFinite, checkNotEmpty, toTensor } from '../training/data';
import type { TensorInput } from '../training/data';
import { summarize } from './model-summary';

export interface CompileOptions {
  /** 'adam' | 'sgd' | 'adamw' | 'rmsprop' | 'adagrad', `{ name, learningRate }` or a tf.Optimizer (default 'adam'). */
  optimizer?: OptimizerLike;
  /** Loss name or function (yTrue, yPred) => per-sample or mean loss. Required. */
  loss: LossIdentifier | 'mse' | 'mae' | LossFunction;
  /** Metrics to report: 'accuracy' and loss names (default none). */
  metrics?: MetricIdentifier[];
}

/** What compile resolved; read by the training loop. */
export interface Compiled {
  optimizer: tf.Optimizer;
  loss: Loss;
  metrics: Metric[];
  /** The last layer's activation is folded into the loss: the forward pass yields logits. */
  fusedActivation: 'softmax' | 'sigmoid' | undefined;
}

export interface ForwardResult {
  /** The model output, or the last layer's logits when `isLogits`. */
  output: tf.Tensor;
  isLogits: boolean;
  /** Sum of activity-regularizer penalties of this pass, if any layer has one. */
  activityPenalty: tf.Scalar | undefined;
}

export interface PredictOptions {
  /** Rows per forward pass (default 32). */
  batchSize?: number;
}

const COMPILE_OPTIONS = ['optimizer', 'loss', 'metrics'];

export class Network {
  readonly name: string;
  protected readonly stack: Layer[] = [];
  protected compiledState: Compiled | undefined;
  /** Set to true (e.g. from a callback) to end `fit` after the current epoch. */
  stopTraining = false;

  constructor(layers: Layer[] = [], name = 'sequential') {
    this.name = name;
    for (const layer of layers) this.add(layer);
  }

  /** Appends a layer; returns the model so calls chain. */
  add(layer: Layer): this {
    if (!(layer instanceof Layer)) {
      throw new ConfigError(`Invalid layer for add: expected a keras-ts layer such as layers.Dense(64). Received: ${describe(layer)}`);
    }
    if (this.stack.includes(layer)) throw new ConfigError(`Layer '${layer.name}' was already added to this model; create a new layer instead.`);
    if (this.stack.length > 0 && layer.inputShape !== undefined) {
      throw new ConfigError(`Invalid \`inputShape\` on '${layer.name}': only the first layer takes inputShape.`);
    }
    this.stack.push(layer);
    if (this.stack.length === 1 && layer.inputShape !== undefined) this.build(layer.inputShape);
    else if (this.built) this.build(this.inputShape!);
    return this;
  }

  get layers(): readonly Layer[] {
    return this.stack;
  }

  /** Feature shape of one input row (no batch dimension), once known. */
  get inputShape(): number[] | undefined {
    return this.stack[0]?.inputShape ?? this.builtInputShape;
  }

  private builtInputShape: number[] | undefined;

  get built(): boolean {
    return this.builtInputShape !== undefined;
  }

  /** Creates every layer's weights for input rows of `inputShape` (no batch dimension). */
  build(inputShape: number[]): void {
    let shape = inputShape;
    for (const layer of this.stack) {
      if (!layer.isBuilt) layer.build(shape);
      shape = layer.computeOutputShape(shape);
    }
    this.builtInputShape = [...inputShape];
  }

  /** Output feature shape of each layer, once the model is built. */
  outputShapes(): number[][] | undefined {
    const input = this.inputShape;
    if (input === undefined) return undefined;
    const shapes: number[][] = [];
    let shape = input;
    for (const layer of this.stack) shapes.push((shape = layer.computeOutputShape(shape)));
    return shapes;
  }

  compile(options: CompileOptions): void {
    if (options === null || typeof options !== 'object') throw new ConfigError(`Invalid options for compile: expected { optimizer, loss, metrics }. Received: ${describe(options)}`);
    for (const key of Object.keys(options)) {
      if (!COMPILE_OPTIONS.includes(key)) throw new ConfigError(`Unknown option \`${key}\` for compile. Known options: ${COMPILE_OPTIONS.join(', ')}.`);
    }
    if (options.loss === undefined) throw new ConfigError('Missing `loss` for compile: expected a loss name such as \'categoricalCrossentropy\' or a function.');
    const last = this.stack[this.stack.length - 1];
    if (last === undefined) throw new ConfigError('Cannot compile an empty model: add layers first.');
    const loss = getLoss(options.loss);
    const lastActivation = last instanceof DenseLayer ? last.activation : undefined;
    const fusedActivation = loss.fusesWith !== undefined && loss.fusesWith === lastActivation ? loss.fusesWith : undefined;
    const units = last instanceof DenseLayer ? last.units : 0;
    if (options.metrics !== undefined && !Array.isArray(options.metrics)) {
      throw new ConfigError(`Invalid \`metrics\` for compile: expected an array such as ['accuracy']. Received: metrics=${describe(options.metrics)}`);
    }
    const metrics = (options.metrics ?? []).map((m) => getMetric(m, { sparse: loss.sparse, units, fusedActivation }));
    this.compiledState = { optimizer: getOptimizer(options.optimizer ?? 'adam'), loss, metrics, fusedActivation };
  }

  get compiled(): Compiled {
    if (this.compiledState === undefined) throw new ConfigError('The model is not compiled: call model.compile({ optimizer, loss, metrics }) before fit or evaluate.');
    return this.compiledState;
  }

  /**
   * The forward pass. In training mode dropout is active; with `logits`, the last layer's
   * activation is left for the loss to fuse. Builds the model from x on first use.
   */
  forward(x: tf.Tensor, training: boolean, logits = false): ForwardResult {
    if (!this.built) this.build(x.shape.slice(1));
    const fused = logits ? this.compiledState?.fusedActivation : undefined;
    const penalties: tf.Scalar[] = [];
    let y = x;
    let upstreamWeights = false; // no trainable weight before this layer → no input gradient needed
    this.stack.forEach((layer, i) => {
      const isLast = i === this.stack.length - 1;
      const skipActivation = isLast && fused !== undefined;
      y = layer.call(y, { training, skipActivation, inputGradient: upstreamWeights });
      if (layer.activityRegularizer !== undefined) {
        const activated = skipActivation ? (fused === 'softmax' ? tf.softmax(y) : tf.sigmoid(y)) : y;
        penalties.push(layer.activityRegularizer.apply(activated));
      }
      upstreamWeights ||= layer.weights.length > 0;
    });
    const activityPenalty = penalties.length === 0 ? undefined : penalties.length === 1 ? penalties[0] : (tf.addN(penalties) as tf.Scalar);
    return { output: y, isLogits: fused !== undefined, activityPenalty };
  }

  /** Total weight-regularization penalty as a tensor (0 when no layer has a regularizer). */
  penaltyTensor(): tf.Scalar {
    const terms = this.stack.flatMap((layer) => {
      const p = layer.weightPenalty();
      return p === undefined ? [] : [p];
    });
    if (terms.length === 0) return tf.scalar(0);
    return terms.length === 1 ? terms[0]! : (tf.addN(terms) as tf.Scalar);
  }

  /** Current total weight-regularization penalty (Σ over layers of l1·Σ|w| + l2·Σw²). */
  penalty(): number {
    return tf.tidy(() => this.penaltyTensor().dataSync()[0]!);
  }

  /** Trainable variables, in layer order. */
  trainableVariables(): tf.Variable[] {
    return this.stack.flatMap((l) => l.weights.map((w) => w.variable));
  }

  /** Runs the model in inference mode in batches; returns the outputs (the caller disposes them). */
  predict(x: TensorInput, options: PredictOptions = {}): tf.Tensor {
    const batchSize = checkBatchSize(options.batchSize ?? 32);
    const { tensor, owned } = toTensor('x', x);
    try {
      checkNotEmpty('x', tensor);
      checkFeatures('x', tensor, this.inputShape);
      checkFinite('x', tensor);
      return tf.tidy(() => {
        const rows = tensor.shape[0]!;
        const parts: tf.Tensor[] = [];
        for (let start = 0; start < rows; start += batchSize) {
          const size = Math.min(batchSize, rows - start);
          const batch = rows <= batchSize ? tensor : takeBatch([tensor], start, size)[0]!;
          const { output } = this.forward(batch, false);
          parts.push(output === tensor ? tf.clone(output) : output); // never hand out the input itself
        }
        return parts.length === 1 ? parts[0]! : tf.concat(parts, 0);
      });
    } finally {
      if (owned) tensor.dispose();
    }
  }

  /** Copies of the weights: kernel then bias for each layer, in layer order. */
  getWeights(): tf.Tensor[] {
    return this.trainableVariables().map((v) => v.clone());
  }

  /** Sets every weight, in getWeights' order; shapes must match. */
  setWeights(weights: tf.Tensor[]): void {
    const variables = this.trainableVariables();
    if (!Array.isArray(weights) || weights.length !== variables.length) {
      throw new ShapeError(`Invalid \`weights\` for setWeights: expected ${variables.length} tensors (kernel and bias per layer, in getWeights' order). Received: ${Array.isArray(weights) ? weights.length : describe(weights)}`);
    }
    weights.forEach((w, i) => {
      const v = variables[i]!;
      if (!tf.util.arraysEqual(w.shape, v.shape)) {
        throw new ShapeError(`Invalid \`weights[${i}]\` for setWeights: expected shape [${v.shape.join(', ')}]. Received: [${w.shape.join(', ')}]`);
      }
    });
    weights.forEach((w, i) => variables[i]!.assign(w));
  }

  countParams(): number {
    return this.stack.reduce((n, l) => n + l.countParams(), 0);
  }

  /** A Keras-like summary table (layer, output shape, params, regularizers) as a string. */
  summary(): string {
    return summarize(this.name, this.stack, this.outputShapes());
  }

  /** The layers' configs, in order. */
  getConfig(): { name: string; layers: { className: string; config: Record<string, unknown> }[] } {
    return { name: this.name, layers: this.stack.map((l) => ({ className: l.className, config: l.getConfig() })) };
  }

  /** Frees every layer's variables and the optimizer's state. */
  dispose(): void {
    for (const layer of this.stack) layer.dispose();
    this.compiledState?.optimizer.dispose();
  }
}
