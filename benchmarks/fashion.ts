/**
 * The 60k-row epoch: Fashion-MNIST's training set through keras-ts' dataset loader when the files
 * are installed, else seeded random rows of the same shape (the same math per row).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { tf } from '../src';
import { FASHION_MNIST_DEBIAN_DIR, fashionMnist } from '../src/datasets';
import { makeData } from './workload';
import type { WorkloadSpec } from './workload';

const ROWS = 60000;

export interface EpochData {
  x: tf.Tensor2D;
  y: tf.Tensor2D;
  source: 'fashion-mnist' | 'random';
  dispose(): void;
}

export function fashionEpochData(spec: WorkloadSpec): EpochData {
  if (fs.existsSync(path.join(FASHION_MNIST_DEBIAN_DIR, 'train-images-idx3-ubyte.gz'))) {
    const data = fashionMnist({ dir: FASHION_MNIST_DEBIAN_DIR, trainSize: ROWS, testSize: 1 });
    return { x: data.train.x, y: data.train.y, source: 'fashion-mnist', dispose: () => data.dispose() };
  }
  const { x, y } = makeData(spec, ROWS);
  return { x, y, source: 'random', dispose: () => { x.dispose(); y.dispose(); } };
}
