/**
 * One color per setting, the same in every plot and in the HTML tables' swatches: the settings'
 * report order indexes Tableau 10 (Vega's default categorical scheme, designed to stay
 * distinguishable), cycling after ten settings.
 */
export const SETTING_PALETTE = ['#4c78a8', '#f58518', '#e45756', '#72b7b2', '#54a24b', '#eeca3b', '#b279a2', '#ff9da6', '#9d755d', '#bab0ac'];

export function settingColor(index: number): string {
  return SETTING_PALETTE[index % SETTING_PALETTE.length]!;
}

/** A Vega-Lite color scale that maps `settings` (in report order) to their colors. */
export function settingColorScale(settings: readonly string[]): { domain: string[]; range: string[] } {
  return { domain: [...settings], range: settings.map((_, i) => settingColor(i)) };
}
