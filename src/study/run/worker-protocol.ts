/** Messages between a study and its worker processes (plain JSON over the IPC channel). */
import type { BackendChoice } from '../../backend/backends';
import type { StudyConfig } from '../config/resolve';
import type { DatasetSpec } from '../../datasets/types';
import type { StudyEvent } from './events';
import type { SegmentJob, SegmentOutcome } from './segment';
import type { TrialJob } from './trial';
import type { TrialRecord } from '../records';

/** Where a worker gets its data: a spec it loads itself, or a file written from in-memory tensors. */
export type WorkerData = { spec: DatasetSpec } | { file: string };

/** A unit of work: a compare trial, or a tuner's training segment. */
export type WorkerTask = { type: 'trial'; config: StudyConfig; job: TrialJob } | { type: 'segment'; config: StudyConfig; job: SegmentJob };

export type ToWorker =
  | { type: 'init'; backend: BackendChoice; data: WorkerData; /** wasm threads per worker: the cores shared out among the workers. */ threads: number }
  | WorkerTask;

export type FromWorker =
  | { type: 'ready'; backend: string }
  | { type: 'event'; event: StudyEvent }
  | { type: 'done'; result: TrialRecord | SegmentOutcome }
  | { type: 'error'; name: string; message: string; stack?: string };
