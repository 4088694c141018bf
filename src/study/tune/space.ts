/**
 * What a technique's search varies: its strengths (log-uniform for penalties, norms and noise;
 * uniform for rates), and the learning rate when asked, shared with the baseline. A point of the
 * unit cube becomes a setting through the study's compact form (`l2=1e-4+dropout=0.3`), so tuned
 * settings are exactly what `keras-ts compare --settings` takes.
 */
import { ConfigError, describe } from '../../errors';
import { parseSettings } from '../config/settings';
import type { SettingSpec } from '../config/settings';

export interface Dimension {
  /** `l2`, `dropout`, `l1_l2.l1`, `learningRate`… (keys of `ranges`). */
  name: string;
  low: number;
  high: number;
  scale: 'log' | 'linear';
}

/** Techniques a tune may search and their default ranges (`batchnorm` has nothing to tune). */
export const TECHNIQUE_DIMENSIONS = {
  l1: [{ name: 'l1', low: 1e-6, high: 1e-2, scale: 'log' }],
  l2: [{ name: 'l2', low: 1e-6, high: 1e-2, scale: 'log' }],
  l1_l2: [
    { name: 'l1_l2.l1', low: 1e-6, high: 1e-2, scale: 'log' },
    { name: 'l1_l2.l2', low: 1e-6, high: 1e-2, scale: 'log' },
  ],
  dropout: [{ name: 'dropout', low: 0.05, high: 0.6, scale: 'linear' }],
  maxnorm: [{ name: 'maxnorm', low: 0.5, high: 6, scale: 'log' }],
  l1_prox: [{ name: 'l1_prox', low: 1e-6, high: 1e-2, scale: 'log' }],
  orthogonal: [{ name: 'orthogonal', low: 1e-4, high: 1, scale: 'log' }],
  dropconnect: [{ name: 'dropconnect', low: 0.05, high: 0.6, scale: 'linear' }],
  gaussian_noise: [{ name: 'gaussian_noise', low: 0.01, high: 1, scale: 'log' }],
  alpha_dropout: [{ name: 'alpha_dropout', low: 0.01, high: 0.3, scale: 'linear' }],
  batchnorm: [],
} as const satisfies Record<string, readonly Dimension[]>;

export type TechniqueName = keyof typeof TECHNIQUE_DIMENSIONS;
export const TECHNIQUE_NAMES = Object.keys(TECHNIQUE_DIMENSIONS) as TechniqueName[];
export const DEFAULT_TECHNIQUES = ['l1', 'l2', 'dropout'] as const;
export const DEFAULT_LEARNING_RATE_RANGE: readonly [number, number] = [1e-4, 1e-2];
const RATES = new Set(['dropout', 'dropconnect', 'alpha_dropout']);

/** The parts of a technique such as `l2+dropout`, checked against the known techniques. */
export function techniqueParts(technique: string): TechniqueName[] {
  const parts = technique.split('+').map((p) => p.trim().toLowerCase());
  const seen = new Set<string>();
  for (const part of parts) {
    if (!Object.prototype.hasOwnProperty.call(TECHNIQUE_DIMENSIONS, part)) {
      throw new ConfigError(`Invalid \`techniques\`: unknown technique ${describe(part)} in ${describe(technique)}. Expected techniques from ${TECHNIQUE_NAMES.join(', ')}, or combinations such as "l2+dropout".`);
    }
    if (seen.has(part)) throw new ConfigError(`Invalid \`techniques\`: ${describe(part)} appears twice in ${describe(technique)}.`);
    seen.add(part);
  }
  return parts as TechniqueName[];
}

/** The dimensions a technique searches ('none' has none), the learning rate last when searched. */
export function dimensionsOf(technique: string, ranges: ReadonlyMap<string, readonly [number, number]>, learningRate: false | readonly [number, number]): Dimension[] {
  const own = technique === 'none' ? [] : techniqueParts(technique).flatMap((p) => TECHNIQUE_DIMENSIONS[p] as readonly Dimension[]);
  const dims = own.map((d) => {
    const range = ranges.get(d.name);
    return range === undefined ? { ...d } : { ...d, low: range[0], high: range[1] };
  });
  return learningRate === false ? dims : [...dims, { name: 'learningRate', low: learningRate[0], high: learningRate[1], scale: 'log' }];
}

/** Checks a user range for dimension `name`: low < high, positive on log scales, rates in [0, 1). */
export function checkRange(name: string, range: unknown, scale: 'log' | 'linear'): readonly [number, number] {
  const ok = Array.isArray(range) && range.length === 2 && range.every((v) => typeof v === 'number' && Number.isFinite(v)) && range[0] < range[1];
  const positive = ok && (scale === 'linear' ? range[0] >= 0 : range[0] > 0);
  const rateOk = ok && (!RATES.has(name) || range[1] < 1);
  if (!ok || !positive || !rateOk) {
    const expected = scale === 'log' ? 'two numbers 0 < low < high' : RATES.has(name) ? 'two rates 0 <= low < high < 1' : 'two numbers 0 <= low < high';
    throw new ConfigError(`Invalid \`ranges.${name}\`: expected ${expected}. Received: ${name}=${describe(range)}`);
  }
  return [range[0], range[1]];
}

/** A unit-cube coordinate on a dimension. */
export function scaleValue(u: number, d: Dimension): number {
  return d.scale === 'log' ? Math.exp(Math.log(d.low) + u * (Math.log(d.high) - Math.log(d.low))) : d.low + u * (d.high - d.low);
}

/** The compact settings text of a technique at `values` (keyed by dimension name), e.g. `l2=0.0001+dropout=0.3`. */
export function settingText(technique: string, values: ReadonlyMap<string, number>): string {
  if (technique === 'none') return 'none';
  const v = (name: string) => String(values.get(name));
  return techniqueParts(technique)
    .map((part) => (part === 'batchnorm' ? part : part === 'l1_l2' ? `l1_l2=${v('l1_l2.l1')}:${v('l1_l2.l2')}` : `${part}=${v(part)}`))
    .join('+');
}

/** The setting spec (`{ kernelRegularizer: { className, config } … }`) of a technique at `values`. */
export function settingSpec(technique: string, values: ReadonlyMap<string, number>): SettingSpec {
  return parseSettings(settingText(technique, values))[0]!.spec;
}
