/**
 * BatchNormalization (Keras 3 `layers.BatchNormalization`). Training: normalizes with the batch's
 * mean and (biased) variance over every axis but `axis`, then scales by gamma and shifts by beta,
 * and moves the running statistics: moving = moving·momentum + batch·(1 − momentum). Inference:
 * normalizes with the moving statistics. Weights in Keras' order: gamma, beta, moving_mean,
 * moving_variance (the last two not trainable).
 */
import { tf } from '../backend/tf';
import * as constraints from '../constraints';
import type { Constraint, ConstraintLike } from '../constraints';
import * as initializers from '../initializers';
import type { Initializer, InitializerLike } from '../initializers';
import * as regularizers from '../regularizers';
import type { Regularizer, RegularizerLike } from '../regularizers';
import { ShapeError, invalidArgument } from '../errors';
import { checkInputShape, checkName, readOptions } from '../options';
import { checkBoolean, ownedVariable, resolveOption } from './args';
import { Layer } from './layer';
import type { ForwardOptions, LayerWeight } from './layer';

export interface BatchNormalizationOptions {
  /** The features axis, counting the batch axis as 0 (default -1: the last). */
  axis?: number | null;
  /** Weight of the old value in the moving statistics' update (default 0.99). */
  momentum?: number | null;
  /** Added to the variance before the square root (default 1e-3). */
  epsilon?: number | null;
  /** Whether to add the learned offset beta (default true). */
  center?: boolean | null;
  /** Whether to multiply by the learned scale gamma (default true). */
  scale?: boolean | null;
  /** Initializer of beta (default 'Zeros'). */
  betaInitializer?: InitializerLike | null;
  /** Initializer of gamma (default 'Ones'). */
  gammaInitializer?: InitializerLike | null;
  /** Initializer of the moving mean (default 'Zeros'). */
  movingMeanInitializer?: InitializerLike | null;
  /** Initializer of the moving variance (default 'Ones'). */
  movingVarianceInitializer?: InitializerLike | null;
  /** Penalty on beta (default none). */
  betaRegularizer?: RegularizerLike | null;
  /** Penalty on gamma (default none). */
  gammaRegularizer?: RegularizerLike | null;
  /** Projection applied to beta after each update (default none). */
  betaConstraint?: ConstraintLike | null;
  /** Projection applied to gamma after each update (default none). */
  gammaConstraint?: ConstraintLike | null;
  /** Feature shape of the input, without the batch dimension (first layer only). */
  inputShape?: number[] | null;
  /** Layer name (default batch_normalization, …). */
  name?: string | null;
}

export const BATCH_NORMALIZATION_OPTION_NAMES = [
  'axis', 'momentum', 'epsilon', 'center', 'scale', 'betaInitializer', 'gammaInitializer', 'movingMeanInitializer',
  'movingVarianceInitializer', 'betaRegularizer', 'gammaRegularizer', 'betaConstraint', 'gammaConstraint', 'inputShape', 'name',
] as const satisfies readonly (keyof BatchNormalizationOptions)[];

const OWNER = 'BatchNormalization';

/** Gamma and beta of a [dim] parameter vector reshaped to broadcast against x along `axis`. */
function broadcastable(t: tf.Tensor, rank: number, axis: number): tf.Tensor {
  if (axis === rank - 1) return t;
  return tf.reshape(t, Array.from({ length: rank }, (_, i) => (i === axis ? t.size : 1)));
}

export class BatchNormalization extends Layer {
  readonly className = 'BatchNormalization';
  readonly axis: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly betaInitializer: Initializer;
  readonly gammaInitializer: Initializer;
  readonly movingMeanInitializer: Initializer;
  readonly movingVarianceInitializer: Initializer;
  readonly betaRegularizer: Regularizer | undefined;
  readonly gammaRegularizer: Regularizer | undefined;
  readonly betaConstraint: Constraint | undefined;
  readonly gammaConstraint: Constraint | undefined;
  private gamma: tf.Variable | undefined;
  private beta: tf.Variable | undefined;
  private movingMean: tf.Variable | undefined;
  private movingVariance: tf.Variable | undefined;
  /** `axis` counted from the batch axis, once the input rank is known. */
  private resolvedAxis = -1;
  /** Input rank with the batch axis, fixed at build. */
  private builtRank = 0;

  constructor(options: BatchNormalizationOptions = {}) {
    const o = readOptions(OWNER, options, BATCH_NORMALIZATION_OPTION_NAMES);
    super(OWNER, checkName(OWNER, o.name), checkInputShape(OWNER, o.inputShape));
    const axis = o.axis ?? -1;
    if (!Number.isInteger(axis) || axis === 0) throw invalidArgument('axis', OWNER, 'a non-zero integer (the batch axis 0 cannot be normalized over)', axis);
    this.axis = axis;
    const momentum = o.momentum ?? 0.99;
    if (typeof momentum !== 'number' || !(momentum >= 0 && momentum <= 1)) throw invalidArgument('momentum', OWNER, 'a number in [0, 1]', momentum);
    this.momentum = momentum;
    const epsilon = o.epsilon ?? 1e-3;
    if (typeof epsilon !== 'number' || !(epsilon > 0) || !Number.isFinite(epsilon)) throw invalidArgument('epsilon', OWNER, 'a positive finite number', epsilon);
    this.epsilon = epsilon;
    this.center = checkBoolean(OWNER, 'center', o.center, true);
    this.scale = checkBoolean(OWNER, 'scale', o.scale, true);
    this.betaInitializer = resolveOption(OWNER, 'betaInitializer', () => initializers.get(o.betaInitializer ?? 'Zeros')!);
    this.gammaInitializer = resolveOption(OWNER, 'gammaInitializer', () => initializers.get(o.gammaInitializer ?? 'Ones')!);
    this.movingMeanInitializer = resolveOption(OWNER, 'movingMeanInitializer', () => initializers.get(o.movingMeanInitializer ?? 'Zeros')!);
    this.movingVarianceInitializer = resolveOption(OWNER, 'movingVarianceInitializer', () => initializers.get(o.movingVarianceInitializer ?? 'Ones')!);
    this.betaRegularizer = resolveOption(OWNER, 'betaRegularizer', () => regularizers.get(o.betaRegularizer));
    this.gammaRegularizer = resolveOption(OWNER, 'gammaRegularizer', () => regularizers.get(o.gammaRegularizer));
    this.betaConstraint = resolveOption(OWNER, 'betaConstraint', () => constraints.get(o.betaConstraint));
    this.gammaConstraint = resolveOption(OWNER, 'gammaConstraint', () => constraints.get(o.gammaConstraint));
  }

  override build(inputShape: number[]): void {
    const rank = inputShape.length + 1; // with the batch axis
    const axis = this.axis < 0 ? this.axis + rank : this.axis;
    const dim = inputShape[axis - 1];
    if (axis < 1 || dim === undefined) {
      throw new ShapeError(`BatchNormalization '${this.name}' cannot be built: axis ${this.axis} is outside inputs of rank ${rank} ([batch, ${inputShape.join(', ')}]).`);
    }
    this.resolvedAxis = axis;
    this.builtRank = rank;
    const random = this.stream('weights');
    if (this.scale) this.gamma = ownedVariable(this.gammaInitializer.call([dim], random), true);
    if (this.center) this.beta = ownedVariable(this.betaInitializer.call([dim], random), true);
    this.movingMean = ownedVariable(this.movingMeanInitializer.call([dim], random), false);
    this.movingVariance = ownedVariable(this.movingVarianceInitializer.call([dim], random), false);
    this.built = true;
  }

  override get weights(): LayerWeight[] {
    const out: LayerWeight[] = [];
    if (this.gamma) out.push({ name: 'gamma', variable: this.gamma, regularizer: this.gammaRegularizer, constraint: this.gammaConstraint, trainable: true });
    if (this.beta) out.push({ name: 'beta', variable: this.beta, regularizer: this.betaRegularizer, constraint: this.betaConstraint, trainable: true });
    if (this.movingMean) out.push({ name: 'moving_mean', variable: this.movingMean, regularizer: undefined, constraint: undefined, trainable: false });
    if (this.movingVariance) out.push({ name: 'moving_variance', variable: this.movingVariance, regularizer: undefined, constraint: undefined, trainable: false });
    return out;
  }

  computeOutputShape(inputShape: number[]): number[] {
    return [...inputShape];
  }

  call(x: tf.Tensor, options: ForwardOptions): tf.Tensor {
    const axis = this.resolvedAxis;
    if (x.rank !== this.builtRank || x.shape[axis] !== this.movingMean!.size) {
      throw new ShapeError(`BatchNormalization '${this.name}' expects inputs with ${this.movingMean!.size} features on axis ${axis}. Received shape [${x.shape.join(', ')}]`);
    }
    let mean: tf.Tensor = this.movingMean!;
    let variance: tf.Tensor = this.movingVariance!;
    if (options.training) {
      const reduction = Array.from({ length: x.rank }, (_, i) => i).filter((i) => i !== axis);
      ({ mean, variance } = tf.moments(x, reduction)); // [dim] each, biased variance as Keras
      this.updateMovingStatistics(mean, variance);
    }
    const rank = x.rank;
    let inv = tf.rsqrt(tf.add(variance, this.epsilon)); // [dim]
    if (this.gamma) inv = tf.mul(inv, this.gamma);
    let y = tf.mul(tf.sub(x, broadcastable(mean, rank, axis)), broadcastable(inv, rank, axis));
    if (this.beta) y = tf.add(y, broadcastable(this.beta, rank, axis));
    return y;
  }

  /** moving ← moving·momentum + batch·(1 − momentum); an assignment, not part of the gradient. */
  private updateMovingStatistics(mean: tf.Tensor, variance: tf.Tensor): void {
    const m = this.momentum;
    tf.tidy(() => {
      this.movingMean!.assign(tf.add(tf.mul(this.movingMean!, m), tf.mul(mean, 1 - m)));
      this.movingVariance!.assign(tf.add(tf.mul(this.movingVariance!, m), tf.mul(variance, 1 - m)));
    });
  }

  getConfig(): Record<string, unknown> {
    const serialized = (object: { serialize(): unknown } | undefined) => (object === undefined ? null : object.serialize());
    return {
      name: this.name,
      axis: this.axis,
      momentum: this.momentum,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      betaInitializer: this.betaInitializer.serialize(),
      gammaInitializer: this.gammaInitializer.serialize(),
      movingMeanInitializer: this.movingMeanInitializer.serialize(),
      movingVarianceInitializer: this.movingVarianceInitializer.serialize(),
      betaRegularizer: serialized(this.betaRegularizer),
      gammaRegularizer: serialized(this.gammaRegularizer),
      betaConstraint: serialized(this.betaConstraint),
      gammaConstraint: serialized(this.gammaConstraint),
      ...(this.inputShape ? { inputShape: [...this.inputShape] } : {}),
    };
  }
}
