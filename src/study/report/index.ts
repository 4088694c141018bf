/**
 * Writes every report of a study from its data (results.json's contents): never from live
 * training, so `keras-ts report <dir>` rebuilds the same files from a saved folder.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataError } from '../../errors';
import { writeFileAtomic } from '../../io/atomic';
import { describeFsError, prepareOutDir } from '../../io/out-dir';
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
 * (created if needed), each atomically. Every file is built in memory first, so a failure while
 * building (a plot that cannot render) leaves the folder as it was. Resolves to the paths written,
 * in that order.
 */
export async function writeReports(data: StudyResultData, dir: string): Promise<string[]> {
  const svgs = await renderPlots(data);
  const files: [string, string][] = [
    [REPORT_FILES.json, resultsJson(data)],
    [REPORT_FILES.csv, resultsCsv(data)],
    [REPORT_FILES.markdown, markdownReport(data)],
    [REPORT_FILES.html, htmlReport(data, svgs)],
    [REPORT_FILES.learningCurves, svgs.learningCurves],
    [REPORT_FILES.gap, svgs.gap],
    [REPORT_FILES.weightHistograms, svgs.weightHistograms],
  ];
  prepareOutDir(dir);
  // A folder in a file's place is found before anything is written, so the reports stay consistent.
  for (const [name] of files) {
    const file = path.join(dir, name);
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) throw new DataError(describeFsError({ code: 'EISDIR' }, file));
  }
  return files.map(([name, text]) => {
    const file = path.join(dir, name);
    try {
      writeFileAtomic(file, text);
    } catch (error) {
      throw new DataError(describeFsError(error, file), { cause: error });
    }
    return file;
  });
}
