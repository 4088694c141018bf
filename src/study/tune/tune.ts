/**
 * `study.tune(options)`: search each technique's strength on validation data (samplers, ASHA or
 * median pruning, checkpoints), then retrain the best setting of every technique and of the tuned
 * baseline with `repeats` fresh seeds and measure them on test, paired as `study.compare` does.
 * With `out`, everything finished is logged at once and a rerun continues; the same seed and trial
 * budget give the same trials and the same answer on one backend.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { use } from '../../backend/backends';
import type { BackendName } from '../../backend/backends';
import { checkDataset, isLoadedDataset } from '../../datasets/check';
import { datasetFingerprint, writeDatasetFile } from '../../datasets/file';
import { loadDataset } from '../../datasets/load';
import type { Dataset, DatasetSpec } from '../../datasets/types';
import { ConfigError } from '../../errors';
import { summarize } from '../analysis/summarize';
import { datasetSpecOf, parseStudyFile, studyDatasetSpec } from '../config/resolve';
import type { DataIdentity } from '../config/resolve';
import type { TrialRecord } from '../records';
import { STUDY_SCHEMA_VERSION } from '../records';
import { Cleanup, makeTempDir } from '../run/cleanup';
import { studyContext } from '../run/context';
import { checkAgainstData } from '../run/check-data';
import { inProcessExecutor, runLimited } from '../run/executor';
import { searchView } from '../run/segment';
import type { Executor } from '../run/executor';
import { WorkerPool } from '../run/pool';
import type { WorkerData } from '../run/worker-protocol';
import { QueueExecutor } from '../queue/executor';
import { tuneHash } from '../queue/keys';
import { resolveTuneConfig } from './config';
import type { TuneConfig, TuneOptions } from './config';
import type { TuneEvent } from './events';
import { openTuneLog } from './log';
import type { ConfirmRecord, SegmentRecord } from './log';
import { recommendation } from './recommend';
import { TuneResult } from './result';
import type { TunedTechnique } from './result';
import { bestSoFar, search, segmentEpochs, studyConfigFor, trialPoint } from './search';

/** The confirmation seed base: repeat r of every technique uses seed + 1 + r (fresh: the search used seed). */
const confirmSeed = (config: TuneConfig) => config.seed + 1;

/**
 * The data, loaded and checked against the tune before its folder is claimed (a tune of data
 * that cannot load or fit leaves no tune.json behind). Queue workers load and check their own.
 */
function loadChecked(config: TuneConfig, loaded: Dataset | undefined, spec: DatasetSpec | undefined): Dataset {
  const dataset = loaded ?? loadDataset(spec!);
  try {
    searchView(dataset); // a validation split to select on
    checkAgainstData(studyConfigFor(config, 'none', {}, undefined, config.seed), dataset);
    return dataset;
  } catch (error) {
    if (!loaded) dataset.dispose();
    throw error;
  }
}

/** Where the units run: queue workers, local worker processes (which load their own copy of the data), or this process. */
async function openExecutor(options: TuneOptions, ctx: { backend: BackendName; config: TuneConfig; loaded: Dataset | undefined; spec: DatasetSpec | undefined; dataset: Dataset | undefined; dir: string; cleanup: Cleanup }): Promise<Executor> {
  if (options.queue !== undefined) return QueueExecutor.open(options.queue, ctx.backend, tuneHash(ctx.config, ctx.backend));
  if ((options.parallel ?? 1) > 1) {
    let data: WorkerData;
    if (ctx.loaded !== undefined) {
      // Tensors cannot cross processes: in-memory data goes to the workers through a temporary file.
      const temp = makeTempDir(ctx.dir);
      ctx.cleanup.add(() => fs.rmSync(temp, { recursive: true, force: true }));
      data = { file: path.join(temp, 'dataset.bin') };
      await writeDatasetFile(ctx.loaded, data.file);
    } else {
      data = { spec: ctx.spec! };
    }
    return new WorkerPool({ backend: ctx.backend, data, workers: options.parallel! });
  }
  return inProcessExecutor(ctx.dataset!);
}

export async function tune(options: TuneOptions = {}): Promise<TuneResult> {
  const data = (options as { dataset?: unknown } | undefined)?.dataset;
  const loaded = isLoadedDataset(data) ? data : undefined;
  if (loaded) checkDataset('study.tune', loaded);
  const spec = loaded ? undefined : studyDatasetSpec(datasetSpecOf(parseStudyFile(data === undefined ? {} : { dataset: data }, 'study.tune options').dataset));
  const identity: DataIdentity = loaded ? { source: 'in-memory', name: loaded.name, fingerprint: await datasetFingerprint(loaded) } : spec!;
  const config = resolveTuneConfig(options, identity);
  if (loaded && options.queue !== undefined) {
    throw new ConfigError('A queue tune needs its data as a spec that every worker can load (synthetic, IDX folder or CSV path), not an in-memory dataset: pass `dataset: { source: … }` instead of loaded tensors.');
  }
  const backend = await use(options.backend ?? 'auto');
  const emit = (event: TuneEvent) => options.onProgress?.(event);
  const deadline = options.budgetMinutes === undefined ? Infinity : performance.now() + options.budgetMinutes * 60_000;

  const cleanup = new Cleanup();
  const dir = options.out ?? makeTempDir(undefined);
  if (options.out === undefined) cleanup.add(() => fs.rmSync(dir, { recursive: true, force: true }));
  try {
    const dataset = options.queue === undefined ? loadChecked(config, loaded, spec) : undefined;
    if (dataset !== undefined && !loaded) {
      // Worker processes load their own copy: this one is only kept when the work runs here.
      if ((options.parallel ?? 1) > 1) dataset.dispose();
      else cleanup.add(() => dataset.dispose());
    }
    const log = openTuneLog(dir, { config, backend });
    cleanup.add(() => log.close());
    const executor = await openExecutor(options, { backend, config, loaded, spec, dataset, dir: log.dir, cleanup });
    let closed = false;
    const close = () => (closed ? Promise.resolve() : ((closed = true), executor.close()));
    try {
      const { segments, stoppedByBudget } = await search(config, executor, log, deadline, emit);
      emit({ type: 'search-end', segments: segments.length, stoppedByBudget });

      // Confirmation: the test split is read from here on, and only here.
      const best = bestSoFar(config, segments);
      const confirmed = log.records.filter((r): r is ConfirmRecord => r.type === 'confirm');
      const done = new Map(confirmed.map((r) => [`${r.technique}\u0000${r.trial.repeat}`, r.trial]));
      const techniques = config.techniques.filter((t) => best.has(t));
      emit({ type: 'confirm-start', trials: techniques.length * config.repeats, resumed: done.size });
      const units: (() => Promise<void>)[] = [];
      for (let repeat = 0; repeat < config.repeats; repeat++) {
        for (const technique of techniques) {
          const key = `${technique}\u0000${repeat}`;
          if (done.has(key)) continue;
          const point = trialPoint(config, technique, best.get(technique)!.trial);
          const study = studyConfigFor(config, technique, point.spec, point.learningRate, confirmSeed(config));
          units.push(async () => {
            const trial = await executor.trial(study, { settingIndex: 0, repeat }, `c${config.techniques.indexOf(technique)}-r${repeat}`);
            log.append({ type: 'confirm', technique, trial });
            done.set(key, trial);
            emit({ type: 'confirm-trial', record: trial, technique });
          });
        }
      }
      await runLimited(units, executor.slots);
      await close();
      return finish(config, backend, segments, stoppedByBudget, techniques, best, done);
    } finally {
      await close();
    }
  } finally {
    cleanup.runAll();
  }
}

function finish(
  config: TuneConfig,
  backend: BackendName,
  segments: SegmentRecord[],
  stoppedByBudget: boolean,
  techniques: string[],
  best: Map<string, SegmentRecord>,
  done: Map<string, TrialRecord>,
): TuneResult {
  const trials: TrialRecord[] = [];
  for (let repeat = 0; repeat < config.repeats; repeat++) for (const t of techniques) trials.push(done.get(`${t}\u0000${repeat}`)!);
  const summary = summarize(trials, { baseline: 'none', settingOrder: techniques });
  const tuned: TunedTechnique[] = techniques.map((technique) => {
    const pick = best.get(technique)!;
    return { technique, trial: pick.trial, setting: pick.setting, params: pick.params, valLoss: pick.valLoss, epochs: pick.epochs };
  });
  const context = studyContext(backend);
  const spent = {
    segments: segments.length,
    trials: new Set(segments.map((s: SegmentRecord) => `${s.technique}\u0000${s.trial}`)).size,
    epochs: segments.reduce((n, s) => n + segmentEpochs(config, s), 0),
    seconds: segments.reduce((n, s) => n + s.seconds, 0) + trials.reduce((n, t) => n + t.secondsPerEpoch * t.epochs, 0),
    stoppedByBudget,
  };
  const base = { schemaVersion: STUDY_SCHEMA_VERSION, context, config: config as unknown as Record<string, unknown>, search: segments, tuned, trials, summary, spent };
  return new TuneResult({ ...base, recommendation: recommendation(base) });
}
