/**
 * What every dataset loader returns, and the serializable description (a spec) a study worker
 * process uses to load the same data again: tensors cannot cross processes, a spec can.
 */
import type { tf } from '../backend/tf';

export type Task = 'classification' | 'regression';

/** One split: x is [n, features]; y is one-hot [n, classes] for classification, [n, 1] for regression. */
export interface Split {
  x: tf.Tensor2D;
  y: tf.Tensor2D;
}

export interface Dataset {
  /** Short name for reports: "synthetic", "fashion-mnist", "mnist", or the CSV file's base name. */
  name: string;
  task: Task;
  features: number;
  /** Number of classes (classification only). */
  classes?: number;
  /** Optional class names, index-aligned with the one-hot columns. */
  classNames?: string[];
  /** Synthetic data only: the feature columns that carry signal (all others are pure noise). */
  informativeFeatures?: number[];
  train: Split;
  validation?: Split;
  test: Split;
  /** Disposes every tensor of every split. */
  dispose(): void;
}

/** Options of `datasets.synthetic`. */
export interface SyntheticOptions {
  /** 'classification' (default) or 'regression'. */
  kind?: Task;
  /** Total rows before splitting (default 1200). */
  samples?: number;
  /** Total features (default 100). */
  features?: number;
  /** Features that carry signal, columns 0..informative−1 (default min(10, features)); the rest are pure noise. */
  informative?: number;
  /** Classes (classification, default 3). */
  classes?: number;
  /** Share of the label that is noise, in [0, 1) (default 0.05). Classification: exactly
   *  round(labelNoise·samples) labels are replaced by a different random class. Regression: the
   *  share of the target's variance that is Gaussian noise. */
  labelNoise?: number;
  /** Fraction of rows for training (default 0.25: few rows, so an unregularized model overfits). */
  trainFraction?: number;
  /** Fraction of rows for validation (default 0.15); the rest (0.6 by default) is test. */
  validationFraction?: number;
  /** Seed of the data and of the split, an integer in [0, 2^32) (default 0). */
  seed?: number;
}

/**
 * Options of `datasets.fashionMnist` and `datasets.mnist`. Validation and training rows come from
 * the training file through one seeded permutation (validation first, so it stays put when only
 * trainSize changes); test rows are the first `testSize` rows of the test file for every seed.
 */
export interface IdxOptions {
  /** Folder with train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], t10k-…. Default:
   *  $KERAS_TS_DATA/<name> if that folder exists, else $KERAS_TS_DATA, else (Fashion-MNIST only)
   *  Debian's /usr/share/datasets/fashion-mnist (`apt-get install dataset-fashion-mnist`). */
  dir?: string;
  /** Rows taken from the 60k training file for training (default: all that validationSize leaves). */
  trainSize?: number;
  /** Rows taken from the training file for validation (default 0 = no validation split). */
  validationSize?: number;
  /** Rows taken from the start of the 10k test file (default: all). */
  testSize?: number;
  /** Seed of the training/validation row selection, an integer in [0, 2^32) (default 0). */
  seed?: number;
}

/**
 * Options of `datasets.fromCsv`. The file needs a header row; feature columns must be numeric;
 * features are standardized with the training split's mean and standard deviation.
 */
export interface CsvOptions {
  /** Column holding the label (header name or 0-based index; default: the last column). */
  label?: string | number;
  /** Default: classification when labels are not all numbers, or are integers with at most 20
   *  distinct values; regression otherwise. */
  kind?: Task;
  /** Fraction of rows for test, in (0, 1) (default 0.2). */
  testFraction?: number;
  /** Fraction of rows for validation, in [0, 1); 0 = no validation split (default 0.2). */
  validationFraction?: number;
  /** Seed of the row split, an integer in [0, 2^32) (default 0). */
  seed?: number;
}

/** Serializable description of a dataset; `loadDataset(spec)` turns it into tensors. */
export type DatasetSpec =
  | ({ source: 'synthetic' } & SyntheticOptions)
  | ({ source: 'fashion-mnist' | 'mnist' } & IdxOptions)
  | ({ source: 'csv'; path: string } & CsvOptions);
