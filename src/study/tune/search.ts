/**
 * The search: for each technique (and the baseline 'none'), sample strengths, train in segments
 * between epoch rungs and let the scheduler promote or prune. It sees a view of the data without
 * the test split (`SearchData`): selection is on validation only. Every search trial starts from
 * the same initial weights (the search seed), so trials differ by their strengths alone; a promoted
 * trial continues from its checkpoint (model.save with the optimizer and random streams).
 */
import * as fs from 'node:fs';
import { setRandomSeed } from '../../backend/random';
import type { tf } from '../../backend/tf';
import type { Split, Task } from '../../datasets/types';
import { loadModel } from '../../models/load';
import { saveModel } from '../../models/save';
import type { Sequential } from '../../models/sequential';
import type { StudyConfig } from '../config/resolve';
import type { SettingSpec } from '../config/settings';
import { buildModel } from '../run/model-for-setting';
import type { TuneConfig } from './config';
import type { TuneEvent } from './events';
import type { SegmentRecord, TuneLog } from './log';
import { samplePoint } from './sampler';
import { bestTrial, epochRungs, nextJob } from './scheduler';
import type { Job, RungResult, SchedulerOptions } from './scheduler';
import { dimensionsOf, scaleValue, settingSpec, settingText } from './space';

/** The data a search may read: training and validation rows, never test. */
export interface SearchData {
  name: string;
  task: Task;
  features: number;
  classes?: number;
  train: Split;
  validation: Split;
}

/** A technique's setting for one search trial. */
export interface TrialPoint {
  params: Record<string, number>;
  setting: string;
  spec: SettingSpec;
  learningRate: number | undefined;
}

/** The study config one technique trains under (the model and optimizer of the tune; one setting). */
export function studyConfigFor(config: TuneConfig, technique: string, spec: SettingSpec, learningRate: number | undefined, seed: number): StudyConfig {
  return {
    data: config.data,
    hidden: config.hidden,
    activation: config.activation,
    settings: [{ name: technique, spec }],
    epochs: config.epochs,
    batchSize: config.batchSize,
    optimizer: learningRate === undefined ? config.optimizer : { ...config.optimizer, learningRate },
    repeats: config.repeats,
    seed,
    earlyStopping: { monitor: 'val_loss', patience: config.patience, minDelta: 0 },
    baseline: technique,
  };
}

export function rangeMap(config: TuneConfig): Map<string, readonly [number, number]> {
  return new Map(config.ranges);
}

/** Trial `index` of a technique: the sampler's point mapped onto the technique's ranges. */
export function trialPoint(config: TuneConfig, technique: string, index: number): TrialPoint {
  const dims = dimensionsOf(technique, rangeMap(config), config.learningRate);
  const unit = samplePoint(config.sampler, config.seed, config.techniques.indexOf(technique), index, dims.length);
  // Three significant digits: settings read like hand-written ones and round-trip through text.
  const values = new Map(dims.map((d, i) => [d.name, Number(scaleValue(unit[i]!, d).toPrecision(3))]));
  return { params: Object.fromEntries(values), setting: settingText(technique, values), spec: settingSpec(technique, values), learningRate: values.get('learningRate') };
}

/** Scheduler settings of a technique: one trial when it has nothing to search. */
export function schedulerFor(config: TuneConfig, technique: string): SchedulerOptions {
  const searchable = dimensionsOf(technique, rangeMap(config), config.learningRate).length > 0;
  return {
    pruner: config.pruner,
    rungs: epochRungs(searchable ? config.pruner : 'none', config.minEpochs, config.epochs, config.reductionFactor),
    maxTrials: searchable ? config.trials : 1,
    eta: config.reductionFactor,
  };
}

const asResult = (r: SegmentRecord): RungResult => ({ trial: r.trial, rung: r.rung, value: r.valLoss ?? Infinity });

/** The best segment of each technique so far (by the scheduler's pick). */
export function bestSoFar(config: TuneConfig, records: readonly SegmentRecord[]): Map<string, SegmentRecord> {
  const best = new Map<string, SegmentRecord>();
  for (const technique of config.techniques) {
    const own = records.filter((r) => r.technique === technique);
    const pick = bestTrial(own.map(asResult));
    if (pick !== undefined) best.set(technique, own.find((r) => r.trial === pick.trial && r.rung === pick.rung)!);
  }
  return best;
}

async function trainSegment(config: TuneConfig, data: SearchData, log: TuneLog, technique: string, job: Job, previous: SegmentRecord | undefined): Promise<SegmentRecord> {
  const point = trialPoint(config, technique, job.trial);
  const rungs = schedulerFor(config, technique).rungs;
  const from = job.kind === 'new' ? 0 : rungs[job.fromRung]!;
  const to = rungs[job.toRung]!;
  const classification = data.task === 'classification';
  let model: Sequential;
  if (job.kind === 'new') {
    setRandomSeed(config.seed);
    model = buildModel(studyConfigFor(config, technique, point.spec, point.learningRate, config.seed), point.spec, data.features, classification ? data.classes! : 1, classification);
  } else {
    model = await loadModel(log.checkpoint(technique, job.trial, from));
  }
  try {
    const started = performance.now();
    const history = await model.fit(data.train.x, data.train.y, {
      epochs: to,
      initialEpoch: from,
      batchSize: config.batchSize,
      verbose: 0,
      validationData: [data.validation.x, data.validation.y] as [tf.Tensor, tf.Tensor],
    });
    if (to < rungs[rungs.length - 1]!) await saveModel(model, log.checkpoint(technique, job.trial, to), { includeOptimizer: true });
    const h = history.history;
    let best = { valLoss: previous?.valLoss ?? Infinity, valAccuracy: previous?.valAccuracy, bestEpoch: previous?.bestEpoch ?? 0 };
    (h['val_loss'] ?? []).forEach((total, i) => {
      const loss = total - (h['val_penalty']?.[i] ?? 0);
      if (Number.isFinite(loss) && loss < best.valLoss) best = { valLoss: loss, valAccuracy: h['val_accuracy']?.[i], bestEpoch: from + i };
    });
    const record: SegmentRecord = {
      type: 'segment', technique, trial: job.trial, rung: job.toRung, epochs: to, params: point.params, setting: point.setting,
      valLoss: Number.isFinite(best.valLoss) ? best.valLoss : null,
      ...(best.valAccuracy === undefined ? {} : { valAccuracy: best.valAccuracy }),
      bestEpoch: best.bestEpoch,
      seconds: (performance.now() - started) / 1000,
    };
    return record;
  } finally {
    model.dispose();
  }
}

export interface SearchOutcome {
  segments: SegmentRecord[];
  stoppedByBudget: boolean;
}

/**
 * Runs (or continues) the search until every technique's scheduler is done or the time budget is
 * spent. Techniques take turns: the one with the fewest finished segments goes next, so a time
 * budget is shared evenly and the order is a function of the log alone.
 */
export async function search(config: TuneConfig, data: SearchData, log: TuneLog, deadline: number, emit: (e: TuneEvent) => void): Promise<SearchOutcome> {
  const segments = log.records.filter((r): r is SegmentRecord => r.type === 'segment');
  emit({ type: 'search-start', techniques: config.techniques, resumed: segments.length });
  for (;;) {
    if (performance.now() > deadline) return { segments, stoppedByBudget: true };
    const candidates = config.techniques
      .map((technique) => {
        const own = segments.filter((r) => r.technique === technique);
        return { technique, own, job: nextJob(own.map(asResult), schedulerFor(config, technique)) };
      })
      .filter((c) => c.job !== undefined);
    if (candidates.length === 0) return { segments, stoppedByBudget: false };
    const { technique, own, job } = candidates.reduce((a, b) => (b.own.length < a.own.length ? b : a));
    const previous = job!.kind === 'continue' ? own.find((r) => r.trial === job!.trial && r.rung === job!.fromRung) : undefined;
    const record = await trainSegment(config, data, log, technique, job!, previous);
    log.append(record);
    segments.push(record);
    if (previous !== undefined) fs.rmSync(log.checkpoint(technique, job!.trial, previous.epochs), { force: true });
    emit({ type: 'segment-end', record, best: bestSoFar(config, segments) });
  }
}
