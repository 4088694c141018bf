/**
 * The IDX format of MNIST and Fashion-MNIST, parsing only (no file access): bytes in, dims and
 * data out. Layout: two zero bytes, a type byte (0x08 = unsigned byte, the only type these
 * datasets use), the number of dimensions, then each dimension as a big-endian uint32, then the
 * data, row-major. Files may be gzip-compressed; the gzip magic decides, not the file name.
 */
import { constants as zlibConstants, gunzipSync } from 'node:zlib';
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

/** The most data bytes an IDX file may declare (2 GiB): more is a damaged header, not a dataset. */
export const MAX_IDX_BYTES = 2 ** 31;

/** The decompressed size the header at the start of `prefix` declares, or undefined when the prefix is too short. */
function declaredSize(prefix: Uint8Array): number | undefined {
  if (prefix.length < 4) return undefined;
  const rank = prefix[3]!;
  const headerBytes = 4 + 4 * rank;
  if (prefix.length < headerBytes) return undefined;
  const view = new DataView(prefix.buffer, prefix.byteOffset, prefix.byteLength);
  let size = 1;
  for (let i = 0; i < rank; i++) size *= view.getUint32(4 + 4 * i, false);
  return headerBytes + size;
}

/**
 * Parses an IDX file, gunzipping it first when it is gzip-compressed. Decompression stops at the
 * size the IDX header declares (read from the first decompressed bytes), so a gzip bomb is refused
 * without inflating it.
 */
export function decodeIdx(bytes: Uint8Array, file: string): IdxArray {
  if (!isGzip(bytes)) return parseIdx(bytes, file);
  const damaged = (error: unknown): DataError => new DataError(`${file} is a damaged gzip file (${(error as Error).message}).`, { cause: error });
  let limit: number;
  try {
    // At most ~1 MB comes out of 1 KiB of deflate data: enough for any IDX header.
    const prefix = gunzipSync(bytes.subarray(0, 1024), { finishFlush: zlibConstants.Z_SYNC_FLUSH });
    const declared = declaredSize(prefix);
    limit = declared === undefined ? prefix.length : declared;
  } catch (error) {
    throw damaged(error);
  }
  if (limit - 4 > MAX_IDX_BYTES) throw new DataError(`${file} is not a valid IDX file: its header declares ${limit} bytes, more than ${MAX_IDX_BYTES}.`);
  let raw: Buffer;
  try {
    raw = gunzipSync(bytes, { maxOutputLength: Math.max(limit, 1) + 1 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new DataError(`${file} is not a valid IDX file: it decompresses to more than the ${limit} bytes its header declares (extra data, or a gzip bomb); decompression stopped there.`, { cause: error });
    }
    throw damaged(error);
  }
  return parseIdx(raw, file);
}
