/**
 * What a queue job carries: the study's resolved config (its data as a spec, never tensors, code or
 * file paths), the backend, and which trial — or, for the tuner, which training segment — to run.
 * A worker trusts nothing in it: the config is rebuilt from the study schema and the job is
 * accepted only if it comes out identical and hashes to the study the job names.
 */
import { z } from 'zod';
import { BACKEND_CHOICES } from '../../backend/backends';
import type { BackendName } from '../../backend/backends';
import { ConfigError } from '../../errors';
import { canonicalJson, datasetSpecOf, formatIssues, parseStudyFile, resolveConfig, studyDatasetSpec } from '../config/resolve';
import type { StudyConfig } from '../config/resolve';
import type { DatasetSpec } from '../../datasets/types';
import type { TrialJob } from '../run/trial';
import { studyHash } from './keys';

export const TRIAL_JOB_NAME = 'trial';
/**
 * BullMQ options of every job with id `jobId`. A unit's own error fails it at once
 * (UnrecoverableError, see processor.ts); attempts are for the queue's failures, such as a trial
 * process that died. Finished jobs stay until their coordinator has logged them.
 */
export function jobOptions(jobId: string) {
  return { jobId, attempts: 3, backoff: { type: 'fixed' as const, delay: 500 }, removeOnComplete: false, removeOnFail: false };
}

/** Starts the failure message of a job whose trial or segment itself failed (bad data…), as opposed to the queue failing it. */
export const TRIAL_ERROR_MARK = '[keras-ts trial error] ';
export const SEGMENT_JOB_NAME = 'segment';
const JOB_VERSION = 1;

/** The data of one trial job, as stored in Redis. */
export interface TrialJobData {
  version: number;
  /** studyHash(config, backend). */
  hash: string;
  backend: BackendName;
  config: StudyConfig;
  settingIndex: number;
  repeat: number;
}

const jobSchema = z.strictObject({
  version: z.literal(JOB_VERSION),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  backend: z.enum(BACKEND_CHOICES).exclude(['auto']),
  config: z.record(z.string(), z.unknown()),
  settingIndex: z.number().int().nonnegative(),
  repeat: z.number().int().nonnegative(),
});

export function trialJobData(config: StudyConfig, backend: BackendName, hash: string, job: TrialJob): TrialJobData {
  return { version: JOB_VERSION, hash, backend, config, settingIndex: job.settingIndex, repeat: job.repeat };
}

/** The job's config, rebuilt from the study schema: exactly what the study resolves, hashing to `hash`. */
function readJobConfig(raw: Record<string, unknown>, backend: BackendName, hash: string): StudyConfig & { data: DatasetSpec } {
  const { data: dataset, ...fields } = raw;
  const file = parseStudyFile({ ...fields, dataset }, 'queue job config');
  const config = resolveConfig(file, studyDatasetSpec(datasetSpecOf(file.dataset))) as StudyConfig & { data: DatasetSpec };
  if (canonicalJson(config) !== canonicalJson(raw)) throw new ConfigError('Invalid queue job: its config is not a resolved study config (fields missing, extra or not in canonical form).');
  if (studyHash(config, backend) !== hash) throw new ConfigError('Invalid queue job: its config does not hash to the study it names.');
  return config;
}

/** A validated trial job: the config is exactly what the study schema resolves, the trial is in range. */
export function readTrialJob(data: unknown): { config: StudyConfig & { data: DatasetSpec }; backend: BackendName; job: TrialJob } {
  const outer = jobSchema.safeParse(data);
  if (!outer.success) throw new ConfigError(`Invalid queue job:\n  ${formatIssues(outer.error, data)}`);
  const { config: raw, backend, hash, settingIndex, repeat } = outer.data;
  const config = readJobConfig(raw, backend, hash);
  if (settingIndex >= config.settings.length || repeat >= config.repeats) {
    throw new ConfigError(`Invalid queue job: setting ${settingIndex}, repeat ${repeat} is outside the study (${config.settings.length} settings × ${config.repeats} repeats).`);
  }
  return { config, backend, job: { settingIndex, repeat } };
}

/** A tuner's training segment as a job: epochs `from` to `to` of the config's one setting; `save` keeps the state for the next segment. */
export interface SegmentJobData {
  version: number;
  hash: string;
  backend: BackendName;
  config: StudyConfig;
  from: number;
  to: number;
  save: boolean;
}

const segmentSchema = z.strictObject({
  version: z.literal(JOB_VERSION),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  backend: z.enum(BACKEND_CHOICES).exclude(['auto']),
  config: z.record(z.string(), z.unknown()),
  from: z.number().int().nonnegative(),
  to: z.number().int().positive(),
  save: z.boolean(),
});

export function segmentJobData(config: StudyConfig, backend: BackendName, hash: string, segment: { from: number; to: number; save: boolean }): SegmentJobData {
  return { version: JOB_VERSION, hash, backend, config, ...segment };
}

/** A validated segment job: one setting, epochs in order and within the config's. */
export function readSegmentJob(data: unknown): { config: StudyConfig & { data: DatasetSpec }; backend: BackendName; hash: string; from: number; to: number; save: boolean } {
  const outer = segmentSchema.safeParse(data);
  if (!outer.success) throw new ConfigError(`Invalid queue job:\n  ${formatIssues(outer.error, data)}`);
  const { config: raw, backend, hash, from, to, save } = outer.data;
  const config = readJobConfig(raw, backend, hash);
  if (config.settings.length !== 1 || from >= to || to > config.epochs) {
    throw new ConfigError(`Invalid queue job: a segment trains one setting from an epoch to a later one within ${config.epochs} epochs (got ${config.settings.length} settings, epochs ${from} → ${to}).`);
  }
  return { config, backend, hash, from, to, save };
}
