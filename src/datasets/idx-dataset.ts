/**
 * `datasets.fashionMnist` and `datasets.mnist`: the 28×28 grey-scale IDX datasets, read from local
 * files (nothing is downloaded). Pixels become float32 in [0, 1], images are flattened to 784
 * features, labels one-hot over 10 classes.
 *
 * Rows: validation and training rows both come from the training file, picked by one seeded
 * permutation: validation takes its first `validationSize` rows and training the next `trainSize`,
 * so the validation rows stay the same when only `trainSize` changes. Test rows are the first
 * `testSize` rows of the test file, whatever the seed, so scores from different seeds are
 * measured on the same images.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RandomGenerator } from '../backend/random';
import { DataError, invalidArgument } from '../errors';
import { checkOptionNames } from '../options';
import { decodeIdx } from './idx';
import type { IdxArray } from './idx';
import { buildDataset, checkInteger, checkSeed, oneHotRows } from './split';
import type { SplitArrays } from './split';
import type { Dataset, IdxOptions } from './types';

const OPTION_NAMES = ['dir', 'trainSize', 'validationSize', 'testSize', 'seed'] as const;
const SIDE = 28;
const PIXELS = SIDE * SIDE;
const CLASSES = 10;

/** Where Debian's `dataset-fashion-mnist` puts the files. */
export const FASHION_MNIST_DEBIAN_DIR = '/usr/share/datasets/fashion-mnist';

export const FASHION_MNIST_CLASS_NAMES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

interface IdxSource {
  /** Dataset name, also the sub-folder looked for under $KERAS_TS_DATA. */
  name: 'fashion-mnist' | 'mnist';
  owner: string;
  debianDir: string | undefined;
  classNames: string[];
  /** How to get the files, appended to every file error. */
  howToGet: string;
}

const FILES_HINT = 'a folder holding train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte (each raw or .gz)';

const FASHION_MNIST: IdxSource = {
  name: 'fashion-mnist',
  owner: 'datasets.fashionMnist',
  debianDir: FASHION_MNIST_DEBIAN_DIR,
  classNames: FASHION_MNIST_CLASS_NAMES,
  howToGet: `Install Fashion-MNIST with \`apt-get install dataset-fashion-mnist\` (it goes to ${FASHION_MNIST_DEBIAN_DIR}), or pass \`dir\` or set KERAS_TS_DATA to ${FILES_HINT}.`,
};

// Debian packages Fashion-MNIST but not MNIST, so MNIST has no default folder.
const MNIST: IdxSource = {
  name: 'mnist',
  owner: 'datasets.mnist',
  debianDir: undefined,
  classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  howToGet: `MNIST has no Debian package: pass \`dir\` or set KERAS_TS_DATA to ${FILES_HINT}.`,
};

/** `dir`, else $KERAS_TS_DATA/<name> when that folder exists, else $KERAS_TS_DATA, else the Debian folder. */
function resolveDir(source: IdxSource, dir: string | undefined): string {
  if (dir !== undefined) return dir;
  const env = process.env.KERAS_TS_DATA;
  if (env !== undefined && env !== '') {
    const nested = path.join(env, source.name);
    return fs.existsSync(nested) && fs.statSync(nested).isDirectory() ? nested : env;
  }
  if (source.debianDir !== undefined) return source.debianDir;
  throw new DataError(`No folder given for ${source.name}. ${source.howToGet}`);
}

/** Reads `<dir>/<base>.gz`, else `<dir>/<base>`, and parses it; errors name the file and the fix. */
function readIdxFile(source: IdxSource, dir: string, base: string): { file: string; idx: IdxArray } {
  const candidates = [path.join(dir, `${base}.gz`), path.join(dir, base)];
  const file = candidates.find((candidate) => fs.existsSync(candidate));
  if (file === undefined) {
    const where = fs.existsSync(dir) ? `Missing ${candidates[0]} (or ${candidates[1]})` : `The folder ${dir} does not exist, so ${base}[.gz] cannot be read`;
    throw new DataError(`${where}. ${source.howToGet}`);
  }
  try {
    return { file, idx: decodeIdx(fs.readFileSync(file), file) };
  } catch (error) {
    const reason = error instanceof DataError ? error.message : `${file} cannot be read (${(error as Error).message}).`;
    throw new DataError(`${reason} ${source.howToGet}`, { cause: error });
  }
}

/** The images and labels of one part ('train' or 't10k'), checked against each other. */
function readPart(source: IdxSource, dir: string, part: 'train' | 't10k'): { rows: number; images: Uint8Array; labels: Uint8Array } {
  const images = readIdxFile(source, dir, `${part}-images-idx3-ubyte`);
  const labels = readIdxFile(source, dir, `${part}-labels-idx1-ubyte`);
  const [rows = 0, height, width] = images.idx.dims;
  if (images.idx.dims.length !== 3 || height !== SIDE || width !== SIDE) {
    throw new DataError(`${images.file} has dims [${images.idx.dims.join(', ')}]; expected images of shape [n, 28, 28]. ${source.howToGet}`);
  }
  if (rows === 0) throw new DataError(`${images.file} holds no images (dims [${images.idx.dims.join(', ')}]); expected at least one. ${source.howToGet}`);
  if (labels.idx.dims.length !== 1) {
    throw new DataError(`${labels.file} has dims [${labels.idx.dims.join(', ')}]; expected one label per image, shape [n]. ${source.howToGet}`);
  }
  if (labels.idx.dims[0] !== rows) {
    throw new DataError(`${labels.file} holds ${labels.idx.dims[0]} labels but ${images.file} holds ${rows} images; they must match. ${source.howToGet}`);
  }
  const badLabel = labels.idx.data.findIndex((label) => label >= CLASSES);
  if (badLabel >= 0) {
    throw new DataError(`${labels.file} has label ${labels.idx.data[badLabel]} at row ${badLabel}; expected class ids 0..9. ${source.howToGet}`);
  }
  return { rows, images: images.idx.data, labels: labels.idx.data };
}

/** Pixels of the chosen rows as float32 in [0, 1], flattened to [rows, 784]. */
function splitOf(images: Uint8Array, labels: Uint8Array, indices: ArrayLike<number>): SplitArrays {
  const x = new Float32Array(indices.length * PIXELS);
  for (let r = 0; r < indices.length; r++) {
    const from = indices[r]! * PIXELS;
    for (let p = 0; p < PIXELS; p++) x[r * PIXELS + p] = images[from + p]! / 255;
  }
  return { rows: indices.length, x, y: oneHotRows(labels, CLASSES, indices) };
}

function loadIdxDataset(source: IdxSource, options: IdxOptions): Dataset {
  checkOptionNames(source.owner, options, OPTION_NAMES);
  const { owner } = source;
  if (options.dir !== undefined && (typeof options.dir !== 'string' || options.dir === '')) {
    throw invalidArgument('dir', owner, 'a folder path', options.dir);
  }
  const validationSize = checkInteger(owner, 'validationSize', options.validationSize, 0, 0);
  const trainSizeOption = checkInteger(owner, 'trainSize', options.trainSize, 0, 1);
  const testSizeOption = checkInteger(owner, 'testSize', options.testSize, 0, 1);
  const seed = checkSeed(owner, options.seed);
  const dir = resolveDir(source, options.dir);

  const trainPart = readPart(source, dir, 'train');
  const testPart = readPart(source, dir, 't10k');
  const available = `the training file has ${trainPart.rows} rows`;
  if (validationSize > trainPart.rows - 1) {
    throw invalidArgument('validationSize', owner, `an integer in [0, ${trainPart.rows - 1}] (${available}, one is left for training)`, validationSize);
  }
  const trainSize = options.trainSize === undefined ? trainPart.rows - validationSize : trainSizeOption;
  if (trainSize + validationSize > trainPart.rows) {
    throw invalidArgument('trainSize', owner, `an integer in [1, ${trainPart.rows - validationSize}] (${available}, validationSize=${validationSize} of them for validation)`, trainSize);
  }
  const testSize = options.testSize === undefined ? testPart.rows : testSizeOption;
  if (testSize > testPart.rows) {
    throw invalidArgument('testSize', owner, `an integer in [1, ${testPart.rows}] (the test file has ${testPart.rows} rows)`, testSize);
  }

  const order = new RandomGenerator(seed).permutation(trainPart.rows);
  const validationRows = order.subarray(0, validationSize);
  const trainRows = order.subarray(validationSize, validationSize + trainSize);
  const testRows = Int32Array.from({ length: testSize }, (_, i) => i);
  return buildDataset({
    name: source.name,
    task: 'classification',
    features: PIXELS,
    outputs: CLASSES,
    classNames: source.classNames,
    train: splitOf(trainPart.images, trainPart.labels, trainRows),
    ...(validationSize > 0 ? { validation: splitOf(trainPart.images, trainPart.labels, validationRows) } : {}),
    test: splitOf(testPart.images, testPart.labels, testRows),
  });
}

/**
 * Fashion-MNIST (Zalando's 28×28 clothing images, 10 classes, 60k train / 10k test) from local IDX
 * files: `dir`, else $KERAS_TS_DATA(/fashion-mnist), else Debian's /usr/share/datasets/fashion-mnist.
 */
export function fashionMnist(options: IdxOptions = {}): Dataset {
  return loadIdxDataset(FASHION_MNIST, options);
}

/** MNIST handwritten digits from local IDX files: `dir`, else $KERAS_TS_DATA(/mnist); no Debian default. */
export function mnist(options: IdxOptions = {}): Dataset {
  return loadIdxDataset(MNIST, options);
}
