/**
 * A dataset handed in by a user (e.g. to `study.compare({ dataset })`) checked against its own
 * description: every split a pair of 2-D tensors with one row per example, x as wide as
 * `features`, y as wide as `classes` (classification) or 1 (regression).
 */
import { tf } from '../backend/tf';
import { DataError, describe } from '../errors';
import type { Dataset, Split } from './types';

/** Whether a study's `dataset` option is loaded tensors (rather than a spec or a name). */
export function isLoadedDataset(data: unknown): data is Dataset {
  return typeof data === 'object' && data !== null && 'train' in data && 'test' in data;
}

function checkSplit(owner: string, dataset: Dataset, name: 'train' | 'validation' | 'test', split: Split | undefined, outputs: number): void {
  if (split === undefined) {
    if (name === 'validation') return;
    throw new DataError(`Invalid dataset for ${owner}: the ${name} split is missing; expected { x, y } tensors.`);
  }
  const { x, y } = split as Partial<Split>;
  if (!(x instanceof tf.Tensor) || !(y instanceof tf.Tensor) || x.rank !== 2 || y.rank !== 2) {
    throw new DataError(`Invalid dataset for ${owner}: ${name}.x and ${name}.y must be 2-D tensors. Received: ${name}.x=${describe(x?.shape)}, ${name}.y=${describe(y?.shape)}`);
  }
  if (x.isDisposed || y.isDisposed) throw new DataError(`Invalid dataset for ${owner}: the ${name} tensors are disposed.`);
  if (x.shape[0] !== y.shape[0] || x.shape[0] === 0) {
    throw new DataError(`Invalid dataset for ${owner}: ${name}.x and ${name}.y must have the same number of rows, at least one. Received: x [${x.shape.join(', ')}], y [${y.shape.join(', ')}]`);
  }
  if (x.shape[1] !== dataset.features) {
    throw new DataError(`Invalid dataset for ${owner}: \`features\` is ${describe(dataset.features)} but ${name}.x has ${x.shape[1]} columns; they must match.`);
  }
  if (y.shape[1] !== outputs) {
    const what = dataset.task === 'classification' ? `\`classes\` is ${describe(dataset.classes)}` : 'a regression target has one column';
    throw new DataError(`Invalid dataset for ${owner}: ${what} but ${name}.y has ${y.shape[1]} columns; they must match.`);
  }
}

/** Throws a DataError naming the first field of `dataset` that does not match its tensors. */
export function checkDataset(owner: string, dataset: Dataset): void {
  if (dataset.task !== 'classification' && dataset.task !== 'regression') {
    throw new DataError(`Invalid dataset for ${owner}: \`task\` must be 'classification' or 'regression'. Received: task=${describe(dataset.task)}`);
  }
  if (!Number.isInteger(dataset.features) || dataset.features < 1) {
    throw new DataError(`Invalid dataset for ${owner}: \`features\` must be a positive integer. Received: features=${describe(dataset.features)}`);
  }
  if (dataset.task === 'classification' && (!Number.isInteger(dataset.classes) || (dataset.classes as number) < 2)) {
    throw new DataError(`Invalid dataset for ${owner}: \`classes\` must be an integer >= 2 for classification. Received: classes=${describe(dataset.classes)}`);
  }
  if (typeof dataset.name !== 'string' || dataset.name === '') {
    throw new DataError(`Invalid dataset for ${owner}: \`name\` must be a non-empty string. Received: name=${describe(dataset.name)}`);
  }
  const outputs = dataset.task === 'classification' ? (dataset.classes as number) : 1;
  checkSplit(owner, dataset, 'train', dataset.train, outputs);
  checkSplit(owner, dataset, 'validation', dataset.validation, outputs);
  checkSplit(owner, dataset, 'test', dataset.test, outputs);
}
