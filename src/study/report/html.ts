/**
 * report.html: one self-contained page that opens offline: inline CSS, the plots inlined as SVG,
 * the tables; no scripts, fonts, images or links to anything outside the file.
 */
import { MODELS_INTRO, modelLines } from './models-section';
import type { StudyResultData } from '../records';
import { PLOTS } from './files';
import type { PlotName } from './files';
import { KERNEL_HEADER, kernelRows } from './kernel-table';
import { settingColor } from './plots/colors';
import { contextRows, reportTitle } from './study-header';
import { settingNames } from './study-view';
import { summaryColumns, tableCaption, trainingColumns } from './summary-table';
import type { Column } from './summary-table';

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/**
 * Inline SVGs share one id space with the page: prefix every id (and its url(#…) / href="#…"
 * references) so two plots never resolve each other's clip paths or gradients.
 */
export function scopeSvgIds(svg: string, prefix: string): string {
  return svg
    .replace(/\bid="([^"]+)"/g, `id="${prefix}-$1"`)
    .replace(/url\(#([^)]+)\)/g, `url(#${prefix}-$1)`)
    .replace(/href="#([^"]+)"/g, `href="#${prefix}-$1"`);
}

const CSS = `
:root { color-scheme: light; }
body { margin: 0; background: #f6f7f9; color: #1d2330; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 32px 48px; }
h1 { font-size: 26px; margin: 8px 0 4px; }
h2 { font-size: 19px; margin: 32px 0 8px; border-bottom: 1px solid #dde1e8; padding-bottom: 4px; }
.meta { color: #5a6375; margin: 0 0 8px; }
.caption { color: #5a6375; margin: 4px 0 10px; }
table { border-collapse: collapse; background: white; box-shadow: 0 1px 2px rgba(0,0,0,.08); font-size: 13.5px; }
th, td { padding: 6px 9px; border-bottom: 1px solid #e6e9ef; vertical-align: top; }
th { background: #eef1f5; font-weight: 600; text-align: left; white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.setting { white-space: nowrap; }
.spread { color: #7a8294; font-size: 12.5px; }
tr:nth-child(even) td { background: #fafbfc; }
tr.best td { font-weight: 600; }
td.verdict { min-width: 190px; }
.scroll { overflow-x: auto; }
td.verdict.within { color: #6b7385; }
.swatch { display: inline-block; width: 11px; height: 11px; border-radius: 2px; margin-right: 7px; vertical-align: -1px; }
.tag { font-size: 11px; color: #5a6375; border: 1px solid #cfd5df; border-radius: 8px; padding: 0 6px; margin-left: 6px; font-weight: normal; }
figure { background: white; margin: 16px 0; padding: 12px 16px; box-shadow: 0 1px 2px rgba(0,0,0,.08); overflow-x: auto; }
figure svg { display: block; max-width: 100%; height: auto; }
figcaption { color: #5a6375; margin-top: 6px; }
pre { background: white; padding: 12px 16px; overflow-x: auto; box-shadow: 0 1px 2px rgba(0,0,0,.08); font-size: 13px; }
details { margin-top: 16px; }
summary { cursor: pointer; color: #39414f; font-weight: 600; }
footer { color: #8a92a3; margin-top: 40px; font-size: 13px; }
`;

/** "0.4123 ± 0.0120" with the spread muted, so the means stand out. */
function numberCell(text: string): string {
  const at = text.indexOf(' ± ');
  if (at < 0) return escapeHtml(text);
  return `${escapeHtml(text.slice(0, at))}<span class="spread"> ± ${escapeHtml(text.slice(at + 3))}</span>`;
}

/** The setting's name after a swatch of its plot color. */
function settingCell(data: StudyResultData, setting: string, tag = ''): string {
  const color = settingColor(Math.max(0, settingNames(data).indexOf(setting)));
  return `<td class="setting"><span class="swatch" style="background:${color}"></span>${escapeHtml(setting)}${tag}</td>`;
}

function settingsTableHtml(data: StudyResultData, columns: Column[]): string {
  const head = columns.map((c) => `<th${c.align === 'right' ? ' class="num"' : ''}>${escapeHtml(c.title)}</th>`).join('');
  const body = data.summary.settings.map((s) => {
    const cells = columns.map((c) => {
      const text = c.cell(s);
      if (c.role === 'setting') {
        return settingCell(data, text, s.setting === data.summary.baseline ? '<span class="tag">baseline</span>' : '');
      }
      if (c.role === 'verdict') return `<td class="verdict${s.withinSpread && s.setting !== data.summary.baseline ? ' within' : ''}">${escapeHtml(text)}</td>`;
      return c.align === 'right' ? `<td class="num">${numberCell(text)}</td>` : `<td>${escapeHtml(text)}</td>`;
    });
    return `<tr${s.rank === 1 ? ' class="best"' : ''}>${cells.join('')}</tr>`;
  });
  return `<div class="scroll"><table><thead><tr>${head}</tr></thead><tbody>${body.join('\n')}</tbody></table></div>`;
}

function kernelTableHtml(data: StudyResultData): string {
  const rows = kernelRows(data);
  if (rows.length === 0) return '<p class="caption">No kernel statistics were recorded.</p>';
  const head = KERNEL_HEADER.map((h, i) => `<th${i >= 2 ? ' class="num"' : ''}>${escapeHtml(h)}</th>`).join('');
  const body = rows.map(
    (r) => `<tr><td>${escapeHtml(r.layer)}</td>${settingCell(data, r.setting.setting)}${r.cells.map((c) => `<td class="num">${numberCell(c)}</td>`).join('')}</tr>`,
  );
  return `<table><thead><tr>${head}</tr></thead><tbody>${body.join('\n')}</tbody></table>`;
}

/** The page, given the three rendered plots (SVG strings). */
function modelsHtml(data: StudyResultData): string {
  const models = modelLines(data);
  if (models === undefined) return '';
  const items = models.map((m) => `<li>${escapeHtml(m.setting)} (repeat ${m.repeat}): <a href="${escapeHtml(m.file)}">${escapeHtml(m.file)}</a></li>`);
  const body = items.length > 0 ? `<ul class="models">\n${items.join('\n')}\n</ul>` : '<p>No model was saved (the trials ran without saveModels).</p>';
  return `<h2>Models</h2>\n<p class="caption">${escapeHtml(MODELS_INTRO)}</p>\n${body}\n`;
}

export function htmlReport(data: StudyResultData, svgs: Record<PlotName, string>): string {
  const title = reportTitle(data);
  const context = contextRows(data)
    .map(([label, value]) => `<tr><th>${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`)
    .join('\n');
  const figures = PLOTS.map(
    (p) => `<figure id="plot-${p.name}">\n${scopeSvgIds(svgs[p.name], p.name)}\n<figcaption><strong>${escapeHtml(p.title)}.</strong> ${escapeHtml(p.caption)}</figcaption>\n</figure>`,
  );
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
<p class="meta">${escapeHtml(`${data.context.date} · ${data.trials.length} trials · backend ${data.context.backend}`)}</p>
<h2>Summary</h2>
<p class="caption">${escapeHtml(tableCaption(data))}</p>
${settingsTableHtml(data, summaryColumns(data, 'full'))}
<h2>Plots</h2>
${figures.join('\n')}
<h2>Training</h2>
<p class="caption">Train scores are measured after training in inference mode (no dropout); epochs count from 1.</p>
${settingsTableHtml(data, trainingColumns(data))}
${modelsHtml(data)}<h2>Kernels</h2>
${kernelTableHtml(data)}
<h2>Run</h2>
<table>${context}</table>
<details>
<summary>Study configuration (JSON)</summary>
<pre>${escapeHtml(JSON.stringify(data.config, null, 2))}</pre>
</details>
<footer>Built from results.json (schema version ${data.schemaVersion}); results.csv has one row per trial.</footer>
</main>
</body>
</html>
`;
}
