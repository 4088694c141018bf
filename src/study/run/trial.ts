/**
 * One trial: train the study's MLP under one setting for one repeat, then measure it in inference
 * mode. Runs the same in this process or in a worker, so serial and parallel studies agree bit for bit.
 */
import { current } from '../../backend/backends';
import { setRandomSeed } from '../../backend/random';
import { tf } from '../../backend/tf';
import { DenseLayer } from '../../layers';
import { EarlyStopping } from '../../training/callbacks';
import type { Callback, Logs } from '../../training/callbacks';
import type { Sequential } from '../../models/sequential';
import type { StudyConfig } from '../config/resolve';
import type { Dataset, Split } from '../../datasets/types';
import type { StudyEvent } from './events';
import { generalizationGap, kernelStats } from '../analysis';
import { buildModel } from './model-for-setting';
import type { SplitScore, TrialCurves, TrialRecord } from '../records';

/** Seed of repeat r: the study seed plus r, so repeat 0 of every study with seed s is reproducible by hand. */
export function repeatSeed(studySeed: number, repeat: number): number {
  return (studySeed + repeat) >>> 0;
}

const EVAL_BATCH = 1024; // inference only: larger batches, same numbers

/** Data loss (without the penalty) and accuracy in inference mode. */
async function score(model: Sequential, split: Split, classification: boolean): Promise<SplitScore> {
  const logs = await model.evaluate(split.x, split.y, { batchSize: EVAL_BATCH });
  const loss = logs.loss - logs.penalty;
  return classification ? { loss, accuracy: logs['accuracy']! } : { loss };
}

function curvesOf(history: Record<string, number[]>): TrialCurves {
  const curves: TrialCurves = { loss: history['loss'] ?? [], penalty: history['penalty'] ?? [] };
  for (const key of ['accuracy', 'val_loss', 'val_penalty', 'val_accuracy'] as const) {
    const values = history[key];
    if (values !== undefined) curves[key] = values;
  }
  return curves;
}

function argMin(values: number[]): number {
  let best = 0;
  values.forEach((v, i) => {
    if (v < values[best]!) best = i;
  });
  return best;
}

export interface TrialJob {
  settingIndex: number;
  repeat: number;
  /** Save the trained model (best weights with early stopping, optimizer state included) to this .keras file (compare's saveModels). */
  modelFile?: string;
}

/** Trains and measures one (setting, repeat). The dataset is only read, never disposed. */
export async function runTrial(
  config: StudyConfig,
  dataset: Dataset,
  job: TrialJob,
  onEvent: (event: StudyEvent) => void = () => {},
): Promise<TrialRecord> {
  const setting = config.settings[job.settingIndex]!;
  const id = { setting: setting.name, repeat: job.repeat };
  const seed = repeatSeed(config.seed, job.repeat);
  const classification = dataset.task === 'classification';
  const outputs = classification ? dataset.classes! : 1;
  onEvent({ type: 'trial-start', ...id });

  setRandomSeed(seed);
  const model = buildModel(config, setting.spec, dataset.features, outputs, classification);
  try {
    const progress: Callback = {
      onEpochEnd: (epoch: number, logs: Logs) => onEvent({ type: 'epoch', ...id, epoch, epochs: config.epochs, logs: { ...logs } }),
    };
    const callbacks: Callback[] = [progress];
    const es = config.earlyStopping;
    if (es !== false) callbacks.push(EarlyStopping({ ...es, restoreBestWeights: true }));
    const started = performance.now();
    const history = await model.fit(dataset.train.x, dataset.train.y, {
      epochs: config.epochs,
      batchSize: config.batchSize,
      verbose: 0,
      callbacks,
      ...(dataset.validation ? { validationData: [dataset.validation.x, dataset.validation.y] as [tf.Tensor, tf.Tensor] } : {}),
    });
    const seconds = (performance.now() - started) / 1000;
    const epochsRun = history.epoch.length;

    const train = await score(model, dataset.train, classification);
    const test = await score(model, dataset.test, classification);
    const curves = curvesOf(history.history);
    // Asynchronous reads: a trial runs on every backend, webgpu in Node included.
    const dense = model.layers.filter((layer): layer is DenseLayer => layer instanceof DenseLayer);
    const weights = await Promise.all(dense.map(async (layer) => kernelStats(layer.name, (await layer.kernel!.data()) as Float32Array)));
    const penalty = await model.penaltyAsync();
    const record: TrialRecord = {
      setting: setting.name,
      repeat: job.repeat,
      seed,
      backend: current() ?? tf.getBackend(),
      epochs: epochsRun,
      bestEpoch: argMin(curves.val_loss ?? curves.loss),
      curves,
      train,
      test,
      gap: generalizationGap(train, test),
      penalty,
      weights,
      secondsPerEpoch: seconds / epochsRun,
      samplesPerSecond: (dataset.train.x.shape[0] * epochsRun) / seconds,
    };
    if (job.modelFile !== undefined) await model.save(job.modelFile);
    onEvent({ type: 'trial-end', ...id, record });
    return record;
  } finally {
    model.dispose();
  }
}
