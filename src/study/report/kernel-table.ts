/** Per Dense kernel and setting: L1 and L2 norms, near-zero and exactly-zero fractions over repeats. */
import { KERNEL_METRICS } from '../analysis/aggregates';
import type { SettingSummary, StudyResultData } from '../records';
import { kernelCount, kernelName } from './study-view';
import { decimalsForColumn, meanStd } from './summary-table';

export interface KernelRow {
  setting: SettingSummary;
  /** Layer name of the kernel ("dense", "dense_1"…). */
  layer: string;
  /** L1 norm, L2 norm, near-zero %, zero % as "mean ± std". */
  cells: string[];
}

export const KERNEL_HEADER = ['Layer', 'Setting', 'L1 norm', 'L2 norm', 'Near 0 (|w| < 1e-3)', 'Exactly 0'];

export function kernelRows(data: StudyResultData): KernelRow[] {
  // One precision per kernel and statistic, so a kernel's rows line up across settings.
  const decimals = (key: string): number => decimalsForColumn(Math.max(0, ...data.summary.settings.map((s) => s.metrics[key]?.mean ?? 0)));
  const rows: KernelRow[] = [];
  // Grouped by kernel so the settings' values for one layer sit together.
  for (let i = 0; i < kernelCount(data); i++) {
    for (const setting of data.summary.settings) {
      const key = (stat: (typeof KERNEL_METRICS)[number]): string => `weights.${i}.${stat}`;
      if (setting.metrics[key('l1Norm')] === undefined) continue;
      rows.push({
        setting,
        layer: kernelName(data, i),
        cells: [
          meanStd(setting.metrics[key('l1Norm')], 'number', decimals(key('l1Norm'))),
          meanStd(setting.metrics[key('l2Norm')], 'number', decimals(key('l2Norm'))),
          meanStd(setting.metrics[key('nearZeroFraction')], 'percent'),
          meanStd(setting.metrics[key('zeroFraction')], 'percent'),
        ],
      });
    }
  }
  return rows;
}
