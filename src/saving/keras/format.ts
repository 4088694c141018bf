/**
 * The fixed facts of the Keras 3 `.keras` format, as `keras/src/saving/saving_lib.py` (Keras 3.15.1,
 * the release whose files this codec reads and writes) lays it out: a zip holding three entries.
 */
import { FormatError, describe } from '../../errors';

export const METADATA_ENTRY = 'metadata.json';
export const CONFIG_ENTRY = 'config.json';
export const WEIGHTS_ENTRY = 'model.weights.h5';

/**
 * The `keras_version` written into metadata.json. Keras never reads it back; we write the release
 * whose layout we follow (3.15.1, the version that wrote the test fixtures), so a reader that does
 * look at it sees a format it knows.
 */
export const KERAS_FORMAT_VERSION = '3.15.1';

/**
 * Where keras-ts keeps `TrainingState.extras`: a key of metadata.json. Keras never reads
 * metadata.json, so the key is invisible to it; it is written only when there are extras.
 */
export const EXTRAS_KEY = 'keras_ts_training_extras';

/**
 * Largest uncompressed size accepted per entry. Keras guards only against ratio bombs above 4 GiB;
 * we also cap the size outright: a config of a few thousand layers is well under 1 MiB, and the
 * weights are read into one wasm heap, which stays below 4 GiB.
 */
export const MAX_JSON_ENTRY_BYTES = 64 * 1024 * 1024;
export const MAX_WEIGHTS_ENTRY_BYTES = 2 * 1024 * 1024 * 1024 - 1;

/**
 * The error every bad input raises, one template: which file, which entry (or part of it), what is
 * wrong, what was expected, what was received.
 */
export function formatError(
  source: string,
  entry: string,
  problem: string,
  expected: string,
  received?: unknown,
  cause?: unknown,
): FormatError {
  const got = received === undefined ? '' : ` Received: ${typeof received === 'string' ? received : describe(received)}`;
  const message = `Invalid .keras file ${JSON.stringify(source)}, entry ${JSON.stringify(entry)}: ${problem}. Expected ${expected}.${got}`;
  return new FormatError(message, cause === undefined ? undefined : { cause });
}

/** Keras' `date_saved`: local time as `YYYY-MM-DD@HH:MM:SS` (Python's `%Y-%m-%d@%H:%M:%S`). */
export function kerasDate(date: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return (
    `${String(date.getFullYear()).padStart(4, '0')}-${p(date.getMonth() + 1)}-${p(date.getDate())}` +
    `@${p(date.getHours())}:${p(date.getMinutes())}:${p(date.getSeconds())}`
  );
}

/**
 * keras-ts' mark that the model began with an explicit `layers.Input` (an InputLayer in its layer
 * list): a key of metadata.json, `true` when so. Keras always writes an InputLayer, so the file's
 * InputLayer alone cannot tell; Keras never reads metadata.json, so the key is invisible to it.
 */
export const INPUT_LAYER_KEY = 'keras_ts_input_layer';
