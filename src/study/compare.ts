/**
 * `study.compare(options)`: train the same MLP under each named setting, `repeats` times, and
 * compare them fairly. Within a repeat every setting sees the same split, the same batch order
 * and the same initial weights; repeats differ only by seed. With `out`, each finished trial is
 * logged at once and a rerun resumes; with `parallel`, trials run in worker processes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { use } from '../backend/backends';
import type { BackendName } from '../backend/backends';
import { ConfigError, describe } from '../errors';
import { datasetSpecOf, parseStudyFile, resolveConfig, studyDatasetSpec } from './config/resolve';
import { STUDY_OPTION_NAMES } from './config/resolve';
import type { DataIdentity, StudyConfig, StudyOptions } from './config/resolve';
import { readOptions } from '../options';
import { datasetFingerprint, writeDatasetFile } from '../datasets/file';
import { loadDataset } from '../datasets/load';
import { checkDataset, isLoadedDataset } from '../datasets/check';
import { Cleanup, makeTempDir } from './run/cleanup';
import type { Dataset, DatasetSpec } from '../datasets/types';
import { studyContext } from './run/context';
import type { StudyEvent } from './run/events';
import { runPool } from './run/pool';
import { StudyResult } from './result';
import { openTrialStore } from './run/store';
import { ModelKeeper } from './run/model-keeper';
import { summarize } from './analysis/summarize';
import { runTrial } from './run/trial';
import type { TrialJob } from './run/trial';
import type { TrialRecord } from './records';
import { STUDY_SCHEMA_VERSION } from './records';
import type { WorkerData } from './run/worker-protocol';
import { checkAgainstData } from './run/check-data';
import { checkQueueUrl } from './queue/connection';
import { runQueued } from './queue/coordinator';

/** `study.compare`'s options: the study's, plus `queue` to run trials on queue workers. */
export type CompareOptions = StudyOptions & {
  /** Redis URL (redis://host:port[/db], rediss://…): trials run as BullMQ jobs on `keras-ts worker` processes anywhere (default: local worker processes). */
  queue?: string;
};


/** Every (repeat, setting) pair, repeat-major: the order results are reported in. */
function allJobs(config: StudyConfig): TrialJob[] {
  return Array.from({ length: config.repeats }, (_, repeat) => config.settings.map((_, settingIndex) => ({ settingIndex, repeat }))).flat();
}

function checkOptions(options: CompareOptions): void {
  readOptions('study.compare', options, [...STUDY_OPTION_NAMES, 'queue']);
  if (options.queue !== undefined) checkQueueUrl(options.queue);
  if (options.data !== undefined && options.dataset !== undefined) {
    throw new ConfigError('Both `data` and `dataset` given to study.compare: they are the same option (`data` is its older name); pass one.');
  }
  if (options.onProgress !== undefined && typeof options.onProgress !== 'function') {
    throw new ConfigError(`Invalid \`onProgress\` for study.compare: expected a function. Received: onProgress=${describe(options.onProgress)}`);
  }
  if (options.out !== undefined && (typeof options.out !== 'string' || options.out === '')) {
    throw new ConfigError(`Invalid \`out\` for study.compare: expected a folder path. Received: out=${describe(options.out)}`);
  }
  if (options.saveModels !== undefined && typeof options.saveModels !== 'boolean') {
    throw new ConfigError(`Invalid \`saveModels\` for study.compare: expected true or false. Received: saveModels=${describe(options.saveModels)}`);
  }
  if (options.saveModels === true && options.out === undefined) {
    throw new ConfigError('Invalid `saveModels` for study.compare: the models are saved in the study folder; give `out` too.');
  }
}

export async function compare(options: CompareOptions = {}): Promise<StudyResult> {
  checkOptions(options);
  const { data: dataOption, dataset: datasetOption, out, onProgress, saveModels, queue, ...rest } = options;
  const data = datasetOption ?? dataOption;
  const loaded = isLoadedDataset(data) ? data : undefined;
  if (saveModels === true && queue !== undefined) {
    throw new ConfigError('`saveModels` is not available for queue studies yet: their trials run on other machines. Run the study without `queue`, or save the winner afterwards from its results.');
  }
  if (loaded && queue !== undefined) {
    throw new ConfigError('A queue study needs its data as a spec that every worker can load (synthetic, IDX folder or CSV path), not an in-memory dataset: pass `dataset: { source: … }` instead of loaded tensors.');
  }
  if (loaded) checkDataset('study.compare', loaded);
  const file = parseStudyFile({ ...rest, ...(loaded || data === undefined ? {} : { dataset: data }) });
  const spec = loaded ? undefined : studyDatasetSpec(datasetSpecOf(file.dataset));
  const identity: DataIdentity = loaded ? { source: 'in-memory', name: loaded.name, fingerprint: await datasetFingerprint(loaded) } : spec!;
  const config = resolveConfig(file, identity);
  // Workers use the backend resolved here, so every trial of a study runs on the same one.
  const backend = await use(file.backend ?? 'auto');
  const parallel = file.parallel ?? 1;

  const store = out === undefined ? undefined : openTrialStore(out, { config, backend });
  const cleanup = new Cleanup();
  if (store !== undefined) cleanup.add(() => store.close());
  try {
    const done = new Map<string, TrialRecord>();
    const key = (setting: string, repeat: number) => `${repeat}\u0000${setting}`;
    for (const record of store?.finished ?? []) done.set(key(record.setting, record.repeat), record);
    const keeper = saveModels === true && store !== undefined ? new ModelKeeper(store.dir, config.settings.map((s) => s.name)) : undefined;
    const jobs = allJobs(config)
      .filter((j) => !done.has(key(config.settings[j.settingIndex]!.name, j.repeat)))
      .map((j) => (keeper === undefined ? j : { ...j, modelFile: keeper.incomingFile(config.settings[j.settingIndex]!.name, j.repeat) }));

    // The data must load and fit the study before the folder is claimed by writing study.json;
    // a queue study's data is loaded (and checked) by its workers, which may see other files.
    const dataset = loaded ?? (jobs.length > 0 && queue === undefined ? loadDataset(spec!) : undefined);
    const ownsData = dataset !== undefined && !loaded;
    const disposeData = ownsData ? cleanup.add(() => dataset.dispose()) : () => {};
    if (dataset !== undefined) checkAgainstData(config, dataset);
    store?.start();

    const emit = (event: StudyEvent) => onProgress?.(event);
    const record = (r: TrialRecord) => {
      store?.append(r);
      keeper?.keep(r);
      done.set(key(r.setting, r.repeat), r);
    };
    emit({ type: 'study-start', total: config.settings.length * config.repeats, skipped: done.size, epochs: config.epochs, parallel, backend });

    if (jobs.length > 0 && queue !== undefined) {
      await runQueued(config, { url: queue, backend, all: allJobs(config), jobs, emit, record });
    } else if (jobs.length > 0) {
      if (parallel > 1 && jobs.length > 1) {
        disposeData(); // workers load their own copy
        await runParallel(config, jobs, { backend, parallel, loaded, spec, emit, record, tempParent: store?.dir, cleanup });
      } else {
        await runSerial(config, jobs, { loaded: dataset, spec, emit, record });
      }
    }

    keeper?.finish();
    const trials = allJobs(config).map((j) => done.get(key(config.settings[j.settingIndex]!.name, j.repeat))!);
    const summary = summarize(trials, { baseline: config.baseline, settingOrder: config.settings.map((s) => s.name) });
    return new StudyResult({
      schemaVersion: STUDY_SCHEMA_VERSION,
      context: studyContext(backend),
      config: config as unknown as Record<string, unknown>,
      trials,
      summary,
      ...(keeper === undefined ? {} : { models: keeper.saved() }),
    });
  } finally {
    cleanup.runAll();
  }
}

interface RunContext {
  loaded: Dataset | undefined;
  spec: DatasetSpec | undefined;
  emit: (event: StudyEvent) => void;
  record: (r: TrialRecord) => void;
}

async function runSerial(config: StudyConfig, jobs: TrialJob[], ctx: RunContext): Promise<void> {
  for (const job of jobs) ctx.record(await runTrial(config, ctx.loaded!, job, ctx.emit));
}

async function runParallel(
  config: StudyConfig,
  jobs: TrialJob[],
  ctx: RunContext & { backend: BackendName; parallel: number; tempParent: string | undefined; cleanup: Cleanup },
): Promise<void> {
  // Tensors cannot cross processes: in-memory data goes through a temporary file, inside the study
  // folder when there is one. Removed when the study ends, on SIGINT/SIGTERM, and (after a kill -9)
  // by the next study, which removes temp folders whose owner process is gone.
  const tempDir = ctx.loaded ? makeTempDir(ctx.tempParent) : undefined;
  if (tempDir !== undefined) ctx.cleanup.add(() => fs.rmSync(tempDir, { recursive: true, force: true }));
  try {
    let data: WorkerData;
    if (tempDir !== undefined) {
      const file = path.join(tempDir, 'dataset.bin');
      await writeDatasetFile(ctx.loaded!, file);
      data = { file };
    } else {
      data = { spec: ctx.spec! };
    }
    await runPool(jobs, { config, backend: ctx.backend, data, workers: ctx.parallel, onEvent: ctx.emit, onRecord: ctx.record });
  } finally {
    if (tempDir !== undefined) fs.rmSync(tempDir, { recursive: true, force: true });
  }
}
