/**
 * One color per setting, the same in every plot and in the HTML tables' swatches: the settings'
 * report order indexes Tableau 10 (Vega's default categorical scheme, designed to stay
 * distinguishable), cycling after ten settings.
 */
export const SETTING_PALETTE = ['#4c78a8', '#f58518', '#e45756', '#72b7b2', '#54a24b', '#eeca3b', '#b279a2', '#ff9da6', '#9d755d', '#bab0ac'];

export function settingColor(index: number): string {
  return SETTING_PALETTE[index % SETTING_PALETTE.length]!;
}

/**
 * A setting's name as a value in plot data. Vega keys some of its internals (aggregates, sorts) by
 * data values in plain objects, so a setting named "toString" or "constructor" would break them; a
 * one-character prefix keeps every value clear of Object.prototype, and PLOT_LABEL_EXPR strips it
 * from axis and header labels.
 */
export function plotKey(setting: string): string {
  return `_${setting}`;
}

/** Vega expression that shows a plotKey's label as the setting name. */
export const PLOT_LABEL_EXPR = 'substring(datum.label, 1)';

/** A Vega-Lite color scale that maps `settings` (in report order) to their colors. */
export function settingColorScale(settings: readonly string[]): { domain: string[]; range: string[] } {
  return { domain: settings.map(plotKey), range: settings.map((_, i) => settingColor(i)) };
}
