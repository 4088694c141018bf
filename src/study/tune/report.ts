/**
 * A tune's reports, built from its saved data only: results.csv (one row per search segment), the
 * terminal summary, report.md / report.html, and two Vega-Lite plots: validation loss against
 * strength per technique (log axis for log-scaled strengths), and complexity against test
 * performance with the Pareto front. The confirmation's own compare report lives in confirm/.
 */
import type { TopLevelSpec } from 'vega-lite';
import { settingColor } from '../report/plots/colors';
import { PLOT_CONFIG, renderSvg } from '../report/plots/render';
import { escapeHtml, scopeSvgIds } from '../report/html';
import { escapeMarkdown } from '../report/markdown';
import { csvField } from '../report/results-csv';
import { formatSummaryTable } from '../report/terminal-table';
import type { TrialRecord } from '../records';
import { l1Norm, zeroFraction } from './recommend';
import type { TuneResultData } from './result';
import { TECHNIQUE_DIMENSIONS } from './space';
import type { Dimension } from './space';

const techniquesOf = (data: TuneResultData) => data.tuned.map((t) => t.technique);
const colors = (data: TuneResultData) => ({ domain: techniquesOf(data), range: techniquesOf(data).map((_, i) => settingColor(i)) });
const isClassification = (data: TuneResultData) => data.trials.every((t) => typeof t.test.accuracy === 'number');

function scaleOf(name: string): 'log' | 'linear' {
  if (name === 'learningRate') return 'log';
  for (const dims of Object.values(TECHNIQUE_DIMENSIONS)) for (const d of dims as readonly Dimension[]) if (d.name === name) return d.scale;
  return 'linear';
}

/** One row per search segment: technique, trial, rung, epochs, each searched value, best validation loss. */
export function tuneCsv(data: TuneResultData): string {
  const params = [...new Set(data.search.flatMap((s) => Object.keys(s.params)))];
  const header = ['technique', 'trial', 'rung', 'epochs', 'setting', ...params, 'val_loss', 'val_accuracy', 'best_epoch', 'seconds'];
  const rows = data.search.map((s) => [s.technique, s.trial, s.rung, s.epochs, s.setting, ...params.map((p) => s.params[p]), s.valLoss ?? undefined, s.valAccuracy, s.bestEpoch, s.seconds]);
  return `${[header, ...rows].map((r) => r.map((v) => csvField(v)).join(',')).join('\n')}\n`;
}

/** Validation loss of each trial's furthest segment against its first searched value, one panel per technique. */
export function strengthSpec(data: TuneResultData): TopLevelSpec {
  const panels = data.tuned.filter((t) => Object.keys(t.params).length > 0).map((tuned) => {
    const name = Object.keys(tuned.params)[0]!;
    const furthest = new Map<number, (typeof data.search)[number]>();
    for (const s of data.search) if (s.technique === tuned.technique && (furthest.get(s.trial)?.rung ?? -1) < s.rung) furthest.set(s.trial, s);
    const points = [...furthest.values()].filter((s) => s.valLoss !== null).map((s) => ({ value: s.params[name], valLoss: s.valLoss, epochs: s.epochs, picked: s.trial === tuned.trial }));
    return {
      title: `${tuned.technique}: validation loss vs ${name}`,
      width: 220,
      height: 180,
      data: { values: points },
      mark: { type: 'point', filled: true, size: 60 },
      encoding: {
        x: { field: 'value', type: 'quantitative', title: name, scale: { type: scaleOf(name) } },
        y: { field: 'valLoss', type: 'quantitative', title: 'best validation loss', scale: { zero: false } },
        color: { field: 'epochs', type: 'ordinal', title: 'epochs trained' },
        shape: { field: 'picked', type: 'nominal', title: 'picked' },
      },
    };
  });
  const body = panels.length > 0 ? { hconcat: panels } : { data: { values: [] }, mark: 'point' };
  return { $schema: 'https://vega.github.io/schema/vega-lite/v5.json', config: PLOT_CONFIG, ...body } as unknown as TopLevelSpec;
}

/** Non-dominated points: lower complexity and higher score (for 'higher' complexity, e.g. zero fraction, the other way). */
export function paretoFront<T>(points: T[], complexity: (p: T) => number, score: (p: T) => number, lowerComplexity = true): T[] {
  const better = (a: T, b: T) => {
    const c = lowerComplexity ? complexity(a) <= complexity(b) : complexity(a) >= complexity(b);
    return c && score(a) >= score(b) && (complexity(a) !== complexity(b) || score(a) !== score(b));
  };
  return points.filter((p) => !points.some((q) => better(q, p))).sort((a, b) => complexity(a) - complexity(b));
}

function complexityPanel(data: TuneResultData, title: string, pick: (t: TrialRecord) => number, lower: boolean) {
  const classification = isClassification(data);
  const score = (t: TrialRecord) => (classification ? t.test.accuracy! : -t.test.loss);
  const dots = data.trials.map((t) => ({ technique: t.setting, x: pick(t), y: classification ? t.test.accuracy : t.test.loss }));
  const means = techniquesOf(data).map((technique) => {
    const own = data.trials.filter((t) => t.setting === technique);
    const m = (f: (t: TrialRecord) => number) => own.reduce((a, t) => a + f(t), 0) / own.length;
    return { technique, x: m(pick), s: m(score) };
  });
  const front = paretoFront(means, (p) => p.x, (p) => p.s, lower).map((p) => ({ technique: p.technique, x: p.x, y: classification ? p.s : -p.s }));
  const y = { field: 'y', type: 'quantitative', title: classification ? 'test accuracy' : 'test loss', scale: { zero: false } };
  return {
    title,
    width: 260,
    height: 200,
    layer: [
      { data: { values: dots }, mark: { type: 'point', filled: true, size: 50, opacity: 0.8 }, encoding: { x: { field: 'x', type: 'quantitative', title, scale: { zero: false } }, y, color: { field: 'technique', type: 'nominal', scale: colors(data) } } },
      { data: { values: front }, mark: { type: 'line', point: true, color: '#333', strokeDash: [4, 3] }, encoding: { x: { field: 'x', type: 'quantitative' }, y } },
    ],
  };
}

/** Complexity (Σ L1 norm, exact-zero fraction) against test performance, repeats as dots, the Pareto front of the technique means dashed. */
export function complexitySpec(data: TuneResultData): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    config: PLOT_CONFIG,
    hconcat: [complexityPanel(data, 'Σ L1 norm of the kernels', l1Norm, true), complexityPanel(data, 'exact-zero fraction of the weights', zeroFraction, false)],
  } as unknown as TopLevelSpec;
}

export async function tunePlots(data: TuneResultData): Promise<{ strength: string; complexity: string }> {
  return { strength: await renderSvg(strengthSpec(data)), complexity: await renderSvg(complexitySpec(data)) };
}

function tunedRows(data: TuneResultData): string[][] {
  return data.tuned.map((t) => [t.technique, t.setting, t.valLoss === null ? 'diverged' : t.valLoss.toFixed(4), String(t.epochs)]);
}

function spentLine(data: TuneResultData): string {
  const s = data.spent;
  return `Search: ${s.trials} trials, ${s.segments} segments, ${s.epochs} epochs${s.stoppedByBudget ? ' (stopped by the time budget)' : ''}; ${s.seconds.toFixed(0)} s of training in all.`;
}

/** The terminal summary: what the search picked, the confirmation table, the recommendation. */
export function formatTuneSummary(data: TuneResultData, confirmation: Parameters<typeof formatSummaryTable>[0]): string {
  const rows = [['technique', 'picked on validation', 'val loss', 'epochs'], ...tunedRows(data)];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const lines = rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd());
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  return [spentLine(data), '', ...lines, '', `Confirmation on test, ${formatSummaryTable(confirmation)}`, '', data.recommendation].join('\n');
}

export function tuneMarkdown(data: TuneResultData): string {
  const row = (cells: string[]) => `| ${cells.map(escapeMarkdown).join(' | ')} |`;
  return [
    '# Regularization tune',
    '',
    escapeMarkdown(data.recommendation),
    '',
    escapeMarkdown(spentLine(data)),
    '',
    '## Picked on validation',
    '',
    row(['technique', 'setting', 'best val loss', 'epochs']),
    '|---|---|---:|---:|',
    ...tunedRows(data).map(row),
    '',
    '## Validation loss against strength',
    '',
    '![validation loss vs strength](strength.svg)',
    '',
    '## Complexity against test performance (Pareto front dashed)',
    '',
    '![complexity vs performance](complexity.svg)',
    '',
    `The confirmation runs (fresh seeds, test split) are reported in full in [confirm/report.md](confirm/report.md).`,
    '',
  ].join('\n');
}

export function tuneHtml(data: TuneResultData, plots: { strength: string; complexity: string }): string {
  const rows = tunedRows(data).map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Regularization tune</title>
<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em}table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:4px 8px}</style>
</head><body>
<h1>Regularization tune</h1>
<p>${escapeHtml(data.recommendation)}</p>
<p>${escapeHtml(spentLine(data))}</p>
<h2>Picked on validation</h2>
<table><tr><th>technique</th><th>setting</th><th>best val loss</th><th>epochs</th></tr>
${rows}
</table>
<h2>Validation loss against strength</h2>
${scopeSvgIds(plots.strength, 'strength')}
<h2>Complexity against test performance</h2>
${scopeSvgIds(plots.complexity, 'complexity')}
<p>The confirmation runs are reported in full in <a href="confirm/report.html">confirm/report.html</a>.</p>
</body></html>
`;
}
