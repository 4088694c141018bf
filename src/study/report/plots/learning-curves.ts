/**
 * Learning curves: data loss per epoch on the training and validation splits, one panel per
 * setting (shared axes), mean over repeats with a ±1 std band. The penalty is subtracted from the
 * logged losses (they include it, Keras-style) so the curves compare data fit across settings;
 * the training curve is measured with dropout active, as logged during training.
 */
import type { TopLevelSpec } from 'vega-lite';
import { aggregate } from '../../analysis/aggregates';
import type { StudyResultData, TrialRecord } from '../../records';
import { repeatCount, settingNames, trialsOf } from '../study-view';
import { PLOT_LABEL_EXPR, plotKey, settingColorScale } from './colors';
import { PLOT_CONFIG } from './render';

export type Split = 'train' | 'validation';

interface CurvePoint {
  setting: string;
  /** Position of the setting in the study (facets are sorted by it). */
  order: number;
  split: Split;
  /** 1-based epoch. */
  epoch: number;
  mean: number;
  low: number;
  high: number;
  n: number;
}

/** Data loss per epoch of one trial's split (undefined when the split was not logged). */
export function dataLossCurve(trial: TrialRecord, split: Split): number[] | undefined {
  const { curves } = trial;
  const [loss, penalty] = split === 'train' ? [curves.loss, curves.penalty] : [curves.val_loss, curves.val_penalty];
  if (loss === undefined) return undefined;
  return loss.map((value, epoch) => value - (penalty?.[epoch] ?? 0));
}

/** Mean and ±1 std per epoch over the repeats that reached that epoch (early stopping varies). */
export function curvePoints(data: StudyResultData): CurvePoint[] {
  const points: CurvePoint[] = [];
  for (const [order, setting] of settingNames(data).entries()) {
    for (const split of ['train', 'validation'] as const) {
      const curves = trialsOf(data, setting)
        .map((t) => dataLossCurve(t, split))
        .filter((c): c is number[] => c !== undefined);
      const epochs = Math.max(0, ...curves.map((c) => c.length));
      for (let epoch = 0; epoch < epochs; epoch++) {
        const values = curves.map((c) => c[epoch]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
        if (values.length === 0) continue;
        const { n, mean, std } = aggregate(values);
        points.push({ setting: plotKey(setting), order, split, epoch: epoch + 1, mean, low: mean - std, high: mean + std, n });
      }
    }
  }
  return points;
}

export function learningCurvesSpec(data: StudyResultData): TopLevelSpec {
  const settings = settingNames(data);
  const repeats = repeatCount(data);
  const color = { field: 'setting', type: 'nominal', scale: settingColorScale(settings), legend: null } as const;
  const x = { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1, format: 'd' } } as const;
  const dash = {
    field: 'split',
    type: 'nominal',
    title: null,
    scale: { domain: ['train', 'validation'], range: [[1, 0], [5, 3]] },
    legend: { orient: 'top', direction: 'horizontal', symbolStrokeColor: '#333', symbolStrokeWidth: 2, symbolSize: 400, labelFontSize: 12 },
  } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: {
      text: 'Learning curves: data loss per epoch',
      subtitle: repeats > 1 ? `mean over ${repeats} repeats, band = ±1 std; train measured with dropout active` : 'one repeat; train measured with dropout active',
    },
    config: PLOT_CONFIG,
    data: { values: curvePoints(data) },
    // Sorted by an index field: a list of names becomes an object keyed by them inside vega-lite.
    facet: { field: 'setting', type: 'nominal', sort: { field: 'order', op: 'min' }, title: null, header: { labelExpr: PLOT_LABEL_EXPR } },
    // 2×2 for four settings; otherwise rows of three.
    columns: settings.length === 4 ? 2 : Math.min(3, settings.length),
    spec: {
      width: 300,
      height: 180,
      layer: [
        {
          mark: { type: 'area', opacity: 0.15 },
          encoding: { x, y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' }, color, detail: { field: 'split' } },
        },
        {
          mark: { type: 'line', strokeWidth: 2 },
          encoding: { x, y: { field: 'mean', type: 'quantitative', title: 'data loss', scale: { zero: false } }, color, strokeDash: dash },
        },
      ],
    },
  };
}
