/** What `study.compare` returns: the study's data (results.json's contents) and its writers. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataError } from '../errors';
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

  /** Reads a study back from a folder written by `write` (or the CLI). */
  static read(dir: string): StudyResult {
    const file = path.join(dir, RESULTS_FILE);
    let data: StudyResultData;
    try {
      data = JSON.parse(fs.readFileSync(file, 'utf8')) as StudyResultData;
    } catch (error) {
      throw new DataError(`Cannot read study results from ${file}: ${(error as Error).message}`, { cause: error });
    }
    if (typeof data.schemaVersion !== 'number' || !Array.isArray(data.trials) || data.summary === undefined) {
      throw new DataError(`${file} is not a keras-ts results file (schemaVersion, trials and summary expected).`);
    }
    return new StudyResult(data);
  }
}
