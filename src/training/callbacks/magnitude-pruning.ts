/**
 * Magnitude pruning on a schedule: a comparison for "L1 gives sparse weights". From `beginEpoch` to
 * `endEpoch` the target sparsity of every kernel rises from `initialSparsity` to `targetSparsity`
 * along Zhu & Gupta's cubic schedule (2017; TF Model Optimization's PolynomialDecay with power 3):
 * s(e) = s_f + (s_i − s_f)·(1 − (e − e0)/(e1 − e0))³. At the end of each such epoch the smallest |w| of
 * each kernel are set to exactly zero; after every later batch those weights are zeroed again, so
 * they stay pruned while the others train. Biases are never pruned.
 */
import { tf } from '../../backend/tf';
import { invalidArgument } from '../../errors';
import { readOptions } from '../../options';
import { Callback, modelOf } from './callback';
import type { Logs } from './callback';

export interface MagnitudePruningOptions {
  /** Fraction of each kernel's weights that are zero at `endEpoch`, in [0, 1). Required. */
  targetSparsity: number;
  /** Sparsity at `beginEpoch` (default 0). */
  initialSparsity?: number | null;
  /** First epoch (0-based) that prunes (default 0). */
  beginEpoch?: number | null;
  /** Last epoch that raises the sparsity (default: fit's last epoch). */
  endEpoch?: number | null;
}

const OPTIONS = ['targetSparsity', 'initialSparsity', 'beginEpoch', 'endEpoch'] as const;

function fraction(name: string, value: unknown): number {
  if (typeof value !== 'number' || !(value >= 0 && value < 1)) throw invalidArgument(name, 'MagnitudePruning', 'a number in [0, 1)', value);
  return value;
}

function epochArg(name: string, value: unknown): number {
  if (!Number.isInteger(value) || (value as number) < 0) throw invalidArgument(name, 'MagnitudePruning', 'an integer >= 0', value);
  return value as number;
}

/** Zeroes the `sparsity` fraction of smallest |w| and returns the keep mask (1 kept, 0 pruned). */
async function pruneSmallest(variable: tf.Variable, sparsity: number): Promise<tf.Tensor> {
  const magnitudes = Float32Array.from(await variable.data(), Math.abs);
  const count = Math.floor(sparsity * magnitudes.length);
  const order = Array.from(magnitudes.keys()).sort((a, b) => magnitudes[a]! - magnitudes[b]!);
  const keep = new Float32Array(magnitudes.length).fill(1);
  for (let i = 0; i < count; i++) keep[order[i]!] = 0;
  const mask = tf.tensor(keep, variable.shape);
  tf.tidy(() => variable.assign(tf.mul(variable, mask)));
  return mask;
}

export class MagnitudePruning extends Callback {
  readonly targetSparsity: number;
  readonly initialSparsity: number;
  readonly beginEpoch: number;
  readonly endEpoch: number | undefined;
  /** The sparsity reached so far. */
  sparsity = 0;
  private masks: { variable: tf.Variable; mask: tf.Tensor }[] = [];

  constructor(options: MagnitudePruningOptions) {
    super();
    const o = readOptions('MagnitudePruning', options, OPTIONS);
    this.targetSparsity = fraction('targetSparsity', o.targetSparsity);
    this.initialSparsity = fraction('initialSparsity', o.initialSparsity ?? 0);
    this.beginEpoch = epochArg('beginEpoch', o.beginEpoch ?? 0);
    this.endEpoch = o.endEpoch === undefined ? undefined : epochArg('endEpoch', o.endEpoch);
    if (this.endEpoch !== undefined && this.endEpoch < this.beginEpoch) {
      throw invalidArgument('endEpoch', 'MagnitudePruning', `an epoch >= beginEpoch (${this.beginEpoch})`, this.endEpoch);
    }
  }

  /** The schedule's sparsity after epoch `epoch` (0-based). */
  sparsityAt(epoch: number): number {
    if (epoch < this.beginEpoch) return 0;
    const end = this.endEpoch ?? Math.max(this.beginEpoch, (this.params?.epochs ?? 1) - 1);
    if (end === this.beginEpoch) return this.targetSparsity;
    const progress = Math.min(1, (epoch - this.beginEpoch) / (end - this.beginEpoch));
    return this.targetSparsity + (this.initialSparsity - this.targetSparsity) * (1 - progress) ** 3;
  }

  override async onEpochEnd(epoch: number, logs: Logs): Promise<void> {
    const sparsity = this.sparsityAt(epoch);
    if (sparsity <= this.sparsity) return;
    const layers = modelOf('MagnitudePruning', this).layers ?? [];
    this.release();
    for (const layer of layers) {
      for (const w of layer.weights) if (w.name === 'kernel' && w.trainable) this.masks.push({ variable: w.variable, mask: await pruneSmallest(w.variable, sparsity) });
    }
    this.sparsity = sparsity;
    logs['sparsity'] = sparsity;
  }

  /** Pruned weights stay zero: the optimizer moved them during the batch. */
  override onBatchEnd(): void {
    if (this.masks.length === 0) return;
    tf.tidy(() => {
      for (const { variable, mask } of this.masks) variable.assign(tf.mul(variable, mask));
    });
  }

  override onTrainEnd(): void {
    this.release();
  }

  private release(): void {
    tf.dispose(this.masks.map((m) => m.mask));
    this.masks = [];
  }
}
