/**
 * The `datasets` namespace: data for regularization studies, all local and deterministic under a
 * seed. Every loader returns train / validation / test splits as tensors; `dispose()` frees them.
 * Create datasets after `await backend.ready()` (or `backend.use(…)`) so the tensors live on the
 * backend that trains on them.
 */
export { synthetic } from './synthetic';
export { fashionMnist, mnist, FASHION_MNIST_CLASS_NAMES, FASHION_MNIST_DEBIAN_DIR } from './idx-dataset';
export { fromCsv } from './csv';
export { loadDataset } from './load';

export type { Dataset, DatasetSpec, Split, Task, SyntheticOptions, IdxOptions, CsvOptions } from './types';
