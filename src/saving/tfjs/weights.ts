/**
 * Weight bytes as tfjs-core's io lays them out (io_utils.ts `encodeWeights`/`decodeWeights`): each
 * manifest entry's values back to back, in entry order, little-endian, no padding. Done on plain
 * bytes, never through tensors, so values come back bit for bit and nothing needs disposing.
 */
import type { io } from '@tensorflow/tfjs';

/** Bytes per element of each fixed-size dtype a manifest entry may name (tfjs-core types.ts). */
const DTYPE_BYTES: ReadonlyMap<string, number> = new Map([
  ['float32', 4],
  ['int32', 4],
  ['bool', 1],
  ['complex64', 8],
]);

/** Bytes per element of quantized entries (tfjs-core io/types.ts `quantization.dtype`). */
const QUANTIZED_BYTES: ReadonlyMap<string, number> = new Map([
  ['uint8', 1],
  ['uint16', 2],
  ['float16', 2],
]);

const isShape = (shape: unknown): shape is number[] =>
  Array.isArray(shape) && shape.every((d) => Number.isInteger(d) && (d as number) >= 0);

/** Element count of a shape ([] is a scalar: 1). */
export const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/**
 * How many bytes an entry takes, or why it cannot be read: a malformed shape, or a dtype with no
 * fixed size ('string') or unknown to tfjs. `fail` builds the error (it names the file).
 */
export function entryByteLength(entry: io.WeightsManifestEntry, fail: (message: string) => Error): number {
  const name = JSON.stringify(entry.name);
  if (typeof entry.name !== 'string') throw fail(`Invalid weight entry: expected a string \`name\`. Received: ${JSON.stringify(entry)}`);
  if (!isShape(entry.shape)) throw fail(`Invalid \`shape\` of weight ${name}: expected an array of integers >= 0. Received: ${JSON.stringify(entry.shape)}`);
  const quantized = entry.quantization?.dtype;
  const bytes = quantized !== undefined ? QUANTIZED_BYTES.get(quantized) : DTYPE_BYTES.get(entry.dtype);
  if (bytes === undefined) {
    const known = [...DTYPE_BYTES.keys(), ...[...QUANTIZED_BYTES.keys()].map((d) => `quantized ${d}`)].join(', ');
    const received = quantized !== undefined ? `quantized ${JSON.stringify(quantized)}` : JSON.stringify(entry.dtype);
    throw fail(`Unsupported dtype of weight ${name}: expected one of ${known}. Received: ${received}`);
  }
  return sizeOf(entry.shape) * bytes;
}

/** Total bytes a list of entries takes. */
export const manifestByteLength = (entries: readonly io.WeightsManifestEntry[], fail: (message: string) => Error): number =>
  entries.reduce((total, entry) => total + entryByteLength(entry, fail), 0);

/** tfjs' weight data (one buffer or several) as one byte view (no copy for a single buffer). */
export function weightBytes(data: io.WeightData | undefined): Uint8Array {
  if (data === undefined) return new Uint8Array(0);
  if (!Array.isArray(data)) return new Uint8Array(data);
  const out = new Uint8Array(data.reduce((n, b) => n + b.byteLength, 0));
  let offset = 0;
  for (const buffer of data) {
    out.set(new Uint8Array(buffer), offset);
    offset += buffer.byteLength;
  }
  return out;
}

/** One entry and where its bytes lie in the weight data. */
export interface LocatedEntry {
  entry: io.WeightsManifestEntry;
  offset: number;
  byteLength: number;
}

/** Each entry's bytes; the total must equal the data's length exactly. */
export function locateEntries(entries: readonly io.WeightsManifestEntry[], dataLength: number, fail: (message: string) => Error): LocatedEntry[] {
  let offset = 0;
  const located = entries.map((entry) => {
    const byteLength = entryByteLength(entry, fail);
    const at = { entry, offset, byteLength };
    offset += byteLength;
    return at;
  });
  if (offset !== dataLength) {
    throw fail(`Weight data has ${dataLength} bytes, but the weights manifest describes ${offset} bytes (${entries.length} weights)`);
  }
  return located;
}

/** A copy of a float32 entry's values (a fresh buffer, so it is aligned and owned). */
export const readFloat32 = (bytes: Uint8Array, at: LocatedEntry): Float32Array =>
  new Float32Array(bytes.slice(at.offset, at.offset + at.byteLength).buffer);

/** A copy of an int32 entry's values. */
export const readInt32 = (bytes: Uint8Array, at: LocatedEntry): Int32Array =>
  new Int32Array(bytes.slice(at.offset, at.offset + at.byteLength).buffer);

/** Values and their manifest entries → tfjs' `weightSpecs` and `weightData`. */
export function encodeEntries(items: ReadonlyArray<{ entry: io.WeightsManifestEntry; values: Float32Array | Int32Array }>): {
  weightSpecs: io.WeightsManifestEntry[];
  weightData: ArrayBuffer;
} {
  const data = new Uint8Array(items.reduce((n, item) => n + item.values.byteLength, 0));
  let offset = 0;
  for (const { values } of items) {
    data.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), offset);
    offset += values.byteLength;
  }
  return { weightSpecs: items.map((item) => item.entry), weightData: data.buffer };
}
