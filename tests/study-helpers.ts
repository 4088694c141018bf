/** Shared fixtures of the study tests: a tiny synthetic study and timing-free trial records. */
import type { StudyOptions, TrialRecord } from '../src/study';

/** A study small enough for unit tests: 3 settings × 2 repeats, a few epochs of a tiny MLP. */
export const TINY_STUDY: StudyOptions = {
  data: { source: 'synthetic', samples: 240, features: 12, informative: 3, seed: 5 },
  hidden: [8],
  settings: 'none,l1=1e-3,dropout=0.3',
  epochs: 3,
  batchSize: 16,
  repeats: 2,
  seed: 11,
  backend: 'wasm',
};

/** A trial without its wall-clock fields, which differ run to run. */
export function withoutTiming(trial: TrialRecord): Omit<TrialRecord, 'secondsPerEpoch' | 'samplesPerSecond'> {
  const { secondsPerEpoch, samplesPerSecond, ...rest } = trial;
  void secondsPerEpoch;
  void samplesPerSecond;
  return rest;
}
