/**
 * `model.save(target)` and `model.saveWeights(path)`, in Node without tfjs-node and in the browser.
 * The target picks the format: a path ending in `.keras` → Keras 3's format (Python Keras loads
 * it); a directory or `file://dir` → the tfjs-layers format (model.json + weights.bin, stock
 * tf.loadLayersModel loads it); any other URL (`indexeddb://`, `localstorage://`, `http(s)://`)
 * or a tf.io.IOHandler → tfjs' own IO, unchanged. Files are written atomically.
 */
import { tf } from '../backend/tf';
import { ConfigError, describe } from '../errors';
import { writeFileAtomic } from '../io/atomic';
import { readOptions } from '../options';
import { encodeKerasArchive } from '../saving/keras';
import { artifactsToTfjs, fileSystemHandler, parseModelPath } from '../saving/tfjs';
import { modelToArtifacts } from './model-state';
import type { Sequential } from './sequential';

export interface SaveOptions {
  /** Save the optimizer state, compile settings and random streams, to resume training (default: true for `.keras`, as Keras; false otherwise, as tfjs). */
  includeOptimizer?: boolean | null;
}

/** What a save wrote: the format and where. */
export interface SaveResult {
  format: 'keras' | 'tfjs-layers';
  /** The file or directory written (or the URL / handler's result for other targets). */
  target: string;
  /** tfjs' save result for tfjs-layers targets. */
  tfjs?: tf.io.SaveResult;
}

function isIOHandler(value: unknown): value is tf.io.IOHandler {
  return value !== null && typeof value === 'object' && typeof (value as tf.io.IOHandler).save === 'function';
}

export async function saveModel(model: Sequential, target: string | tf.io.IOHandler, options: SaveOptions = {}): Promise<SaveResult> {
  const o = readOptions('save', options, ['includeOptimizer']);
  if (o.includeOptimizer !== undefined && typeof o.includeOptimizer !== 'boolean') {
    throw new ConfigError(`Invalid \`includeOptimizer\` for save: expected true or false. Received: includeOptimizer=${describe(o.includeOptimizer)}`);
  }
  if (isIOHandler(target)) {
    const artifacts = await modelToArtifacts(model, { includeOptimizer: o.includeOptimizer ?? false });
    return { format: 'tfjs-layers', target: 'IOHandler', tfjs: await target.save!(artifactsToTfjs(artifacts)) };
  }
  const where = parseModelPath(target);
  switch (where.kind) {
    case 'keras': {
      const includeOptimizer = o.includeOptimizer ?? true;
      const artifacts = await modelToArtifacts(model, { includeOptimizer });
      writeFileAtomic(where.file, await encodeKerasArchive(artifacts, { includeOptimizer }));
      return { format: 'keras', target: where.file };
    }
    case 'keras-weights':
      throw new ConfigError(`Cannot save a whole model to ${describe(target)}: a .weights.h5 file holds weights only; use model.saveWeights(${describe(target)}) or a path ending in .keras.`);
    case 'tfjs-directory': {
      const artifacts = await modelToArtifacts(model, { includeOptimizer: o.includeOptimizer ?? false });
      return { format: 'tfjs-layers', target: where.dir, tfjs: await fileSystemHandler(where.dir).save(artifactsToTfjs(artifacts)) };
    }
    case 'tfjs-url': {
      const handlers = tf.io.getSaveHandlers(where.url);
      if (handlers.length === 0) throw new ConfigError(`Cannot save to ${describe(where.url)}: tfjs has no save handler for that URL scheme here (in Node: a directory, file://dir or a .keras path).`);
      const artifacts = await modelToArtifacts(model, { includeOptimizer: o.includeOptimizer ?? false });
      return { format: 'tfjs-layers', target: where.url, tfjs: await handlers[0]!.save!(artifactsToTfjs(artifacts)) };
    }
  }
}
