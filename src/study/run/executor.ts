/**
 * The execution layer: where a study's units of work run. A compare trial and a tuner's training
 * segment go to the same three places — this process, a pool of local worker processes
 * (pool.ts), or BullMQ workers on any machine (queue/executor.ts) — and give the same numbers
 * in each, so the callers decide *what* runs and never *where*.
 */
import type { Dataset } from '../../datasets/types';
import type { StudyConfig } from '../config/resolve';
import type { TrialRecord } from '../records';
import type { StudyEvent } from './events';
import { runSegment, searchView } from './segment';
import type { SearchData, SegmentJob, SegmentOutcome } from './segment';
import { runTrial } from './trial';
import type { TrialJob } from './trial';

export interface Executor {
  /** Units that may run at once (1 in this process: training blocks it). */
  readonly slots: number;
  /** Trains and tests one (setting, repeat) of `config`; `key` names it uniquely within the caller's study. */
  trial(config: StudyConfig, job: TrialJob, key: string): Promise<TrialRecord>;
  /** Trains one segment of `config`'s single setting on training and validation rows only. */
  segment(config: StudyConfig, job: SegmentJob): Promise<SegmentOutcome>;
  /** Stops what still runs and releases the workers. */
  close(): Promise<void>;
}

/** Runs everything here, one unit at a time. The dataset is only read, never disposed. */
export function inProcessExecutor(dataset: Dataset, onEvent: (event: StudyEvent) => void = () => {}): Executor {
  let view: SearchData | undefined;
  return {
    slots: 1,
    trial: (config, job) => runTrial(config, dataset, job, onEvent),
    segment: (config, job) => runSegment(config, (view ??= searchView(dataset)), job),
    close: async () => {},
  };
}

/** Runs the thunks with at most `slots` at a time (in this process one: units must not interleave). */
export async function runLimited(tasks: (() => Promise<void>)[], slots: number): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < tasks.length) await tasks[next++]!();
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, slots), tasks.length) }, lane));
}
