/** report.md: context, summary table, kernel table, plots (linked SVG files) and the configuration. */
import type { StudyResultData } from '../records';
import { REPORT_FILES, PLOTS } from './files';
import { KERNEL_HEADER, kernelRows } from './kernel-table';
import { MODELS_INTRO, modelLines } from './models-section';
import { contextRows, reportTitle } from './study-header';
import { summaryColumns, tableCaption, trainingColumns } from './summary-table';
import type { Column } from './summary-table';

/**
 * Text (setting and dataset names included) as literal Markdown: backslash before the characters
 * that can start emphasis, code, links or tables, HTML's special characters as entities, newlines as spaces.
 */
export function escapeMarkdown(text: string): string {
  const alnum = (c: string | undefined): boolean => c !== undefined && /[A-Za-z0-9]/.test(c);
  return text
    // An underscore inside a word (dense_1) starts no emphasis, so it stays as written.
    .replace(/[\\`*_[\]|~#]/g, (c, at: number) => (c === '_' && alnum(text[at - 1]) && alnum(text[at + 1]) ? c : `\\${c}`))
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\r\n]+/g, ' ');
}

const cell = escapeMarkdown;

/** A code fence longer than any run of backticks in `text`, so the text cannot close it. */
function fenced(text: string, info: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${info}\n${text}\n${fence}`;
}

function table(header: string[], align: ('left' | 'right')[], rows: string[][]): string {
  const line = (cells: string[]): string => `| ${cells.map(cell).join(' | ')} |`;
  const rule = `|${align.map((a) => (a === 'right' ? ' ---: ' : ' :--- ')).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

function settingsTable(data: StudyResultData, columns: Column[]): string {
  return table(
    columns.map((c) => c.title),
    columns.map((c) => c.align),
    data.summary.settings.map((s) => columns.map((c) => c.cell(s))),
  );
}

export function markdownReport(data: StudyResultData): string {
  const kernels = kernelRows(data);
  const models = modelLines(data);
  const modelSection = models === undefined ? [] : [
    '## Models',
    escapeMarkdown(MODELS_INTRO),
    models.length > 0
      ? models.map((m) => `- ${escapeMarkdown(m.setting)} (repeat ${m.repeat}): [${escapeMarkdown(m.file)}](${m.file})`).join('\n')
      : 'No model was saved (the trials ran without saveModels).',
  ];
  const sections = [
    `# ${escapeMarkdown(reportTitle(data))}`,
    table(['Run', ''], ['left', 'left'], contextRows(data)),
    '## Summary',
    tableCaption(data),
    settingsTable(data, summaryColumns(data, 'full')),
    '## Training',
    'Train scores are measured after training in inference mode (no dropout); epochs count from 1.',
    settingsTable(data, trainingColumns(data)),
    ...modelSection,
    '## Kernels',
    kernels.length > 0
      ? table(KERNEL_HEADER, ['left', 'left', 'right', 'right', 'right', 'right'], kernels.map((r) => [r.layer, r.setting.setting, ...r.cells]))
      : 'No kernel statistics were recorded.',
    '## Plots',
    ...PLOTS.map((p) => `### ${p.title}\n\n${p.caption}\n\n![${p.title}](${REPORT_FILES[p.name]})`),
    '## Configuration',
    fenced(JSON.stringify(data.config, null, 2), 'json'),
    `Data: [${REPORT_FILES.json}](${REPORT_FILES.json}) (everything above is built from it) · [${REPORT_FILES.csv}](${REPORT_FILES.csv}) (one row per trial).`,
  ];
  return `${sections.join('\n\n')}\n`;
}
