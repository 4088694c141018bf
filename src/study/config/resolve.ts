/**
 * A study's configuration: the options users pass (`study.compare(options)` or a `--config` file),
 * validated with zod, with every default filled in. The resolved form is plain JSON: it is what
 * makes two runs "the same study" (the resume check) and it is saved with the results.
 */
import * as fs from 'node:fs';
import type { z } from 'zod';
import { ConfigError, describe } from '../../errors';
import type { OptimizerName } from '../../training/optimizers';
import type { ActivationIdentifier } from '../../activations';
import type { Dataset, DatasetSpec } from '../../datasets/types';
import { STUDY_FILE_FIELDS, studyFileSchema } from './schema';
import type { EarlyStoppingSpec, OptimizerSpec, StudyFile } from './schema';
import { DEFAULT_SETTINGS, parseSettings } from './settings';
import type { NamedSetting } from './settings';
import type { StudyEvent } from '../run/events';

/**
 * `study.compare`'s options: every field of the study schema (see schema.ts for each one's meaning
 * and default), plus what only an in-process call can give.
 */
export type StudyOptions = Omit<z.input<typeof studyFileSchema>, 'dataset' | 'optimizer'> & {
  /** Optimizer name or { name, learningRate, weightDecay } (default 'adam'). */
  optimizer?: OptimizerName | { name: OptimizerName; learningRate?: number; weightDecay?: number };
  /** The data: a dataset spec or name (as in a study file), or a loaded dataset (e.g. `datasets.synthetic()`); default 'synthetic'. */
  dataset?: Dataset | DatasetSpec | 'synthetic' | 'fashion-mnist' | 'mnist';
  /** Older name of `dataset`. */
  data?: Dataset | DatasetSpec | 'synthetic' | 'fashion-mnist' | 'mnist';
  /** Folder for the append-only trial log; a rerun with the same folder skips finished trials (default: none). */
  out?: string;
  /** Called on trial start, each epoch and trial end (in this process, also for worker trials). */
  onProgress?: (event: StudyEvent) => void;
  /** Save each setting's best trial (by the ranking metric) as `<out>/models/<setting>.keras`; needs `out` (default false). */
  saveModels?: boolean;
};

/** Option names `study.compare` knows: the schema's fields and the in-process ones. */
export const STUDY_OPTION_NAMES = [...STUDY_FILE_FIELDS, 'data', 'out', 'onProgress', 'saveModels'] as const;

/** The data part of a resolved config: a spec, or a fingerprint of data passed in memory. */
export type DataIdentity = DatasetSpec | { source: 'in-memory'; name: string; fingerprint: string };

/** Everything that determines a study's results; plain JSON. */
export interface StudyConfig {
  data: DataIdentity;
  hidden: number[];
  activation: ActivationIdentifier;
  settings: NamedSetting[];
  epochs: number;
  batchSize: number;
  optimizer: OptimizerSpec;
  repeats: number;
  seed: number;
  earlyStopping: false | { monitor: NonNullable<EarlyStoppingSpec['monitor']>; patience: number; minDelta: number };
  baseline: string;
}

/** "`epochs`: Too small: expected number to be >0. Received: epochs=0" for each issue. */
export function formatIssues(error: z.ZodError, input: unknown, prefix = ''): string {
  return flattenUnions(error.issues)
    .map((issue) => {
      const at = [prefix, ...issue.path.map(String)].filter((p) => p !== '').join('.');
      let value: unknown = input;
      // A string stands for its object form ("adam" → { name: "adam" }): it is the value at any deeper path.
      for (const key of issue.path) value = typeof value === 'string' ? value : (value as Record<PropertyKey, unknown> | undefined)?.[key as PropertyKey];
      const unknown = issue.code === 'unrecognized_keys' || (issue.code === 'custom' && value === undefined);
      const received = unknown ? '' : ` Received: ${at || 'value'}=${describeValue(value)}`;
      return `\`${at || '(root)'}\`: ${issue.message}.${received}`;
    })
    .join('\n  ');
}

/** `describe`, but Infinity and NaN inside objects stay visible (JSON would write them as null). */
export function describeValue(value: unknown): string {
  if (value === null || typeof value !== 'object') return describe(value);
  const marker = '\u0000nonfinite:';
  const text = JSON.stringify(value, (_, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? `${marker}${v}` : v));
  if (text === undefined) return describe(value);
  const shown = text.replace(/"\\u0000nonfinite:([^"]*)"/g, '$1');
  return shown.length > 120 ? `${shown.slice(0, 117)}...` : shown;
}

/**
 * A value that fits no branch of a union ("a string, a list or an object") is reported by the
 * branch it got furthest in — the one whose issues lie deepest — rather than as "Invalid input".
 */
function flattenUnions(issues: readonly z.core.$ZodIssue[]): z.core.$ZodIssue[] {
  return issues.flatMap((issue) => {
    if (issue.code !== 'invalid_union' || issue.errors.length === 0) return [issue];
    const depth = (branch: z.core.$ZodIssue[]) => Math.max(...branch.map((i) => i.path.length));
    const best = issue.errors.reduce((a, b) => (depth(b) > depth(a) ? b : a));
    if (depth(best) === 0) return [issue];
    return flattenUnions(best.map((i) => ({ ...i, path: [...issue.path, ...i.path] }) as z.core.$ZodIssue));
  });
}

/** Validates the serializable fields; throws a ConfigError listing every bad field and value. */
export function parseStudyFile(input: unknown, source = 'study options'): StudyFile {
  const result = studyFileSchema.safeParse(input);
  if (!result.success) throw new ConfigError(`Invalid ${source}:\n  ${formatIssues(result.error, input)}`);
  return result.data;
}

/** Reads and validates a `--config` JSON file. */
export function readStudyFile(file: string): StudyFile {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`Cannot read the study config ${describe(file)}: ${(error as Error).message}`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    throw new ConfigError(`The study config ${describe(file)} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  return parseStudyFile(json, `study config ${file}`);
}

/** Named settings from any accepted form, with unique names. */
export function resolveSettings(settings: StudyFile['settings']): NamedSetting[] {
  if (settings === undefined) return parseSettings(DEFAULT_SETTINGS);
  if (typeof settings === 'string') return parseSettings(settings);
  const list = Array.isArray(settings) ? settings : [...settings].map(([name, spec]) => ({ name, spec }));
  const names = new Set<string>();
  for (const { name } of list) {
    if (names.has(name)) throw new ConfigError(`Invalid \`settings\`: the name ${describe(name)} is used twice; give every setting its own name.`);
    names.add(name);
  }
  return list.map(({ name, spec }) => ({ name, spec }));
}

/** Validation rows a study holds out of an IDX training file when the spec does not say. */
export const STUDY_IDX_VALIDATION_SIZE = 5000;

export function datasetSpecOf(dataset: StudyFile['dataset']): DatasetSpec {
  return (dataset as DatasetSpec | undefined) ?? { source: 'synthetic' };
}

/**
 * The spec a study trains on. Learning curves and early stopping need validation data, and the
 * test split must stay unseen, so IDX datasets hold out STUDY_IDX_VALIDATION_SIZE training rows.
 */
export function studyDatasetSpec(spec: DatasetSpec): DatasetSpec {
  if ((spec.source === 'fashion-mnist' || spec.source === 'mnist') && spec.validationSize === undefined) {
    return { ...spec, validationSize: STUDY_IDX_VALIDATION_SIZE };
  }
  return spec;
}

/**
 * A constraint's `axis` must exist in the tensor it constrains: a Dense kernel is 2-D (axis in
 * [-2, 1]), a bias 1-D (axis in [-1, 0]). Checked here, since constraints cannot know the rank.
 */
function checkConstraintAxes(setting: string, spec: NamedSetting['spec']): void {
  for (const [field, rank] of [['kernelConstraint', 2], ['biasConstraint', 1]] as const) {
    const axis = spec[field]?.config?.['axis'];
    if (axis === undefined) continue;
    const axes = Array.isArray(axis) ? axis : [axis];
    if (!axes.every((a) => Number.isInteger(a) && (a as number) >= -rank && (a as number) < rank)) {
      throw new ConfigError(
        `Invalid \`settings.${setting}.${field}.config.axis\`: expected an axis of the ${rank}-D ${field === 'kernelConstraint' ? 'kernel' : 'bias'}, an integer in [${-rank}, ${rank - 1}]. Received: axis=${describe(axis)}`,
      );
    }
  }
}

/** Fills every default; `data` is resolved by the caller (it may need a fingerprint of tensors). */
export function resolveConfig(file: StudyFile, data: DataIdentity): StudyConfig {
  const settings = resolveSettings(file.settings);
  const hidden = file.hidden ?? [64, 64];
  for (const { name, spec } of settings) {
    if (Array.isArray(spec.dropout) && spec.dropout.length !== hidden.length) {
      throw new ConfigError(
        `Invalid \`settings.${name}.dropout\`: expected one rate per hidden layer (${hidden.length}). Received: dropout=${describe(spec.dropout)}`,
      );
    }
  }
  for (const { name, spec } of settings) checkConstraintAxes(name, spec);
  const baseline = file.baseline ?? (settings.some((s) => s.name === 'none') ? 'none' : settings[0]!.name);
  if (!settings.some((s) => s.name === baseline)) {
    throw new ConfigError(`Invalid \`baseline\`: expected one of the settings (${settings.map((s) => s.name).join(', ')}). Received: baseline=${describe(baseline)}`);
  }
  const seed = file.seed ?? 0;
  const repeats = file.repeats ?? 3;
  if (seed + repeats - 1 > 0xffffffff) {
    throw new ConfigError(
      `Invalid \`seed\`: repeat r uses seed + r, so seed + repeats − 1 must be at most 4294967295 (2^32 − 1); with repeats=${repeats} the seed can be at most ${0xffffffff - repeats + 1}. Received: seed=${seed}`,
    );
  }
  const es = file.earlyStopping ?? false;
  return {
    data,
    hidden,
    activation: file.activation ?? 'relu',
    settings,
    epochs: file.epochs ?? 40,
    batchSize: file.batchSize ?? 32,
    optimizer: file.optimizer ?? { name: 'adam' },
    repeats,
    seed,
    earlyStopping: es === false ? false : {
      monitor: (es === true ? undefined : es.monitor) ?? 'val_loss',
      patience: (es === true ? undefined : es.patience) ?? 5,
      minDelta: (es === true ? undefined : es.minDelta) ?? 0,
    },
    baseline,
  };
}

/** Canonical JSON (sorted keys): equal configs give equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Top-level fields whose values differ, for "this folder holds another study" errors. */
export function configDifferences(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return keys
    .filter((k) => canonicalJson(a[k]) !== canonicalJson(b[k]))
    .map((k) => `${k}: ${describe(a[k])} there, ${describe(b[k])} here`);
}
