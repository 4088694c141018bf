/** What a tune reports while it runs (CLI progress, tests). */
import type { TrialRecord } from '../records';
import type { SegmentRecord } from './log';

export type TuneEvent =
  /** `plannedEpochs`: the epochs the whole tune trains at most (search by the pruner's plan, confirmation without early stops); `doneEpochs`: those logged already. */
  | { type: 'search-start'; techniques: string[]; resumed: number; plannedEpochs: number; doneEpochs: number }
  /** `trained`: epochs this segment trained. */
  | { type: 'segment-end'; record: SegmentRecord; trained: number; best: ReadonlyMap<string, SegmentRecord> }
  | { type: 'search-end'; segments: number; stoppedByBudget: boolean }
  | { type: 'confirm-start'; trials: number; resumed: number }
  | { type: 'confirm-trial'; record: TrialRecord; technique: string };
