/**
 * The data a study produces. results.json, results.csv, trials.jsonl and every report are built
 * from these records; readers ignore unknown fields, and `schemaVersion` changes when a field
 * changes meaning.
 */

export const STUDY_SCHEMA_VERSION = 1;

/** Loss and accuracy of one split, evaluated in inference mode (no dropout, data loss only). */
export interface SplitScore {
  loss: number;
  /** Undefined for regression studies. */
  accuracy?: number;
}

/** One histogram of kernel values: `counts[i]` values fell in [edges[i], edges[i+1]). */
export interface Histogram {
  edges: number[];
  counts: number[];
}

/** Statistics of one Dense kernel at the end of training. */
export interface KernelStats {
  /** Layer name, e.g. "dense_1". */
  layer: string;
  /** Σ|w| */
  l1Norm: number;
  /** sqrt(Σw²) */
  l2Norm: number;
  /** Fraction of weights with |w| < 1e-3. */
  nearZeroFraction: number;
  /** Fraction of weights exactly 0. */
  zeroFraction: number;
  histogram: Histogram;
}

/**
 * Per-epoch curves, one value per finished epoch, as `fit` logs them: `loss` is data loss plus the
 * regularization penalty (Keras), `penalty` that penalty alone; val_* present with validation data.
 */
export interface TrialCurves {
  loss: number[];
  penalty: number[];
  accuracy?: number[];
  val_loss?: number[];
  /** Regularization penalty included in val_loss (so val_loss − val_penalty is the validation data loss). */
  val_penalty?: number[];
  val_accuracy?: number[];
}

/** Everything recorded about one (setting, repeat) training run. */
export interface TrialRecord {
  /** Setting name as the user wrote it: "none", "l1", "l2+dropout"… */
  setting: string;
  /** 0-based repeat index; the repeat's seed is in `seed`. */
  repeat: number;
  seed: number;
  backend: string;
  epochs: number;
  /** 0-based epoch whose val_loss (else loss) was lowest. */
  bestEpoch: number;
  curves: TrialCurves;
  train: SplitScore;
  test: SplitScore;
  /** Generalization gap: loss = test.loss − train.loss; accuracy = train.accuracy − test.accuracy. */
  gap: { loss: number; accuracy?: number };
  /** Regularization penalty of the final weights. */
  penalty: number;
  /** One entry per Dense kernel, in layer order. */
  weights: KernelStats[];
  secondsPerEpoch: number;
  samplesPerSecond: number;
}

/** n, mean, std (sample, n−1), min, max of one metric over repeats. */
export interface Aggregate {
  n: number;
  mean: number;
  std: number;
  min: number;
  max: number;
}

/** One setting's results over repeats. */
export interface SettingSummary {
  setting: string;
  /** Keys like "test.loss", "test.accuracy", "train.loss", "gap.loss", "gap.accuracy", "penalty",
   *  "weights.0.l1Norm", "weights.0.nearZeroFraction", "secondsPerEpoch". */
  metrics: Record<string, Aggregate>;
  /** 1 = best by the ranking metric (test accuracy for classification, test loss for regression). */
  rank: number;
  /** Plain-words comparison with the baseline setting, e.g. "dropout: loss gap −61% ± 8%, test accuracy +0.7 pt". */
  verdict: string;
  /** True when the difference to the baseline is within the spread over repeats. */
  withinSpread: boolean;
}

export interface StudySummary {
  baseline: string;
  rankedBy: string;
  settings: SettingSummary[];
}

/** Where and how a study ran. */
export interface StudyContext {
  date: string;
  kerasTsVersion: string;
  tfjsVersion: string;
  backend: string;
  cpu: string;
  cores: number;
  node: string;
}

/** The contents of results.json. */
export interface StudyResultData {
  schemaVersion: number;
  context: StudyContext;
  /** The resolved study configuration (what makes two runs "the same study"). */
  config: Record<string, unknown>;
  trials: TrialRecord[];
  summary: StudySummary;
  /** With saveModels: each setting's best trial saved as .keras, in setting order (absent otherwise). */
  models?: SavedModel[];
}

/** One setting's saved model (compare with saveModels). */
export interface SavedModel {
  setting: string;
  /** The repeat whose model was kept: the setting's best by the ranking metric. */
  repeat: number;
  /** Path relative to the study folder, `models/<safe name>.keras`. */
  file: string;
}
