/**
 * LayerNormalization (Keras 3 `layers.LayerNormalization`): normalizes each sample over `axis`
 * (default the last) with its own mean and (biased) variance, then scales by gamma and shifts by
 * beta (shaped like the normalized axes). The same computation in training and inference.
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

export interface LayerNormalizationOptions {
  /** The axis or axes to normalize over, counting the batch axis as 0 (default -1: the last). */
  axis?: number | number[] | null;
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
  /** Layer name (default layer_normalization, …). */
  name?: string | null;
}

export const LAYER_NORMALIZATION_OPTION_NAMES = [
  'axis', 'epsilon', 'center', 'scale', 'betaInitializer', 'gammaInitializer', 'betaRegularizer', 'gammaRegularizer',
  'betaConstraint', 'gammaConstraint', 'inputShape', 'name',
] as const satisfies readonly (keyof LayerNormalizationOptions)[];

const OWNER = 'LayerNormalization';

export class LayerNormalization extends Layer {
  readonly className = 'LayerNormalization';
  readonly axis: number | number[];
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly betaInitializer: Initializer;
  readonly gammaInitializer: Initializer;
  readonly betaRegularizer: Regularizer | undefined;
  readonly gammaRegularizer: Regularizer | undefined;
  readonly betaConstraint: Constraint | undefined;
  readonly gammaConstraint: Constraint | undefined;
  private gamma: tf.Variable | undefined;
  private beta: tf.Variable | undefined;
  /** The normalized axes counted from the batch axis, sorted, and the parameters' broadcast shape. */
  private axes: number[] = [];
  private paramShape: number[] = [];
  private builtShape: number[] = [];

  constructor(options: LayerNormalizationOptions = {}) {
    const o = readOptions(OWNER, options, LAYER_NORMALIZATION_OPTION_NAMES);
    super(OWNER, checkName(OWNER, o.name), checkInputShape(OWNER, o.inputShape));
    const axis = o.axis ?? -1;
    const list = Array.isArray(axis) ? axis : [axis];
    if (list.length === 0 || !list.every((a) => Number.isInteger(a) && a !== 0)) {
      throw invalidArgument('axis', OWNER, 'a non-zero integer or a non-empty array of them (the batch axis 0 cannot be normalized over)', axis);
    }
    this.axis = Array.isArray(axis) ? [...axis] : axis;
    const epsilon = o.epsilon ?? 1e-3;
    if (typeof epsilon !== 'number' || !(epsilon > 0) || !Number.isFinite(epsilon)) throw invalidArgument('epsilon', OWNER, 'a positive finite number', epsilon);
    this.epsilon = epsilon;
    this.center = checkBoolean(OWNER, 'center', o.center, true);
    this.scale = checkBoolean(OWNER, 'scale', o.scale, true);
    this.betaInitializer = resolveOption(OWNER, 'betaInitializer', () => initializers.get(o.betaInitializer ?? 'Zeros')!);
    this.gammaInitializer = resolveOption(OWNER, 'gammaInitializer', () => initializers.get(o.gammaInitializer ?? 'Ones')!);
    this.betaRegularizer = resolveOption(OWNER, 'betaRegularizer', () => regularizers.get(o.betaRegularizer));
    this.gammaRegularizer = resolveOption(OWNER, 'gammaRegularizer', () => regularizers.get(o.gammaRegularizer));
    this.betaConstraint = resolveOption(OWNER, 'betaConstraint', () => constraints.get(o.betaConstraint));
    this.gammaConstraint = resolveOption(OWNER, 'gammaConstraint', () => constraints.get(o.gammaConstraint));
  }

  override build(inputShape: number[]): void {
    const rank = inputShape.length + 1;
    const axes = [...new Set((Array.isArray(this.axis) ? this.axis : [this.axis]).map((a) => (a < 0 ? a + rank : a)))].sort((a, b) => a - b);
    if (axes.some((a) => a < 1 || a >= rank)) {
      throw new ShapeError(`LayerNormalization '${this.name}' cannot be built: axis ${JSON.stringify(this.axis)} is outside inputs of rank ${rank} ([batch, ${inputShape.join(', ')}]).`);
    }
    this.axes = axes;
    this.builtShape = [...inputShape];
    const weightShape = axes.map((a) => inputShape[a - 1]!);
    this.paramShape = Array.from({ length: rank }, (_, i) => (axes.includes(i) ? inputShape[i - 1]! : 1));
    const random = this.stream('weights');
    if (this.scale) this.gamma = ownedVariable(this.gammaInitializer.call(weightShape, random), true);
    if (this.center) this.beta = ownedVariable(this.betaInitializer.call(weightShape, random), true);
    this.built = true;
  }

  override get weights(): LayerWeight[] {
    const out: LayerWeight[] = [];
    if (this.gamma) out.push({ name: 'gamma', variable: this.gamma, regularizer: this.gammaRegularizer, constraint: this.gammaConstraint, trainable: true });
    if (this.beta) out.push({ name: 'beta', variable: this.beta, regularizer: this.betaRegularizer, constraint: this.betaConstraint, trainable: true });
    return out;
  }

  computeOutputShape(inputShape: number[]): number[] {
    return [...inputShape];
  }

  call(x: tf.Tensor, options: ForwardOptions): tf.Tensor {
    void options;
    if (!tf.util.arraysEqual(x.shape.slice(1), this.builtShape)) {
      throw new ShapeError(`LayerNormalization '${this.name}' expects inputs of feature shape [${this.builtShape.join(', ')}]. Received shape [${x.shape.join(', ')}]`);
    }
    const { mean, variance } = tf.moments(x, this.axes, true); // per sample, kept dims for broadcasting
    let y = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, this.epsilon)));
    if (this.gamma) y = tf.mul(y, tf.reshape(this.gamma, this.paramShape));
    if (this.beta) y = tf.add(y, tf.reshape(this.beta, this.paramShape));
    return y;
  }

  getConfig(): Record<string, unknown> {
    const serialized = (object: { serialize(): unknown } | undefined) => (object === undefined ? null : object.serialize());
    return {
      name: this.name,
      axis: Array.isArray(this.axis) ? [...this.axis] : this.axis,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      betaInitializer: this.betaInitializer.serialize(),
      gammaInitializer: this.gammaInitializer.serialize(),
      betaRegularizer: serialized(this.betaRegularizer),
      gammaRegularizer: serialized(this.gammaRegularizer),
      betaConstraint: serialized(this.betaConstraint),
      gammaConstraint: serialized(this.gammaConstraint),
      ...(this.inputShape ? { inputShape: [...this.inputShape] } : {}),
    };
  }
}
