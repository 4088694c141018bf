/**
 * Adam and AdamW as tf.Optimizers whose update is one kernel per variable ('KerasTsAdamUpdate', see
 * adam-kernel.ts) on wasm and cpu, with Keras 3's math; on other backends the same math in tf ops.
 * Drop-in for a training loop that calls `applyGradients` (keras-ts' fit, `optimizer.minimize`).
 */
import { tf } from './tf';
import { invalidArgument } from '../errors';
import { ADAM_UPDATE, registerAdamKernel } from './adam-kernel';
import { ownsBuffer } from './kernel-buffers';
import type { AdamUpdateAttrs } from './adam-kernel';

/** tfjs' { name, tensor } pair (not re-exported by @tensorflow/tfjs). */
interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}

export interface FusedAdamOptions {
  /** Step size (default 0.001, as in Keras). */
  learningRate?: number;
  /** Decay of the first-moment average (default 0.9). */
  beta1?: number;
  /** Decay of the second-moment average (default 0.999). */
  beta2?: number;
  /** Keras' epsilon hat, added to √v (default 1e-7, Keras' default; tfjs' is 1e-8 on cpu/wasm). */
  epsilon?: number;
  /** Decoupled weight decay, w ← w − lr·wd·w before each step (default 0; AdamW: 0.004). */
  weightDecay?: number;
  /**
   * Where epsilon goes (default 'keras'): Keras adds it to √v and scales the step by
   * lr·√(1−β2^t)/(1−β1^t); tfjs' AdamOptimizer adds it to √v̂ (bias-corrected), which equals Keras'
   * form with epsilon·√(1−β2^t). 'tfjs' reproduces tf.train.adam to float rounding.
   */
  epsilonPlacement?: 'keras' | 'tfjs';
}

interface Slot {
  /** `<variable>/m` and `<variable>/v`, the names tfjs' AdamOptimizer gives them in getWeights. */
  name: string;
  m: tf.Variable;
  v: tf.Variable;
}

function check(value: number, name: string, owner: string, ok: (x: number) => boolean, expected: string): number {
  if (typeof value !== 'number' || !ok(value)) throw invalidArgument(name, owner, expected, value);
  return value;
}

/** Adam with Keras 3's update, one fused kernel per variable and step. */
export class FusedAdam extends tf.Optimizer {
  static get className(): string {
    return 'KerasTsFusedAdam';
  }

  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly weightDecay: number;
  readonly epsilonPlacement: 'keras' | 'tfjs';
  private readonly slots = new Map<string, Slot>();

  constructor(options: FusedAdamOptions = {}, owner = 'FusedAdam') {
    super();
    const finite = (x: number): boolean => Number.isFinite(x);
    this.learningRate = check(options.learningRate ?? 0.001, 'learningRate', owner, (x) => finite(x) && x > 0, 'a positive finite number');
    this.beta1 = check(options.beta1 ?? 0.9, 'beta1', owner, (x) => x >= 0 && x < 1, 'a number in [0, 1)');
    this.beta2 = check(options.beta2 ?? 0.999, 'beta2', owner, (x) => x >= 0 && x < 1, 'a number in [0, 1)');
    this.epsilon = check(options.epsilon ?? 1e-7, 'epsilon', owner, (x) => finite(x) && x > 0, 'a positive finite number');
    this.weightDecay = check(options.weightDecay ?? 0, 'weightDecay', owner, (x) => finite(x) && x >= 0, 'a finite number >= 0');
    const placement = options.epsilonPlacement ?? 'keras';
    if (placement !== 'keras' && placement !== 'tfjs') throw invalidArgument('epsilonPlacement', owner, "'keras' or 'tfjs'", placement);
    this.epsilonPlacement = placement;
    registerAdamKernel();
  }

  private slot(name: string, variable: tf.Variable): Slot {
    let slot = this.slots.get(name);
    if (slot === undefined) {
      slot = tf.tidy(() => ({ name, m: tf.zerosLike(variable).variable(false), v: tf.zerosLike(variable).variable(false) }));
      this.slots.set(name, slot);
    }
    return slot;
  }

  /**
   * Adam's per-weight step size for a unit gradient after the last step, 1/(√v̂ + ε) with
   * v̂ = v/(1 − β₂ᵗ): proximal regularizers scale their threshold by it, so a proximal L1 acts at
   * the strength plain L1 has under Adam. Undefined for a variable Adam has not updated yet.
   */
  stepScale(variable: tf.Variable): tf.Tensor | undefined {
    const slot = this.slots.get(variable.name);
    const t = this.iterations;
    if (slot === undefined || t < 1) return undefined;
    const correction2 = 1 - this.beta2 ** t;
    return tf.tidy(() => tf.div(1, tf.add(tf.sqrt(tf.div(slot.v, correction2)), this.epsilon)));
  }

  /** The step's attributes: t = iterations + 1 (Keras' local_step). */
  private attrs(): AdamUpdateAttrs {
    const t = this.iterations + 1;
    const correction2 = Math.sqrt(1 - this.beta2 ** t);
    const alpha = (this.learningRate * correction2) / (1 - this.beta1 ** t);
    const epsilon = this.epsilonPlacement === 'keras' ? this.epsilon : this.epsilon * correction2;
    return { alpha, beta1: this.beta1, beta2: this.beta2, epsilon, weightDecay: this.weightDecay, learningRate: this.learningRate };
  }

  override applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    const entries: [string, tf.Tensor][] = Array.isArray(variableGradients)
      ? variableGradients.map((g) => [g.name, g.tensor])
      : Object.entries(variableGradients);
    const attrs = this.attrs();
    const fused = tf.getKernel(ADAM_UPDATE, tf.getBackend()) !== undefined;
    for (const [name, gradient] of entries) {
      const variable = tf.engine().registeredVariables[name];
      if (variable === undefined || gradient == null) continue;
      const { m, v } = this.slot(name, variable);
      if (fused && gradient.dtype === 'float32' && variable.dtype === 'float32') {
        // m and v are written in place: copy one first if a tensor outside (from getWeights) shares it.
        for (const state of [m, v]) if (!ownsBuffer(state)) tf.tidy(() => state.assign(tf.add(state, 0)));
        tf.tidy(() => variable.assign(tf.engine().runKernel(ADAM_UPDATE, { variable, gradient, m, v }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor));
      } else {
        this.updateWithOps(variable, gradient, m, v, attrs);
      }
    }
    this.incrementIterations();
  }

  /** The same math in tf ops, for backends without the kernel (each op rounds to float32). */
  private updateWithOps(w: tf.Variable, g: tf.Tensor, m: tf.Variable, v: tf.Variable, a: AdamUpdateAttrs): void {
    tf.tidy(() => {
      if (a.weightDecay !== 0) w.assign(tf.sub(w, tf.mul(tf.mul(w, a.weightDecay), a.learningRate)));
      m.assign(tf.add(m, tf.mul(tf.sub(g, m), 1 - a.beta1)));
      v.assign(tf.add(v, tf.mul(tf.sub(tf.square(g), v), 1 - a.beta2)));
      w.assign(tf.sub(w, tf.div(tf.mul(m, a.alpha), tf.add(tf.sqrt(v), a.epsilon))));
    });
  }

  override dispose(): void {
    for (const { m, v } of this.slots.values()) tf.dispose([m, v]);
    this.slots.clear();
    super.dispose();
  }

  /** [iterations, every m, every v], named `<variable>/m`, `<variable>/v` as tfjs' AdamOptimizer names them. */
  override async getWeights(): Promise<NamedTensor[]> {
    const slots = [...this.slots.values()];
    return [
      await this.saveIterations(),
      ...slots.map(({ name, m }) => ({ name: `${name}/m`, tensor: m })),
      ...slots.map(({ name, v }) => ({ name: `${name}/v`, tensor: v })),
    ];
  }

  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const values = await this.extractIterations(weightValues);
    const half = values.length / 2;
    tf.tidy(() => {
      for (let i = 0; i < half; i++) {
        const name = values[i]!.name.replace(/\/m$/, '');
        const old = this.slots.get(name);
        if (old !== undefined) tf.dispose([old.m, old.v]);
        this.slots.set(name, { name, m: values[i]!.tensor.clone().variable(false), v: values[i + half]!.tensor.clone().variable(false) });
      }
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, weightDecay: this.weightDecay, epsilonPlacement: this.epsilonPlacement };
  }
}

/** AdamW: FusedAdam with decoupled weight decay (default 0.004, as in Keras). */
export class FusedAdamW extends FusedAdam {
  static override get className(): string {
    return 'KerasTsFusedAdamW';
  }

  constructor(options: FusedAdamOptions = {}) {
    super({ ...options, weightDecay: options.weightDecay ?? 0.004 }, 'FusedAdamW');
  }
}
