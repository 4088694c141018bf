/** Dense: output = activation(x · kernel + bias), with Keras' regularizer and constraint options. */
import { tf } from '../backend/tf';
import { denseOp } from '../backend/dense-op';
import type { FusableActivation } from '../backend/dense-op';
import { nextGenerator } from '../backend/random';
import * as constraints from '../constraints';
import type { Constraint, ConstraintLike } from '../constraints';
import * as initializers from '../initializers';
import type { Initializer, InitializerLike } from '../initializers';
import * as regularizers from '../regularizers';
import type { Regularizer, RegularizerLike } from '../regularizers';
import { ConfigError, ShapeError, invalidArgument } from '../errors';
import { getActivation } from '../activations';
import type { ActivationFunction, ActivationIdentifier } from '../activations';
import { Layer } from './layer';
import type { LayerWeight, ModelCallOptions } from './layer';
import { checkInputShape, checkName, checkOptionNames } from '../options';

export interface DenseOptions {
  /** Activation applied to the output (default 'linear': none). */
  activation?: ActivationIdentifier;
  /** Whether to add a bias vector (default true). */
  useBias?: boolean;
  /** Kernel initializer (default 'glorotUniform'). */
  kernelInitializer?: InitializerLike;
  /** Bias initializer (default 'zeros'). */
  biasInitializer?: InitializerLike;
  /** Penalty on the kernel, e.g. `regularizers.l1(0.001)` (default none). */
  kernelRegularizer?: RegularizerLike;
  /** Penalty on the bias (default none). */
  biasRegularizer?: RegularizerLike;
  /** Penalty on the layer's output after activation, added to the loss (default none). */
  activityRegularizer?: RegularizerLike;
  /** Projection applied to the kernel after each update, e.g. `constraints.maxNorm(3)` (default none). */
  kernelConstraint?: ConstraintLike;
  /** Projection applied to the bias after each update (default none). */
  biasConstraint?: ConstraintLike;
  /** Feature shape of the input, without the batch dimension (first layer only), e.g. [20]. */
  inputShape?: number[];
  /** Layer name (default dense, dense_1, …). */
  name?: string;
}

const OPTION_NAMES: readonly (keyof DenseOptions)[] = [
  'activation', 'useBias', 'kernelInitializer', 'biasInitializer', 'kernelRegularizer', 'biasRegularizer',
  'activityRegularizer', 'kernelConstraint', 'biasConstraint', 'inputShape', 'name',
];

const FUSABLE = new Set<string>(['linear', 'relu', 'relu6', 'elu', 'sigmoid'] satisfies FusableActivation[]);

/** Kept as given, so getConfig can hand back what the user wrote (serialized where possible). */
function configOf(value: RegularizerLike | InitializerLike | ConstraintLike | undefined): unknown {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && 'serialize' in value && typeof value.serialize === 'function') return value.serialize();
  return value;
}

/** A trainable variable holding `initial`'s values; `initial` itself is released (no stray tensor). */
function ownedVariable(initial: tf.Tensor): tf.Variable {
  const variable = tf.variable(initial, true);
  initial.dispose();
  return variable;
}

export class Dense extends Layer {
  readonly className = 'Dense';
  readonly units: number;
  readonly activation: ActivationIdentifier;
  readonly useBias: boolean;
  readonly kernelRegularizer: Regularizer | undefined;
  readonly biasRegularizer: Regularizer | undefined;
  readonly kernelConstraint: Constraint | undefined;
  readonly biasConstraint: Constraint | undefined;
  private readonly activationFn: ActivationFunction;
  private readonly kernelInitializer: Initializer;
  private readonly biasInitializer: Initializer;
  private readonly options: DenseOptions;
  private kernelVar: tf.Variable | undefined;
  private biasVar: tf.Variable | undefined;

  constructor(units: number, options: DenseOptions = {}) {
    checkOptionNames('Dense', options, OPTION_NAMES);
    if (typeof units !== 'number' || !Number.isInteger(units) || units <= 0) {
      throw invalidArgument('units', 'Dense', 'a positive integer', units);
    }
    // Resolve each option, naming the option in any error from the resolver.
    const opt = <T>(key: keyof DenseOptions, get: () => T): T => {
      try {
        return get();
      } catch (error) {
        throw new ConfigError(`Invalid \`${key}\` for Dense: ${(error as Error).message}`, { cause: error });
      }
    };
    super('dense', checkName('Dense', options.name), checkInputShape('Dense', options.inputShape),
      options.activityRegularizer === undefined ? undefined : opt('activityRegularizer', () => regularizers.get(options.activityRegularizer!)));
    this.units = units;
    this.activation = options.activation ?? 'linear';
    this.activationFn = opt('activation', () => getActivation(this.activation));
    if (options.useBias !== undefined && typeof options.useBias !== 'boolean') {
      throw invalidArgument('useBias', 'Dense', 'true or false', options.useBias);
    }
    this.useBias = options.useBias ?? true;
    this.kernelInitializer = opt('kernelInitializer', () => initializers.get(options.kernelInitializer ?? 'glorotUniform'));
    this.biasInitializer = opt('biasInitializer', () => initializers.get(options.biasInitializer ?? 'zeros'));
    const reg = (key: 'kernelRegularizer' | 'biasRegularizer') =>
      options[key] === undefined ? undefined : opt(key, () => regularizers.get(options[key]!));
    this.kernelRegularizer = reg('kernelRegularizer');
    this.biasRegularizer = reg('biasRegularizer');
    const con = (key: 'kernelConstraint' | 'biasConstraint') =>
      options[key] === undefined ? undefined : opt(key, () => constraints.get(options[key]!));
    this.kernelConstraint = con('kernelConstraint');
    this.biasConstraint = con('biasConstraint');
    this.options = { ...options };
  }

  /** The kernel variable [inputDim, units], or undefined before the layer is built. */
  get kernel(): tf.Variable | undefined {
    return this.kernelVar;
  }

  /** The bias variable [units], or undefined before build or with useBias: false. */
  get bias(): tf.Variable | undefined {
    return this.biasVar;
  }

  override build(inputShape: number[]): void {
    const inputDim = inputShape[inputShape.length - 1];
    if (inputDim === undefined || inputShape.some((d) => !(d > 0))) {
      throw new ShapeError(`Dense '${this.name}' cannot be built: expected an input feature shape like [features]. Received: [${inputShape.join(', ')}]`);
    }
    const random = nextGenerator();
    this.kernelVar = ownedVariable(this.kernelInitializer([inputDim, this.units], random));
    if (this.useBias) this.biasVar = ownedVariable(this.biasInitializer([this.units], random));
    this.built = true;
  }

  override get weights(): LayerWeight[] {
    const out: LayerWeight[] = [];
    if (this.kernelVar) out.push({ name: 'kernel', variable: this.kernelVar, regularizer: this.kernelRegularizer, constraint: this.kernelConstraint });
    if (this.biasVar) out.push({ name: 'bias', variable: this.biasVar, regularizer: this.biasRegularizer, constraint: this.biasConstraint });
    return out;
  }

  computeOutputShape(inputShape: number[]): number[] {
    return [...inputShape.slice(0, -1), this.units];
  }

  call(x: tf.Tensor, options: ModelCallOptions): tf.Tensor {
    const kernel = this.kernelVar as tf.Tensor2D;
    const inputDim = kernel.shape[0];
    if (x.shape[x.rank - 1] !== inputDim) {
      throw new ShapeError(`Dense '${this.name}' expects inputs with ${inputDim} features (last axis). Received shape [${x.shape.join(', ')}]`);
    }
    const flat = x.rank === 2 ? (x as tf.Tensor2D) : tf.reshape(x, [-1, inputDim]) as tf.Tensor2D; // [batch, in]
    const activation = options.skipActivation ? 'linear' : this.activation;
    const fused = FUSABLE.has(activation);
    let y: tf.Tensor = denseOp(flat, kernel, this.biasVar as tf.Tensor1D | undefined, {
      activation: fused ? (activation as FusableActivation) : 'linear',
      inputGradient: options.inputGradient ?? true,
    }); // [batch, units]
    if (!fused) y = this.activationFn(y);
    return x.rank === 2 ? y : tf.reshape(y, [...x.shape.slice(0, -1), this.units]);
  }

  getConfig(): Record<string, unknown> {
    const o = this.options;
    const config: Record<string, unknown> = {
      name: this.name,
      units: this.units,
      activation: this.activation,
      useBias: this.useBias,
      kernelInitializer: o.kernelInitializer ?? 'glorotUniform',
      biasInitializer: o.biasInitializer ?? 'zeros',
    };
    for (const key of ['kernelRegularizer', 'biasRegularizer', 'activityRegularizer', 'kernelConstraint', 'biasConstraint'] as const) {
      if (o[key] !== undefined) config[key] = configOf(o[key]);
    }
    if (this.inputShape) config['inputShape'] = [...this.inputShape];
    return config;
  }
}
