/**
 * `loadModel(source)` and `model.loadWeights(path)`: the inverse of save. Reads `.keras` files
 * written by keras-ts or by Python Keras 3, tfjs-layers directories written by keras-ts or stock
 * tfjs, and anything tfjs' IO routers load (`indexeddb://`, `http(s)://`, an IOHandler). Loading
 * never executes file content; a file that does not fit its format is a FormatError naming it.
 */
import * as fs from 'node:fs';
import { tf } from '../backend/tf';
import { ConfigError, FormatError, describe } from '../errors';
import { decodeKerasArchive } from '../saving/keras';
import type { ModelArtifacts, TrainingState } from '../saving/artifacts';
import { fileSystemHandler, parseModelPath, tfjsToArtifacts } from '../saving/tfjs';
import type { LossIdentifier } from '../training/losses';
import type { MetricIdentifier } from '../training/metrics';
import { restoreOptimizerAndStreams, setWeightsFromArtifacts } from './model-state';
import { Sequential } from './sequential';
import type { SequentialConfig } from './sequential';

export function readBytes(file: string, what: string): Uint8Array {
  try {
    return new Uint8Array(fs.readFileSync(file));
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new FormatError(`Cannot read ${what} ${describe(file)}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message}`, { cause: error });
  }
}

async function loadTfjs(handler: tf.io.IOHandler, source: string): Promise<Sequential> {
  if (typeof handler.load !== 'function') throw new ConfigError(`Cannot load from ${source}: the IOHandler has no load method.`);
  return modelFromArtifacts(tfjsToArtifacts(await handler.load(), source), source);
}

/** Loads a model saved by `model.save`, by stock tfjs-layers or by Python Keras 3. */
export async function loadModel(source: string | tf.io.IOHandler): Promise<Sequential> {
  if (source !== null && typeof source === 'object') return loadTfjs(source, 'the IOHandler');
  const where = parseModelPath(source);
  switch (where.kind) {
    case 'keras':
      return modelFromArtifacts(await decodeKerasArchive(readBytes(where.file, 'the model file'), where.file), where.file);
    case 'keras-weights':
      throw new ConfigError(`Cannot load a whole model from ${describe(source)}: a .weights.h5 file holds weights only; build the model and call model.loadWeights(${describe(source)}).`);
    case 'tfjs-directory':
      return loadTfjs(fileSystemHandler(where.dir), where.dir);
    case 'tfjs-url': {
      const handlers = tf.io.getLoadHandlers(where.url);
      if (handlers.length === 0) throw new ConfigError(`Cannot load from ${describe(where.url)}: tfjs has no load handler for that URL scheme here.`);
      return loadTfjs(handlers[0]!, where.url);
    }
  }
}


/** Rebuilds the model; sets its weights; compiles it and restores the optimizer and random streams when the artifacts carry training state. */
export async function modelFromArtifacts(artifacts: ModelArtifacts, source: string): Promise<Sequential> {
  if (artifacts.model.className !== 'Sequential') {
    throw new FormatError(`${source}: a ${describe(artifacts.model.className)} model cannot be loaded; keras-ts loads Sequential models.`);
  }
  const model = Sequential.fromConfig(artifacts.model.config as unknown as SequentialConfig);
  try {
    setWeightsFromArtifacts(model, artifacts, source);
    if (artifacts.training !== undefined) await restoreTraining(model, artifacts.training, source);
    return model;
  } catch (error) {
    model.dispose();
    throw error;
  }
}

async function restoreTraining(model: Sequential, training: TrainingState, source: string): Promise<void> {
  const compile = training.compile;
  model.compile({
    optimizer: training.optimizer as never,
    loss: (compile?.loss ?? 'meanSquaredError') as LossIdentifier,
    metrics: (compile?.metrics ?? []) as MetricIdentifier[],
  });
  await restoreOptimizerAndStreams(model, training, source);
}
