/**
 * `datasets.fromCsv`: a user's own table as a dataset.
 *
 * - The first row must be a header naming the columns. The label column is chosen by name or
 *   0-based index (default: the last column); every other column is a numeric feature (a
 *   non-numeric or empty cell is an error naming the column and line: encode categories yourself).
 * - Classification labels may be strings or integers; they become class ids in sorted order
 *   (numerically for numbers), and `classNames` keeps the labels as written. Regression labels
 *   must be numbers and give y of shape [n, 1]. Without `kind`, labels that are not all numbers,
 *   or are integers with at most 20 distinct values, mean classification; otherwise regression.
 * - Rows are split by one seeded permutation: test first, then validation, the rest for training.
 * - Features are standardized with the training rows' mean and standard deviation (population;
 *   a constant column is only centred), applied to every split, so no test statistics leak in.
 */
import * as path from 'node:path';
import { RandomGenerator } from '../backend/random';
import { DataError, invalidArgument } from '../errors';
import { checkOptionNames } from '../options';
import { MAX_FLOAT32, isNumeric, outOfRange, readCsvTable } from './csv-table';
import type { CsvTable } from './csv-table';
import { buildDataset, checkFraction, checkSeed, checkTask, gatherRows, oneHotRows, takeRuns } from './split';
import type { SplitArrays } from './split';
import type { CsvOptions, Dataset, Task } from './types';

const OWNER = 'datasets.fromCsv';
const OPTION_NAMES = ['label', 'kind', 'testFraction', 'validationFraction', 'seed'] as const;
/** Integer labels with at most this many distinct values are read as classes when `kind` is not given. */
const MAX_INFERRED_CLASSES = 20;

function inferTask(labels: string[]): Task {
  if (!labels.every(isNumeric)) return 'classification';
  const values = labels.map(Number);
  const distinct = new Set(values);
  return values.every(Number.isInteger) && distinct.size <= MAX_INFERRED_CLASSES ? 'classification' : 'regression';
}

/** Class ids in sorted label order (numeric when every label is a number), and the names. */
function encodeClasses(file: string, table: CsvTable): { ids: Int32Array; classNames: string[] } {
  const numeric = table.labels.every(isNumeric);
  const key = (label: string): string => (numeric ? String(Number(label)) : label);
  const names = [...new Set(table.labels.map(key))];
  names.sort(numeric ? (a, b) => Number(a) - Number(b) : (a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (names.length < 2) {
    throw new DataError(`The label column ${JSON.stringify(table.header[table.labelColumn])} of ${file} holds a single class (${names[0]}); classification needs at least two.`);
  }
  const idOf = new Map(names.map((name, id) => [name, id]));
  return { ids: Int32Array.from(table.labels, (label) => idOf.get(key(label))!), classNames: names };
}

function numericTargets(file: string, table: CsvTable): Float32Array {
  const bad = table.labels.findIndex((label) => !isNumeric(label));
  if (bad >= 0) {
    throw new DataError(
      `Regression needs numeric labels, but column ${JSON.stringify(table.header[table.labelColumn])} of ${file} has ${JSON.stringify(table.labels[bad])} on line ${table.lines[bad]}.`,
    );
  }
  const column = JSON.stringify(table.header[table.labelColumn]);
  table.labels.forEach((label, i) => {
    if (!(Math.abs(Number(label)) <= MAX_FLOAT32)) throw outOfRange(file, column, table.lines[i]!, label);
  });
  return Float32Array.from(table.labels, Number);
}

/** Standardizes columns in place with the mean and std of the `fitRows`. */
function standardize(features: Float64Array, width: number, fitRows: Int32Array): void {
  const rows = features.length / width;
  for (let c = 0; c < width; c++) {
    let mean = 0;
    for (const r of fitRows) mean += features[r * width + c]!;
    mean /= fitRows.length;
    let variance = 0;
    for (const r of fitRows) variance += (features[r * width + c]! - mean) ** 2;
    const std = Math.sqrt(variance / fitRows.length) || 1;
    for (let r = 0; r < rows; r++) features[r * width + c] = (features[r * width + c]! - mean) / std;
  }
}

/** Rows per split; errors name the fraction that leaves a split empty. */
function splitSizes(rows: number, testFraction: number, validationFraction: number): { train: number; validation: number; test: number } {
  const test = Math.round(rows * testFraction);
  const validation = Math.round(rows * validationFraction);
  const train = rows - test - validation;
  const leaves = (what: string): string => `a fraction that leaves at least one ${what} row of the ${rows} data rows`;
  if (test < 1) throw invalidArgument('testFraction', OWNER, leaves('test'), testFraction);
  if (validationFraction > 0 && validation < 1) throw invalidArgument('validationFraction', OWNER, `0 or ${leaves('validation')}`, validationFraction);
  if (train < 1) throw new DataError(`${OWNER}: with ${rows} data rows, testFraction=${testFraction} and validationFraction=${validationFraction} leave no training row; add rows or lower the fractions.`);
  return { train, validation, test };
}

/** Loads a CSV table (header row required) as a dataset; see the module comment for the rules. */
export function fromCsv(file: string, options: CsvOptions = {}): Dataset {
  checkOptionNames(OWNER, options, OPTION_NAMES);
  if (typeof file !== 'string' || file === '') throw invalidArgument('path', OWNER, 'the path of a CSV file', file);
  const { label } = options;
  if (label !== undefined && typeof label !== 'string' && typeof label !== 'number') {
    throw invalidArgument('label', OWNER, 'a column name or a 0-based column index', label);
  }
  const kindOption = options.kind === undefined ? undefined : checkTask(OWNER, options.kind, 'classification');
  const testFraction = checkFraction(OWNER, 'testFraction', options.testFraction, 0.2);
  const validationFraction = checkFraction(OWNER, 'validationFraction', options.validationFraction, 0.2);
  if (testFraction + validationFraction >= 1) {
    throw invalidArgument('validationFraction', OWNER, `a number below 1 − testFraction = ${1 - testFraction} so that training rows remain`, validationFraction);
  }
  const seed = checkSeed(OWNER, options.seed);

  const table = readCsvTable(OWNER, file, label);
  const rows = table.labels.length;
  const width = table.featureNames.length;
  const sizes = splitSizes(rows, testFraction, validationFraction);
  const kind = kindOption ?? inferTask(table.labels);
  const classes = kind === 'classification' ? encodeClasses(file, table) : undefined;
  const targets = kind === 'regression' ? numericTargets(file, table) : undefined;

  const order = new RandomGenerator(seed).permutation(rows);
  const [testRows, validationRows, trainRows] = takeRuns(order, [sizes.test, sizes.validation, sizes.train]) as [Int32Array, Int32Array, Int32Array];
  standardize(table.features, width, trainRows);
  const outputs = classes === undefined ? 1 : classes.classNames.length;
  const split = (indices: Int32Array): SplitArrays => ({
    rows: indices.length,
    x: gatherRows(table.features, width, indices),
    y: classes === undefined ? gatherRows(targets!, 1, indices) : oneHotRows(classes.ids, outputs, indices),
  });
  return buildDataset({
    name: path.basename(file, path.extname(file)),
    task: kind,
    features: width,
    outputs,
    ...(classes === undefined ? {} : { classNames: classes.classNames }),
    train: split(trainRows),
    ...(sizes.validation > 0 ? { validation: split(validationRows) } : {}),
    test: split(testRows),
  });
}
