/** What `study.compare` returns: the study's data (results.json's contents) and its writers. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataError, describe } from '../errors';
import { describeFsError } from '../io/out-dir';
import { describeIssues, resultsFileSchema } from './records-schema';
import { writeReports } from './report';
import type { SettingSummary, StudyResultData, TrialRecord } from './records';

export const RESULTS_FILE = 'results.json';

export class StudyResult {
  constructor(readonly data: StudyResultData) {}

  /** One record per (setting, repeat), ordered by repeat then setting. */
  get trials(): TrialRecord[] {
    return this.data.trials;
  }

  /** Per-setting aggregates, ranks and verdicts, in setting order. */
  get settings(): SettingSummary[] {
    return this.data.summary.settings;
  }

  /**
   * Writes results.json, results.csv, report.md, report.html and the plots (.svg) into `dir`, each
   * atomically. Resolves to the paths written.
   */
  write(dir: string): Promise<string[]> {
    return writeReports(this.data, dir);
  }

  toJSON(): StudyResultData {
    return this.data;
  }

  /**
   * Reads a study back from a folder written by `write` (or the CLI). results.json is validated
   * with its schema first; an error names the file and the field, and nothing is written.
   */
  static read(dir: string): StudyResult {
    const file = path.join(dir, RESULTS_FILE);
    let json: unknown;
    try {
      json = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (error) {
      const why = (error as NodeJS.ErrnoException).code !== undefined ? describeFsError(error, file, 'read') : `${file} is not valid JSON: ${(error as Error).message}`;
      throw new DataError(`Cannot read study results: ${why}`, { cause: error });
    }
    const result = resultsFileSchema.safeParse(json);
    if (!result.success) throw new DataError(`${file} is not a valid keras-ts results file:\n  ${describeIssues(result.error, json)}`);
    const data = result.data as unknown as StudyResultData;
    checkConsistency(file, data);
    return new StudyResult(data);
  }
}

/** What the schema cannot say: the summary describes the trials in the file. */
function checkConsistency(file: string, data: StudyResultData): void {
  const trialSettings = new Set(data.trials.map((t) => t.setting));
  const summarized = new Set<string>();
  for (const [i, s] of data.summary.settings.entries()) {
    if (!trialSettings.has(s.setting)) throw new DataError(`${file}: \`summary.settings.${i}.setting\` is ${describe(s.setting)}, which no trial records.`);
    if (summarized.has(s.setting)) throw new DataError(`${file}: \`summary.settings.${i}.setting\` ${describe(s.setting)} is summarized twice.`);
    summarized.add(s.setting);
  }
  for (const [i, t] of data.trials.entries()) {
    if (!summarized.has(t.setting)) throw new DataError(`${file}: \`trials.${i}.setting\` ${describe(t.setting)} has no entry in summary.settings.`);
  }
  const modelSettings = new Set<string>();
  for (const [i, m] of (data.models ?? []).entries()) {
    if (!summarized.has(m.setting)) throw new DataError(`${file}: \`models.${i}.setting\` ${describe(m.setting)} is not one of the summarized settings.`);
    if (modelSettings.has(m.setting)) throw new DataError(`${file}: \`models.${i}.setting\` ${describe(m.setting)} has a second model.`);
    modelSettings.add(m.setting);
  }
  if (!summarized.has(data.summary.baseline)) throw new DataError(`${file}: \`summary.baseline\` ${describe(data.summary.baseline)} is not one of the summarized settings.`);
  const kernels = data.trials[0]!.weights.length;
  const bad = data.trials.findIndex((t) => t.weights.length !== kernels);
  if (bad >= 0) throw new DataError(`${file}: \`trials.${bad}.weights\` has ${data.trials[bad]!.weights.length} kernels, trials.0 has ${kernels}; every trial of a study has the same layers.`);
}
