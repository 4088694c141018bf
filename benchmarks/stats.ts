/** Summary statistics of timing samples (seconds). */
export interface Summary {
  min: number;
  median: number;
  mean: number;
  /** Sample standard deviation (0 for a single sample). */
  sd: number;
}

export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) throw new Error('summarize: no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  const variance = samples.length < 2 ? 0 : samples.reduce((a, b) => a + (b - mean) ** 2, 0) / (samples.length - 1);
  return { min: sorted[0]!, median, mean, sd: Math.sqrt(variance) };
}
