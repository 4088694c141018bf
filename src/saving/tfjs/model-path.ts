/**
 * Which codec a model location belongs to. `file://dir`, a plain directory path or a path to a
 * `model.json` → the tfjs-layers directory format (fileSystemHandler); a path ending in `.keras`
 * or `.weights.h5` → the Keras 3 codec; any other URL scheme (`indexeddb://`, `localstorage://`,
 * `http(s)://`, `downloads://`, …) → passed through unchanged to tfjs' own `tf.io` routers.
 */
import * as path from 'node:path';
import { ConfigError, describe } from '../../errors';
import { MODEL_JSON } from './file-system';

export type ModelPath =
  /** A directory holding (or to hold) model.json + weights.bin. */
  | { kind: 'tfjs-directory'; dir: string }
  /** A Keras 3 `.keras` archive. */
  | { kind: 'keras'; file: string }
  /** A Keras 3 weights-only `.weights.h5` file. */
  | { kind: 'keras-weights'; file: string }
  /** A URL for tfjs' IO routers (`tf.io.getSaveHandlers` / `getLoadHandlers`), unchanged. */
  | { kind: 'tfjs-url'; url: string };

const FILE_SCHEME = 'file://';

/** `scheme://` at the start; one-letter schemes are Windows drive letters (`C://x` is a path). */
const URL_SCHEME = /^([a-z][a-z0-9+.-]+):\/\//i;

/** Tells a model location apart: see ModelPath. Paths stay as given (relative ones are not resolved). */
export function parseModelPath(target: string): ModelPath {
  if (typeof target !== 'string' || target.trim() === '') {
    throw new ConfigError(`Invalid model path: expected a directory, a file:// URL, a .keras file or a tfjs URL. Received: ${describe(target)}`);
  }
  let file = target;
  if (target.toLowerCase().startsWith(FILE_SCHEME)) {
    file = target.slice(FILE_SCHEME.length); // as tfjs-node: file:///abs → /abs, file://rel → rel
    if (file === '') throw new ConfigError(`Invalid model path: expected a path after file://. Received: ${describe(target)}`);
  } else if (URL_SCHEME.test(target)) {
    return { kind: 'tfjs-url', url: target };
  }
  const lower = file.toLowerCase();
  if (lower.endsWith('.weights.h5')) return { kind: 'keras-weights', file };
  if (lower.endsWith('.keras')) return { kind: 'keras', file };
  if (lower.endsWith('.h5') || lower.endsWith('.hdf5')) {
    throw new ConfigError(
      `Unsupported model path ${describe(target)}: legacy HDF5 models cannot be read; expected a directory, a .keras file or a .weights.h5 file`,
    );
  }
  if (path.basename(file) === MODEL_JSON) return { kind: 'tfjs-directory', dir: path.dirname(file) };
  return { kind: 'tfjs-directory', dir: file };
}
