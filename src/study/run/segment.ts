/**
 * One training segment, the tuner's unit of work: the study's MLP under its one setting, trained
 * from epoch `from` to `to` with a validation pass after each epoch. It continues from `resumeFrom`
 * (a checkpoint with weights, optimizer and random streams) when that file exists; otherwise it
 * replays epochs 0..from from the seed. Both give the same numbers (a checkpoint continues bit for
 * bit), so a worker on another machine, without the file, gets the same answer, only later.
 */
import * as fs from 'node:fs';
import { setRandomSeed } from '../../backend/random';
import type { tf } from '../../backend/tf';
import type { Dataset, Split, Task } from '../../datasets/types';
import { ConfigError, describe } from '../../errors';
import { loadModel } from '../../models/load';
import { saveModel } from '../../models/save';
import type { Sequential } from '../../models/sequential';
import type { StudyConfig } from '../config/resolve';
import { buildModel } from './model-for-setting';

/** The rows a search may read: training and validation, never test. */
export interface SearchData {
  name: string;
  task: Task;
  features: number;
  classes?: number;
  train: Split;
  validation: Split;
}

/** The search's view of a dataset: its test split is left out, so search code cannot read it. */
export function searchView(dataset: Dataset): SearchData {
  if (dataset.validation === undefined) {
    throw new ConfigError(`study.tune selects on validation data, but the dataset ${describe(dataset.name)} has no validation split; give it validation rows (validationSize / validationFraction > 0).`);
  }
  return {
    name: dataset.name, task: dataset.task, features: dataset.features, train: dataset.train, validation: dataset.validation,
    ...(dataset.classes === undefined ? {} : { classes: dataset.classes }),
  };
}

export interface SegmentJob {
  /** Epochs already trained (0: a new model from the config's seed). */
  from: number;
  /** Epochs trained when the segment ends. */
  to: number;
  /** Checkpoint of epoch `from` to continue from; replayed from the seed when absent. */
  resumeFrom?: string;
  /** Where to save the state at epoch `to` (optimizer and random streams included), for a later segment. */
  saveTo?: string;
  /** A name for this segment that is unique within its search (queue job ids). */
  key: string;
}

export interface SegmentOutcome {
  from: number;
  to: number;
  /** Per epoch from..to-1: validation loss (penalty included), its penalty, accuracy (classification). */
  curves: { val_loss: number[]; val_penalty: number[]; val_accuracy?: number[] };
  /** True when the checkpoint was missing and epochs 0..from were trained again. */
  replayed: boolean;
  seconds: number;
}

/** `onEpoch` hears each finished epoch (0-based), replayed ones included. */
export async function runSegment(config: StudyConfig, data: SearchData, job: SegmentJob, onEpoch?: (epoch: number) => void): Promise<SegmentOutcome> {
  const classification = data.task === 'classification';
  const resume = job.from > 0 && job.resumeFrom !== undefined && fs.existsSync(job.resumeFrom);
  const start = resume ? job.from : 0;
  let model: Sequential;
  if (resume) {
    model = await loadModel(job.resumeFrom!);
  } else {
    setRandomSeed(config.seed);
    model = buildModel(config, config.settings[0]!.spec, data.features, classification ? data.classes! : 1, classification);
  }
  try {
    const started = performance.now();
    const history = await model.fit(data.train.x, data.train.y, {
      epochs: job.to,
      initialEpoch: start,
      batchSize: config.batchSize,
      verbose: 0,
      validationData: [data.validation.x, data.validation.y] as [tf.Tensor, tf.Tensor],
      ...(onEpoch === undefined ? {} : { callbacks: [{ onEpochEnd: (epoch: number) => onEpoch(epoch) }] }),
    });
    if (job.saveTo !== undefined) await saveModel(model, job.saveTo, { includeOptimizer: true });
    const h = history.history;
    const skip = job.from - start; // epochs replayed before this segment
    const part = (key: string) => (h[key] ?? []).slice(skip);
    const curves: SegmentOutcome['curves'] = { val_loss: part('val_loss'), val_penalty: part('val_penalty') };
    if (h['val_accuracy'] !== undefined) curves.val_accuracy = part('val_accuracy');
    return { from: job.from, to: job.to, curves, replayed: job.from > 0 && !resume, seconds: (performance.now() - started) / 1000 };
  } finally {
    model.dispose();
  }
}
