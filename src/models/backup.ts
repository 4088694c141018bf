/**
 * The training backup BackupAndRestore keeps: one `.keras` file with the weights, the optimizer's
 * slots and step count, keras-ts' random streams and the callback's counters (the finished epochs)
 * under keras-ts' extras. One file written atomically, so a kill at any instant leaves either the
 * previous backup or the new one, never a mix. Restoring writes into the live, compiled model
 * (its compile settings are kept, as Keras' BackupAndRestore keeps them).
 */
import * as fs from 'node:fs';
import { ConfigError, FormatError, describe } from '../errors';
import { writeFileAtomic } from '../io/atomic';
import { decodeKerasArchive, encodeKerasArchive } from '../saving/keras';
import type { TrainingState } from '../saving/artifacts';
import { modelToArtifacts, restoreOptimizerAndStreams, setWeightsFromArtifacts } from './model-state';
import type { RandomExtras } from './model-state';
import type { Sequential } from './sequential';

const BACKUP_KEY = 'backup';

export async function writeTrainingBackup(model: Sequential, file: string, info: Record<string, number>): Promise<void> {
  if (!model.isCompiled) throw new ConfigError('Cannot back up the training state: the model is not compiled.');
  const artifacts = await modelToArtifacts(model, { includeOptimizer: true });
  const training = artifacts.training!;
  training.extras = { ...training.extras, [BACKUP_KEY]: { ...info } };
  writeFileAtomic(file, await encodeKerasArchive(artifacts, { includeOptimizer: true }));
}

export async function readTrainingBackup(model: Sequential, file: string): Promise<Record<string, number>> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(fs.readFileSync(file));
  } catch (error) {
    throw new FormatError(`Cannot read the training backup ${describe(file)}: ${(error as Error).message}`, { cause: error });
  }
  const artifacts = await decodeKerasArchive(bytes, file);
  const info = artifacts.training?.extras?.[BACKUP_KEY];
  if (artifacts.training === undefined || info === null || typeof info !== 'object' || Array.isArray(info)) {
    throw new FormatError(`${file}: not a training backup (no optimizer state or no backup counters); was it written by BackupAndRestore?`);
  }
  const counters = Object.create(null) as Record<string, number>;
  for (const [key, value] of Object.entries(info)) {
    if (!(typeof value === 'number' && Number.isInteger(value) && value >= 0)) throw new FormatError(`${file}: backup counter '${key}' is ${describe(value)}; expected an integer >= 0.`);
    counters[key] = value;
  }
  setWeightsFromArtifacts(model, artifacts, file);
  await restoreOptimizerAndStreams(model, byLiveLayerNames(model, artifacts.training, artifacts.layers.map((l) => l.layerName)), file);
  return counters;
}

/**
 * The training state with layer names of the live model: a backup belongs to the same stack of
 * layers, matched by position (as Keras' load_weights), while auto-generated names ('dense_14')
 * differ between two models built in one process.
 */
function byLiveLayerNames(model: Sequential, training: TrainingState, savedNames: string[]): TrainingState {
  const rename = new Map(savedNames.map((name, i) => [name, model.layers[i]?.name ?? name]));
  const live = (name: string): string => {
    const cut = name.indexOf('/');
    return cut < 0 ? name : `${rename.get(name.slice(0, cut)) ?? name.slice(0, cut)}${name.slice(cut)}`;
  };
  const random = training.extras?.['random'] as RandomExtras | undefined;
  const layers = random?.layers === undefined ? undefined : Object.fromEntries(Object.entries(random.layers).map(([name, state]) => [rename.get(name) ?? name, state]));
  return {
    ...training,
    slots: training.slots.map((slot) => ({ ...slot, name: live(slot.name) })),
    extras: { ...training.extras, random: { ...random, ...(layers === undefined ? {} : { layers }) } },
  };
}
