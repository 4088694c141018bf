/**
 * A study's configuration: the options users pass (`study.compare(options)` or a `--config` file),
 * validated with zod, with every default filled in. The resolved form is plain JSON: it is what
 * makes two runs "the same study" (the resume check) and it is saved with the results.
 */
import * as fs from 'node:fs';
import type { z } from 'zod';
import type { BackendChoice } from '../../backend/backends';
import { ConfigError, describe } from '../../errors';
import type { ActivationIdentifier } from '../../activations';
import type { OptimizerName } from '../../training/optimizers';
import type { Dataset, DatasetSpec } from '../../datasets/types';
import { studyFileSchema } from './schema';
import type { StudyFile } from './schema';
import { DEFAULT_SETTINGS, parseSettings } from './settings';
import type { NamedSetting, SettingSpec } from './settings';
import type { StudyEvent } from '../run/events';

export interface EarlyStoppingSpec {
  /** Logged value to watch (default 'val_loss'). */
  monitor?: 'val_loss' | 'loss' | 'val_accuracy' | 'accuracy';
  /** Epochs without improvement before stopping (default 5). */
  patience?: number;
  /** Smallest change that counts as an improvement (default 0). */
  minDelta?: number;
}

export interface StudyOptions {
  /** The data: a loaded dataset (e.g. `datasets.synthetic()`), a dataset spec, or a name (default 'synthetic'). */
  data?: Dataset | DatasetSpec | 'synthetic' | 'fashion-mnist' | 'mnist';
  /** Hidden layer sizes of the MLP (default [64, 64]). */
  hidden?: number[];
  /** Hidden layers' activation (default 'relu'). */
  activation?: ActivationIdentifier;
  /** Named settings: "none,l1=1e-4,dropout=0.3", a list of { name, spec } or { name: spec } (default "none,l1,l2,l1_l2,dropout"). */
  settings?: string | NamedSetting[] | Record<string, SettingSpec>;
  /** Epochs per trial (default 40). */
  epochs?: number;
  /** Rows per gradient step (default 32). */
  batchSize?: number;
  /** Optimizer name or { name, learningRate } (default 'adam'). */
  optimizer?: OptimizerName | { name: OptimizerName; learningRate?: number; weightDecay?: number };
  /** Repeats per setting; repeat r uses the same seed for every setting (default 3). */
  repeats?: number;
  /** Study seed: fixes the data split and, with the repeat index, weights, dropout masks and batch order (default 0). */
  seed?: number;
  /** Stop a trial when its validation loss stops improving, restoring the best weights (default false). */
  earlyStopping?: boolean | EarlyStoppingSpec;
  /** Trials run at once in worker processes (default 1: in this process). */
  parallel?: number;
  /** Backend for every trial (default 'auto'). */
  backend?: BackendChoice;
  /** Setting the others are compared with (default 'none' when present, else the first). */
  baseline?: string;
  /** Folder for the append-only trial log; a rerun with the same folder skips finished trials (default: none). */
  out?: string;
  /** Called on trial start, each epoch and trial end (in this process, also for worker trials). */
  onProgress?: (event: StudyEvent) => void;
}

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
  optimizer: { name: OptimizerName; learningRate?: number; weightDecay?: number };
  repeats: number;
  seed: number;
  earlyStopping: false | Required<EarlyStoppingSpec>;
  baseline: string;
}

/** "`epochs`: Too small: expected number to be >0. Received: epochs=0" for each issue. */
export function formatIssues(error: z.ZodError, input: unknown, prefix = ''): string {
  return error.issues
    .map((issue) => {
      const at = [prefix, ...issue.path.map(String)].filter((p) => p !== '').join('.');
      let value: unknown = input;
      // A string stands for its object form ("adam" → { name: "adam" }): it is the value at any deeper path.
      for (const key of issue.path) value = typeof value === 'string' ? value : (value as Record<PropertyKey, unknown> | undefined)?.[key as PropertyKey];
      const received = issue.code === 'unrecognized_keys' ? '' : ` Received: ${at || 'value'}=${describe(value)}`;
      return `\`${at || '(root)'}\`: ${issue.message}.${received}`;
    })
    .join('\n  ');
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
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`The study config ${describe(file)} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  return parseStudyFile(json, `study config ${file}`);
}

/** Named settings from any accepted form, with unique names. */
export function resolveSettings(settings: StudyFile['settings']): NamedSetting[] {
  if (settings === undefined) return parseSettings(DEFAULT_SETTINGS);
  if (typeof settings === 'string') return parseSettings(settings);
  const list = Array.isArray(settings) ? settings : Object.entries(settings).map(([name, spec]) => ({ name, spec }));
  const names = new Set<string>();
  for (const { name } of list) {
    if (names.has(name)) throw new ConfigError(`Invalid \`settings\`: the name ${describe(name)} is used twice; give every setting its own name.`);
    names.add(name);
  }
  return list.map(({ name, spec }) => ({ name, spec: spec as SettingSpec }));
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
  const baseline = file.baseline ?? (settings.some((s) => s.name === 'none') ? 'none' : settings[0]!.name);
  if (!settings.some((s) => s.name === baseline)) {
    throw new ConfigError(`Invalid \`baseline\`: expected one of the settings (${settings.map((s) => s.name).join(', ')}). Received: baseline=${describe(baseline)}`);
  }
  const es = file.earlyStopping ?? false;
  return {
    data,
    hidden,
    activation: file.activation ?? 'relu',
    settings,
    epochs: file.epochs ?? 40,
    batchSize: file.batchSize ?? 32,
    optimizer: (file.optimizer as StudyConfig['optimizer'] | undefined) ?? { name: 'adam' },
    repeats: file.repeats ?? 3,
    seed: file.seed ?? 0,
    earlyStopping: es === false ? false : { monitor: 'val_loss', patience: 5, minDelta: 0, ...(es === true ? {} : (es as EarlyStoppingSpec)) },
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
