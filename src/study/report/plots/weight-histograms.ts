/**
 * First-layer kernel histograms, one row per setting on one shared x axis. Each trial's histogram
 * lies on the dyadic lattice of metrics/histogram.ts, so all are re-binned exactly to one common
 * width (at most MAX_BINS bins across the union range), summed over repeats, and shown as the
 * fraction of weights per bin, which makes rows comparable whatever the repeat count.
 */
import type { TopLevelSpec } from 'vega-lite';
import { commonWidth, sumHistograms } from '../../analysis/histogram';
import { formatPercent } from '../../analysis/format';
import type { Histogram, StudyResultData } from '../../records';
import { kernelName, settingNames, trialsOf } from '../study-view';
import { PLOT_LABEL_EXPR, plotKey, settingColorScale } from './colors';
import { PLOT_CONFIG } from './render';

/** Bars across the union range of all settings: fine enough to show shape, few enough to read. */
export const MAX_BINS = 60;

interface Bar {
  setting: string;
  panel: string;
  start: number;
  end: number;
  fraction: number;
}

/** Per setting, the summed first-layer histogram at one common width (settings without kernels left out). */
export function firstLayerHistograms(data: StudyResultData, maxBins = MAX_BINS): Map<string, Histogram> {
  const perSetting = new Map<string, Histogram[]>();
  for (const setting of settingNames(data)) {
    const histograms = trialsOf(data, setting).flatMap((t) => (t.weights[0] ? [t.weights[0].histogram] : []));
    if (histograms.length > 0) perSetting.set(setting, histograms);
  }
  const all = [...perSetting.values()].flat();
  const result = new Map<string, Histogram>();
  if (all.length === 0) return result;
  const width = commonWidth(all, maxBins);
  for (const [setting, histograms] of perSetting) result.set(setting, sumHistograms(histograms, width));
  return result;
}

/** Two readable ticks on a sqrt axis up to `max`: a round top value and one about 1/10 of it. */
export function fractionTicks(max: number): number[] {
  const round = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1];
  const top = [...round].reverse().find((v) => v <= max) ?? max;
  const low = [...round].reverse().find((v) => v <= top / 8);
  return low === undefined ? [0, top] : [0, low, top];
}

export function weightHistogramsSpec(data: StudyResultData): TopLevelSpec {
  const settings = settingNames(data);
  const bars: Bar[] = [];
  const panels: string[] = [];
  for (const [setting, h] of firstLayerHistograms(data)) {
    const total = h.counts.reduce((a, b) => a + b, 0);
    const nearZero = data.summary.settings.find((s) => s.setting === setting)?.metrics['weights.0.nearZeroFraction'];
    const panel = nearZero ? `${setting} · ${formatPercent(nearZero.mean)} near zero` : setting;
    panels.push(plotKey(panel));
    h.counts.forEach((count, i) => {
      if (count > 0) bars.push({ setting: plotKey(setting), panel: plotKey(panel), start: h.edges[i]!, end: h.edges[i + 1]!, fraction: count / total });
    });
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: {
      text: `First-layer weights (${kernelName(data, 0)}) per setting`,
      subtitle: 'fraction of weights per bin (square-root axis), all repeats pooled; same bins and axes in every row',
    },
    config: PLOT_CONFIG,
    data: { values: bars },
    facet: { row: { field: 'panel', type: 'nominal', sort: panels, title: null, header: { labelExpr: PLOT_LABEL_EXPR, labelAngle: 0, labelAlign: 'left', labelAnchor: 'start', labelOrient: 'top' } } },
    spec: {
      width: 680,
      height: 80,
      mark: { type: 'rect', stroke: 'white', strokeWidth: 0.5 },
      encoding: {
        x: { field: 'start', type: 'quantitative', title: 'weight value' },
        x2: { field: 'end' },
        // sqrt: an L1 spike at zero (often > 50%) would flatten every other row on a linear axis.
        y: {
          field: 'fraction',
          type: 'quantitative',
          title: 'fraction',
          scale: { type: 'sqrt' },
          axis: { format: '~%', values: fractionTicks(Math.max(0, ...bars.map((b) => b.fraction))) },
        },
        y2: { datum: 0 },
        color: { field: 'setting', type: 'nominal', scale: settingColorScale(settings), legend: null },
      },
    },
  } as TopLevelSpec;
}
