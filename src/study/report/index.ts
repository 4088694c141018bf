/**
 * Writes every report of a study from its data (results.json's contents): never from live
 * training, so `keras-ts report <dir>` rebuilds the same files from a saved folder.
 */
import * as path from 'node:path';
import { writeFileAtomic } from '../../io/atomic';
import type { StudyResultData } from '../records';
import { REPORT_FILES } from './files';
import type { PlotName } from './files';
import { htmlReport } from './html';
import { markdownReport } from './markdown';
import { gapSpec } from './plots/gap';
import { learningCurvesSpec } from './plots/learning-curves';
import { renderSvg } from './plots/render';
import { weightHistogramsSpec } from './plots/weight-histograms';
import { resultsCsv } from './results-csv';
import { resultsJson } from './results-json';

export { REPORT_FILES } from './files';
export { formatSummaryTable } from './terminal-table';
export { resultsJson } from './results-json';
export { resultsCsv } from './results-csv';
export { markdownReport } from './markdown';
export { htmlReport } from './html';
export { renderSvg } from './plots/render';
export { learningCurvesSpec } from './plots/learning-curves';
export { gapSpec } from './plots/gap';
export { weightHistogramsSpec } from './plots/weight-histograms';

/** The three plots as SVG strings. */
export async function renderPlots(data: StudyResultData): Promise<Record<PlotName, string>> {
  return {
    learningCurves: await renderSvg(learningCurvesSpec(data)),
    gap: await renderSvg(gapSpec(data)),
    weightHistograms: await renderSvg(weightHistogramsSpec(data)),
  };
}

/**
 * Writes results.json, results.csv, report.md, report.html and the three SVG plots into `dir`
 * (created if needed), each atomically; the data files go first so they survive a plotting
 * failure. Resolves to the paths written, in that order.
 */
export async function writeReports(data: StudyResultData, dir: string): Promise<string[]> {
  const written: string[] = [];
  const write = (name: string, text: string): void => {
    const file = path.join(dir, name);
    writeFileAtomic(file, text);
    written.push(file);
  };
  write(REPORT_FILES.json, resultsJson(data));
  write(REPORT_FILES.csv, resultsCsv(data));
  write(REPORT_FILES.markdown, markdownReport(data));
  const svgs = await renderPlots(data);
  write(REPORT_FILES.html, htmlReport(data, svgs));
  write(REPORT_FILES.learningCurves, svgs.learningCurves);
  write(REPORT_FILES.gap, svgs.gap);
  write(REPORT_FILES.weightHistograms, svgs.weightHistograms);
  return written;
}
