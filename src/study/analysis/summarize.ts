/**
 * A study's summary: per setting, every final metric aggregated over repeats, a rank, and a
 * plain-words verdict against the baseline setting. Pure: computed from the trial records alone,
 * so a resumed or re-read study summarizes to the same numbers.
 */
import { invalidArgument } from '../../errors';
import { aggregateTrials } from './aggregates';
import { baselineVerdict, verdictAgainst } from './verdict';
import type { Task } from '../../datasets/types';
import type { SettingSummary, StudySummary, TrialRecord } from '../records';

export interface SummarizeOptions {
  /** Setting the others are compared with (default "none" when present, else the first setting). */
  baseline?: string;
  /** Order of the settings in the summary (default: first appearance in `trials`). Names without
   *  trials are skipped (a partial study); settings not listed follow in first-appearance order. */
  settingOrder?: string[];
}

/** Classification when every trial has a test accuracy; regression otherwise. */
export function studyTask(trials: readonly TrialRecord[]): Task {
  return trials.length > 0 && trials.every((t) => typeof t.test.accuracy === 'number') ? 'classification' : 'regression';
}

function groupBySetting(trials: readonly TrialRecord[], order: readonly string[]): Map<string, TrialRecord[]> {
  const groups = new Map<string, TrialRecord[]>();
  for (const name of order) if (trials.some((t) => t.setting === name)) groups.set(name, []);
  for (const trial of trials) {
    const group = groups.get(trial.setting);
    if (group) group.push(trial);
    else groups.set(trial.setting, [trial]);
  }
  for (const [setting, group] of groups) {
    group.sort((a, b) => a.repeat - b.repeat);
    const repeats = group.map((t) => t.repeat);
    const duplicate = repeats.find((r, i) => repeats.indexOf(r) !== i);
    if (duplicate !== undefined) {
      throw invalidArgument('trials', 'summarize', 'one record per (setting, repeat)', `two records for setting "${setting}", repeat ${duplicate}`);
    }
  }
  return groups;
}

/** Competition ranking ("1224"): equal scores share a rank; settings without a score come last. */
function ranks(scores: readonly (number | undefined)[], higherIsBetter: boolean): number[] {
  const value = (s: number | undefined): number => (s === undefined ? -Infinity : higherIsBetter ? s : -s);
  return scores.map((s) => 1 + scores.filter((other) => value(other) > value(s)).length);
}

export function summarize(trials: TrialRecord[], options: SummarizeOptions = {}): StudySummary {
  if (!Array.isArray(trials) || trials.length === 0) throw invalidArgument('trials', 'summarize', 'at least one trial record', trials);
  const groups = groupBySetting(trials, options.settingOrder ?? []);
  const names = [...groups.keys()];
  const baseline = options.baseline ?? (groups.has('none') ? 'none' : names[0]!);
  const baselineTrials = groups.get(baseline);
  if (!baselineTrials) throw invalidArgument('baseline', 'summarize', `one of the settings ${names.map((n) => `"${n}"`).join(', ')}`, baseline);

  const task = studyTask(trials);
  const rankedBy = task === 'classification' ? 'test.accuracy' : 'test.loss';
  const metrics = names.map((name) => aggregateTrials(groups.get(name)!));
  const rankOf = ranks(metrics.map((m) => m[rankedBy]?.mean), task === 'classification');

  const settings: SettingSummary[] = names.map((name, i) => {
    const group = groups.get(name)!;
    const { verdict, withinSpread } = name === baseline ? baselineVerdict(name, group, task) : verdictAgainst(name, group, baselineTrials, task);
    return { setting: name, metrics: metrics[i]!, rank: rankOf[i]!, verdict, withinSpread };
  });
  return { baseline, rankedBy, settings };
}
