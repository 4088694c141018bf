/**
 * Regularization settings of a study: plain data in keras-ts' one config form (so they cross
 * process boundaries and identify a study on disk), parsed from the CLI's compact form
 * `none,l1=1e-4,l2=1e-4+dropout=0.2`: `l1=1e-4` is `{ kernelRegularizer: { className: 'L1', config: { l1: 1e-4 } } }`.
 */
import { ConfigError, describe } from '../../errors';
import type { SettingSpec } from './schema';

export type { SettingSpec };

export interface NamedSetting {
  name: string;
  spec: SettingSpec;
}

/** Strengths a bare `l1`, `l2`, `l1_l2`, `dropout` or `maxnorm` token stands for (the Keras article's values). */
export const DEFAULT_STRENGTH = {
  l1: 1e-3, l2: 1e-3, dropout: 0.2, maxNorm: 3, l1Prox: 1e-4, orthogonal: 0.01, dropConnect: 0.2, gaussianNoise: 0.1, alphaDropout: 0.1,
} as const;

/** The default study: the unregularized baseline and one of each technique. */
export const DEFAULT_SETTINGS = 'none,l1,l2,l1_l2,dropout';

const SETTINGS_HELP =
  'a comma-separated list such as "none,l1=1e-4,l2=1e-4,l1_l2=1e-4:1e-4,dropout=0.3,l2=1e-4+dropout=0.2,maxnorm=3,' +
  'l1_prox=1e-4,orthogonal=0.01,dropconnect=0.2,batchnorm,gaussian_noise=0.1,alpha_dropout=0.1"';

function settingsError(token: string, why: string): ConfigError {
  return new ConfigError(`Invalid \`settings\`: ${why} in ${describe(token)}. Expected ${SETTINGS_HELP}.`);
}

/** A plain decimal number: digits, an optional fraction and exponent (no hex, no "Infinity"). */
const DECIMAL = /^[+]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The value after `=`: absent means the default; present must be a complete decimal number >= 0 (or > 0 when `positive`). */
function number(token: string, text: string | undefined, fallback: number, positive = false): number {
  if (text === undefined) return fallback;
  if (text === '') throw settingsError(token, "a value is missing after '=' (leave out '=' for the default)");
  const value = Number(text);
  const expected = positive ? 'a number > 0' : 'a number >= 0';
  if (!DECIMAL.test(text) || !Number.isFinite(value)) throw settingsError(token, `${describe(text)} is not ${expected} (plain decimal, e.g. 1e-4)`);
  if (positive && value <= 0) throw settingsError(token, `${describe(text)} is not ${expected}`);
  return value;
}

const KNOWN_TECHNIQUES = ['none', 'l1', 'l2', 'l1_l2', 'dropout', 'maxnorm', 'l1_prox', 'orthogonal', 'dropconnect', 'batchnorm', 'gaussian_noise', 'alpha_dropout'];

/** A rate in [0, 1) for `what` (e.g. 'a dropconnect'). */
function rateOf(token: string, text: string | undefined, fallback: number, what: string): number {
  const rate = number(token, text, fallback);
  if (rate >= 1) throw settingsError(token, `${what} rate must be in [0, 1)`);
  return rate;
}

/** Adds one `+`-separated part (e.g. `l2=1e-4`) to a spec. */
function applyPart(spec: SettingSpec, part: string, token: string): void {
  const [key = '', value, extra] = part.split('=');
  if (extra !== undefined) throw settingsError(token, `too many '=' in ${describe(part)}`);
  const set = <K extends keyof SettingSpec>(k: K, v: SettingSpec[K]) => {
    if (spec[k] !== undefined) throw settingsError(token, `${k} is given twice`);
    spec[k] = v;
  };
  switch (key.toLowerCase()) {
    case 'none':
      if (value !== undefined) throw settingsError(token, "'none' takes no value");
      return;
    case 'l1':
      return set('kernelRegularizer', { className: 'L1', config: { l1: number(token, value, DEFAULT_STRENGTH.l1) } });
    case 'l2':
      return set('kernelRegularizer', { className: 'L2', config: { l2: number(token, value, DEFAULT_STRENGTH.l2) } });
    case 'l1_l2':
    case 'l1l2': {
      const strengths = value?.split(':');
      if (strengths !== undefined && strengths.length > 2) throw settingsError(token, `l1_l2 takes one strength or l1:l2, got ${strengths.length} values`);
      const [a, b] = strengths ?? [];
      const l1 = number(token, a, DEFAULT_STRENGTH.l1);
      return set('kernelRegularizer', { className: 'L1L2', config: { l1, l2: number(token, b ?? a, DEFAULT_STRENGTH.l2) } });
    }
    case 'dropout': {
      const rate = number(token, value, DEFAULT_STRENGTH.dropout);
      if (rate >= 1) throw settingsError(token, 'a dropout rate must be in [0, 1)');
      return set('dropout', rate);
    }
    case 'maxnorm':
      return set('kernelConstraint', { className: 'MaxNorm', config: { maxValue: number(token, value, DEFAULT_STRENGTH.maxNorm, true) } });
    case 'l1_prox':
      return set('kernelRegularizer', { className: 'L1Prox', config: { l1: number(token, value, DEFAULT_STRENGTH.l1Prox) } });
    case 'orthogonal':
      return set('kernelRegularizer', { className: 'OrthogonalRegularizer', config: { factor: number(token, value, DEFAULT_STRENGTH.orthogonal), mode: 'rows' } });
    case 'dropconnect':
      return set('dropConnect', rateOf(token, value, DEFAULT_STRENGTH.dropConnect, 'a dropconnect'));
    case 'alpha_dropout':
      return set('alphaDropout', rateOf(token, value, DEFAULT_STRENGTH.alphaDropout, 'an alpha_dropout'));
    case 'gaussian_noise':
      return set('gaussianNoise', number(token, value, DEFAULT_STRENGTH.gaussianNoise));
    case 'batchnorm':
      if (value !== undefined) throw settingsError(token, "'batchnorm' takes no value");
      return set('batchNormalization', true);
    default:
      throw settingsError(token, `unknown technique ${describe(key)} (known: ${KNOWN_TECHNIQUES.join(', ')})`);
  }
}

/**
 * Parses `none,l1=1e-4,l2=1e-4+dropout=0.2`. A setting is named by its techniques without values
 * (`none`, `l1`, `l2+dropout`); when two settings would share a name, both keep their full text.
 */
export function parseSettings(text: string): NamedSetting[] {
  if (typeof text !== 'string' || text.trim() === '') throw new ConfigError(`Invalid \`settings\`: expected ${SETTINGS_HELP}. Received: ${describe(text)}`);
  const tokens = text.split(',').map((t) => t.trim());
  const parsed = tokens.map((token) => {
    if (token === '') throw settingsError(text, 'an empty setting');
    const spec: SettingSpec = {};
    const parts = token.split('+').map((p) => p.trim());
    for (const part of parts) applyPart(spec, part, token);
    return { short: parts.map((p) => p.split('=')[0]!.toLowerCase()).join('+'), token, spec };
  });
  const seen = new Set<string>();
  for (const { token } of parsed) {
    if (seen.has(token)) throw settingsError(token, 'this setting is listed twice');
    seen.add(token);
  }
  const shortCount = new Map<string, number>();
  for (const { short } of parsed) shortCount.set(short, (shortCount.get(short) ?? 0) + 1);
  return parsed.map(({ short, token, spec }) => ({ name: shortCount.get(short) === 1 ? short : token, spec }));
}
