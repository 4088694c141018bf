/** Progress events of a study, the same whether a trial runs in this process or in a worker. */
import type { TrialRecord } from '../records';

/** Which trial an event belongs to. */
export interface TrialId {
  setting: string;
  repeat: number;
}

export type StudyEvent =
  | { type: 'study-start'; total: number; skipped: number; epochs: number; parallel: number; backend: string }
  | ({ type: 'trial-start' } & TrialId)
  | ({ type: 'epoch'; epoch: number; epochs: number; logs: Record<string, number> } & TrialId)
  | ({ type: 'trial-end'; record: TrialRecord } & TrialId);
