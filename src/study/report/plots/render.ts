/**
 * Vega-Lite spec → SVG string, headless: vega-lite compiles the spec, a vega View with the 'none'
 * renderer lays it out and serializes SVG. Specs carry their data inline; the View's loader refuses
 * every URL or file, so rendering never touches the network or disk, and text uses the generic
 * "sans-serif" family (nothing fetched, whatever font the viewer has).
 */
import * as vega from 'vega';
import * as vegaLite from 'vega-lite';
import type { Config, TopLevelSpec } from 'vega-lite';

const offlineLoader: vega.Loader = {
  load: (uri) => Promise.reject(new Error(`Report plots embed their data; refusing to load ${uri}`)),
  sanitize: (uri) => Promise.reject(new Error(`Report plots embed their data; refusing to link ${uri}`)),
  http: (uri) => Promise.reject(new Error(`Report plots embed their data; refusing to fetch ${uri}`)),
  file: (file) => Promise.reject(new Error(`Report plots embed their data; refusing to read ${file}`)),
};

/** The library prints nothing: compile-time hints about a spec are dropped (tests render every spec). */
const silentLogger = vega.logger(vega.None);

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
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', loader: offlineLoader, logLevel: vega.Error });
  try {
    const svg = await view.toSVG();
    // The xlink namespace is declared for image marks; the report has none, so drop the unused URL.
    return svg.includes('xlink:') ? svg : svg.replace(/ xmlns:xlink="[^"]*"/, '');
  } finally {
    view.finalize();
  }
}
