/**
 * The IDX format of MNIST and Fashion-MNIST, parsing only (no file access): bytes in, dims and
 * data out. Layout: two zero bytes, a type byte (0x08 = unsigned byte, the only type these
 * datasets use), the number of dimensions, then each dimension as a big-endian uint32, then the
 * data, row-major. Files may be gzip-compressed; the gzip magic decides, not the file name.
 */
import { gunzipSync } from 'node:zlib';
import { DataError } from '../errors';

export interface IdxArray {
  /** Sizes of each dimension, e.g. [60000, 28, 28] for images, [60000] for labels. */
  dims: number[];
  /** The values, row-major (a view into the input, not a copy). */
  data: Uint8Array;
}

const UNSIGNED_BYTE = 0x08;

/** True when the bytes start with the gzip magic 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Parses an uncompressed IDX file; `file` names it in error messages. */
export function parseIdx(bytes: Uint8Array, file: string): IdxArray {
  const bad = (what: string): DataError => new DataError(`${file} is not a valid IDX file: ${what}.`);
  if (bytes.length < 4) throw bad(`expected at least a 4-byte header, found ${bytes.length} bytes`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    const magic = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw bad(`expected the magic bytes 00 00 08 <rank>, found ${magic}`);
  }
  if (bytes[2] !== UNSIGNED_BYTE) {
    throw bad(`expected data type 0x08 (unsigned byte), found 0x${bytes[2]!.toString(16).padStart(2, '0')}`);
  }
  const rank = bytes[3]!;
  if (rank === 0) throw bad('expected at least one dimension, found 0');
  const dataStart = 4 + 4 * rank;
  if (bytes.length < dataStart) throw bad(`the header declares ${rank} dimensions but the file ends after ${bytes.length} bytes`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false));
  const expected = dims.reduce((a, b) => a * b, 1);
  const found = bytes.length - dataStart;
  if (found < expected) throw bad(`truncated: dims [${dims.join(', ')}] need ${expected} data bytes, found ${found}`);
  if (found > expected) throw bad(`dims [${dims.join(', ')}] need ${expected} data bytes, found ${found} (extra bytes at the end)`);
  return { dims, data: bytes.subarray(dataStart) };
}

/** Parses an IDX file, gunzipping it first when it is gzip-compressed. */
export function decodeIdx(bytes: Uint8Array, file: string): IdxArray {
  if (!isGzip(bytes)) return parseIdx(bytes, file);
  let raw: Buffer;
  try {
    raw = gunzipSync(bytes);
  } catch (error) {
    throw new DataError(`${file} is a damaged gzip file (${(error as Error).message}).`, { cause: error });
  }
  return parseIdx(raw, file);
}
