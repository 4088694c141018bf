/**
 * `study.tune(options)`: search each technique's strength on validation data (samplers, ASHA or
 * median pruning, checkpoints), then retrain the best setting of every technique and of the tuned
 * baseline with `repeats` fresh seeds and measure them on test, paired as `study.compare` does.
 * With `out`, everything finished is logged at once and a rerun continues; the same seed and trial
 * budget give the same trials and the same answer on one backend.
 */
import * as fs from 'node:fs';
import { use } from '../../backend/backends';
import { checkDataset } from '../../datasets/check';
import { datasetFingerprint } from '../../datasets/file';
import { loadDataset } from '../../datasets/load';
import type { Dataset } from '../../datasets/types';
import { ConfigError, describe } from '../../errors';
import { summarize } from '../analysis/summarize';
import { datasetSpecOf, parseStudyFile, studyDatasetSpec } from '../config/resolve';
import type { DataIdentity } from '../config/resolve';
import type { TrialRecord } from '../records';
import { STUDY_SCHEMA_VERSION } from '../records';
import { Cleanup, makeTempDir } from '../run/cleanup';
import { studyContext } from '../run/context';
import { runTrial } from '../run/trial';
import { resolveTuneConfig } from './config';
import type { TuneConfig, TuneOptions } from './config';
import type { TuneEvent } from './events';
import { openTuneLog } from './log';
import type { ConfirmRecord, SegmentRecord } from './log';
import { recommendation } from './recommend';
import { TuneResult } from './result';
import type { TunedTechnique } from './result';
import { bestSoFar, search, studyConfigFor, trialPoint } from './search';
import type { SearchData } from './search';

function isLoadedDataset(data: unknown): data is Dataset {
  return typeof data === 'object' && data !== null && 'train' in data && 'test' in data;
}

/** The search's view of the data: train and validation only. */
export function searchView(dataset: Dataset): SearchData {
  if (dataset.validation === undefined) {
    throw new ConfigError(`study.tune selects on validation data, but the dataset ${describe(dataset.name)} has no validation split; give it validation rows (validationSize / validationFraction > 0).`);
  }
  return {
    name: dataset.name, task: dataset.task, features: dataset.features, train: dataset.train, validation: dataset.validation,
    ...(dataset.classes === undefined ? {} : { classes: dataset.classes }),
  };
}

/** The confirmation seed base: repeat r of every technique uses seed + 1 + r (fresh: the search used seed). */
const confirmSeed = (config: TuneConfig) => config.seed + 1;

export async function tune(options: TuneOptions = {}): Promise<TuneResult> {
  const data = (options as { dataset?: unknown } | undefined)?.dataset;
  const loaded = isLoadedDataset(data) ? data : undefined;
  if (loaded) checkDataset('study.tune', loaded);
  const spec = loaded ? undefined : studyDatasetSpec(datasetSpecOf(parseStudyFile(data === undefined ? {} : { dataset: data }, 'study.tune options').dataset));
  const identity: DataIdentity = loaded ? { source: 'in-memory', name: loaded.name, fingerprint: datasetFingerprint(loaded) } : spec!;
  const config = resolveTuneConfig(options, identity);
  const backend = await use(options.backend ?? 'auto');
  const emit = (event: TuneEvent) => options.onProgress?.(event);
  const deadline = options.budgetMinutes === undefined ? Infinity : performance.now() + options.budgetMinutes * 60_000;

  const cleanup = new Cleanup();
  const dir = options.out ?? makeTempDir(undefined);
  if (options.out === undefined) cleanup.add(() => fs.rmSync(dir, { recursive: true, force: true }));
  try {
    const log = openTuneLog(dir, { config, backend });
    cleanup.add(() => log.close());
    const dataset = loaded ?? loadDataset(spec!);
    if (!loaded) cleanup.add(() => dataset.dispose());

    const { segments, stoppedByBudget } = await search(config, searchView(dataset), log, deadline, emit);
    emit({ type: 'search-end', segments: segments.length, stoppedByBudget });

    // Confirmation: the test split is read from here on, and only here.
    const best = bestSoFar(config, segments);
    const confirmed = log.records.filter((r): r is ConfirmRecord => r.type === 'confirm');
    const done = new Map(confirmed.map((r) => [`${r.technique}\u0000${r.trial.repeat}`, r.trial]));
    const techniques = config.techniques.filter((t) => best.has(t));
    emit({ type: 'confirm-start', trials: techniques.length * config.repeats, resumed: done.size });
    for (let repeat = 0; repeat < config.repeats; repeat++) {
      for (const technique of techniques) {
        const key = `${technique}\u0000${repeat}`;
        if (done.has(key)) continue;
        const pick = best.get(technique)!;
        const point = trialPoint(config, technique, pick.trial);
        const study = studyConfigFor(config, technique, point.spec, point.learningRate, confirmSeed(config));
        const trial = await runTrial(study, dataset, { settingIndex: 0, repeat });
        log.append({ type: 'confirm', technique, trial });
        done.set(key, trial);
        emit({ type: 'confirm-trial', record: trial, technique });
      }
    }
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
      epochs: segments.reduce((n, s) => n + s.epochs - (s.rung === 0 ? 0 : (segments.find((p) => p.technique === s.technique && p.trial === s.trial && p.rung === s.rung - 1)?.epochs ?? 0)), 0),
      seconds: segments.reduce((n, s) => n + s.seconds, 0) + trials.reduce((n, t) => n + t.secondsPerEpoch * t.epochs, 0),
      stoppedByBudget,
    };
    const base = { schemaVersion: STUDY_SCHEMA_VERSION, context, config: config as unknown as Record<string, unknown>, search: segments, tuned, trials, summary, spent };
    return new TuneResult({ ...base, recommendation: recommendation(base) });
  } finally {
    cleanup.runAll();
  }
}
