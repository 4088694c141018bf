/** Dense: output = activation(x · kernel + bias), with Keras' regularizer and constraint options. */
import { tf } from '../backend/tf';
import { denseOp } from '../backend/dense-op';
import type { FusableActivation } from '../backend/dense-op';
import * as activations from '../activations';
import type { ActivationFunction, ActivationIdentifier } from '../activations';
import * as constraints from '../constraints';
import type { Constraint, ConstraintLike } from '../constraints';
import * as initializers from '../initializers';
import type { Initializer, InitializerLike } from '../initializers';
import * as regularizers from '../regularizers';
import type { Regularizer, RegularizerLike } from '../regularizers';
import { ConfigError, ShapeError, invalidArgument } from '../errors';
import { checkInputShape, checkName, readOptions } from '../options';
import { dropConnectKernel } from './drop-connect';
import { Layer } from './layer';
import type { ForwardOptions, LayerWeight } from './layer';

export interface DenseOptions {
  /** Output size; the same as the factory's first argument (lets `getConfig()` rebuild the layer). */
  units?: number;
  /** Activation applied to the output (default 'linear': none). */
  activation?: ActivationIdentifier | null;
  /** Whether to add a bias vector (default true). */
  useBias?: boolean | null;
  /** Kernel initializer (default 'GlorotUniform'). */
  kernelInitializer?: InitializerLike | null;
  /** Bias initializer (default 'Zeros'). */
  biasInitializer?: InitializerLike | null;
  /** Penalty on the kernel, e.g. `regularizers.l1(0.001)` (default none). */
  kernelRegularizer?: RegularizerLike | null;
  /** Penalty on the bias (default none). */
  biasRegularizer?: RegularizerLike | null;
  /** Penalty on the layer's output after activation, added to the loss (default none). */
  activityRegularizer?: RegularizerLike | null;
  /** Projection applied to the kernel after each update, e.g. `constraints.maxNorm(3)` (default none). */
  kernelConstraint?: ConstraintLike | null;
  /** Projection applied to the bias after each update (default none). */
  biasConstraint?: ConstraintLike | null;
  /** DropConnect rate in [0, 1): in training, drops each kernel weight with this probability per step (default 0: off). */
  dropConnect?: number | null;
  /** Feature shape of the input, without the batch dimension (first layer only), e.g. [20]. */
  inputShape?: number[] | null;
  /** Layer name (default dense, dense_1, …). */
  name?: string | null;
}

export const DENSE_OPTION_NAMES = [
  'units', 'activation', 'useBias', 'kernelInitializer', 'biasInitializer', 'kernelRegularizer', 'biasRegularizer',
  'activityRegularizer', 'kernelConstraint', 'biasConstraint', 'dropConnect', 'inputShape', 'name',
] as const satisfies readonly (keyof DenseOptions)[];

const FUSABLE = new Set<string>(['linear', 'relu', 'relu6', 'elu', 'sigmoid'] satisfies FusableActivation[]);

/** A trainable variable holding `initial`'s values; `initial` itself is released (no stray tensor). */
function ownedVariable(initial: tf.Tensor): tf.Variable {
  const variable = tf.variable(initial, true);
  initial.dispose();
  return variable;
}

/** Resolves one option, naming it in any error from the resolver. */
function option<T>(key: string, resolve: () => T): T {
  try {
    return resolve();
  } catch (error) {
    throw new ConfigError(`Invalid \`${key}\` for Dense: ${(error as Error).message}`, { cause: error });
  }
}

export class Dense extends Layer {
  readonly className = 'Dense';
  readonly units: number;
  readonly activation: ActivationIdentifier;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | undefined;
  readonly biasRegularizer: Regularizer | undefined;
  readonly kernelConstraint: Constraint | undefined;
  readonly biasConstraint: Constraint | undefined;
  readonly dropConnect: number;
  private readonly activationFn: ActivationFunction;
  private kernelVar: tf.Variable | undefined;
  private biasVar: tf.Variable | undefined;

  /** `new Dense(64, { … })`, or `new Dense({ units: 64, … })` (what getConfig() returns). */
  constructor(units: number | DenseOptions, options: DenseOptions = {}) {
    const given = typeof units === 'object' && units !== null ? units : options;
    const o = readOptions('Dense', given, DENSE_OPTION_NAMES);
    const size = typeof units === 'object' && units !== null ? o.units : units;
    if (typeof size !== 'number' || !Number.isInteger(size) || size <= 0) {
      throw invalidArgument('units', 'Dense', 'a positive integer', size);
    }
    if (o.units !== undefined && o.units !== size) throw invalidArgument('units', 'Dense', `the same value as the first argument (${size})`, o.units);
    super('Dense', checkName('Dense', o.name), checkInputShape('Dense', o.inputShape),
      option('activityRegularizer', () => regularizers.get(o.activityRegularizer)));
    this.units = size;
    this.activation = o.activation ?? 'linear';
    this.activationFn = option('activation', () => activations.get(this.activation));
    if (o.useBias !== undefined && typeof o.useBias !== 'boolean') throw invalidArgument('useBias', 'Dense', 'true or false', o.useBias);
    this.useBias = o.useBias ?? true;
    this.kernelInitializer = option('kernelInitializer', () => initializers.get(o.kernelInitializer ?? 'GlorotUniform')!);
    this.biasInitializer = option('biasInitializer', () => initializers.get(o.biasInitializer ?? 'Zeros')!);
    this.kernelRegularizer = option('kernelRegularizer', () => regularizers.get(o.kernelRegularizer));
    this.biasRegularizer = option('biasRegularizer', () => regularizers.get(o.biasRegularizer));
    this.kernelConstraint = option('kernelConstraint', () => constraints.get(o.kernelConstraint));
    this.biasConstraint = option('biasConstraint', () => constraints.get(o.biasConstraint));
    const dropConnect = o.dropConnect ?? 0;
    if (typeof dropConnect !== 'number' || !(dropConnect >= 0 && dropConnect < 1)) throw invalidArgument('dropConnect', 'Dense', 'a number in [0, 1)', dropConnect);
    this.dropConnect = dropConnect;
  }

  /** The kernel variable [inputDim, units], or undefined before the layer is built. */
  get kernel(): tf.Variable | undefined {
    return this.kernelVar;
  }

  /** The bias variable [units], or undefined before build or with useBias: false. */
  get bias(): tf.Variable | undefined {
    return this.biasVar;
  }

  override get outputActivation(): string {
    return this.activation;
  }

  override build(inputShape: number[]): void {
    const inputDim = inputShape[inputShape.length - 1];
    if (inputDim === undefined || inputShape.some((d) => !(d > 0))) {
      throw new ShapeError(`Dense '${this.name}' cannot be built: expected an input feature shape like [features]. Received: [${inputShape.join(', ')}]`);
    }
    if (inputDim * this.units > 2 ** 31 - 1) {
      throw new ShapeError(`Dense '${this.name}' cannot be built: a ${inputDim}×${this.units} kernel has more than 2^31 − 1 weights, more than a tensor can hold.`);
    }
    const random = this.stream('weights');
    this.kernelVar = ownedVariable(this.kernelInitializer.call([inputDim, this.units], random));
    if (this.useBias) this.biasVar = ownedVariable(this.biasInitializer.call([this.units], random));
    this.built = true;
  }

  override get weights(): LayerWeight[] {
    const out: LayerWeight[] = [];
    if (this.kernelVar) out.push({ name: 'kernel', variable: this.kernelVar, regularizer: this.kernelRegularizer, constraint: this.kernelConstraint, trainable: true });
    if (this.biasVar) out.push({ name: 'bias', variable: this.biasVar, regularizer: this.biasRegularizer, constraint: this.biasConstraint, trainable: true });
    return out;
  }

  computeOutputShape(inputShape: number[]): number[] {
    return [...inputShape.slice(0, -1), this.units];
  }

  call(x: tf.Tensor, options: ForwardOptions): tf.Tensor {
    return this.forward(x, options, this.activation);
  }

  override callPreActivation(x: tf.Tensor, options: ForwardOptions): tf.Tensor {
    return this.forward(x, options, 'linear');
  }

  private forward(x: tf.Tensor, options: ForwardOptions, activation: ActivationIdentifier): tf.Tensor {
    const kernel = (options.training && this.dropConnect > 0
      ? dropConnectKernel(this.kernelVar!, this.dropConnect, this.stream('drop_connect'))
      : this.kernelVar) as tf.Tensor2D;
    const inputDim = kernel.shape[0];
    if (x.shape[x.rank - 1] !== inputDim) {
      throw new ShapeError(`Dense '${this.name}' expects inputs with ${inputDim} features (last axis). Received shape [${x.shape.join(', ')}]`);
    }
    const flat = x.rank === 2 ? (x as tf.Tensor2D) : (tf.reshape(x, [-1, inputDim]) as tf.Tensor2D); // [batch, in]
    const fused = FUSABLE.has(activation);
    let y: tf.Tensor = denseOp(flat, kernel, this.biasVar as tf.Tensor1D | undefined, {
      activation: fused ? (activation as FusableActivation) : 'linear',
      inputGradient: options.inputGradient ?? true,
      training: options.training ?? false,
    }); // [batch, units]
    if (!fused) y = activation === this.activation ? this.activationFn(y) : activations.get(activation)(y);
    return x.rank === 2 ? y : tf.reshape(y, [...x.shape.slice(0, -1), this.units]);
  }

  getConfig(): Record<string, unknown> {
    const serialized = (object: { serialize(): unknown } | undefined) => (object === undefined ? null : object.serialize());
    return {
      name: this.name,
      units: this.units,
      activation: this.activation,
      useBias: this.useBias,
      kernelInitializer: this.kernelInitializer.serialize(),
      biasInitializer: this.biasInitializer.serialize(),
      kernelRegularizer: serialized(this.kernelRegularizer),
      biasRegularizer: serialized(this.biasRegularizer),
      activityRegularizer: serialized(this.activityRegularizer),
      kernelConstraint: serialized(this.kernelConstraint),
      biasConstraint: serialized(this.biasConstraint),
      ...(this.dropConnect > 0 ? { dropConnect: this.dropConnect } : {}),
      ...(this.inputShape ? { inputShape: [...this.inputShape] } : {}),
    };
  }
}
