/**
 * Hands a dataset that lives in memory (tensors) to worker processes: one file with a JSON header
 * line and the raw float32 values of every split. Also gives it a fingerprint, so a study folder
 * can tell whether a rerun uses the same data.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { tf } from '../backend/tf';
import { DataError } from '../errors';
import { writeFileAtomic } from '../io/atomic';
import type { Dataset, Split } from './types';

type SplitName = 'train' | 'validation' | 'test';
const SPLITS: SplitName[] = ['train', 'validation', 'test'];

interface Header {
  name: string;
  task: Dataset['task'];
  features: number;
  classes?: number;
  classNames?: string[];
  /** [split, x shape, y shape] in file order. */
  splits: [SplitName, number[], number[]][];
}

function presentSplits(dataset: Dataset): [SplitName, Split][] {
  return SPLITS.flatMap((name) => {
    const split = dataset[name];
    return split === undefined ? [] : [[name, split] as [SplitName, Split]];
  });
}

/** A tensor's values as float32 bytes, read asynchronously (works on every backend). */
async function float32Bytes(t: { data(): Promise<ArrayLike<number>> }): Promise<Uint8Array> {
  const values = await t.data();
  const f32 = values instanceof Float32Array ? values : Float32Array.from(values);
  return new Uint8Array(f32.buffer, f32.byteOffset, f32.byteLength);
}

/** sha256 of every split's shape and values. */
export async function datasetFingerprint(dataset: Dataset): Promise<string> {
  const hash = createHash('sha256');
  for (const [name, split] of presentSplits(dataset)) {
    for (const t of [split.x, split.y]) {
      hash.update(`${name}:${t.shape.join('x')};`);
      hash.update(await float32Bytes(t));
    }
  }
  return hash.digest('hex');
}

export async function writeDatasetFile(dataset: Dataset, file: string): Promise<void> {
  const splits = presentSplits(dataset);
  const header: Header = {
    name: dataset.name,
    task: dataset.task,
    features: dataset.features,
    ...(dataset.classes !== undefined ? { classes: dataset.classes } : {}),
    ...(dataset.classNames !== undefined ? { classNames: dataset.classNames } : {}),
    splits: splits.map(([name, s]) => [name, s.x.shape, s.y.shape]),
  };
  const parts: Uint8Array[] = [Buffer.from(`${JSON.stringify(header)}\n`)];
  for (const [, s] of splits) for (const t of [s.x, s.y]) parts.push(await float32Bytes(t));
  writeFileAtomic(file, Buffer.concat(parts));
}

export function readDatasetFile(file: string): Dataset {
  const bytes = fs.readFileSync(file);
  const newline = bytes.indexOf(10);
  if (newline < 0) throw new DataError(`${file} is not a keras-ts dataset file (no header line).`);
  const header = JSON.parse(bytes.subarray(0, newline).toString('utf8')) as Header;
  let offset = newline + 1;
  const take = (shape: number[]): tf.Tensor2D => {
    const size = shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(size);
    Buffer.from(values.buffer).set(bytes.subarray(offset, offset + size * 4));
    offset += size * 4;
    return tf.tensor2d(values, shape as [number, number]);
  };
  const splits: Partial<Record<SplitName, Split>> = {};
  for (const [name, xShape, yShape] of header.splits) splits[name] = { x: take(xShape), y: take(yShape) };
  if (splits.train === undefined || splits.test === undefined) throw new DataError(`${file} lacks a train or test split.`);
  const { train, test, validation } = splits;
  return {
    name: header.name,
    task: header.task,
    features: header.features,
    ...(header.classes !== undefined ? { classes: header.classes } : {}),
    ...(header.classNames !== undefined ? { classNames: header.classNames } : {}),
    train,
    test,
    ...(validation ? { validation } : {}),
    dispose: () => tf.dispose([train.x, train.y, test.x, test.y, ...(validation ? [validation.x, validation.y] : [])]),
  };
}
