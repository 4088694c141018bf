/** The `study` namespace: `study.compare(options)` and what it returns. */
export { compare } from './compare';
export { StudyResult } from './result';
export { parseSettings, DEFAULT_SETTINGS } from './settings';
export { readStudyFile } from './config';
export type { StudyOptions, StudyConfig, EarlyStoppingSpec } from './config';
export type { StudyEvent, TrialId } from './events';
export type { SettingSpec, NamedSetting, RegularizerSpec, ConstraintSpec } from './settings';
export type {
  TrialRecord, TrialCurves, SplitScore, KernelStats, Histogram, Aggregate, SettingSummary, StudySummary, StudyContext, StudyResultData,
} from './types';
