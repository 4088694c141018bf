/**
 * `loadDataset(spec)`: a serializable description in, tensors out. Study workers receive the spec
 * (tensors cannot cross processes) and load the same data with it; the seed in the spec makes
 * every worker see the same rows.
 */
import { invalidArgument } from '../errors';
import { fromCsv } from './csv';
import { fashionMnist, mnist } from './idx-dataset';
import { synthetic } from './synthetic';
import type { Dataset, DatasetSpec } from './types';

const SOURCES = ['synthetic', 'fashion-mnist', 'mnist', 'csv'] as const;

/** Loads the dataset a spec describes; the spec's other fields are that loader's options. */
export function loadDataset(spec: DatasetSpec): Dataset {
  if (spec === null || typeof spec !== 'object') {
    throw invalidArgument('spec', 'loadDataset', "an object such as { source: 'synthetic' }", spec);
  }
  switch (spec.source) {
    case 'synthetic': {
      const { source: _source, ...options } = spec;
      return synthetic(options);
    }
    case 'fashion-mnist':
    case 'mnist': {
      const { source, ...options } = spec;
      return source === 'mnist' ? mnist(options) : fashionMnist(options);
    }
    case 'csv': {
      const { source: _source, path, ...options } = spec;
      return fromCsv(path, options);
    }
    default:
      throw invalidArgument('source', 'loadDataset', `one of ${SOURCES.map((s) => `'${s}'`).join(', ')}`, (spec as { source?: unknown }).source);
  }
}
