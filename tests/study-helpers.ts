/** Shared fixtures of the study tests: a tiny synthetic study and timing-free trial records. */
import type { StudyOptions, TrialRecord, TuneResultData } from '../src/study';

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

/** A tune's answer without wall-clock fields; search segments in a fixed order (parallel runs log them as they finish). */
export function comparableTune(d: TuneResultData) {
  const key = (s: { technique: string; trial: number; rung: number }) => `${s.technique}/${s.trial}/${s.rung}`;
  return {
    search: d.search.map(({ seconds: _s, ...rest }) => rest).sort((a, b) => key(a).localeCompare(key(b))),
    tuned: d.tuned,
    trials: d.trials.map(withoutTiming),
    verdicts: d.summary.settings.map((s) => s.verdict),
    recommendation: d.recommendation,
  };
}
