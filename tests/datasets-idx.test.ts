import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { DataError, tf } from '../src';
import { fashionMnist, loadDataset, mnist } from '../src/datasets';
import { decodeIdx, parseIdx } from '../src/datasets/idx';
import { expectNoLeak, useBackend } from './helpers';

beforeAll(() => useBackend('cpu'));

/** An IDX file of unsigned bytes: 00 00 08 rank, big-endian dims, data. */
function idxBytes(dims: number[], data: Uint8Array): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header[2] = 0x08;
  header[3] = dims.length;
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, Buffer.from(data)]);
}

/** Image i has first pixel i and pixel p = (i + p) mod 256, so a row names its source; label = i mod 10. */
function images(rows: number, side = 28): Buffer {
  const data = new Uint8Array(rows * side * side);
  for (let i = 0; i < rows; i++) for (let p = 0; p < side * side; p++) data[i * side * side + p] = (i + p) % 256;
  return idxBytes([rows, side, side], data);
}
function labels(rows: number): Buffer {
  return idxBytes([rows], Uint8Array.from({ length: rows }, (_, i) => i % 10));
}

const TRAIN_ROWS = 50;
const made: string[] = [];
afterAll(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

/** A new temp folder, removed after the tests. */
function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

const TEST_ROWS = 12;

/** Writes the four files (gzipped or raw) to a new temp folder; `change` may replace any of them. */
function fixtureDir(options: { gzip: boolean; change?: Partial<Record<string, Buffer>> }): string {
  const dir = tempDir('keras-ts-idx-');
  const files: Record<string, Buffer> = {
    'train-images-idx3-ubyte': images(TRAIN_ROWS),
    'train-labels-idx1-ubyte': labels(TRAIN_ROWS),
    't10k-images-idx3-ubyte': images(TEST_ROWS),
    't10k-labels-idx1-ubyte': labels(TEST_ROWS),
    ...options.change,
  };
  for (const [name, bytes] of Object.entries(files)) {
    if (options.gzip) fs.writeFileSync(path.join(dir, `${name}.gz`), gzipSync(bytes));
    else fs.writeFileSync(path.join(dir, name), bytes);
  }
  return dir;
}

/** The source row of each example: the first pixel, scaled back to its byte. */
function sourceRows(x: tf.Tensor2D): number[] {
  const values = x.arraySync();
  return values.map((row) => Math.round(row[0]! * 255));
}

describe('IDX parsing', () => {
  test('reads dims and data; gzip is detected by its magic bytes', () => {
    const raw = images(3);
    const parsed = parseIdx(raw, 'a');
    expect(parsed.dims).toEqual([3, 28, 28]);
    expect(parsed.data.length).toBe(3 * 784);
    expect(parsed.data[784 + 5]).toBe(6);
    const unzipped = decodeIdx(gzipSync(raw), 'a.gz');
    expect(unzipped.dims).toEqual([3, 28, 28]);
    expect(Array.from(unzipped.data)).toEqual(Array.from(parsed.data));
  });

  test('bad magic, wrong type, truncated or overlong data, damaged gzip: errors name the file', () => {
    const good = labels(10);
    const badMagic = Buffer.from(good);
    badMagic[0] = 0x12;
    expect(() => parseIdx(badMagic, '/x/labels')).toThrow(/\/x\/labels is not a valid IDX file: expected the magic bytes 00 00 08 <rank>, found 12 00 08 01/);
    const int32 = Buffer.from(good);
    int32[2] = 0x0c;
    expect(() => parseIdx(int32, '/x/labels')).toThrow(/\/x\/labels.*data type 0x08.*found 0x0c/);
    expect(() => parseIdx(good.subarray(0, good.length - 3), '/x/labels')).toThrow(/\/x\/labels.*truncated: dims \[10\] need 10 data bytes, found 7/);
    expect(() => parseIdx(good.subarray(0, 6), '/x/labels')).toThrow(/\/x\/labels.*declares 1 dimensions but the file ends after 6 bytes/);
    expect(() => parseIdx(Buffer.concat([good, Buffer.from([1])]), '/x/labels')).toThrow(/found 11 \(extra bytes/);
    const damaged = gzipSync(good).subarray(0, 15);
    expect(() => decodeIdx(damaged, '/x/labels.gz')).toThrow(DataError);
    expect(() => decodeIdx(damaged, '/x/labels.gz')).toThrow(/\/x\/labels\.gz is a damaged gzip file/);
  });
});

describe('datasets.fashionMnist / mnist on generated files', () => {
  test('gzip and raw files give the same dataset: shapes, [0, 1] pixels, one-hot labels, class names', () => {
    const fromGz = fashionMnist({ dir: fixtureDir({ gzip: true }), validationSize: 10, seed: 3 });
    const fromRaw = fashionMnist({ dir: fixtureDir({ gzip: false }), validationSize: 10, seed: 3 });
    try {
      expect(fromGz.name).toBe('fashion-mnist');
      expect(fromGz.features).toBe(784);
      expect(fromGz.classes).toBe(10);
      expect(fromGz.classNames?.[9]).toBe('Ankle boot');
      expect(fromGz.train.x.shape).toEqual([40, 784]);
      expect(fromGz.validation!.y.shape).toEqual([10, 10]);
      expect(fromGz.test.x.shape).toEqual([TEST_ROWS, 784]);
      expect(Array.from(fromGz.train.x.dataSync())).toEqual(Array.from(fromRaw.train.x.dataSync()));
      // Row 0 of the test file, pixel 5, is byte 5.
      expect(fromGz.test.x.arraySync()[0]![5]).toBeCloseTo(5 / 255, 6);
      const labelsOk = sourceRows(fromGz.train.x).every((row, i) => fromGz.train.y.arraySync()[i]![row % 10] === 1);
      expect(labelsOk).toBe(true);
      const [min, max] = tf.tidy(() => [fromGz.train.x.min().dataSync()[0], fromGz.train.x.max().dataSync()[0]]);
      expect(min).toBe(0);
      expect(max).toBe(1);
    } finally {
      fromGz.dispose();
      fromRaw.dispose();
    }
  });

  test('the seed fixes which training-file rows go to train and validation; test rows are the first testSize', () => {
    const dir = fixtureDir({ gzip: true });
    const load = (seed: number, trainSize = 20) => fashionMnist({ dir, trainSize, validationSize: 8, testSize: 5, seed });
    const a = load(1);
    const b = load(1);
    const c = load(2);
    const bigger = load(1, 30);
    try {
      const trainA = sourceRows(a.train.x);
      const validationA = sourceRows(a.validation!.x);
      expect(trainA).toEqual(sourceRows(b.train.x));
      expect(trainA).not.toEqual(sourceRows(c.train.x));
      expect(new Set([...trainA, ...validationA]).size).toBe(28); // disjoint
      expect(sourceRows(bigger.validation!.x)).toEqual(validationA); // validation stays when trainSize changes
      expect(sourceRows(c.test.x)).toEqual([0, 1, 2, 3, 4]);
    } finally {
      for (const d of [a, b, c, bigger]) d.dispose();
    }
  });

  test('default sizes: every training row for training, no validation split, the whole test file', () => {
    const ds = mnist({ dir: fixtureDir({ gzip: false }) });
    expect(ds.name).toBe('mnist');
    expect(ds.classNames?.[3]).toBe('3');
    expect(ds.validation).toBeUndefined();
    expect([...sourceRows(ds.train.x)].sort((p, q) => p - q)).toEqual(Array.from({ length: TRAIN_ROWS }, (_, i) => i));
    expect(ds.test.x.shape[0]).toBe(TEST_ROWS);
    ds.dispose();
  });

  test('dispose frees every tensor', async () => {
    const dir = fixtureDir({ gzip: true });
    await expectNoLeak(() => fashionMnist({ dir, validationSize: 5 }).dispose());
  });

  test('a missing file names the path and how to get the data', () => {
    const dir = fixtureDir({ gzip: true });
    fs.rmSync(path.join(dir, 't10k-labels-idx1-ubyte.gz'));
    expect(() => fashionMnist({ dir })).toThrow(DataError);
    expect(() => fashionMnist({ dir })).toThrow(/Missing .*t10k-labels-idx1-ubyte\.gz \(or .*t10k-labels-idx1-ubyte\)\..*apt-get install dataset-fashion-mnist.*KERAS_TS_DATA/);
    expect(() => fashionMnist({ dir: path.join(dir, 'nope') })).toThrow(/folder .*nope does not exist/);
  });

  test('corrupt files: bad dims, count mismatch, bad labels, truncated image file', () => {
    const mismatch = fixtureDir({ gzip: true, change: { 'train-labels-idx1-ubyte': labels(TRAIN_ROWS - 1) } });
    expect(() => fashionMnist({ dir: mismatch })).toThrow(/train-labels-idx1-ubyte\.gz holds 49 labels but .*train-images-idx3-ubyte\.gz holds 50 images/);
    const wrongSide = fixtureDir({ gzip: false, change: { 't10k-images-idx3-ubyte': images(TEST_ROWS, 27) } });
    expect(() => fashionMnist({ dir: wrongSide })).toThrow(/t10k-images-idx3-ubyte has dims \[12, 27, 27\]; expected images of shape \[n, 28, 28\]/);
    const badLabel = fixtureDir({ gzip: false, change: { 't10k-labels-idx1-ubyte': idxBytes([TEST_ROWS], new Uint8Array(TEST_ROWS).fill(10)) } });
    expect(() => fashionMnist({ dir: badLabel })).toThrow(/t10k-labels-idx1-ubyte has label 10 at row 0; expected class ids 0\.\.9/);
    const truncated = fixtureDir({ gzip: false, change: { 'train-images-idx3-ubyte': images(TRAIN_ROWS).subarray(0, 5000) } });
    expect(() => fashionMnist({ dir: truncated })).toThrow(/train-images-idx3-ubyte is not a valid IDX file: truncated.*apt-get install dataset-fashion-mnist/);
  });

  test('sizes beyond what the files hold, and bad option values, name the argument', () => {
    const dir = fixtureDir({ gzip: true });
    expect(() => fashionMnist({ dir, trainSize: 45, validationSize: 10 })).toThrow(/`trainSize` for datasets\.fashionMnist: expected an integer in \[1, 40\] \(the training file has 50 rows.*Received: trainSize=45/);
    expect(() => fashionMnist({ dir, validationSize: 50 })).toThrow(/`validationSize`.*\[0, 49\]/);
    expect(() => fashionMnist({ dir, testSize: 13 })).toThrow(/`testSize`.*\[1, 12\].*test file has 12 rows/);
    expect(() => mnist({ dir, trainSize: 0 })).toThrow(/`trainSize` for datasets\.mnist: expected an integer ≥ 1/);
    expect(() => mnist({ dir, seed: 1.5 })).toThrow(/`seed`/);
    expect(() => mnist({ dir, train_size: 5 } as never)).toThrow(/Unknown option `train_size` for datasets\.mnist: did you mean trainSize\?/);
  });

  describe('default folder', () => {
    const saved = process.env.KERAS_TS_DATA;
    afterEach(() => {
      if (saved === undefined) delete process.env.KERAS_TS_DATA;
      else process.env.KERAS_TS_DATA = saved;
    });

    test('mnist without dir or KERAS_TS_DATA says it has no Debian package', () => {
      delete process.env.KERAS_TS_DATA;
      expect(() => mnist()).toThrow(/No folder given for mnist\. MNIST has no Debian package: pass `dir` or set KERAS_TS_DATA/);
    });

    test('KERAS_TS_DATA is used directly, or its <name> sub-folder when present', () => {
      const root = tempDir('keras-ts-data-');
      fs.renameSync(fixtureDir({ gzip: true }), path.join(root, 'mnist'));
      process.env.KERAS_TS_DATA = root;
      const nested = loadDataset({ source: 'mnist', testSize: 3 });
      expect(nested.test.x.shape).toEqual([3, 784]);
      nested.dispose();
      process.env.KERAS_TS_DATA = path.join(root, 'mnist');
      const direct = loadDataset({ source: 'mnist', trainSize: 4 });
      expect(direct.train.x.shape).toEqual([4, 784]);
      direct.dispose();
    });
  });
});
