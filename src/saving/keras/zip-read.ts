/**
 * A strict reader for the zip container of a `.keras` file. It trusts nothing the file declares:
 * entry names are checked before anything is read, sizes are checked against a cap before
 * inflating, inflating stops once the declared size is passed, and every entry's CRC is verified.
 * Entries are read from the central directory (the one index zip tools agree on).
 */
import { Inflate } from 'fflate';
import { crc32 } from './crc32';
import { FormatError } from '../../errors';
import { formatError } from './format';

export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflated. */
  method: number;
  flags: number;
  crc: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const EOCD_SIZE = 22;
const MAX_COMMENT = 0xffff;
const ZIP64_MARK = 0xffffffff;
const INFLATE_CHUNK = 64 * 1024;

const ARCHIVE = '(zip container)';

/** The parsed index of an archive, keyed by entry name. */
export class ZipArchive {
  private constructor(
    private readonly bytes: Uint8Array,
    private readonly source: string,
    readonly entries: ReadonlyMap<string, ZipEntry>,
  ) {}

  /** Reads the central directory; throws FormatError when the bytes are not a well-formed zip. */
  static open(bytes: Uint8Array, source: string): ZipArchive {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const notZip = (problem: string, received?: unknown) =>
      formatError(source, ARCHIVE, problem, 'a zip archive as Keras 3 writes it (model.save("….keras"))', received);
    if (bytes.length < 4 || view.getUint32(0, true) !== LOCAL_SIGNATURE) {
      if (bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x48 && bytes[2] === 0x44 && bytes[3] === 0x46) {
        throw notZip('this is a bare HDF5 file (a weights file or a legacy Keras .h5 model), not a .keras archive');
      }
      throw notZip('the file does not start with a zip entry', `first bytes ${hex(bytes.subarray(0, 4))}`);
    }
    const eocd = findEndOfCentralDirectory(view);
    if (eocd < 0) throw notZip('no end-of-central-directory record (the archive is truncated or not a zip)');
    const count = view.getUint16(eocd + 10, true);
    const dirSize = view.getUint32(eocd + 12, true);
    const dirOffset = view.getUint32(eocd + 16, true);
    if (dirOffset === ZIP64_MARK || dirSize === ZIP64_MARK || count === 0xffff) {
      throw notZip('ZIP64 archives (over 4 GiB or 65535 entries) are not supported');
    }
    if (dirOffset + dirSize > eocd) throw notZip('the central directory lies outside the archive (truncated file)', { dirOffset, dirSize });
    const entries = new Map<string, ZipEntry>();
    let at = dirOffset;
    for (let i = 0; i < count; i++) {
      if (at + 46 > eocd || view.getUint32(at, true) !== CENTRAL_SIGNATURE) {
        throw notZip(`central directory record ${i} is damaged (truncated file)`);
      }
      const nameLength = view.getUint16(at + 28, true);
      const extraLength = view.getUint16(at + 30, true);
      const commentLength = view.getUint16(at + 32, true);
      if (at + 46 + nameLength > eocd) throw notZip(`central directory record ${i} is damaged (truncated file)`);
      const name = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(at + 46, at + 46 + nameLength));
      checkEntryName(name, source);
      if (entries.has(name)) throw formatError(source, name, 'the entry appears twice', 'unique entry names');
      entries.set(name, {
        name,
        flags: view.getUint16(at + 8, true),
        method: view.getUint16(at + 10, true),
        crc: view.getUint32(at + 16, true),
        compressedSize: view.getUint32(at + 20, true),
        size: view.getUint32(at + 24, true),
        localHeaderOffset: view.getUint32(at + 42, true),
      });
      at += 46 + nameLength + extraLength + commentLength;
    }
    return new ZipArchive(bytes, source, entries);
  }

  /** An entry's bytes, refusing entries larger than `maxBytes` before inflating anything. */
  read(name: string, maxBytes: number): Uint8Array {
    const entry = this.entries.get(name);
    if (entry === undefined) {
      throw formatError(this.source, name, 'the entry is missing', `an archive holding ${name}`, `entries [${[...this.entries.keys()].join(', ')}]`);
    }
    const fail = (problem: string, expected: string, received?: unknown, cause?: unknown) =>
      formatError(this.source, name, problem, expected, received, cause);
    if (entry.size > maxBytes) {
      throw fail('the entry is too large', `at most ${maxBytes} bytes uncompressed`, `${entry.size} bytes declared`);
    }
    if (entry.flags & 1) throw fail('the entry is encrypted', 'an unencrypted entry');
    if (entry.compressedSize === ZIP64_MARK || entry.size === ZIP64_MARK) throw fail('ZIP64 entries are not supported', 'an entry under 4 GiB');
    const view = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
    const local = entry.localHeaderOffset;
    if (local + 30 > this.bytes.length || view.getUint32(local, true) !== LOCAL_SIGNATURE) {
      throw fail('the local header is missing or damaged', 'a zip local file header', `offset ${local} in ${this.bytes.length} bytes`);
    }
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    const end = start + entry.compressedSize;
    if (end > this.bytes.length) {
      throw fail('the entry is truncated', `${entry.compressedSize} stored bytes`, `${Math.max(0, this.bytes.length - start)} bytes left in the file`);
    }
    const stored = this.bytes.subarray(start, end);
    let data: Uint8Array;
    if (entry.method === 0) {
      if (entry.compressedSize !== entry.size) {
        throw fail('a stored entry has different stored and declared sizes', `equal sizes`, `${entry.compressedSize} vs ${entry.size}`);
      }
      data = stored;
    } else if (entry.method === 8) {
      data = inflateCapped(stored, entry.size, fail);
    } else {
      throw fail('unsupported compression method', 'stored (0) or deflate (8)', `method ${entry.method}`);
    }
    if (crc32(data) !== entry.crc) throw fail('the CRC-32 check failed (corrupt entry)', `crc ${entry.crc.toString(16)}`, `crc ${crc32(data).toString(16)}`);
    return data;
  }
}

type Fail = (problem: string, expected: string, received?: unknown, cause?: unknown) => Error;

/** Inflates into a buffer of the declared size and stops as soon as the output would pass it. */
function inflateCapped(stored: Uint8Array, size: number, fail: Fail): Uint8Array {
  const out = new Uint8Array(size);
  let filled = 0;
  let ended = false;
  const inflater = new Inflate((chunk, final) => {
    if (filled + chunk.length > size) throw fail('the entry inflates past its declared size', `${size} bytes`, 'more bytes (stopped)');
    out.set(chunk, filled);
    filled += chunk.length;
    if (final) ended = true;
  });
  try {
    for (let at = 0; at < stored.length; at += INFLATE_CHUNK) {
      inflater.push(stored.subarray(at, Math.min(at + INFLATE_CHUNK, stored.length)), at + INFLATE_CHUNK >= stored.length);
    }
    if (stored.length === 0) inflater.push(new Uint8Array(0), true);
  } catch (error) {
    if (error instanceof FormatError) throw error;
    throw fail('the compressed data is corrupt', 'a valid deflate stream', error instanceof Error ? error.message : String(error), error);
  }
  if (!ended || filled !== size) throw fail('the compressed data ends early', `${size} bytes`, `${filled} bytes`);
  return out;
}

/** Rejects names that could escape a folder if extracted: absolute paths, drive letters, `..`. */
function checkEntryName(name: string, source: string): void {
  const unsafe =
    name === '' ||
    name.startsWith('/') ||
    name.startsWith('\\') ||
    /^[A-Za-z]:/.test(name) ||
    name.includes('\0') ||
    name.split(/[\\/]/).some((part) => part === '..');
  if (unsafe) throw formatError(source, name, 'unsafe entry name', 'a relative path without ".." parts', name);
}

function findEndOfCentralDirectory(view: DataView): number {
  const last = view.byteLength - EOCD_SIZE;
  const first = Math.max(0, last - MAX_COMMENT);
  for (let at = last; at >= first; at--) {
    if (view.getUint32(at, true) === EOCD_SIGNATURE && at + EOCD_SIZE + view.getUint16(at + 20, true) === view.byteLength) return at;
  }
  return -1;
}

function hex(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(' ');
}
