/**
 * Names in Redis, all derived from the study: the queue of a study is named by a hash of its
 * resolved config and backend, and a trial's job id by (config hash, setting, repeat, seed), so a
 * restarted coordinator finds the same queue and adding a trial twice adds it once.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../config/resolve';
import type { StudyConfig } from '../config/resolve';
import type { TrialJob } from '../run/trial';
import { repeatSeed } from '../run/trial';

/** Environment variable through which a worker tells its trial processes their wasm threads. */
export const THREADS_ENV = 'KERAS_TS_QUEUE_THREADS';

/** Redis set of the queue names of running queue studies; workers watch it. */
export const STUDIES_KEY = 'keras-ts:studies';

/** sha256 of the canonical study identity, hex. */
export function studyHash(config: StudyConfig, backend: string): string {
  return createHash('sha256').update(canonicalJson({ config, backend })).digest('hex');
}

/** sha256 of a tune's resolved config and backend, hex (its queue's name). */
export function tuneHash(config: object, backend: string): string {
  return createHash('sha256').update(canonicalJson({ tune: config, backend })).digest('hex');
}

export function tuneQueueNameOf(hash: string): string {
  return `tune-${hash.slice(0, 16)}`;
}

export function queueNameOf(hash: string): string {
  return `study-${hash.slice(0, 16)}`;
}

/** The trial's idempotent key as a BullMQ job id (BullMQ ids may not contain ':'). */
export function jobIdOf(hash: string, config: StudyConfig, job: TrialJob): string {
  return `${hash.slice(0, 16)}-s${job.settingIndex}-r${job.repeat}-seed${repeatSeed(config.seed, job.repeat)}`;
}
