/** The `study` namespace: `study.compare(options)` and what it returns. */
export { compare } from './compare';
export type { CompareOptions } from './compare';
export { startQueueWorker } from './queue/worker';
export type { QueueWorkerOptions, QueueWorkerHandle } from './queue/worker';
export { queueStatus, formatQueueStatus } from './queue/status';
export type { QueueStudyStatus, ActiveTrial } from './queue/status';
export { StudyResult } from './result';
export { parseSettings, DEFAULT_SETTINGS } from './config/settings';
export { readStudyFile } from './config/resolve';
export type { StudyOptions, StudyConfig } from './config/resolve';
export type { EarlyStoppingSpec, SettingSpecInput } from './config/schema';
export type { StudyEvent, TrialId } from './run/events';
export type { SettingSpec, NamedSetting } from './config/settings';
export type {
  TrialRecord, TrialCurves, SplitScore, KernelStats, Histogram, Aggregate, SettingSummary, StudySummary, StudyContext, StudyResultData,
} from './records';
export { tune, TuneResult } from './tune';
export type { TuneOptions, TuneResultData, TuneEvent } from './tune';
