/**
 * Turns `keras-ts compare` flags (and an optional --config file) into `study.compare` options.
 * Flags override the file's fields; the file is validated with the same schema as the API.
 */
import * as os from 'node:os';
import type { BackendChoice } from '../backend/backends';
import { ConfigError } from '../errors';
import { datasetSpecOf, readStudyFile } from '../study/config/resolve';
import type { StudyOptions } from '../study/config/resolve';
import type { DatasetSpec } from '../datasets/types';

/** The flags of `keras-ts compare` after commander parsed them. */
export interface CompareFlags {
  config?: string;
  dataset?: string;
  settings?: string;
  hidden?: number[];
  activation?: string;
  epochs?: number;
  batchSize?: number;
  optimizer?: string;
  learningRate?: number;
  repeats?: number;
  seed?: number;
  trainSize?: number;
  testSize?: number;
  validationSize?: number;
  label?: string;
  earlyStopping?: number | true;
  parallel?: number;
  backend?: string;
  saveModels?: boolean;
  /** Redis URL of a queue study (passed to study.compare as `queue`). */
  queue?: string;
  out: string;
}

/** --dataset synthetic | fashion-mnist | mnist | <file.csv>, with the size flags applied. */
function datasetFromFlags(flags: CompareFlags, base: DatasetSpec): DatasetSpec {
  const name = flags.dataset;
  let spec: DatasetSpec = base;
  if (name !== undefined) {
    if (name === 'synthetic' || name === 'fashion-mnist' || name === 'mnist') spec = { source: name };
    else spec = { source: 'csv', path: name };
  }
  if (flags.label !== undefined) {
    if (spec.source !== 'csv') throw new ConfigError('--label applies to CSV datasets only (--dataset <file.csv>).');
    // Passed as text: a column with that name wins over the index (see datasets/csv-table.ts).
    spec = { ...spec, label: flags.label };
  }
  const sizes = { trainSize: flags.trainSize, testSize: flags.testSize, validationSize: flags.validationSize };
  const given = Object.entries(sizes).filter(([, v]) => v !== undefined);
  if (given.length === 0) return spec;
  if (spec.source === 'fashion-mnist' || spec.source === 'mnist') return { ...spec, ...Object.fromEntries(given) };
  if (spec.source === 'synthetic' && flags.testSize === undefined && flags.validationSize === undefined) {
    // Synthetic data splits fractions of `samples`; pick samples so the training split has trainSize rows.
    const trainFraction = spec.trainFraction ?? 0.25;
    return { ...spec, samples: Math.round(flags.trainSize! / trainFraction) };
  }
  throw new ConfigError(`--${given.map(([k]) => k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)).join(', --')} ${
    spec.source === 'synthetic' ? 'is not available for synthetic data (only --train-size is)' : 'applies to fashion-mnist and mnist only'
  }.`);
}

export function studyOptionsFromFlags(flags: CompareFlags): StudyOptions {
  const file = flags.config === undefined ? {} : readStudyFile(flags.config);
  // zod's output types optional fields as `T | undefined`; parsed objects omit absent keys, so this is a StudyFile.
  const { dataset, ...fields } = file;
  const options = { ...fields, out: flags.out } as StudyOptions;
  options.data = datasetFromFlags(flags, datasetSpecOf(dataset));
  if (flags.settings !== undefined) options.settings = flags.settings;
  if (flags.hidden !== undefined) options.hidden = flags.hidden;
  if (flags.activation !== undefined) options.activation = flags.activation as NonNullable<StudyOptions['activation']>;
  if (flags.epochs !== undefined) options.epochs = flags.epochs;
  if (flags.batchSize !== undefined) options.batchSize = flags.batchSize;
  if (flags.optimizer !== undefined || flags.learningRate !== undefined) {
    const current = file.optimizer ?? { name: 'adam' as const };
    options.optimizer = {
      name: current.name,
      ...(current.learningRate !== undefined ? { learningRate: current.learningRate } : {}),
      ...(current.weightDecay !== undefined ? { weightDecay: current.weightDecay } : {}),
      ...(flags.optimizer !== undefined ? { name: flags.optimizer as 'adam' } : {}),
      ...(flags.learningRate !== undefined ? { learningRate: flags.learningRate } : {}),
    };
  }
  if (flags.repeats !== undefined) options.repeats = flags.repeats;
  if (flags.seed !== undefined) options.seed = flags.seed;
  if (flags.earlyStopping !== undefined) options.earlyStopping = flags.earlyStopping === true ? true : { patience: flags.earlyStopping };
  options.parallel = flags.parallel ?? file.parallel ?? os.availableParallelism();
  if (flags.backend !== undefined) options.backend = flags.backend as BackendChoice;
  if (flags.saveModels === true) options.saveModels = true;
  return options;
}
