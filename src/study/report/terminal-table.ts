/** The summary table the CLI prints at the end of a study: plain text, columns aligned. */
import type { StudyResultData } from '../records';
import { datasetName, summaryColumns, tableCaption } from './summary-table';

function pad(text: string, width: number, align: 'left' | 'right'): string {
  const fill = ' '.repeat(Math.max(0, width - [...text].length));
  return align === 'left' ? text + fill : fill + text;
}

/** Caption line, header, rule and one row per setting; the last column (verdict) is not padded. */
export function formatSummaryTable(data: StudyResultData): string {
  const columns = summaryColumns(data, 'compact');
  const rows = [columns.map((c) => c.title), ...data.summary.settings.map((s) => columns.map((c) => c.cell(s)))];
  const widths = columns.map((_, i) => Math.max(...rows.map((r) => [...r[i]!].length)));
  const line = (cells: string[]): string =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : pad(cell, widths[i]!, columns[i]!.align)))
      .join('  ')
      .trimEnd();
  const name = datasetName(data.config);
  const caption = `${name ? `${name}: ` : ''}${tableCaption(data)}`;
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  const [header, ...body] = rows;
  return [caption, '', line(header!), rule, ...body.map(line)].join('\n');
}
