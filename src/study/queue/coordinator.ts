/**
 * The coordinator of a queue study: enqueues each unfinished trial as a BullMQ job with a
 * deterministic id and collects finished jobs into the trial log. Everything it needs to resume is
 * in the trial log and the queue: a restarted coordinator finds the same queue (named by the
 * study's hash), records jobs finished meanwhile, and re-adding a trial whose job exists adds
 * nothing. A job is removed only after its record is in the log, so a result is recorded exactly
 * once. If Redis loses jobs (restarted without persistence), the periodic check re-adds them.
 */
import { Queue } from 'bullmq';
import type { Job } from 'bullmq';
import type { BackendName } from '../../backend/backends';
import { describe } from '../../errors';
import type { KerasTsError } from '../../errors';
import type { StudyConfig } from '../config/resolve';
import type { TrialRecord } from '../records';
import { trialRecordSchema } from '../records-schema';
import type { StudyEvent } from '../run/events';
import { ERROR_CLASSES, WorkerError } from '../run/pool';
import { repeatSeed } from '../run/trial';
import type { TrialJob } from '../run/trial';
import { QUEUE_PREFIX, connect, firstContact } from './connection';
import { TRIAL_ERROR_MARK, TRIAL_JOB_NAME, jobOptions, trialJobData } from './job';
import { STUDIES_KEY, jobIdOf, queueNameOf, studyHash } from './keys';

export interface QueuedRunOptions {
  url: string;
  backend: BackendName;
  /** Every trial of the study, finished or not (to recognise jobs already in the log). */
  all: TrialJob[];
  /** The trials still to run. */
  jobs: TrialJob[];
  emit: (event: StudyEvent) => void;
  record: (record: TrialRecord) => void;
  /** Milliseconds between looks at the queue (default 200). */
  pollInterval?: number;
  /** Milliseconds between checks that every unfinished trial still has a job (default 5000). */
  reconcileInterval?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const STATES_WITH_JOBS = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'completed', 'failed'] as const;

/**
 * Whether a failed job failed for the queue's reasons, not the unit's own: only errors the processor
 * raised from the trial carry TRIAL_ERROR_MARK. Everything else — a lock that lapsed too often on a
 * starved worker ("stalled more than allowable limit"), a sandbox child BullMQ could not reuse after
 * a Redis restart ("cannot start a not idling child process"), a child that died — is run again.
 */
export function failedByQueue(reason: string | undefined): boolean {
  return !(reason ?? '').includes(TRIAL_ERROR_MARK);
}

/** Times a unit is run again after the queue's own failures before the study gives up on it. */
export const QUEUE_RETRIES = 5;

/**
 * Milliseconds before a unit the queue failed runs again: 1, 2, 4, 8, 16 s. Spread out so that a
 * passing condition (a sandbox process still busy with a unit Redis lost, which BullMQ answers with
 * "cannot start a not idling child process" until it finishes) cannot use up every retry in seconds.
 */
export function queueRetryDelay(failures: number): number {
  return Math.min(16_000, 1000 * 2 ** Math.max(0, failures - 1));
}

/** "ConfigError: …" from a worker back into that class. */
export function errorFrom(reason: string, what: string): KerasTsError {
  reason = reason.replace(/^UnrecoverableError: /, '').replace(TRIAL_ERROR_MARK, '');
  const match = /^(\w+): ([\s\S]*)$/.exec(reason);
  const known = match ? ERROR_CLASSES[match[1]!] : undefined;
  return known ? new known(`${what}: ${match![2]}`) : new WorkerError(`${what} failed on a queue worker: ${reason}`);
}

/** The job's result if it is a trial record of that very trial, else undefined. */
export function recordOf(config: StudyConfig, trial: TrialJob, value: unknown): TrialRecord | undefined {
  if (!trialRecordSchema.safeParse(value).success) return undefined;
  const record = value as TrialRecord;
  const setting = config.settings[trial.settingIndex]!.name;
  return record.setting === setting && record.repeat === trial.repeat && record.seed === repeatSeed(config.seed, trial.repeat) ? record : undefined;
}

export async function runQueued(config: StudyConfig, options: QueuedRunOptions): Promise<void> {
  const hash = studyHash(config, options.backend);
  const queueName = queueNameOf(hash);
  const byId = new Map(options.all.map((job) => [jobIdOf(hash, config, job), job] as const));
  const pending = new Map(options.jobs.map((job) => [jobIdOf(hash, config, job), job] as const));
  const connection = connect(options.url);
  connection.on('error', () => {}); // reconnects by itself; commands wait for it
  const queue = new Queue(queueName, { connection, prefix: QUEUE_PREFIX });
  queue.on('error', () => {});
  const pollInterval = options.pollInterval ?? 200;
  const reconcileInterval = options.reconcileInterval ?? 5000;

  const queueFailures = new Map<string, number>();
  const enqueue = async () => {
    await connection.sadd(STUDIES_KEY, queueName);
    // Same job id → BullMQ keeps the existing job: adding again never runs a trial twice.
    const entries = [...pending].map(([jobId, job]) => {
      const failures = queueFailures.get(jobId) ?? 0;
      return {
        name: TRIAL_JOB_NAME,
        data: trialJobData(config, options.backend, hash, job),
        opts: failures > 0 ? { ...jobOptions(jobId), delay: queueRetryDelay(failures) } : jobOptions(jobId),
      };
    });
    for (let i = 0; i < entries.length; i += 500) await queue.addBulk(entries.slice(i, i + 500));
  };
  const reconcile = async () => {
    const counts = await queue.getJobCounts(...STATES_WITH_JOBS);
    const jobs = Object.values(counts).reduce((a, b) => a + b, 0);
    if (jobs < pending.size || !(await connection.sismember(STUDIES_KEY, queueName))) await enqueue();
  };
  const collect = async (job: Job, failed: boolean) => {
    const trial = job.id === undefined ? undefined : byId.get(job.id);
    if (trial === undefined || !pending.has(job.id!)) {
      await job.remove(); // recorded by an earlier run, or not a trial of this study
      return;
    }
    const setting = config.settings[trial.settingIndex]!.name;
    if (failed && failedByQueue(job.failedReason)) {
      const count = (queueFailures.get(job.id!) ?? 0) + 1;
      queueFailures.set(job.id!, count);
      if (count > QUEUE_RETRIES) throw new WorkerError(`Setting ${describe(setting)}, repeat ${trial.repeat} failed ${count} times on the queue: ${job.failedReason}`);
      await job.remove(); // enqueued again by the next check
      lastCheck = 0;
      return;
    }
    if (failed) {
      // The study stops, as a local one does: its queue goes (workers drop what they run), so the
      // trial fails once and a rerun of the study enqueues what the trial log does not hold.
      await connection.srem(STUDIES_KEY, queueName);
      await queue.obliterate({ force: true });
      throw errorFrom(job.failedReason, `Setting ${describe(setting)}, repeat ${trial.repeat}`);
    }
    const record = recordOf(config, trial, job.returnvalue);
    if (record === undefined) {
      // Not this trial's record: BullMQ can hand a sandboxed child's result to the wrong job when
      // locks are lost (a Redis restart). Never recorded; the job is removed and enqueued again.
      await job.remove();
      lastCheck = 0;
      return;
    }
    options.emit({ type: 'trial-start', setting, repeat: trial.repeat });
    options.record(record); // durable before the job goes
    pending.delete(job.id!);
    options.emit({ type: 'trial-end', setting, repeat: trial.repeat, record });
    await job.remove();
  };

  let lastCheck = Date.now();
  try {
    await firstContact(connection, options.url);
    await enqueue();
    connection.on('ready', () => (lastCheck = 0)); // after a reconnect, check at once
    while (pending.size > 0) {
      for (const job of await queue.getJobs(['completed'], 0, 199, true)) await collect(job, false);
      for (const job of await queue.getJobs(['failed'], 0, 199, true)) await collect(job, true);
      if (pending.size === 0) break;
      if (Date.now() - lastCheck >= reconcileInterval) {
        await reconcile();
        lastCheck = Date.now();
      }
      await sleep(pollInterval);
    }
    await connection.srem(STUDIES_KEY, queueName);
    await queue.obliterate({ force: true });
  } finally {
    await queue.close();
    connection.disconnect();
  }
}
