/**
 * results.csv: one row per trial (setting order, then repeat), one column per final number, for
 * spreadsheets and pandas. Column names match the summary's metric keys. RFC 4180 quoting: fields
 * holding a comma, quote, CR or LF are quoted with inner quotes doubled; absent values are empty.
 * Numbers are written in full precision (JavaScript's shortest round-trip form).
 */
import { KERNEL_METRICS } from '../analysis/aggregates';
import type { StudyResultData, TrialRecord } from '../records';
import { kernelCount, orderedTrials } from './study-view';

type Cell = string | number | undefined;

/**
 * One field. Text starting with = + - @ (or a tab or CR) is a formula to Excel, LibreOffice and
 * Google Sheets (CSV injection): such text gets a leading apostrophe, so it shows as written.
 */
export function csvField(value: Cell): string {
  if (value === undefined || (typeof value === 'number' && !Number.isFinite(value))) return '';
  const text = typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const LEADING: [string, (t: TrialRecord) => Cell][] = [
  ['setting', (t) => t.setting],
  ['repeat', (t) => t.repeat],
  ['seed', (t) => t.seed],
  ['backend', (t) => t.backend],
  ['epochs', (t) => t.epochs],
  ['bestEpoch', (t) => t.bestEpoch],
  ['train.loss', (t) => t.train.loss],
  ['train.accuracy', (t) => t.train.accuracy],
  ['test.loss', (t) => t.test.loss],
  ['test.accuracy', (t) => t.test.accuracy],
  ['gap.loss', (t) => t.gap.loss],
  ['gap.accuracy', (t) => t.gap.accuracy],
  ['penalty', (t) => t.penalty],
];

const TRAILING: [string, (t: TrialRecord) => Cell][] = [
  ['secondsPerEpoch', (t) => t.secondsPerEpoch],
  ['samplesPerSecond', (t) => t.samplesPerSecond],
];

/** The header and cell readers; accuracy columns stay (empty) in regression so the layout is fixed. */
export function csvColumns(data: StudyResultData): [string, (t: TrialRecord) => Cell][] {
  const kernels: [string, (t: TrialRecord) => Cell][] = [];
  for (let i = 0; i < kernelCount(data); i++) {
    for (const stat of KERNEL_METRICS) kernels.push([`weights.${i}.${stat}`, (t) => t.weights[i]?.[stat]]);
  }
  return [...LEADING, ...kernels, ...TRAILING];
}

export function resultsCsv(data: StudyResultData): string {
  const columns = csvColumns(data);
  const lines = [columns.map(([name]) => csvField(name)).join(',')];
  for (const trial of orderedTrials(data)) lines.push(columns.map(([, read]) => csvField(read(trial))).join(','));
  return `${lines.join('\n')}\n`;
}
