/** `study.tune`: search regularization strengths on validation, confirm the picks on test. */
export { tune } from './tune';
export { searchView } from '../run/segment';
export { TuneResult, TUNE_REPORT_FILES } from './result';
export { haltonPoint, radicalInverse, randomPoint, SAMPLER_NAMES } from './sampler';
export { epochRungs, nextJob, bestTrial, medianPrunes, PRUNER_NAMES } from './scheduler';
export { TECHNIQUE_NAMES, DEFAULT_TECHNIQUES } from './space';
export type { TuneOptions, TuneConfig } from './config';
export type { TuneEvent } from './events';
export type { SegmentRecord, ConfirmRecord } from './log';
export type { TuneResultData, TunedTechnique } from './result';
export type { Job, RungResult, SchedulerOptions, PrunerName } from './scheduler';
export type { SamplerName } from './sampler';
export type { SearchData } from '../run/segment';
