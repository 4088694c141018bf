/**
 * Helpers every loader shares: option checks, seeded row splits, and turning plain arrays into
 * the tensors of a `Dataset`. Data is prepared in JS typed arrays and becomes tensors only at the
 * end, so a loader that throws half-way leaves no tensor behind.
 */
import { tf } from '../backend/tf';
import { invalidArgument } from '../errors';
import type { Dataset, Split, Task } from './types';

/** An integer in [min, max] (max defaults to no bound), or the default when undefined. */
export function checkInteger(owner: string, name: string, value: unknown, fallback: number, min: number, max = Infinity): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Infinity ? `an integer ≥ ${min}` : `an integer in [${min}, ${max}]`;
    throw invalidArgument(name, owner, range, value);
  }
  return value;
}

/** A number in [min, max) (or [min, max] when `maxInclusive`), or the default when undefined. */
export function checkFraction(owner: string, name: string, value: unknown, fallback: number, min = 0, maxInclusive = false): number {
  if (value === undefined) return fallback;
  const ok = typeof value === 'number' && Number.isFinite(value) && value >= min && (maxInclusive ? value <= 1 : value < 1);
  if (!ok) throw invalidArgument(name, owner, `a number in [${min}, 1${maxInclusive ? ']' : ')'}`, value);
  return value;
}

/**
 * The most values one tensor (one typed array) may hold here: tfjs indexes with int32, and the
 * wasm backend's memory is 32-bit, so a split, a kernel or an activation beyond this cannot be built.
 */
export const MAX_TENSOR_VALUES = 2 ** 30;

/** Throws a ConfigError when `rows × width` values would not fit one tensor; says what fits. */
export function checkTensorSize(owner: string, name: string, value: number, rows: number, width: number, what: string): void {
  if (rows * width > MAX_TENSOR_VALUES) {
    const fits = Math.floor(MAX_TENSOR_VALUES / width);
    throw invalidArgument(name, owner, `a value that keeps ${what} within ${MAX_TENSOR_VALUES} values (${rows} × ${width} is ${rows * width}); at most ${fits} rows of ${width} fit`, value);
  }
}

/** A seed: an integer in [0, 2^32), the range `RandomGenerator` takes without folding. */
export function checkSeed(owner: string, value: unknown): number {
  return checkInteger(owner, 'seed', value, 0, 0, 0xffffffff);
}

/** 'classification' or 'regression', or the default when undefined. */
export function checkTask(owner: string, value: unknown, fallback: Task): Task {
  if (value === undefined) return fallback;
  if (value !== 'classification' && value !== 'regression') {
    throw invalidArgument('kind', owner, "'classification' or 'regression'", value);
  }
  return value;
}

/** Copies the rows `indices` of a row-major [n, width] matrix into a new [indices.length, width] one. */
export function gatherRows(data: ArrayLike<number>, width: number, indices: ArrayLike<number>): Float32Array {
  const out = new Float32Array(indices.length * width);
  for (let r = 0; r < indices.length; r++) {
    const from = indices[r]! * width;
    for (let c = 0; c < width; c++) out[r * width + c] = data[from + c]!;
  }
  return out;
}

/** One-hot rows [indices.length, classes] of the class ids `labels[indices[i]]`. */
export function oneHotRows(labels: ArrayLike<number>, classes: number, indices: ArrayLike<number>): Float32Array {
  const out = new Float32Array(indices.length * classes);
  for (let r = 0; r < indices.length; r++) out[r * classes + labels[indices[r]!]!] = 1;
  return out;
}

/** The consecutive index ranges [0, a), [a, a+b), … of the given sizes within `order`. */
export function takeRuns(order: Int32Array, sizes: number[]): Int32Array[] {
  const runs: Int32Array[] = [];
  let start = 0;
  for (const size of sizes) {
    runs.push(order.subarray(start, start + size));
    start += size;
  }
  return runs;
}

/** Plain-array form of a split, before it becomes tensors: x [rows, features], y [rows, outputs]. */
export interface SplitArrays {
  rows: number;
  x: Float32Array;
  y: Float32Array;
}

/** What `buildDataset` needs besides the splits. */
export interface DatasetParts {
  name: string;
  task: Task;
  features: number;
  /** Width of y: classes for classification, 1 for regression. */
  outputs: number;
  classNames?: string[];
  train: SplitArrays;
  validation?: SplitArrays;
  test: SplitArrays;
}

function toSplit(arrays: SplitArrays, features: number, outputs: number): Split {
  return {
    x: tf.tensor2d(arrays.x, [arrays.rows, features], 'float32'),
    y: tf.tensor2d(arrays.y, [arrays.rows, outputs], 'float32'),
  };
}

/** Turns prepared arrays into a `Dataset` whose `dispose()` frees every tensor it made. */
export function buildDataset(parts: DatasetParts): Dataset {
  const { features, outputs } = parts;
  const train = toSplit(parts.train, features, outputs);
  const validation = parts.validation === undefined ? undefined : toSplit(parts.validation, features, outputs);
  const test = toSplit(parts.test, features, outputs);
  const splits = validation === undefined ? [train, test] : [train, validation, test];
  return {
    name: parts.name,
    task: parts.task,
    features,
    ...(parts.task === 'classification' ? { classes: outputs } : {}),
    ...(parts.classNames === undefined ? {} : { classNames: [...parts.classNames] }),
    train,
    ...(validation === undefined ? {} : { validation }),
    test,
    dispose(): void {
      for (const split of splits) {
        split.x.dispose();
        split.y.dispose();
      }
    },
  };
}
