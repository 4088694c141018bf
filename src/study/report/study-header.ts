/** Title and "where and how it ran" lines shared by report.md and report.html. */
import type { StudyResultData } from '../records';
import { datasetName } from './summary-table';

export function reportTitle(data: StudyResultData): string {
  const name = datasetName(data.config);
  return name ? `Regularization study: ${name}` : 'Regularization study';
}

/** [label, value] pairs of the run context, in reading order. */
export function contextRows(data: StudyResultData): [string, string][] {
  const c = data.context;
  return [
    ['Date', c.date],
    ['keras-ts', c.kerasTsVersion],
    ['TensorFlow.js', c.tfjsVersion],
    ['Backend', c.backend],
    ['CPU', `${c.cpu} (${c.cores} cores)`],
    ['Node', c.node],
    ['Trials', `${data.trials.length} (${data.summary.settings.length} settings)`],
    ['Schema version', String(data.schemaVersion)],
  ];
}
