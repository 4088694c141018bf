/** What a tune reports while it runs (CLI progress, tests). */
import type { TrialRecord } from '../records';
import type { SegmentRecord } from './log';

export type TuneEvent =
  | { type: 'search-start'; techniques: string[]; resumed: number }
  | { type: 'segment-end'; record: SegmentRecord; best: ReadonlyMap<string, SegmentRecord> }
  | { type: 'search-end'; segments: number; stoppedByBudget: boolean }
  | { type: 'confirm-start'; trials: number; resumed: number }
  | { type: 'confirm-trial'; record: TrialRecord; technique: string };
