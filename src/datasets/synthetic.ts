/**
 * `datasets.synthetic`: a problem built to be overfitted, so regularizers have something to fix.
 *
 * Every feature starts standard normal; only the first `informative` columns carry signal, the
 * others stay pure noise, independent of everything.
 * - Classification (like scikit-learn's make_classification): each class owns two clusters centred
 *   on distinct corners of the {−1.5, +1.5} hypercube over the informative columns, so a class is
 *   two blobs far apart (not linearly separable: a hidden layer pays off). Informative columns are
 *   rescaled to unit variance, so their scale does not give them away.
 * - Regression: a fixed random teacher, mostly linear in the informative columns plus weak
 *   products of neighbours (z_j·z_{j+1}), standardized, then mixed with Gaussian noise.
 * With few training rows and many noise columns an unregularized MLP memorizes the training set
 * (clear train/validation loss gap), and L1 has a sparse answer to find: the noise inputs'
 * weights can go to zero at no cost.
 *
 * Everything is drawn with `RandomGenerator` in JS, so a seed gives the same numbers on every backend.
 */
import { RandomGenerator } from '../backend/random';
import { invalidArgument } from '../errors';
import { checkOptionNames } from '../options';
import { buildDataset, checkFraction, checkInteger, checkSeed, checkTask, checkTensorSize, gatherRows, oneHotRows } from './split';
import type { SplitArrays } from './split';
import type { Dataset, SyntheticOptions, Task } from './types';

const OWNER = 'datasets.synthetic';
const OPTION_NAMES = ['kind', 'samples', 'features', 'informative', 'classes', 'labelNoise', 'trainFraction', 'validationFraction', 'seed'] as const;

/** Clusters per class and their distance from the origin along each informative axis. */
const CLUSTERS_PER_CLASS = 2;
const CLUSTER_OFFSET = 1.5;
/** Weight of the pairwise products relative to the linear term of the regression teacher. */
const INTERACTION_WEIGHT = 0.25;

/** Options with every default filled in. */
export type ResolvedSyntheticOptions = Required<SyntheticOptions>;

/** The generated table before it becomes tensors (exposed for tests and reports). */
export interface SyntheticArrays {
  options: ResolvedSyntheticOptions;
  /** [samples, features], row-major. */
  x: Float32Array;
  /** Classification: class id per row, after label noise. Regression: the noisy target. */
  y: Float32Array | Int32Array;
  /** Classification: the teacher's class before label noise (regression: the noise-free target). */
  clean: Float32Array | Int32Array;
  /** Rows of train, validation and test, in that order (consecutive; rows are i.i.d.). */
  sizes: { train: number; validation: number; test: number };
}

/** Checks the options and fills in the defaults (see `SyntheticOptions`). */
export function resolveSyntheticOptions(options: SyntheticOptions = {}): ResolvedSyntheticOptions {
  checkOptionNames(OWNER, options, OPTION_NAMES);
  const kind: Task = checkTask(OWNER, options.kind, 'classification');
  const samples = checkInteger(OWNER, 'samples', options.samples, 1200, 3);
  const features = checkInteger(OWNER, 'features', options.features, 100, 1);
  const informative = checkInteger(OWNER, 'informative', options.informative, Math.min(10, features), 1, features);
  const classes = checkInteger(OWNER, 'classes', options.classes, 3, 2, 1000);
  const labelNoise = checkFraction(OWNER, 'labelNoise', options.labelNoise, 0.05);
  const trainFraction = checkFraction(OWNER, 'trainFraction', options.trainFraction, 0.25);
  const validationFraction = checkFraction(OWNER, 'validationFraction', options.validationFraction, 0.15);
  if (trainFraction + validationFraction >= 1) {
    throw invalidArgument('validationFraction', OWNER, `a number below 1 − trainFraction = ${1 - trainFraction} so that test rows remain`, validationFraction);
  }
  const seed = checkSeed(OWNER, options.seed);
  checkTensorSize(OWNER, 'samples', samples, samples, features, 'the data (samples × features)');
  return { kind, samples, features, informative, classes, labelNoise, trainFraction, validationFraction, seed };
}

function splitSizes(o: ResolvedSyntheticOptions): SyntheticArrays['sizes'] {
  const train = Math.round(o.samples * o.trainFraction);
  const validation = Math.round(o.samples * o.validationFraction);
  const test = o.samples - train - validation;
  const needed = `with samples=${o.samples}, a fraction that leaves at least one row`;
  if (train < 1) throw invalidArgument('trainFraction', OWNER, needed, o.trainFraction);
  if (validation < 1) throw invalidArgument('validationFraction', OWNER, needed, o.validationFraction);
  if (test < 1) throw invalidArgument('samples', OWNER, 'enough rows to leave at least one test row', o.samples);
  return { train, validation, test };
}

/** Regression teacher [samples]: z·a + w·Σ_j b_j·z_j·z_{j+1} over the informative columns z. */
function teacherTarget(x: Float32Array, o: ResolvedSyntheticOptions, rng: RandomGenerator): Float64Array {
  const k = o.informative;
  const scale = 1 / Math.sqrt(k);
  const linear = Float64Array.from({ length: k }, () => rng.normal() * scale);
  const pairs = Float64Array.from({ length: k }, () => rng.normal() * scale * INTERACTION_WEIGHT);
  const target = new Float64Array(o.samples);
  for (let r = 0; r < o.samples; r++) {
    const row = r * o.features;
    let sum = 0;
    for (let j = 0; j < k; j++) {
      const z = x[row + j]!;
      sum += z * linear[j]! + z * x[row + ((j + 1) % k)]! * pairs[j]!;
    }
    target[r] = sum;
  }
  return target;
}

/** Replaces exactly round(labelNoise·n) labels, at seeded rows, by a different random class. */
function flipLabels(clean: Int32Array, o: ResolvedSyntheticOptions, rng: RandomGenerator): Int32Array {
  const noisy = Int32Array.from(clean);
  const count = Math.round(o.labelNoise * o.samples);
  const rows = rng.permutation(o.samples).subarray(0, count);
  for (const r of rows) noisy[r] = (clean[r]! + 1 + rng.int(o.classes - 1)) % o.classes;
  return noisy;
}

/** Standardized teacher output mixed with Gaussian noise holding `labelNoise` of the variance. */
function noisyTarget(scores: Float64Array, o: ResolvedSyntheticOptions, rng: RandomGenerator): { clean: Float32Array; y: Float32Array } {
  let mean = 0;
  for (const s of scores) mean += s;
  mean /= scores.length;
  let variance = 0;
  for (const s of scores) variance += (s - mean) ** 2;
  const std = Math.sqrt(variance / scores.length) || 1;
  const clean = Float32Array.from(scores, (s) => (s - mean) / std);
  const signal = Math.sqrt(1 - o.labelNoise);
  const noise = Math.sqrt(o.labelNoise);
  const y = Float32Array.from(clean, (s) => signal * s + noise * rng.normal());
  return { clean, y };
}

/** Corners of the {−1, +1}^k hypercube, one per cluster, distinct while the cube has enough corners. */
function clusterCorners(count: number, k: number, rng: RandomGenerator): Int8Array[] {
  const distinct = k < 31 && 2 ** k >= count;
  const seen = new Set<string>();
  const corners: Int8Array[] = [];
  while (corners.length < count) {
    const corner = Int8Array.from({ length: k }, () => (rng.next() < 0.5 ? -1 : 1));
    const key = corner.join(',');
    if (distinct && seen.has(key)) continue;
    seen.add(key);
    corners.push(corner);
  }
  return corners;
}

/** Generates the table as plain arrays (deterministic in `seed`). */
export function generateSynthetic(options: SyntheticOptions = {}): SyntheticArrays {
  const o = resolveSyntheticOptions(options);
  const sizes = splitSizes(o);
  // Separate streams, forked in a fixed order: the noise columns never depend on `classes` or `kind`.
  const root = new RandomGenerator(o.seed);
  const xStream = root.fork();
  const teacherStream = root.fork();
  const noiseStream = root.fork();
  const x = new Float32Array(o.samples * o.features);
  for (let i = 0; i < x.length; i++) x[i] = xStream.normal();
  if (o.kind === 'regression') {
    const { clean, y } = noisyTarget(teacherTarget(x, o, teacherStream), o, noiseStream);
    return { options: o, x, y, clean, sizes };
  }
  const corners = clusterCorners(o.classes * CLUSTERS_PER_CLASS, o.informative, teacherStream);
  // Rows are dealt to clusters in turn, in a seeded order: classes come out balanced to ±1 row.
  const order = teacherStream.permutation(o.samples);
  const clean = new Int32Array(o.samples);
  const unitVariance = 1 / Math.sqrt(1 + CLUSTER_OFFSET * CLUSTER_OFFSET);
  for (let r = 0; r < o.samples; r++) {
    const cluster = order[r]! % corners.length;
    clean[r] = cluster % o.classes;
    const corner = corners[cluster]!;
    const row = r * o.features;
    for (let j = 0; j < o.informative; j++) x[row + j] = (x[row + j]! + CLUSTER_OFFSET * corner[j]!) * unitVariance;
  }
  return { options: o, x, y: flipLabels(clean, o, noiseStream), clean, sizes };
}

/**
 * A seeded synthetic dataset with train, validation and test splits. Informative features are
 * columns 0..informative−1 (also listed in `informativeFeatures`); the rest are noise.
 */
export function synthetic(options: SyntheticOptions = {}): Dataset {
  const data = generateSynthetic(options);
  const o = data.options;
  const outputs = o.kind === 'classification' ? o.classes : 1;
  const { train, validation } = data.sizes;
  const split = (start: number, rows: number): SplitArrays => {
    const indices = Int32Array.from({ length: rows }, (_, i) => start + i);
    const y = data.y instanceof Int32Array ? oneHotRows(data.y, outputs, indices) : gatherRows(data.y, 1, indices);
    return { rows, x: gatherRows(data.x, o.features, indices), y };
  };
  const dataset = buildDataset({
    name: 'synthetic',
    task: o.kind,
    features: o.features,
    outputs,
    train: split(0, train),
    validation: split(train, validation),
    test: split(train + validation, data.sizes.test),
  });
  dataset.informativeFeatures = Array.from({ length: o.informative }, (_, i) => i);
  return dataset;
}
