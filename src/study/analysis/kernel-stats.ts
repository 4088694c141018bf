/** End-of-training statistics of one Dense kernel: norms, sparsity and a comparable histogram. */
import { invalidArgument } from '../../errors';
import type { KernelStats } from '../records';
import { histogram } from './histogram';
import type { HistogramOptions } from './histogram';

export interface KernelStatsOptions {
  /** |w| strictly below this counts as near zero (default 1e-3). */
  nearZeroThreshold?: number;
  /** Bin width and bin limit of the histogram (defaults: 2^-8 and 256; see histogram.ts). */
  histogram?: HistogramOptions;
}

export const DEFAULT_NEAR_ZERO_THRESHOLD = 1e-3;

/** Statistics of the kernel `values` (any order: only the multiset of weights matters). */
export function kernelStats(layer: string, values: Float32Array | number[], options: KernelStatsOptions = {}): KernelStats {
  const threshold = options.nearZeroThreshold ?? DEFAULT_NEAR_ZERO_THRESHOLD;
  if (!(Number.isFinite(threshold) && threshold > 0)) {
    throw invalidArgument('nearZeroThreshold', 'kernelStats', 'a positive number', threshold);
  }
  if (values.length === 0) throw invalidArgument('values', `kernelStats('${layer}')`, 'at least one weight', []);
  // Sums in float64 even for a Float32Array: a 784×128 kernel would lose digits in float32.
  let l1 = 0;
  let squares = 0;
  let nearZero = 0;
  let zero = 0;
  for (let i = 0; i < values.length; i++) {
    const w = values[i]!;
    if (!Number.isFinite(w)) throw invalidArgument('values', `kernelStats('${layer}')`, 'finite weights', `${w} at index ${i}`);
    const magnitude = Math.abs(w);
    l1 += magnitude;
    squares += w * w;
    if (magnitude < threshold) nearZero += 1;
    if (w === 0) zero += 1;
  }
  return {
    layer,
    l1Norm: l1,
    l2Norm: Math.sqrt(squares),
    nearZeroFraction: nearZero / values.length,
    zeroFraction: zero / values.length,
    histogram: histogram(values, options.histogram),
  };
}
