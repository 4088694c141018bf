/** `model.saveWeights(path)` / `model.loadWeights(path)`: Keras 3's `.weights.h5` file, the HDF5 a .keras archive holds. */
import { unzipSync, zipSync } from 'fflate';
import * as fs from 'node:fs';
import { tf } from '../backend/tf';
import { ConfigError, FormatError, describe } from '../errors';
import { writeFileAtomic } from '../io/atomic';
import { decodeKerasArchive, encodeKerasArchive } from '../saving/keras';
import { modelToArtifacts } from './model-state';
import type { Sequential } from './sequential';

function checkWeightsPath(file: unknown, what: string): asserts file is string {
  if (typeof file !== 'string' || !file.toLowerCase().endsWith('.weights.h5')) {
    throw new ConfigError(`Invalid path for ${what}: expected a file name ending in .weights.h5 (Keras 3's rule). Received: ${describe(file)}`);
  }
}

/** This model's own .keras archive, unzipped: its entries frame a weights file for the .keras reader. */
async function ownArchive(model: Sequential): Promise<Record<string, Uint8Array>> {
  return unzipSync(await encodeKerasArchive(await modelToArtifacts(model, { includeOptimizer: false }), { includeOptimizer: false }));
}

export async function saveModelWeights(model: Sequential, file: string): Promise<void> {
  checkWeightsPath(file, 'saveWeights');
  const weights = (await ownArchive(model))['model.weights.h5'];
  if (weights === undefined) throw new FormatError('The .keras encoder wrote no model.weights.h5 entry.');
  writeFileAtomic(file, weights);
}

/**
 * Sets the model's weights from a Keras 3 `.weights.h5` file (written by saveWeights or by Keras'
 * `model.save_weights`). The file is read against this model's own layout, so a file for another
 * architecture is a FormatError and the model is left untouched.
 */
export async function loadModelWeights(model: Sequential, file: string): Promise<void> {
  checkWeightsPath(file, 'loadWeights');
  let weights: Uint8Array;
  try {
    weights = new Uint8Array(fs.readFileSync(file));
  } catch (error) {
    throw new FormatError(`Cannot read the weights file ${describe(file)}: ${(error as Error).message}`, { cause: error });
  }
  // This model's archive with the file's HDF5 in place of its own: the .keras reader checks every weight.
  const own = await ownArchive(model);
  const artifacts = await decodeKerasArchive(zipSync({ ...own, 'model.weights.h5': weights }, { level: 0 }), file);
  const values: tf.Tensor[] = [];
  try {
    model.layers.forEach((layer, i) => {
      const saved = artifacts.layers[i]?.weights ?? [];
      if (saved.length !== layer.weights.length) throw new FormatError(`${file}: layer '${layer.name}' has ${saved.length} weights in the file; the model's has ${layer.weights.length}.`);
      saved.forEach((w, k) => {
        const expected = layer.weights[k]!.variable.shape;
        if (w.shape.length !== expected.length || w.shape.some((d, j) => d !== expected[j])) {
          throw new FormatError(`${file}: weight ${k} of layer '${layer.name}' has shape [${w.shape.join(', ')}]; the model expects [${expected.join(', ')}].`);
        }
        values.push(tf.tensor(w.values, w.shape));
      });
    });
    model.setWeights(values);
  } finally {
    tf.dispose(values);
  }
}
