/**
 * The columns of the per-setting summary table, shared by the terminal table, report.md and
 * report.html so all three show the same numbers the same way ("mean ± std" over repeats).
 */
import { formatFixed } from '../analysis/format';
import type { Aggregate, SettingSummary, StudyResultData } from '../records';
import { kernelCount, kernelName, repeatCount, taskOf, verdictText } from './study-view';

export interface Column {
  title: string;
  align: 'left' | 'right';
  cell: (s: SettingSummary) => string;
  /** Lets HTML add a color swatch to the setting and mute verdicts within the spread. */
  role?: 'setting' | 'verdict';
}

/** How an aggregate reads: a plain number, a fraction as percent, a fraction difference as points,
 *  or an epoch count (one decimal: means of whole numbers). */
export type ValueKind = 'number' | 'percent' | 'points' | 'count';

/** Decimals giving four significant digits for numbers up to `magnitude`. */
export function decimalsForColumn(magnitude: number): number {
  const m = Math.abs(magnitude);
  if (m === 0 || !Number.isFinite(m)) return 2;
  return Math.min(6, Math.max(0, 3 - Math.floor(Math.log10(m))));
}

/**
 * "0.4123 ± 0.0120", "84.1 ± 0.5%", "9.0 ± 1.0 pt"; the mean alone for one repeat; "–" when
 * absent. `decimals` applies to plain numbers (default: four significant digits of the mean).
 */
export function meanStd(a: Aggregate | undefined, kind: ValueKind = 'number', decimals?: number): string {
  if (a === undefined) return '–';
  const scale = kind === 'percent' || kind === 'points' ? 100 : 1;
  const d = kind === 'number' ? (decimals ?? decimalsForColumn(a.mean)) : 1;
  const unit = kind === 'percent' ? '%' : kind === 'points' ? ' pt' : '';
  const spread = a.n > 1 ? ` ± ${formatFixed(a.std * scale, d)}` : '';
  return `${formatFixed(a.mean * scale, d)}${spread}${unit}`;
}

/** A column reader with one number of decimals for the whole column, so values line up. */
function metric(data: StudyResultData, key: string, kind: ValueKind = 'number', shift = 0): (s: SettingSummary) => string {
  const largest = Math.max(0, ...data.summary.settings.map((s) => Math.abs(s.metrics[key]?.mean ?? 0)));
  const decimals = decimalsForColumn(largest);
  return (s) => {
    const a = s.metrics[key];
    return meanStd(a && { ...a, mean: a.mean + shift, min: a.min + shift, max: a.max + shift }, kind, decimals);
  };
}

/**
 * 'compact' (terminal): setting, test accuracy, test loss, loss gap, first-layer L1 norm and
 * near-zero fraction, rank, verdict. 'full' (reports) leads with the rank and adds the accuracy gap.
 */
export function summaryColumns(data: StudyResultData, variant: 'compact' | 'full'): Column[] {
  const classification = taskOf(data) === 'classification';
  const full = variant === 'full';
  const rank: Column = { title: 'Rank', align: 'right', cell: (s) => String(s.rank) };
  const columns: (Column | false)[] = [
    full && rank,
    { title: 'Setting', align: 'left', cell: (s) => s.setting, role: 'setting' },
    classification && { title: 'Test acc', align: 'right', cell: metric(data, 'test.accuracy', 'percent') },
    { title: 'Test loss', align: 'right', cell: metric(data, 'test.loss') },
    { title: 'Loss gap', align: 'right', cell: metric(data, 'gap.loss') },
    full && classification && { title: 'Acc gap', align: 'right', cell: metric(data, 'gap.accuracy', 'points') },
    // First Dense kernel; tableCaption names it, keeping the headers short.
    { title: 'L1 norm', align: 'right', cell: metric(data, 'weights.0.l1Norm') },
    { title: 'Near 0', align: 'right', cell: metric(data, 'weights.0.nearZeroFraction', 'percent') },
    !full && rank,
    { title: 'Verdict vs baseline', align: 'left', cell: verdictText, role: 'verdict' },
  ];
  return columns.filter((c): c is Column => c !== false);
}

/** Training-side numbers per setting: train scores, penalty, epochs and speed. */
export function trainingColumns(data: StudyResultData): Column[] {
  const classification = taskOf(data) === 'classification';
  const columns: (Column | false)[] = [
    { title: 'Setting', align: 'left', cell: (s) => s.setting, role: 'setting' },
    { title: 'Train loss', align: 'right', cell: metric(data, 'train.loss') },
    classification && { title: 'Train acc', align: 'right', cell: metric(data, 'train.accuracy', 'percent') },
    { title: 'Penalty', align: 'right', cell: metric(data, 'penalty') },
    { title: 'Epochs', align: 'right', cell: metric(data, 'epochs', 'count') },
    // Shown counting from 1 like the learning-curve axis (records count from 0).
    { title: 'Best epoch', align: 'right', cell: metric(data, 'bestEpoch', 'count', 1) },
    { title: 's/epoch', align: 'right', cell: metric(data, 'secondsPerEpoch') },
    { title: 'Samples/s', align: 'right', cell: metric(data, 'samplesPerSecond') },
  ];
  return columns.filter((c): c is Column => c !== false);
}

/** One line about how to read the table: ranking metric, baseline and repeats. */
export function tableCaption(data: StudyResultData): string {
  const ranked = taskOf(data) === 'classification' ? 'test accuracy (higher is better)' : 'test loss (lower is better)';
  const repeats = repeatCount(data);
  const kernel = kernelCount(data) > 0 ? ` L1 norm and near-zero share (|w| < 1e-3) of the first Dense kernel (${kernelName(data, 0)}).` : '';
  return `Ranked by ${ranked}; baseline: ${data.summary.baseline}; mean ± std over ${repeats} repeat${repeats === 1 ? '' : 's'}.${kernel}`;
}

/** A short name for the study's dataset from its config ("synthetic", "fashion-mnist", a CSV's file name). */
export function datasetName(config: Record<string, unknown>): string | undefined {
  const dataset = config['dataset'] ?? config['data'];
  if (typeof dataset === 'string') return dataset;
  if (dataset !== null && typeof dataset === 'object') {
    const { name, source, path } = dataset as Record<string, unknown>;
    if (typeof name === 'string') return name;
    if (typeof path === 'string') return path.split(/[\\/]/).pop();
    if (typeof source === 'string') return source;
  }
  return undefined;
}
