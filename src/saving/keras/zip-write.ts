/**
 * Writes the archive the way Python's `zipfile` does inside Keras' `_save_model_to_fileobj`:
 * every entry stored (no compression), permissions `0o600` on a Unix host. metadata.json and
 * config.json are written through `zf.open(name, "w")`, which stamps them 1980-01-01 00:00:00;
 * the weights go through `zf.writestr`, which stamps the current local time.
 */
import { zipSync } from 'fflate';
import type { ZipOptions } from 'fflate';

export interface ArchiveEntry {
  name: string;
  data: Uint8Array;
  /** Modification time stored for the entry (local time, as zip stores it). */
  mtime: Date;
}

/** 1980-01-01 00:00:00 local time: `zipfile.ZipInfo`'s default date. */
export const ZIP_EPOCH = (): Date => new Date(1980, 0, 1, 0, 0, 0);

const UNIX_HOST = 3;
const OWNER_READ_WRITE = 0o600 << 16; // `zinfo.external_attr = 0o600 << 16`

export function writeArchive(entries: ArchiveEntry[]): Uint8Array {
  const files: Record<string, [Uint8Array, ZipOptions]> = Object.create(null) as Record<string, [Uint8Array, ZipOptions]>;
  for (const entry of entries) {
    files[entry.name] = [entry.data, { level: 0, mtime: entry.mtime, os: UNIX_HOST, attrs: OWNER_READ_WRITE }];
  }
  return zipSync(files);
}
