/** What `study.tune` returns: results.json's contents, and the writers of its folder. */
import * as path from 'node:path';
import { writeFileAtomic } from '../../io/atomic';
import type { StudyContext, StudySummary, TrialRecord } from '../records';
import { StudyResult } from '../result';
import type { SegmentRecord } from './log';
import { tuneCsv, tuneHtml, tuneMarkdown, tunePlots } from './report';

/** The search's pick for one technique. */
export interface TunedTechnique {
  technique: string;
  trial: number;
  /** In compare's compact form, e.g. "l2=0.00012". */
  setting: string;
  params: Record<string, number>;
  valLoss: number | null;
  /** Epochs the picked trial trained (its rung). */
  epochs: number;
}

export interface TuneResultData {
  schemaVersion: number;
  context: StudyContext;
  config: Record<string, unknown>;
  /** Every finished search segment, in the order they ran. */
  search: SegmentRecord[];
  tuned: TunedTechnique[];
  /** Confirmation runs (test-set numbers), repeat-major. */
  trials: TrialRecord[];
  summary: StudySummary;
  spent: { segments: number; trials: number; epochs: number; seconds: number; stoppedByBudget: boolean };
  recommendation: string;
}

export const TUNE_REPORT_FILES = ['results.json', 'results.csv', 'report.md', 'report.html', 'strength.svg', 'complexity.svg'] as const;

export class TuneResult {
  constructor(readonly data: TuneResultData) {}

  /** The winner: the best-ranked technique of the confirmation (rank 1). */
  get winner(): string {
    return this.data.summary.settings.find((s) => s.rank === 1)!.setting;
  }

  /** The confirmation as a compare study (its report is written to `confirm/`). */
  confirmation(): StudyResult {
    const { schemaVersion, context, config, trials, summary } = this.data;
    return new StudyResult({ schemaVersion, context, config: { ...config, settings: this.data.tuned.map((t) => ({ name: t.technique, setting: t.setting })) }, trials, summary });
  }

  /** Writes results.json, results.csv (one row per search segment), report.md/html, plots, and confirm/ (compare's report of the confirmation). */
  async write(dir: string): Promise<string[]> {
    const plots = await tunePlots(this.data);
    const files: [string, string][] = [
      ['results.json', `${JSON.stringify(this.data, null, 2)}\n`],
      ['results.csv', tuneCsv(this.data)],
      ['report.md', tuneMarkdown(this.data)],
      ['report.html', tuneHtml(this.data, plots)],
      ['strength.svg', plots.strength],
      ['complexity.svg', plots.complexity],
    ];
    const written = files.map(([name, text]) => {
      const file = path.join(dir, name);
      writeFileAtomic(file, text);
      return file;
    });
    return [...written, ...(await this.confirmation().write(path.join(dir, 'confirm')))];
  }
}
