/**
 * Kernel histograms that stay comparable across settings, repeats and runs without knowing each
 * other's range in advance (every trial computes its own, possibly in another process).
 *
 * Scheme: bins have width `baseWidth · 2^k` (baseWidth a power of two, default 2^-8 ≈ 0.0039) and
 * edges at integer multiples of that width, so every histogram's edges lie on one dyadic lattice
 * anchored at 0. k is the smallest that keeps the data's range within `maxBins` bins (default 256,
 * i.e. ±0.5 at the finest width). Two histograms are made comparable by `rebin`ning both to the
 * wider of their widths; this sums whole adjacent bins, so it is exact (no re-estimation). Powers of
 * two also make `v / width` and every edge exact in floating point, so no value lands in a
 * neighbouring bin by rounding.
 */
import { invalidArgument } from '../../errors';
import type { Histogram } from '../records';

export interface HistogramOptions {
  /** Finest bin width; must be a power of two (default 2^-8 = 0.00390625). */
  baseWidth?: number;
  /** Most bins a histogram may have; the width doubles until the data fits (default 256). */
  maxBins?: number;
}

export const DEFAULT_BASE_WIDTH = 2 ** -8;
export const DEFAULT_MAX_BINS = 256;

function isPowerOfTwo(x: number): boolean {
  return Number.isFinite(x) && x > 0 && Number.isInteger(Math.log2(x));
}

function checkMaxBins(owner: string, maxBins: number): void {
  if (!Number.isInteger(maxBins) || maxBins < 1) throw invalidArgument('maxBins', owner, 'a positive integer', maxBins);
}

/** The smallest lattice width ≥ `width` for which [min, max] fits in `maxBins` bins. */
function fittingWidth(min: number, max: number, width: number, maxBins: number): number {
  let w = width;
  while (Math.floor(max / w) - Math.floor(min / w) + 1 > maxBins) w *= 2;
  return w;
}

/** Histogram of finite `values` on the dyadic lattice (see the file comment). */
export function histogram(values: ArrayLike<number>, options: HistogramOptions = {}): Histogram {
  const baseWidth = options.baseWidth ?? DEFAULT_BASE_WIDTH;
  const maxBins = options.maxBins ?? DEFAULT_MAX_BINS;
  if (!isPowerOfTwo(baseWidth)) throw invalidArgument('baseWidth', 'histogram', 'a power of two such as 2 ** -8', baseWidth);
  checkMaxBins('histogram', maxBins);
  if (values.length === 0) throw invalidArgument('values', 'histogram', 'at least one value', []);
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) throw invalidArgument('values', 'histogram', 'finite numbers', `${v} at index ${i}`);
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const width = fittingWidth(min, max, baseWidth, maxBins);
  const first = Math.floor(min / width);
  const bins = Math.floor(max / width) - first + 1;
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < values.length; i++) counts[Math.floor(values[i]! / width) - first]! += 1;
  return { edges: Array.from({ length: bins + 1 }, (_, i) => (first + i) * width), counts };
}

/** Bin width of a lattice histogram (all its bins share it). */
export function histogramWidth(h: Histogram): number {
  if (h.edges.length !== h.counts.length + 1 || h.counts.length === 0) {
    throw invalidArgument('histogram', 'histogramWidth', 'edges.length = counts.length + 1 ≥ 2', `${h.edges.length} edges, ${h.counts.length} counts`);
  }
  return h.edges[1]! - h.edges[0]!;
}

/** Re-bins `h` to a coarser lattice `width` (h's width times a power of two) by summing whole bins. */
export function rebin(h: Histogram, width: number): Histogram {
  const own = histogramWidth(h);
  if (!isPowerOfTwo(width / own) || width < own) {
    throw invalidArgument('width', 'rebin', `the histogram's width ${own} times a power of two`, width);
  }
  const start = h.edges[0]!;
  const first = Math.floor(start / width);
  const last = Math.floor(h.edges[h.edges.length - 2]! / width);
  const counts = new Array<number>(last - first + 1).fill(0);
  h.counts.forEach((count, i) => {
    counts[Math.floor(h.edges[i]! / width) - first]! += count;
  });
  return { edges: Array.from({ length: counts.length + 1 }, (_, i) => (first + i) * width), counts };
}

/**
 * The lattice width at which all `histograms` can be shown side by side: the widest of their
 * widths, doubled until their union range fits in `maxBins` bins.
 */
export function commonWidth(histograms: readonly Histogram[], maxBins = DEFAULT_MAX_BINS): number {
  checkMaxBins('commonWidth', maxBins);
  if (histograms.length === 0) throw invalidArgument('histograms', 'commonWidth', 'at least one histogram', []);
  const width = Math.max(...histograms.map(histogramWidth));
  const min = Math.min(...histograms.map((h) => h.edges[0]!));
  const max = Math.max(...histograms.map((h) => h.edges[h.edges.length - 2]!));
  return fittingWidth(min, max, width, maxBins);
}

/** Sum of histograms after re-binning each to `width` (e.g. one setting's repeats). */
export function sumHistograms(histograms: readonly Histogram[], width: number): Histogram {
  if (histograms.length === 0) throw invalidArgument('histograms', 'sumHistograms', 'at least one histogram', []);
  const rebinned = histograms.map((h) => rebin(h, width));
  const first = Math.min(...rebinned.map((h) => Math.round(h.edges[0]! / width)));
  const last = Math.max(...rebinned.map((h) => Math.round(h.edges[h.edges.length - 1]! / width)));
  const counts = new Array<number>(last - first).fill(0);
  for (const h of rebinned) {
    const offset = Math.round(h.edges[0]! / width) - first;
    h.counts.forEach((count, i) => {
      counts[offset + i]! += count;
    });
  }
  return { edges: Array.from({ length: counts.length + 1 }, (_, i) => (first + i) * width), counts };
}
