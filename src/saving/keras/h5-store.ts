/**
 * model.weights.h5 as Keras' `H5IOStore` lays it out: each saveable's variables in a `vars` group
 * under the saveable's path (`/vars` for the model, `/layers/dense/vars`, `/optimizer/vars`),
 * datasets named `0`, `1`, … in the saveable's own order, and a `name` attribute on each `vars`
 * group holding the object's name. Datasets are contiguous, uncompressed, little-endian.
 */
import { formatError, WEIGHTS_ENTRY } from './format';
import { h5wasm, removeScratch, scratchPath } from './h5wasm';
import type { H5Dataset, H5File, H5Group, H5Module } from './h5wasm';

/** One stored array: float32 weights, or the int64 step counter of an optimizer. */
export type StoredArray = { shape: number[]; data: Float32Array } | { shape: number[]; data: BigInt64Array };

export interface VarsGroup {
  /** The saveable's path: '' for the model, 'layers/dense', 'optimizer'. */
  path: string;
  /** The `name` attribute (the object's name). */
  name: string;
  arrays: StoredArray[];
}

/**
 * Writes the groups in the order given. Strings are variable-length UTF-8 like h5py's; h5wasm pads
 * them with spaces where h5py writes NUL-terminated ones, which readers of variable-length strings
 * do not see. The superblock is the oldest format (h5py's default lower bound `earliest`).
 */
export async function writeVarsH5(groups: VarsGroup[]): Promise<Uint8Array> {
  const h5 = await h5wasm();
  const path = scratchPath();
  try {
    const file = new h5.File(path, 'w', { libver: ['earliest', 'v110'] });
    try {
      for (const group of groups) {
        let parent: H5Group = file;
        for (const part of group.path === '' ? [] : group.path.split('/')) {
          parent = parent.keys().includes(part) ? (parent.get(part) as H5Group) : parent.create_group(part);
        }
        const vars = parent.create_group('vars');
        vars.create_attribute('name', group.name);
        group.arrays.forEach((array, i) => {
          const dtype = array.data instanceof Float32Array ? '<f' : '<q';
          vars.create_dataset({ name: String(i), data: array.data, shape: array.shape, dtype });
        });
      }
    } finally {
      file.close();
    }
    const fs = h5.FS as unknown as { readFile(path: string): Uint8Array };
    return fs.readFile(path);
  } finally {
    removeScratch(h5, path);
  }
}

/** What a dataset holds, read from its header only. */
export interface DatasetInfo {
  shape: number[];
  kind: 'float' | 'int' | 'other';
  /** Bytes per element. */
  size: number;
}

/** Read access to an open weights file; every path is checked before it is followed. */
export interface VarsReader {
  /** Child names of a group, or undefined when the group does not exist. */
  children(path: string): string[] | undefined;
  /** The `vars` group at `path`: its datasets' headers in order 0, 1, …; undefined when absent. */
  vars(path: string): DatasetInfo[] | undefined;
  /** The values of dataset `index` of the `vars` group at `path`. */
  read(path: string, index: number): Float32Array | BigInt64Array;
}

/** Opens `bytes` as HDF5 and runs `use` on it; the file is closed and removed afterwards. */
export async function readVarsH5<T>(bytes: Uint8Array, source: string, use: (reader: VarsReader) => T): Promise<T> {
  if (!hasHdf5Signature(bytes)) {
    throw formatError(source, WEIGHTS_ENTRY, 'not an HDF5 file', 'the HDF5 signature \\x89HDF\\r\\n\\x1a\\n at byte 0', `${bytes.length} bytes starting ${[...bytes.subarray(0, 8)].join(' ')}`);
  }
  const h5 = await h5wasm();
  const path = scratchPath();
  const fs = h5.FS as unknown as { writeFile(path: string, data: Uint8Array): void };
  fs.writeFile(path, bytes);
  try {
    let file: H5File;
    try {
      file = new h5.File(path, 'r');
    } catch (error) {
      throw formatError(source, WEIGHTS_ENTRY, 'the HDF5 file cannot be opened (corrupt or truncated)', 'a complete HDF5 file', firstLine(error), error);
    }
    try {
      return use(makeReader(h5, file, source, bytes.length));
    } finally {
      file.close();
    }
  } finally {
    removeScratch(h5, path);
  }
}

function makeReader(h5: H5Module, file: H5File, source: string, fileBytes: number): VarsReader {
  const fail = (where: string, problem: string, expected: string, received?: unknown, cause?: unknown) =>
    formatError(source, `${WEIGHTS_ENTRY}:/${where}`, problem, expected, received, cause);

  /** Follows `path` one part at a time, refusing links (Keras refuses soft and external links too). */
  const lookup = (path: string): H5Group | H5Dataset | undefined => {
    let node: H5Group | H5Dataset = file;
    let walked = '';
    for (const part of path === '' ? [] : path.split('/')) {
      walked = walked === '' ? part : `${walked}/${part}`;
      if (!(node instanceof h5.Group)) return undefined;
      const parent: H5Group = node;
      if (!guard(() => parent.keys(), walked).includes(part)) return undefined;
      const child = guard(() => parent.get(part), walked);
      if (child instanceof h5.Group || child instanceof h5.Dataset) node = child;
      else throw fail(walked, 'links and other object kinds are not allowed', 'a group or a dataset', child?.constructor.name ?? 'nothing');
    }
    return node;
  };

  const guard = <T>(run: () => T, where: string): T => {
    try {
      return run();
    } catch (error) {
      throw fail(where, 'the HDF5 file is corrupt', 'a readable HDF5 object', firstLine(error), error);
    }
  };

  const group = (path: string): H5Group | undefined => {
    const node = lookup(path);
    if (node === undefined) return undefined;
    if (!(node instanceof h5.Group)) throw fail(path, 'a dataset stands where a group belongs', 'a group');
    return node;
  };

  const varsPath = (path: string): string => (path === '' ? 'vars' : `${path}/vars`);

  const datasetAt = (path: string, index: number): H5Dataset => {
    const where = `${varsPath(path)}/${index}`;
    const node = lookup(where);
    if (!(node instanceof h5.Dataset)) throw fail(where, 'the dataset is missing', 'a dataset');
    return node;
  };

  const info = (dataset: H5Dataset, where: string): DatasetInfo => {
    const meta = guard(() => dataset.metadata, where);
    const shape = meta.shape ?? [];
    const kind = meta.type === h5.Module.H5T_class_t.H5T_FLOAT.value ? 'float' : meta.type === h5.Module.H5T_class_t.H5T_INTEGER.value ? 'int' : 'other';
    // A shape bomb declares far more than the file holds (Keras applies the same idea, CVE-2026-0897).
    const declared = shape.reduce((a, b) => a * b, 1) * meta.size;
    if (declared > fileBytes) {
      throw fail(where, 'the dataset declares more data than the file holds', `at most ${fileBytes} bytes`, `shape [${shape.join(', ')}] of ${meta.size}-byte values`);
    }
    if (!meta.littleEndian && meta.size > 1) throw fail(where, 'big-endian data is not supported', 'little-endian values');
    return { shape, kind, size: meta.size };
  };

  return {
    children(path) {
      const node = group(path);
      return node === undefined ? undefined : guard(() => node.keys(), path);
    },
    vars(path) {
      const node = group(varsPath(path));
      if (node === undefined) return undefined;
      const names = guard(() => node.keys(), varsPath(path));
      const expected = names.map((_, i) => String(i));
      if ([...names].sort().join('/') !== [...expected].sort().join('/')) {
        throw fail(varsPath(path), 'unexpected dataset names', `datasets named 0 … ${names.length - 1}`, `[${names.join(', ')}]`);
      }
      return expected.map((_, i) => info(datasetAt(path, i), `${varsPath(path)}/${i}`));
    },
    read(path, index) {
      const where = `${varsPath(path)}/${index}`;
      const dataset = datasetAt(path, index);
      const value: unknown = guard(() => dataset.value, where);
      // h5wasm lives in Node's own module realm, so its arrays are checked by tag, not instanceof.
      const tag = Object.prototype.toString.call(value);
      if (tag === '[object Float32Array]') return new Float32Array(value as ArrayLike<number>);
      if (tag === '[object BigInt64Array]') return new BigInt64Array(value as ArrayLike<bigint>);
      if (tag === '[object Int32Array]') return BigInt64Array.from(value as ArrayLike<number>, (v) => BigInt(v));
      if (typeof value === 'number') return Float32Array.of(value);
      if (typeof value === 'bigint') return BigInt64Array.of(value);
      throw fail(where, 'unsupported data type', 'float32 values (or an integer step counter)', tag);
    },
  };
}

function hasHdf5Signature(bytes: Uint8Array): boolean {
  const signature = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
  return bytes.length >= 8 && signature.every((b, i) => bytes[i] === b);
}

/** The most telling line of an HDF5 error stack (the innermost `#NNN:` entry), or the message. */
function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const frames = text.split('\n').filter((line) => /#\d+:/.test(line));
  const last = frames[frames.length - 1];
  return (last ?? text.split('\n')[0] ?? text).replace(/^.*?\) ?:?\s*/, '').trim() || text.trim();
}
