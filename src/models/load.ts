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
import { kerasSlotName, trainableNames } from './model-state';
import type { RandomExtras } from './model-state';
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


function checkShape(source: string, where: string, expected: readonly number[], got: readonly number[]): void {
  if (expected.length !== got.length || expected.some((d, i) => d !== got[i])) {
    throw new FormatError(`${source}: ${where} has shape [${got.join(', ')}]; the model expects [${expected.join(', ')}].`);
  }
}

/** Rebuilds the model; sets its weights; compiles it and restores the optimizer and random streams when the artifacts carry training state. */
export async function modelFromArtifacts(artifacts: ModelArtifacts, source: string): Promise<Sequential> {
  if (artifacts.model.className !== 'Sequential') {
    throw new FormatError(`${source}: a ${describe(artifacts.model.className)} model cannot be loaded; keras-ts loads Sequential models.`);
  }
  const model = Sequential.fromConfig(artifacts.model.config as unknown as SequentialConfig);
  try {
    if (artifacts.layers.length !== model.layers.length) {
      throw new FormatError(`${source}: the file holds weights for ${artifacts.layers.length} layers; its config has ${model.layers.length}.`);
    }
    const values: tf.Tensor[] = [];
    try {
      model.layers.forEach((layer, i) => {
        const saved = artifacts.layers[i]!;
        const weights = layer.weights;
        if (saved.weights.length !== weights.length) {
          throw new FormatError(`${source}: layer '${layer.name}' has ${saved.weights.length} weights in the file; a ${layer.className} with this config has ${weights.length}.`);
        }
        saved.weights.forEach((w, k) => {
          checkShape(source, `weight ${k} (${w.name}) of layer '${layer.name}'`, weights[k]!.variable.shape, w.shape);
          values.push(tf.tensor(w.values, w.shape));
        });
      });
      model.setWeights(values);
    } finally {
      tf.dispose(values);
    }
    if (artifacts.training !== undefined) await restoreTraining(model, artifacts.training, source);
    return model;
  } catch (error) {
    model.dispose();
    throw error;
  }
}

/** Keras' slot names → tfjs' for each optimizer. */
const TFJS_SLOT: Record<string, Record<string, string>> = {
  Adam: { momentum: 'm', velocity: 'v' },
  AdamW: { momentum: 'm', velocity: 'v' },
  RMSprop: { velocity: 'rms', momentum: 'momentum', average_gradient: 'mg' },
};

async function restoreTraining(model: Sequential, training: TrainingState, source: string): Promise<void> {
  const compile = training.compile;
  model.compile({
    optimizer: training.optimizer as never,
    loss: (compile?.loss ?? 'meanSquaredError') as LossIdentifier,
    metrics: (compile?.metrics ?? []) as MetricIdentifier[],
  });
  if (training.slots.length > 0) {
    // tfjs wants [iter, slot kind 1 over all variables, slot kind 2 over all variables, …].
    const slots = training.slots.map((s) => ({ ...s, name: kerasSlotName(s.name) }));
    const kinds = [...new Set(slots.map((s) => s.name.slice(s.name.lastIndexOf('/') + 1)))];
    const variables = [...trainableNames(model).values()];
    const ordered = kinds.flatMap((kind) =>
      variables.map((v) => {
        const slot = slots.find((s) => s.name === `${v}/${kind}`);
        if (slot === undefined) throw new FormatError(`${source}: the optimizer state has no '${kind}' slot for weight '${v}'.`);
        return slot;
      }),
    );
    // Named as tfjs names them (`<tfjs variable>/m`): keras-ts' fused Adam keys its slots by that name.
    const tfjsVariables = [...trainableNames(model).keys()];
    const suffix = TFJS_SLOT[training.optimizer.className] ?? {};
    const named = [
      { name: 'iter', tensor: tf.scalar(training.iterations, 'int32') },
      ...ordered.map((s, i) => {
        const kind = s.name.slice(s.name.lastIndexOf('/') + 1);
        return { name: `${tfjsVariables[i % tfjsVariables.length]}/${suffix[kind] ?? kind}`, tensor: tf.tensor(s.values, s.shape) };
      }),
    ];
    try {
      await model.optimizer.setWeights(named);
    } finally {
      tf.dispose(named.map((n) => n.tensor));
    }
  }
  const random = (training.extras?.['random'] ?? {}) as RandomExtras;
  if (random.shuffle !== undefined) model.shuffleStream().setState(random.shuffle);
  for (const layer of model.layers) {
    const state = random.layers?.[layer.name];
    if (state !== undefined) layer.setRandomState(state);
  }
}
