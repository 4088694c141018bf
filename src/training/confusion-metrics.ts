/**
 * Metrics that are not means of per-sample values — Precision, Recall, F1Score, AUC — computed as
 * Keras 3 does from confusion counts accumulated over every batch of an epoch. Each returns, per
 * batch, a vector of counts that the training loop and evaluate sum on the device, and computes its
 * value from the summed counts once, on the host.
 */
import { tf } from '../backend/tf';
import { ConfigError, invalidArgument } from '../errors';
import { readOptions } from '../options';
import { oneHotLabels } from './losses';

/** What a stateful metric needs: per-batch counts [size] and the value from their sums. */
export interface ConfusionCounts {
  /** Length of the count vector. */
  size: number;
  /** This batch's counts [size] from labels and the model's output. */
  batch(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor;
  /** The metric's value from counts summed over batches. */
  result(sums: ArrayLike<number>): number;
}

const EPSILON = 1e-7; // Keras' backend.epsilon()
const divideNoNan = (a: number, b: number): number => (b === 0 ? 0 : a / b);

/** Labels as the output's shape (one-hot when sparse) and as booleans (non-zero = positive), as float 0/1. */
function truth(yTrue: tf.Tensor, yPred: tf.Tensor, sparse: boolean): tf.Tensor {
  const y = sparse && yPred.shape[yPred.rank - 1]! > 1 ? oneHotLabels(yTrue, yPred.shape[yPred.rank - 1]!) : tf.reshape(yTrue, yPred.shape);
  return tf.cast(tf.notEqual(y, 0), 'float32');
}

/** Column classId of [batch, K] (Keras' class_id), or everything. */
const pick = (t: tf.Tensor, classId: number | undefined): tf.Tensor =>
  classId === undefined ? t : tf.slice(t, [0, classId], [t.shape[0]!, 1]);

export interface PrecisionOptions {
  /** Scores above it count as positive (default 0.5). */
  thresholds?: number;
  /** Only this class's column (default all entries). */
  classId?: number;
  /** Log name (default 'precision' / 'recall'). */
  name?: string;
}

function checkThreshold(owner: string, value: unknown): number {
  if (!(typeof value === 'number' && value >= 0 && value <= 1)) throw invalidArgument('thresholds', owner, 'a number in [0, 1]', value);
  return value;
}

function checkClassId(owner: string, value: unknown, units: number): number | undefined {
  if (value === undefined) return undefined;
  if (!(Number.isInteger(value) && (value as number) >= 0 && (value as number) < Math.max(units, 1))) {
    throw invalidArgument('classId', owner, `an integer in [0, ${Math.max(units, 1)})`, value);
  }
  return value as number;
}

/** Precision tp / (tp + fp) or Recall tp / (tp + fn), with Keras' threshold rule (score > threshold). */
export function precisionOrRecall(which: 'Precision' | 'Recall', options: PrecisionOptions, sparse: boolean, units: number): ConfusionCounts {
  const o = readOptions(which, options, ['thresholds', 'classId', 'name']);
  const threshold = checkThreshold(which, o.thresholds ?? 0.5);
  const classId = checkClassId(which, o.classId, units);
  return {
    size: 2,
    batch: (yTrue, yPred) => {
      const y = pick(truth(yTrue, yPred, sparse), classId);
      const positive = tf.cast(tf.greater(pick(yPred, classId), threshold), 'float32');
      const tp = tf.sum(tf.mul(y, positive));
      // Precision: [tp, fp]; Recall: [tp, fn].
      const other = which === 'Precision' ? tf.sum(tf.mul(tf.sub(1, y), positive)) : tf.sum(tf.mul(y, tf.sub(1, positive)));
      return tf.stack([tp, other]);
    },
    result: (s) => divideNoNan(s[0]!, s[0]! + s[1]!),
  };
}

export interface F1ScoreOptions {
  /** 'micro', 'macro' or 'weighted' (by support); null = per class, which needs a single output unit (default null). */
  average?: 'micro' | 'macro' | 'weighted' | null;
  /** Scores above it count as positive; null = each row's highest score (default null). */
  threshold?: number | null;
  /** Log name (default 'f1_score'). */
  name?: string;
}

/** Keras' F1Score: per-class tp, fp, fn and support summed over batches, then averaged. */
export function f1Score(options: F1ScoreOptions, sparse: boolean, units: number): ConfusionCounts {
  const o = readOptions('F1Score', options, ['average', 'threshold', 'name']);
  const average = o.average ?? null;
  if (average !== null && !['micro', 'macro', 'weighted'].includes(average)) {
    throw invalidArgument('average', 'F1Score', "'micro', 'macro', 'weighted' or null", average);
  }
  if (average === null && units > 1) {
    throw new ConfigError(`Invalid \`average\` for F1Score: per-class scores (average=null) are not a single number for ${units} output units; use 'micro', 'macro' or 'weighted'. Received: average=null`);
  }
  const threshold = o.threshold === undefined || o.threshold === null ? undefined : checkThreshold('F1Score', o.threshold);
  const k = Math.max(units, 1);
  return {
    size: 4 * k,
    batch: (yTrue, yPred) => {
      const y = tf.reshape(truth(yTrue, yPred, sparse), [-1, k]);
      const p = tf.reshape(yPred, [-1, k]);
      const predicted = threshold === undefined
        ? tf.logicalAnd(tf.greaterEqual(p, tf.max(p, -1, true)), tf.greater(tf.abs(p), 1e-9))
        : tf.greater(p, threshold);
      const pos = tf.cast(predicted, 'float32');
      const tp = tf.sum(tf.mul(y, pos), 0);
      const fp = tf.sum(tf.mul(tf.sub(1, y), pos), 0);
      const fn = tf.sum(tf.mul(y, tf.sub(1, pos)), 0);
      return tf.concat([tp, fp, fn, tf.sum(y, 0)]); // [4·K]
    },
    result: (s) => {
      const at = (part: number) => Array.from({ length: k }, (_, c) => s[part * k + c]!);
      let [tp, fp, fn] = [at(0), at(1), at(2)];
      const support = at(3);
      if (average === 'micro') [tp, fp, fn] = [[sum(tp)], [sum(fp)], [sum(fn)]];
      const f1 = tp.map((t, c) => {
        const precision = t / (t + fp[c]! + EPSILON);
        const recall = t / (t + fn[c]! + EPSILON);
        return (2 * precision * recall) / (precision + recall + EPSILON);
      });
      if (average === 'weighted') return divideNoNan(sum(f1.map((f, c) => f * support[c]!)), sum(support));
      return sum(f1) / f1.length; // macro, micro (one entry) or the single class
    },
  };
}

const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);

export interface AUCOptions {
  /** Thresholds of the discretized curve (default 200). */
  numThresholds?: number;
  /** 'ROC' or 'PR' (default 'ROC'). */
  curve?: 'ROC' | 'PR';
  /** 'interpolation', 'minoring' or 'majoring' (default 'interpolation'). */
  summationMethod?: 'interpolation' | 'minoring' | 'majoring';
  /** Log name (default 'auc'). */
  name?: string;
}

/** Keras' AUC (multiLabel false): confusion counts at numThresholds thresholds over all entries, then a Riemann sum. */
export function auc(options: AUCOptions, sparse: boolean): ConfusionCounts {
  const o = readOptions('AUC', options, ['numThresholds', 'curve', 'summationMethod', 'name']);
  const n = o.numThresholds ?? 200;
  if (!(Number.isInteger(n) && n > 1)) throw invalidArgument('numThresholds', 'AUC', 'an integer > 1', n);
  const curve = o.curve ?? 'ROC';
  if (curve !== 'ROC' && curve !== 'PR') throw invalidArgument('curve', 'AUC', "'ROC' or 'PR'", curve);
  const method = o.summationMethod ?? 'interpolation';
  if (!['interpolation', 'minoring', 'majoring'].includes(method)) {
    throw invalidArgument('summationMethod', 'AUC', "'interpolation', 'minoring' or 'majoring'", method);
  }
  const thresholds = [-EPSILON, ...Array.from({ length: n - 2 }, (_, i) => (i + 1) / (n - 1)), 1 + EPSILON];
  return {
    size: 4 * n,
    batch: (yTrue, yPred) => {
      const y = tf.reshape(truth(yTrue, yPred, sparse), [1, -1]); // [1, N]
      const above = tf.cast(tf.greater(tf.reshape(yPred, [-1, 1]), tf.tensor2d([thresholds])), 'float32'); // [N, T]
      const tp = tf.reshape(tf.matMul(y, above), [-1]);
      const fp = tf.reshape(tf.matMul(tf.sub(1, y), above), [-1]);
      const fn = tf.sub(tf.sum(y), tp);
      const tn = tf.sub(tf.sum(tf.sub(1, y)), fp);
      return tf.concat([tp, fp, tn, fn]); // [4·T]
    },
    result: (s) => {
      const at = (part: number) => Array.from({ length: n }, (_, t) => s[part * n + t]!);
      const [tp, fp, tn, fn] = [at(0), at(1), at(2), at(3)];
      if (curve === 'PR' && method === 'interpolation') return interpolatePrAuc(tp, fp, fn);
      const recall = tp.map((t, i) => divideNoNan(t, t + fn[i]!));
      const [x, y] = curve === 'ROC' ? [fp.map((f, i) => divideNoNan(f, f + tn[i]!)), recall] : [recall, tp.map((t, i) => divideNoNan(t, t + fp[i]!))];
      let total = 0;
      for (let i = 0; i < n - 1; i++) {
        const height = method === 'interpolation' ? (y[i]! + y[i + 1]!) / 2 : method === 'minoring' ? Math.min(y[i]!, y[i + 1]!) : Math.max(y[i]!, y[i + 1]!);
        total += (x[i]! - x[i + 1]!) * height;
      }
      return total;
    },
  };
}

/** Keras' interpolate_pr_auc (Davis & Goadrich 2006): precision interpolated along true positives. */
function interpolatePrAuc(tp: number[], fp: number[], fn: number[]): number {
  let total = 0;
  for (let i = 0; i < tp.length - 1; i++) {
    const dtp = tp[i]! - tp[i + 1]!;
    const p0 = tp[i]! + fp[i]!;
    const p1 = tp[i + 1]! + fp[i + 1]!;
    const slope = divideNoNan(dtp, Math.max(p0 - p1, 0));
    const intercept = tp[i + 1]! - slope * p1;
    const ratio = p0 > 0 && p1 > 0 ? divideNoNan(p0, Math.max(p1, 0)) : 1;
    total += divideNoNan(slope * (dtp + intercept * Math.log(ratio)), Math.max(tp[i + 1]! + fn[i + 1]!, 0));
  }
  return total;
}
