/**
 * Vega-Lite spec → SVG string, headless: vega-lite compiles the spec, a vega View with the 'none'
 * renderer lays it out and serializes SVG. Specs carry their data inline; the View's loader refuses
 * every URL or file, so rendering never touches the network or disk, and text uses the generic
 * "sans-serif" family (nothing fetched, whatever font the viewer has).
 */
import * as vega from 'vega';
import * as vegaLite from 'vega-lite';
import type { Config, TopLevelSpec } from 'vega-lite';

/** A loader that refuses every URL or file and records the attempt (Vega only logs load failures). */
function offlineLoader(refused: string[]): vega.Loader {
  const refuse = (what: string) => (uri: string) => {
    refused.push(`refusing to ${what} ${uri}: report plots embed their data`);
    return Promise.reject(new Error(refused[refused.length - 1]));
  };
  return { load: refuse('load'), sanitize: refuse('link'), http: refuse('fetch'), file: refuse('read') };
}

/** The library prints nothing: compile-time hints about a spec are dropped (tests render every spec). */
const silentLogger = vega.logger(vega.None);

/** A logger that keeps Vega's runtime errors instead of printing them, so rendering can throw them. */
function collectingLogger(errors: string[]): vega.LoggerInterface {
  let level = vega.Error;
  const logger = {
    level(value?: number) {
      if (value === undefined) return level;
      level = value;
      return logger;
    },
    error(...args: readonly unknown[]) {
      errors.push(args.map(String).join(' '));
      return logger;
    },
    warn: () => logger,
    info: () => logger,
    debug: () => logger,
  };
  return logger as vega.LoggerInterface;
}

/** Look shared by every report plot. */
export const PLOT_CONFIG: Config = {
  font: 'sans-serif',
  background: 'white',
  padding: 8,
  view: { stroke: '#ddd' },
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal', gridColor: '#eee' },
  legend: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal' },
  header: { labelFontSize: 13, labelFontWeight: 'bold', titleFontSize: 12 },
  title: { fontSize: 14, anchor: 'start', subtitleFontSize: 11, subtitleColor: '#555' },
};

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const compiled = vegaLite.compile(spec, { logger: silentLogger }).spec;
  const errors: string[] = [];
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', loader: offlineLoader(errors), logger: collectingLogger(errors) });
  try {
    const svg = await view.toSVG();
    if (errors.length > 0) throw new Error(`Rendering a report plot failed: ${errors.join('; ')}`);
    // The xlink namespace is declared for image marks; the report has none, so drop the unused URL.
    return svg.includes('xlink:') ? svg : svg.replace(/ xmlns:xlink="[^"]*"/, '');
  } finally {
    view.finalize();
  }
}
