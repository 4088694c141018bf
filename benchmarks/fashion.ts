/**
 * The 60k-row epoch: Fashion-MNIST's training set through keras-ts' dataset loader when that loader
 * and the files are present, else seeded random rows of the same shape (the same math per row).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tf } from '../src';
import { makeData } from './workload';
import type { WorkloadSpec } from './workload';

export const FASHION_DIR = '/usr/share/datasets/fashion-mnist';
const ROWS = 60000;

export interface EpochData {
  x: tf.Tensor2D;
  y: tf.Tensor2D;
  source: 'fashion-mnist' | 'random';
  dispose(): void;
}

export async function fashionEpochData(spec: WorkloadSpec): Promise<EpochData> {
  const loaderFile = path.join(__dirname, '../src/study/datasets/index.ts');
  if (fs.existsSync(loaderFile) && fs.existsSync(path.join(FASHION_DIR, 'train-images-idx3-ubyte.gz'))) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const datasets = require('../src/study/datasets') as { loadDataset(spec: { source: 'fashion-mnist'; dir: string; trainSize: number; testSize: number }): unknown };
    const loaded = (await datasets.loadDataset({ source: 'fashion-mnist', dir: FASHION_DIR, trainSize: ROWS, testSize: 1 })) as {
      train: { x: tf.Tensor2D; y: tf.Tensor2D }; dispose(): void;
    };
    return { x: loaded.train.x, y: loaded.train.y, source: 'fashion-mnist', dispose: () => loaded.dispose() };
  }
  const { x, y } = makeData(spec, ROWS);
  return { x, y, source: 'random', dispose: () => { x.dispose(); y.dispose(); } };
}
