/**
 * The queue as an Executor (used by the tuner): each unit — a training segment or a confirmation
 * trial — is a BullMQ job with a deterministic id in the tune's own queue, run by `keras-ts worker`
 * processes anywhere. Exactly-once comes from the caller's log, which asks only for what it lacks:
 * finished jobs stay in the queue until the tune ends, so a restarted coordinator re-adds a unit
 * (a no-op: same id), finds it finished and logs it. A job Redis lost is added again; a unit that
 * fails for a real reason fails the tune once, with the worker's error.
 */
import { Queue } from 'bullmq';
import type { BackendName } from '../../backend/backends';
import { describe } from '../../errors';
import type { StudyConfig } from '../config/resolve';
import type { TrialRecord } from '../records';
import type { Executor } from '../run/executor';
import { WorkerError } from '../run/pool';
import type { SegmentJob, SegmentOutcome } from '../run/segment';
import type { TrialJob } from '../run/trial';
import { QUEUE_PREFIX, connect, firstContact } from './connection';
import { QUEUE_RETRIES, errorFrom, failedByQueue, queueRetryDelay, recordOf } from './coordinator';
import { SEGMENT_JOB_NAME, TRIAL_JOB_NAME, jobOptions, segmentJobData, trialJobData } from './job';
import { STUDIES_KEY, studyHash, tuneQueueNameOf } from './keys';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const numbers = (v: unknown, length: number) => Array.isArray(v) && v.length === length && v.every((x) => typeof x === 'number' || x === null);

/** The job's result if it is the outcome of that very segment, else undefined. */
function outcomeOf(job: SegmentJob, value: unknown): SegmentOutcome | undefined {
  const o = value as SegmentOutcome | undefined;
  if (typeof o !== 'object' || o === null || o.from !== job.from || o.to !== job.to || typeof o.seconds !== 'number') return undefined;
  const n = job.to - job.from;
  const c = o.curves as SegmentOutcome['curves'] | undefined;
  if (c === undefined || !numbers(c.val_loss, n) || !(c.val_penalty.length === 0 || numbers(c.val_penalty, n)) || !(c.val_accuracy === undefined || numbers(c.val_accuracy, n))) return undefined;
  return o;
}

export class QueueExecutor implements Executor {
  /** The workers decide how much runs at once; the coordinator hands out all it may. */
  readonly slots = Number.POSITIVE_INFINITY;
  private closed = false;
  private readonly keeper: NodeJS.Timeout;

  private constructor(
    private readonly connection: ReturnType<typeof connect>,
    private readonly queue: Queue,
    private readonly backend: BackendName,
    private readonly prefix: string,
    private readonly pollInterval: number,
  ) {
    // Workers find the queue through the set of running studies; a Redis restart empties it.
    this.keeper = setInterval(() => void connection.sadd(STUDIES_KEY, queue.name).catch(() => {}), 2000);
  }

  /** Connects (a clear error when Redis cannot be reached) and registers the tune's queue. */
  static async open(url: string, backend: BackendName, hash: string, pollInterval = 200): Promise<QueueExecutor> {
    const connection = connect(url);
    connection.on('error', () => {}); // reconnects by itself; commands wait for it
    const queueName = tuneQueueNameOf(hash);
    try {
      await firstContact(connection, url);
      await connection.sadd(STUDIES_KEY, queueName);
    } catch (error) {
      connection.disconnect();
      throw error;
    }
    const queue = new Queue(queueName, { connection, prefix: QUEUE_PREFIX });
    queue.on('error', () => {});
    return new QueueExecutor(connection, queue, backend, hash.slice(0, 16), pollInterval);
  }

  trial(config: StudyConfig, job: TrialJob, key: string): Promise<TrialRecord> {
    const setting = config.settings[job.settingIndex]!.name;
    return this.submit(TRIAL_JOB_NAME, trialJobData(config, this.backend, studyHash(config, this.backend), job), key, (v) => recordOf(config, job, v), `Setting ${describe(setting)}, repeat ${job.repeat}`);
  }

  segment(config: StudyConfig, job: SegmentJob): Promise<SegmentOutcome> {
    const data = segmentJobData(config, this.backend, studyHash(config, this.backend), { from: job.from, to: job.to, save: job.saveTo !== undefined });
    return this.submit(SEGMENT_JOB_NAME, data, job.key, (v) => outcomeOf(job, v), `Setting ${describe(config.settings[0]!.name)}, epochs ${job.from}–${job.to}`);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.keeper);
    try {
      await this.connection.srem(STUDIES_KEY, this.queue.name);
      await this.queue.obliterate({ force: true }); // workers drop what still runs
    } finally {
      await this.queue.close();
      this.connection.disconnect();
    }
  }

  private async submit<T>(name: string, data: object, key: string, accept: (value: unknown) => T | undefined, what: string): Promise<T> {
    const jobId = `${this.prefix}-${key}`;
    // Same id → BullMQ keeps the existing job: adding again never runs a unit twice.
    const add = (delay = 0) => this.queue.add(name, data, delay > 0 ? { ...jobOptions(jobId), delay } : jobOptions(jobId));
    await add();
    let queueFailures = 0;
    for (;;) {
      if (this.closed) throw new WorkerError(`${what}: the tune's queue was closed.`);
      const job = await this.queue.getJob(jobId);
      if (job === undefined) {
        await add(); // lost with an unpersisted Redis
      } else {
        const state = await job.getState();
        if (state === 'completed') {
          const value = accept(job.returnvalue);
          if (value !== undefined) return value;
          // Not this unit's result (BullMQ can misroute a sandboxed result when locks are lost): run it again.
          await job.remove();
          await add();
        } else if (state === 'failed' && failedByQueue(job.failedReason) && ++queueFailures <= QUEUE_RETRIES) {
          await job.remove(); // the queue's failure (see failedByQueue), not the unit's: run it again
          await add(queueRetryDelay(queueFailures));
        } else if (state === 'failed') {
          const reason = job.failedReason;
          await job.remove(); // a rerun of the tune tries it again
          throw errorFrom(reason, what);
        }
      }
      await sleep(this.pollInterval);
    }
  }
}
