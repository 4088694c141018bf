/** The final metrics of one trial under flat keys, and their aggregate over repeats. */
import type { Aggregate, TrialRecord } from '../records';

/** The kernel statistics aggregated per Dense kernel ("weights.<index>.<name>"). */
export const KERNEL_METRICS = ['l1Norm', 'l2Norm', 'nearZeroFraction', 'zeroFraction'] as const;

/**
 * Final numbers of one trial: "test.loss", "test.accuracy", "train.*", "gap.*", "penalty",
 * "weights.<i>.<stat>", "secondsPerEpoch", "samplesPerSecond", "bestEpoch", "epochs".
 * Absent values (accuracy in regression) are left out rather than set to NaN.
 */
export function trialMetrics(trial: TrialRecord): Map<string, number> {
  const metrics = new Map<string, number>();
  const put = (key: string, value: number | undefined): void => {
    if (typeof value === 'number' && Number.isFinite(value)) metrics.set(key, value);
  };
  put('test.loss', trial.test.loss);
  put('test.accuracy', trial.test.accuracy);
  put('train.loss', trial.train.loss);
  put('train.accuracy', trial.train.accuracy);
  put('gap.loss', trial.gap.loss);
  put('gap.accuracy', trial.gap.accuracy);
  put('penalty', trial.penalty);
  trial.weights.forEach((kernel, i) => {
    for (const stat of KERNEL_METRICS) put(`weights.${i}.${stat}`, kernel[stat]);
  });
  put('secondsPerEpoch', trial.secondsPerEpoch);
  put('samplesPerSecond', trial.samplesPerSecond);
  put('bestEpoch', trial.bestEpoch);
  put('epochs', trial.epochs);
  return metrics;
}

/** n, mean, sample std (n − 1 in the denominator; 0 for a single value), min, max. */
export function aggregate(values: readonly number[]): Aggregate {
  const n = values.length;
  if (n === 0) throw new Error('aggregate: no values');
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const squares = values.reduce((a, v) => a + (v - mean) ** 2, 0);
  return { n, mean, std: n > 1 ? Math.sqrt(squares / (n - 1)) : 0, min: Math.min(...values), max: Math.max(...values) };
}

/** Aggregates every metric key over the given trials (keys in first-seen order). */
export function aggregateTrials(trials: readonly TrialRecord[]): Record<string, Aggregate> {
  const columns = new Map<string, number[]>();
  for (const trial of trials) {
    for (const [key, value] of trialMetrics(trial)) {
      const column = columns.get(key);
      if (column) column.push(value);
      else columns.set(key, [value]);
    }
  }
  const result: Record<string, Aggregate> = {};
  for (const [key, values] of columns) result[key] = aggregate(values);
  return result;
}
