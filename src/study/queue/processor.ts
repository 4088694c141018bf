/**
 * The BullMQ sandboxed processor: each trial job runs here, in a child process of `keras-ts
 * worker`, so the worker's event loop stays free to renew job locks while training blocks this
 * one. The job is validated before anything runs; data is loaded from its spec and kept for the
 * next job of the same study. Errors go back as "Name: message" so the coordinator rebuilds them.
 */
import * as os from 'node:os';
import type { SandboxedJob } from 'bullmq';
import { use } from '../../backend/backends';
import { canonicalJson } from '../config/resolve';
import { loadDataset } from '../../datasets/load';
import type { Dataset } from '../../datasets/types';
import { checkAgainstData } from '../run/check-data';
import type { TrialRecord } from '../records';
import { runTrial } from '../run/trial';
import { readTrialJob } from './job';
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

export default async function processTrial(job: SandboxedJob): Promise<TrialRecord> {
  try {
    const { config, backend, job: trial } = readTrialJob(job.data);
    const threads = Number(process.env[THREADS_ENV] ?? '1');
    await use(backend, { threads: Number.isInteger(threads) && threads >= 1 ? threads : 1 });
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
  } catch (error) {
    // The same job fails the same way on any worker: BullMQ's UnrecoverableError (matched by name,
    // the only part that crosses the sandbox) fails it at once instead of retrying. Retries are for
    // the queue's own failures, such as a child process that died.
    const e = error instanceof Error ? error : new Error(String(error));
    const failure = new Error(`${e.name}: ${e.message}`);
    Object.defineProperty(failure, 'name', { value: 'UnrecoverableError', enumerable: true });
    throw failure;
  }
}
