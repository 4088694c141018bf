/**
 * What a queue job carries: the study's resolved config (its data as a spec, never tensors or
 * code), the backend and which trial to run. A worker trusts nothing in it: `readTrialJob` rebuilds
 * the config from the study schema and accepts the job only if it comes out identical and hashes
 * to the study the job names.
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

/** A validated job: the config is exactly what the study schema resolves, the trial is in range. */
export function readTrialJob(data: unknown): { config: StudyConfig & { data: DatasetSpec }; backend: BackendName; job: TrialJob } {
  const outer = jobSchema.safeParse(data);
  if (!outer.success) throw new ConfigError(`Invalid queue job:\n  ${formatIssues(outer.error, data)}`);
  const { config: raw, backend, hash, settingIndex, repeat } = outer.data;
  const { data: dataset, ...fields } = raw;
  const file = parseStudyFile({ ...fields, dataset }, 'queue job config');
  const config = resolveConfig(file, studyDatasetSpec(datasetSpecOf(file.dataset))) as StudyConfig & { data: DatasetSpec };
  if (canonicalJson(config) !== canonicalJson(raw)) throw new ConfigError('Invalid queue job: its config is not a resolved study config (fields missing, extra or not in canonical form).');
  if (studyHash(config, backend) !== hash) throw new ConfigError('Invalid queue job: its config does not hash to the study it names.');
  if (settingIndex >= config.settings.length || repeat >= config.repeats) {
    throw new ConfigError(`Invalid queue job: setting ${settingIndex}, repeat ${repeat} is outside the study (${config.settings.length} settings × ${config.repeats} repeats).`);
  }
  return { config, backend, job: { settingIndex, repeat } };
}
