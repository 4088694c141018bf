/** Metrics computed from one finished trial: kernel statistics and the generalization gap. */
export { kernelStats, DEFAULT_NEAR_ZERO_THRESHOLD } from './kernel-stats';
export { generalizationGap } from './generalization-gap';
export { histogram, histogramWidth, rebin, commonWidth, sumHistograms, DEFAULT_BASE_WIDTH, DEFAULT_MAX_BINS } from './histogram';

export type { KernelStatsOptions } from './kernel-stats';
export type { GeneralizationGap } from './generalization-gap';
export type { HistogramOptions } from './histogram';
