/**
 * `study.tune`'s options and their resolved form. The resolved config is plain JSON: it is what
 * makes two runs "the same search" (the resume check) and is saved with the results. The time
 * budget is left out of it: it bounds how long a run goes on, not which trials it runs.
 */
import { ConfigError, describe } from '../../errors';
import { readOptions } from '../../options';
import type { ActivationIdentifier } from '../../activations';
import type { BackendChoice } from '../../backend/backends';
import type { Dataset, DatasetSpec } from '../../datasets/types';
import type { OptimizerName } from '../../training/optimizers';
import { parseStudyFile } from '../config/resolve';
import { checkQueueUrl } from '../queue/connection';
import type { DataIdentity } from '../config/resolve';
import type { OptimizerSpec } from '../config/schema';
import { SAMPLER_NAMES } from './sampler';
import type { SamplerName } from './sampler';
import { PRUNER_NAMES } from './scheduler';
import type { PrunerName } from './scheduler';
import { DEFAULT_LEARNING_RATE_RANGE, DEFAULT_TECHNIQUES, TECHNIQUE_DIMENSIONS, checkRange, techniqueParts } from './space';
import type { Dimension } from './space';
import type { TuneEvent } from './events';

export interface TuneOptions {
  /** The data: a spec or name, or a loaded dataset; it needs a validation split (default 'synthetic'). */
  dataset?: Dataset | DatasetSpec | 'synthetic' | 'fashion-mnist' | 'mnist';
  /** Techniques to tune, a list or "l1,l2,dropout,l2+dropout"; the baseline 'none' is always tuned too (default l1, l2, dropout). */
  techniques?: string | string[];
  /** Trials each technique may start (default 9; a technique with nothing to search runs 1). */
  trials?: number;
  /** Stop starting segments after this many minutes, then confirm what was found (default: no limit). */
  budgetMinutes?: number;
  /** The most epochs a trial trains, the last rung (default 27). */
  epochs?: number;
  /** Epochs at the first rung, ASHA's r (default 3). */
  minEpochs?: number;
  /** ASHA's reduction factor η: the best 1/η of a rung go on (default 3). */
  reductionFactor?: number;
  /** 'asha' | 'median' | 'none' (default 'asha'). */
  pruner?: PrunerName;
  /** 'halton' | 'random' (default 'halton'). */
  sampler?: SamplerName;
  /** Search ranges by dimension name, e.g. { l2: [1e-5, 1e-2], dropout: [0.1, 0.5] } (defaults in space.ts). */
  ranges?: Record<string, [number, number]>;
  /** Also search the learning rate (every technique and the baseline): true for [1e-4, 1e-2], or a range (default false). */
  learningRate?: boolean | [number, number];
  /** Hidden layer sizes (default [64, 64]). */
  hidden?: number[];
  /** Hidden activation (default 'relu'). */
  activation?: ActivationIdentifier;
  /** Rows per step (default 32). */
  batchSize?: number;
  /** Optimizer (default 'adam'). */
  optimizer?: OptimizerName | { name: OptimizerName; learningRate?: number; weightDecay?: number };
  /** Fresh seeds the best setting of each technique is retrained with and tested on (default 3). */
  repeats?: number;
  /** Early-stopping patience of the confirmation runs (default 5). */
  patience?: number;
  /** Search seed: initial weights of every search trial; repeat r of the confirmation uses seed + 1 + r (default 0). */
  seed?: number;
  /** 'auto' | 'tensorflow' | 'wasm' | 'cpu' (default 'auto'). */
  backend?: BackendChoice;
  /** Worker processes that train segments and confirmation runs side by side (default 1: in this process). Techniques search in parallel; the answer does not depend on it. */
  parallel?: number;
  /** Redis URL (redis://host:port[/db], rediss://…): segments and confirmation runs go to `keras-ts worker` processes anywhere, as BullMQ jobs. */
  queue?: string;
  /** Folder for the search log and checkpoints; a rerun with the same folder resumes (default: a temporary folder). */
  out?: string;
  /** Called after each segment and confirmation trial. */
  onProgress?: (event: TuneEvent) => void;
}

export const TUNE_OPTION_NAMES = [
  'dataset', 'techniques', 'trials', 'budgetMinutes', 'epochs', 'minEpochs', 'reductionFactor', 'pruner', 'sampler', 'ranges', 'learningRate',
  'hidden', 'activation', 'batchSize', 'optimizer', 'repeats', 'patience', 'seed', 'backend', 'parallel', 'queue', 'out', 'onProgress',
] as const;

/** Everything that determines a search's trials and answer; plain JSON. */
export interface TuneConfig {
  data: DataIdentity;
  /** 'none' first, then the techniques asked for. */
  techniques: string[];
  trials: number;
  epochs: number;
  minEpochs: number;
  reductionFactor: number;
  pruner: PrunerName;
  sampler: SamplerName;
  /** User ranges by dimension name, as [name, [low, high]] pairs in the order given. */
  ranges: [string, [number, number]][];
  learningRate: false | [number, number];
  hidden: number[];
  activation: ActivationIdentifier;
  batchSize: number;
  optimizer: OptimizerSpec;
  repeats: number;
  patience: number;
  seed: number;
}

const OWNER = 'study.tune';
const isInt = (v: unknown, min: number): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= min;

function intOption(name: string, value: unknown, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (!isInt(value, min)) throw new ConfigError(`Invalid \`${name}\` for ${OWNER}: expected an integer >= ${min}. Received: ${name}=${describe(value)}`);
  return value;
}

function choice<T extends string>(name: string, value: unknown, known: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!known.includes(value as T)) throw new ConfigError(`Invalid \`${name}\` for ${OWNER}: expected one of ${known.join(', ')}. Received: ${name}=${describe(value)}`);
  return value as T;
}

function techniquesOf(value: unknown): string[] {
  if (value === undefined) return [...DEFAULT_TECHNIQUES];
  const list = typeof value === 'string' ? value.split(',') : value;
  if (!Array.isArray(list) || list.length === 0 || !list.every((t) => typeof t === 'string' && t.trim() !== '')) {
    throw new ConfigError(`Invalid \`techniques\` for ${OWNER}: expected a list such as "l1,l2,dropout,l2+dropout". Received: techniques=${describe(value)}`);
  }
  const names = (list as string[]).map((t) => techniqueParts(t).join('+')).filter((t) => t !== 'none');
  const duplicate = names.find((t, i) => names.indexOf(t) !== i);
  if (duplicate !== undefined) throw new ConfigError(`Invalid \`techniques\` for ${OWNER}: ${describe(duplicate)} is listed twice.`);
  return names;
}

function rangesOf(value: unknown): [string, [number, number]][] {
  if (value === undefined) return [];
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError(`Invalid \`ranges\` for ${OWNER}: expected an object such as { l2: [1e-5, 1e-2] }. Received: ranges=${describe(value)}`);
  }
  const dims = new Map<string, Dimension>();
  for (const list of Object.values(TECHNIQUE_DIMENSIONS)) for (const d of list as readonly Dimension[]) dims.set(d.name, d);
  return Object.entries(value).map(([name, range]) => {
    const dim = dims.get(name);
    if (dim === undefined) throw new ConfigError(`Invalid \`ranges\` for ${OWNER}: unknown dimension ${describe(name)}. Expected one of ${[...dims.keys()].join(', ')}.`);
    return [name, [...checkRange(name, range, dim.scale)] as [number, number]];
  });
}

/** Checks every option (one clear error for the first bad one) and fills in the defaults. */
export function resolveTuneConfig(options: TuneOptions, data: DataIdentity): TuneConfig {
  const o = readOptions(OWNER, options, TUNE_OPTION_NAMES);
  if (o.budgetMinutes !== undefined && !(typeof o.budgetMinutes === 'number' && o.budgetMinutes > 0 && Number.isFinite(o.budgetMinutes))) {
    throw new ConfigError(`Invalid \`budgetMinutes\` for ${OWNER}: expected a number of minutes > 0. Received: budgetMinutes=${describe(o.budgetMinutes)}`);
  }
  if (o.onProgress !== undefined && typeof o.onProgress !== 'function') throw new ConfigError(`Invalid \`onProgress\` for ${OWNER}: expected a function. Received: onProgress=${describe(o.onProgress)}`);
  if (o.parallel !== undefined && !isInt(o.parallel, 1)) throw new ConfigError(`Invalid \`parallel\` for ${OWNER}: expected a number of worker processes >= 1. Received: parallel=${describe(o.parallel)}`);
  if (o.queue !== undefined) checkQueueUrl(o.queue);
  if (o.parallel !== undefined && o.parallel > 1 && o.queue !== undefined) throw new ConfigError(`Both \`parallel\` and \`queue\` given to ${OWNER}: with a queue the workers are \`keras-ts worker\` processes (their --concurrency sets how many at once); drop \`parallel\`.`);
  if (o.out !== undefined && (typeof o.out !== 'string' || o.out === '')) throw new ConfigError(`Invalid \`out\` for ${OWNER}: expected a folder path. Received: out=${describe(o.out)}`);
  // The model and training options mean what they mean in a study: one validator for both.
  const model = parseStudyFile(
    { hidden: o.hidden, activation: o.activation, batchSize: o.batchSize, optimizer: o.optimizer, backend: o.backend },
    `${OWNER} options`,
  );
  const epochs = intOption('epochs', o.epochs, 27, 1);
  const minEpochs = intOption('minEpochs', o.minEpochs, Math.min(3, epochs), 1);
  if (minEpochs > epochs) throw new ConfigError(`Invalid \`minEpochs\` for ${OWNER}: expected at most epochs (${epochs}). Received: minEpochs=${minEpochs}`);
  const repeats = intOption('repeats', o.repeats, 3, 1);
  const seed = intOption('seed', o.seed, 0, 0);
  if (seed + repeats > 0xffffffff) throw new ConfigError(`Invalid \`seed\` for ${OWNER}: confirmation repeat r uses seed + 1 + r, so seed + repeats must be at most 4294967295. Received: seed=${seed}`);
  let learningRate: false | [number, number] = false;
  if (o.learningRate === true) learningRate = [...DEFAULT_LEARNING_RATE_RANGE] as [number, number];
  else if (Array.isArray(o.learningRate)) learningRate = [...checkRange('learningRate', o.learningRate, 'log')] as [number, number];
  else if (o.learningRate !== undefined && o.learningRate !== false) {
    throw new ConfigError(`Invalid \`learningRate\` for ${OWNER}: expected true, false or a range [low, high]. Received: learningRate=${describe(o.learningRate)}`);
  }
  return {
    data,
    techniques: ['none', ...techniquesOf(o.techniques)],
    trials: intOption('trials', o.trials, 9, 1),
    epochs,
    minEpochs,
    reductionFactor: intOption('reductionFactor', o.reductionFactor, 3, 2),
    pruner: choice('pruner', o.pruner, PRUNER_NAMES, 'asha'),
    sampler: choice('sampler', o.sampler, SAMPLER_NAMES, 'halton'),
    ranges: rangesOf(o.ranges),
    learningRate,
    hidden: model.hidden ?? [64, 64],
    activation: model.activation ?? 'relu',
    batchSize: model.batchSize ?? 32,
    optimizer: model.optimizer ?? { name: 'adam' },
    repeats,
    patience: intOption('patience', o.patience, 5, 0),
    seed,
  };
}
