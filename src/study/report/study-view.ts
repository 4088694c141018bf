/** Small read-only views of a StudyResultData that several exporters need. */
import { studyTask } from '../analysis/summarize';
import type { Task } from '../../datasets/types';
import type { SettingSummary, StudyResultData, TrialRecord } from '../records';

/** Settings in report order: the summary's order, then any setting only the trials mention. */
export function settingNames(data: StudyResultData): string[] {
  const names = data.summary.settings.map((s) => s.setting);
  for (const trial of data.trials) if (!names.includes(trial.setting)) names.push(trial.setting);
  return names;
}

export function taskOf(data: StudyResultData): Task {
  return studyTask(data.trials);
}

/** Trials in report order: by setting (report order), then repeat. */
export function orderedTrials(data: StudyResultData): TrialRecord[] {
  const order = settingNames(data);
  return [...data.trials].sort((a, b) => order.indexOf(a.setting) - order.indexOf(b.setting) || a.repeat - b.repeat);
}

export function trialsOf(data: StudyResultData, setting: string): TrialRecord[] {
  return orderedTrials(data).filter((t) => t.setting === setting);
}

/** Most repeats any setting has (for captions such as "mean over 3 repeats"). */
export function repeatCount(data: StudyResultData): number {
  return Math.max(0, ...settingNames(data).map((name) => trialsOf(data, name).length));
}

/** Layer name of kernel `index` as the trials recorded it ("dense"), or "kernel <index>". */
export function kernelName(data: StudyResultData, index: number): string {
  return data.trials.find((t) => t.weights[index] !== undefined)?.weights[index]?.layer ?? `kernel ${index}`;
}

/** Number of kernels the trials recorded (the most any trial has). */
export function kernelCount(data: StudyResultData): number {
  return Math.max(0, ...data.trials.map((t) => t.weights.length));
}

/** The verdict without its leading "<setting>: " (tables already name the setting). */
export function verdictText(summary: SettingSummary): string {
  const prefix = `${summary.setting}: `;
  return summary.verdict.startsWith(prefix) ? summary.verdict.slice(prefix.length) : summary.verdict;
}
