/**
 * The BullMQ sandboxed processor: each trial or training-segment job runs here, in a child process of `keras-ts
 * worker`, so the worker's event loop stays free to renew job locks while training blocks this
 * one. The job is validated before anything runs; data is loaded from its spec and kept for the
 * next job of the same study. Errors go back as "Name: message" so the coordinator rebuilds them.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { SandboxedJob } from 'bullmq';
import { use } from '../../backend/backends';
import { canonicalJson } from '../config/resolve';
import { loadDataset } from '../../datasets/load';
import type { Dataset } from '../../datasets/types';
import { checkAgainstData } from '../run/check-data';
import type { TrialRecord } from '../records';
import { runSegment, searchView } from '../run/segment';
import type { SegmentOutcome } from '../run/segment';
import { runTrial } from '../run/trial';
import { SEGMENT_JOB_NAME, TRIAL_ERROR_MARK, readSegmentJob, readTrialJob } from './job';
import { THREADS_ENV } from './keys';


let cached: { key: string; dataset: Dataset } | undefined;

function datasetFor(spec: unknown): Dataset {
  const key = canonicalJson(spec);
  if (cached?.key === key) return cached.dataset;
  cached?.dataset.dispose();
  cached = undefined;
  const dataset = loadDataset(spec as Parameters<typeof loadDataset>[0]);
  cached = { key, dataset };
  return dataset;
}

// Training never yields, so a worker killed with -9 goes unnoticed by 'disconnect': checking the
// parent on every epoch ends an orphaned trial within one epoch (its job is rerun elsewhere).
const parent = process.ppid;
const orphaned = () => process.ppid !== parent;

async function useBackend(backend: Parameters<typeof use>[0]): Promise<void> {
  const threads = Number(process.env[THREADS_ENV] ?? '1');
  await use(backend, { threads: Number.isInteger(threads) && threads >= 1 ? threads : 1 });
}

/**
 * Checkpoints of this machine's segments, by the segment config's hash and epoch: a job whose
 * previous segment ran here continues from it; on any other machine it replays those epochs from
 * the seed (same numbers, see run/segment.ts). Job data never names a path.
 */
const CHECKPOINTS = path.join(os.tmpdir(), 'keras-ts-checkpoints');
const checkpointFile = (hash: string, epochs: number) => path.join(CHECKPOINTS, `${hash}-e${epochs}.keras`);

async function processSegment(job: SandboxedJob): Promise<SegmentOutcome> {
  const { config, backend, hash, from, to, save } = readSegmentJob(job.data);
  await useBackend(backend);
  const dataset = datasetFor(config.data);
  checkAgainstData(config, dataset);
  fs.mkdirSync(CHECKPOINTS, { recursive: true });
  const worker = `${os.hostname()}:${process.ppid}`;
  void job.updateProgress({ worker, epoch: from, epochs: to });
  const resumeFrom = from > 0 ? checkpointFile(hash, from) : undefined;
  const outcome = await runSegment(config, searchView(dataset), { from, to, key: hash, ...(resumeFrom ? { resumeFrom } : {}), ...(save ? { saveTo: checkpointFile(hash, to) } : {}) }, (epoch) => {
    if (orphaned()) process.exit(1);
    void job.updateProgress({ worker, epoch: epoch + 1, epochs: to });
  });
  if (orphaned()) process.exit(1);
  if (resumeFrom !== undefined) fs.rmSync(resumeFrom, { force: true });
  return outcome;
}

async function processTrial(job: SandboxedJob): Promise<TrialRecord> {
  const { config, backend, job: trial } = readTrialJob(job.data);
  await useBackend(backend);
  const dataset = datasetFor(config.data);
  checkAgainstData(config, dataset);
  const worker = `${os.hostname()}:${process.ppid}`;
  let last = 0;
  void job.updateProgress({ worker, epoch: 0, epochs: config.epochs });
  const record = await runTrial(config, dataset, trial, (event) => {
    if (orphaned()) process.exit(1);
    const now = Date.now();
    if (event.type === 'epoch' && now - last > 1000) {
      last = now;
      void job.updateProgress({ worker, epoch: event.epoch + 1, epochs: event.epochs });
    }
  });
  if (orphaned()) process.exit(1);
  return record;
}


export default async function processJob(job: SandboxedJob): Promise<TrialRecord | SegmentOutcome> {
  try {
    return await (job.name === SEGMENT_JOB_NAME ? processSegment(job) : processTrial(job));
  } catch (error) {
    // The same job fails the same way on any worker: BullMQ's UnrecoverableError (matched by name,
    // the only part that crosses the sandbox) fails it at once instead of retrying. Retries are for
    // the queue's own failures, such as a child process that died.
    const e = error instanceof Error ? error : new Error(String(error));
    const failure = new Error(`${TRIAL_ERROR_MARK}${e.name}: ${e.message}`);
    Object.defineProperty(failure, 'name', { value: 'UnrecoverableError', enumerable: true });
    throw failure;
  }
}
