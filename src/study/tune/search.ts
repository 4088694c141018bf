/**
 * The search: for each technique (and the baseline 'none'), sample strengths, train in segments
 * between epoch rungs and let the scheduler promote or prune. Segments run on an Executor (this
 * process, local workers or queue workers), which sees training and validation rows only: selection
 * is on validation. Every search trial starts from the same initial weights (the search seed), so
 * trials differ by their strengths alone; a promoted trial continues from its checkpoint.
 */
import * as fs from 'node:fs';
import type { SettingSpec } from '../config/settings';
import type { StudyConfig } from '../config/resolve';
import type { Executor } from '../run/executor';
import type { TuneConfig } from './config';
import type { TuneEvent } from './events';
import type { SegmentRecord, TuneLog } from './log';
import { samplePoint } from './sampler';
import { bestTrial, epochRungs, nextJob } from './scheduler';
import type { Job, RungResult, SchedulerOptions } from './scheduler';
import { dimensionsOf, scaleValue, settingSpec, settingText } from './space';

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

/**
 * Epochs a tune trains at most, for progress estimates: per technique, ASHA's plan (all trials to
 * rung 0, the best 1/η of each rung on to the next), every trial to the end for the other pruners;
 * then every confirmation run to its last epoch.
 */
export function plannedEpochs(config: TuneConfig): number {
  let total = 0;
  for (const technique of config.techniques) {
    const { rungs, maxTrials, pruner, eta } = schedulerFor(config, technique);
    let reaching = maxTrials;
    rungs.forEach((epochs, k) => {
      total += reaching * (epochs - (k === 0 ? 0 : rungs[k - 1]!));
      if (pruner === 'asha') reaching = Math.floor(reaching / eta);
    });
  }
  return total + config.techniques.length * config.repeats * config.epochs;
}

/** Epochs a segment trained: up from the rung before. */
export const segmentEpochs = (config: TuneConfig, r: SegmentRecord): number => r.epochs - (r.rung === 0 ? 0 : schedulerFor(config, r.technique).rungs[r.rung - 1]!);

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

async function trainSegment(config: TuneConfig, executor: Executor, log: TuneLog, technique: string, job: Job, previous: SegmentRecord | undefined): Promise<SegmentRecord> {
  const point = trialPoint(config, technique, job.trial);
  const rungs = schedulerFor(config, technique).rungs;
  const from = job.kind === 'new' ? 0 : rungs[job.fromRung]!;
  const to = rungs[job.toRung]!;
  const study = studyConfigFor(config, technique, point.spec, point.learningRate, config.seed);
  const outcome = await executor.segment(study, {
    from,
    to,
    key: `k${config.techniques.indexOf(technique)}-t${job.trial}-g${job.toRung}`,
    ...(job.kind === 'continue' ? { resumeFrom: log.checkpoint(technique, job.trial, from) } : {}),
    ...(to < rungs[rungs.length - 1]! ? { saveTo: log.checkpoint(technique, job.trial, to) } : {}),
  });
  const c = outcome.curves;
  let best = { valLoss: previous?.valLoss ?? Infinity, valAccuracy: previous?.valAccuracy, bestEpoch: previous?.bestEpoch ?? 0 };
  c.val_loss.forEach((total, i) => {
    const loss = total - (c.val_penalty[i] ?? 0);
    if (Number.isFinite(loss) && loss < best.valLoss) best = { valLoss: loss, valAccuracy: c.val_accuracy?.[i], bestEpoch: from + i };
  });
  return {
    type: 'segment', technique, trial: job.trial, rung: job.toRung, epochs: to, params: point.params, setting: point.setting,
    valLoss: Number.isFinite(best.valLoss) ? best.valLoss : null,
    ...(best.valAccuracy === undefined ? {} : { valAccuracy: best.valAccuracy }),
    bestEpoch: best.bestEpoch,
    seconds: outcome.seconds,
  };
}

export interface SearchOutcome {
  segments: SegmentRecord[];
  stoppedByBudget: boolean;
}

/**
 * Runs (or continues) the search until every technique's scheduler is done or the time budget is
 * spent. Techniques run side by side, up to the executor's slots; within a technique segments run
 * one after another, each decided from that technique's finished segments alone, so the trials and
 * the answer are the same for any number of workers. When a slot frees, the technique with the
 * fewest finished segments goes next, so a time budget is shared evenly.
 */
export async function search(config: TuneConfig, executor: Executor, log: TuneLog, deadline: number, emit: (e: TuneEvent) => void): Promise<SearchOutcome> {
  const segments = log.records.filter((r): r is SegmentRecord => r.type === 'segment');
  const confirmed = log.records.reduce((n, r) => n + (r.type === 'confirm' ? r.trial.epochs : 0), 0);
  const doneEpochs = segments.reduce((n, r) => n + segmentEpochs(config, r), confirmed);
  emit({ type: 'search-start', techniques: config.techniques, resumed: segments.length, plannedEpochs: plannedEpochs(config), doneEpochs });
  const running = new Map<string, Promise<void>>();
  let failure: { error: unknown } | undefined;
  let stoppedByBudget = false;
  const own = (technique: string) => segments.filter((r) => r.technique === technique);
  const start = (technique: string, job: Job) => {
    const mine = own(technique);
    const previous = job.kind === 'continue' ? mine.find((r) => r.trial === job.trial && r.rung === job.fromRung) : undefined;
    const done = trainSegment(config, executor, log, technique, job, previous).then(
      (record) => {
        if (failure !== undefined) return;
        log.append(record);
        segments.push(record);
        if (previous !== undefined) fs.rmSync(log.checkpoint(technique, job.trial, previous.epochs), { force: true });
        emit({ type: 'segment-end', record, trained: segmentEpochs(config, record), best: bestSoFar(config, segments) });
      },
      (error: unknown) => void (failure ??= { error }),
    );
    running.set(technique, done.finally(() => running.delete(technique)));
  };
  for (;;) {
    // Units still running end with the executor, which the caller closes; their results are dropped.
    if (failure !== undefined) throw failure.error;
    const candidates = config.techniques
      .filter((technique) => !running.has(technique))
      .map((technique) => ({ technique, count: own(technique).length, job: nextJob(own(technique).map(asResult), schedulerFor(config, technique)) }))
      .filter((c) => c.job !== undefined)
      .sort((a, b) => a.count - b.count); // stable: ties keep the techniques' order
    if (candidates.length > 0 && performance.now() > deadline) stoppedByBudget = true;
    if (!stoppedByBudget) for (const c of candidates.slice(0, executor.slots - running.size)) start(c.technique, c.job!);
    if (running.size === 0) return { segments, stoppedByBudget };
    await Promise.race(running.values());
  }
}
