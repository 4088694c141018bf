/**
 * Real-data check on the Fashion-MNIST files from Debian's `dataset-fashion-mnist` (or
 * $KERAS_TS_DATA). Without the files the suite is skipped, with the reason in its name, unless
 * KERAS_TS_REQUIRE_DATA=1 (CI), which makes missing data a failure.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tf } from '../src';
import { FASHION_MNIST_DEBIAN_DIR, fashionMnist } from '../src/datasets';
import type { Dataset } from '../src/datasets';
import { expectNoLeak, useBackend } from './helpers';

function dataDir(): string {
  const env = process.env.KERAS_TS_DATA;
  if (env === undefined || env === '') return FASHION_MNIST_DEBIAN_DIR;
  const nested = path.join(env, 'fashion-mnist');
  return fs.existsSync(nested) ? nested : env;
}

const dir = dataDir();
const present = fs.existsSync(dir);
const required = process.env.KERAS_TS_REQUIRE_DATA === '1';
const suite = present || required ? describe : describe.skip;
const title = present || required
  ? `Fashion-MNIST from ${dir}`
  : `Fashion-MNIST (skipped: ${dir} is missing; apt-get install dataset-fashion-mnist, or set KERAS_TS_REQUIRE_DATA=1 to fail)`;

/** Count of each class id in one-hot rows. */
function classCounts(y: tf.Tensor2D): number[] {
  return tf.tidy(() => Array.from(y.sum(0).dataSync()));
}

suite(title, () => {
  let data: Dataset;
  beforeAll(async () => {
    await useBackend('cpu');
    data = fashionMnist({ trainSize: 2000, validationSize: 500, testSize: 500, seed: 0 });
  });
  afterAll(() => data?.dispose());

  test('the data folder exists', () => {
    expect(present).toBe(true);
  });

  test('shapes, class names and pixels in [0, 1]', () => {
    expect(data.train.x.shape).toEqual([2000, 784]);
    expect(data.train.y.shape).toEqual([2000, 10]);
    expect(data.validation!.x.shape).toEqual([500, 784]);
    expect(data.test.x.shape).toEqual([500, 784]);
    expect(data.classNames).toEqual(['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot']);
    const [min, max, mean] = tf.tidy(() => [data.train.x.min(), data.train.x.max(), data.train.x.mean()].map((t) => t.dataSync()[0]!));
    expect(min).toBe(0);
    expect(max).toBe(1);
    // Fashion-MNIST's mean pixel is about 0.286; a wrong scale or byte offset moves it far.
    expect(mean).toBeGreaterThan(0.25);
    expect(mean).toBeLessThan(0.32);
  });

  test('labels: every class present in sane proportions (the files hold 10% of each)', () => {
    for (const [split, rows] of [[data.train, 2000], [data.validation!, 500], [data.test, 500]] as const) {
      const counts = classCounts(split.y);
      expect(counts.reduce((a, b) => a + b, 0)).toBe(rows);
      for (const count of counts) {
        expect(count).toBeGreaterThan(rows * 0.05);
        expect(count).toBeLessThan(rows * 0.15);
      }
    }
  });

  test('the same seed picks the same rows, another seed other rows; test rows never change', () => {
    const again = fashionMnist({ trainSize: 200, validationSize: 50, testSize: 50, seed: 0 });
    const other = fashionMnist({ trainSize: 200, validationSize: 50, testSize: 50, seed: 1 });
    try {
      const firstRows = (t: tf.Tensor2D, n: number): number[] => Array.from(t.dataSync().subarray(0, n * 784));
      expect(firstRows(again.validation!.x, 50)).toEqual(firstRows(data.validation!.x, 50));
      expect(firstRows(other.validation!.x, 50)).not.toEqual(firstRows(data.validation!.x, 50));
      expect(firstRows(other.test.x, 50)).toEqual(firstRows(data.test.x, 50));
    } finally {
      again.dispose();
      other.dispose();
    }
  });

  test('dispose frees every tensor', async () => {
    await expectNoLeak(() => fashionMnist({ trainSize: 100, testSize: 100 }).dispose());
  });
});
