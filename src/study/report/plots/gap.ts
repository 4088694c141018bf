/**
 * Generalization gap per setting: bars = mean over repeats, error bars = ±1 std (the summary's
 * numbers), dots = the individual repeats. A second panel shows the accuracy gap in percentage
 * points for classification studies.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { LayerSpec } from 'vega-lite/build/src/spec';
import type { Field } from 'vega-lite/build/src/channeldef';
import type { StudyResultData, TrialRecord } from '../../records';
import { repeatCount, settingNames, taskOf, trialsOf } from '../study-view';
import { PLOT_LABEL_EXPR, plotKey, settingColorScale } from './colors';
import { PLOT_CONFIG } from './render';

interface GapPanel {
  metric: 'gap.loss' | 'gap.accuracy';
  title: string;
  /** Multiplies the stored value (100 turns an accuracy fraction into points). */
  scale: number;
  pick: (t: TrialRecord) => number | undefined;
}

const PANELS: GapPanel[] = [
  { metric: 'gap.loss', title: 'loss gap (test − train)', scale: 1, pick: (t) => t.gap.loss },
  { metric: 'gap.accuracy', title: 'accuracy gap (train − test, pt)', scale: 100, pick: (t) => t.gap.accuracy },
];

function panelSpec(data: StudyResultData, panel: GapPanel, settings: string[]): LayerSpec<Field> {
  const bars = data.summary.settings.flatMap((s) => {
    const a = s.metrics[panel.metric];
    return a ? [{ setting: plotKey(s.setting), order: settings.indexOf(s.setting), mean: a.mean * panel.scale, low: (a.mean - a.std) * panel.scale, high: (a.mean + a.std) * panel.scale }] : [];
  });
  const dots = settings.flatMap((setting) =>
    trialsOf(data, setting).flatMap((t) => {
      const v = panel.pick(t);
      return v === undefined ? [] : [{ setting: plotKey(setting), order: settings.indexOf(setting), value: v * panel.scale, repeat: t.repeat }];
    }),
  );
  // Sorted by an index field, not by a list of names: vega-lite turns a list into an object keyed
  // by the names, which breaks on names such as "toString" or "constructor".
  const x = { field: 'setting', type: 'nominal', sort: { field: 'order', op: 'min' }, title: null, axis: { labelAngle: -30, labelFontSize: 12, labelExpr: PLOT_LABEL_EXPR } } as const;
  const y = { type: 'quantitative', title: panel.title } as const;
  return {
    width: Math.max(200, 70 * settings.length),
    height: 260,
    layer: [
      {
        data: { values: bars },
        mark: { type: 'bar', width: { band: 0.6 } },
        encoding: { x, y: { ...y, field: 'mean' }, color: { field: 'setting', type: 'nominal', scale: settingColorScale(settings), legend: null } },
      },
      {
        data: { values: bars },
        mark: { type: 'errorbar', ticks: { width: 10 }, color: '#222' },
        encoding: { x, y: { ...y, field: 'low' }, y2: { field: 'high' } },
      },
      {
        data: { values: dots },
        mark: { type: 'circle', size: 30, color: '#222', stroke: 'white', strokeWidth: 0.8, opacity: 0.9 },
        encoding: { x, y: { ...y, field: 'value' } },
      },
    ],
  };
}

export function gapSpec(data: StudyResultData): TopLevelSpec {
  const settings = settingNames(data);
  const repeats = repeatCount(data);
  const panels = taskOf(data) === 'classification' ? PANELS : PANELS.slice(0, 1);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: {
      text: 'Generalization gap per setting',
      subtitle: repeats > 1 ? `bar = mean over ${repeats} repeats, error bar = ±1 std, dots = repeats` : 'one repeat',
    },
    config: PLOT_CONFIG,
    hconcat: panels.map((p) => panelSpec(data, p, settings)),
    resolve: { scale: { y: 'independent' } },
  };
}
