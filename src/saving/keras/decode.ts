/**
 * The bytes of a `.keras` file (written by Keras 3 or by encodeKerasArchive) → ModelArtifacts.
 * Every step checks what it reads: the zip container, the JSON entries against their schemas,
 * the weights file's layout, dtypes and shapes against what the config implies.
 */
import type { LayerWeights, ModelArtifacts, SerializedObject, TrainingState, WeightValue } from '../artifacts';
import { findOptimizer } from './classes/registry';
import { compileFromKeras } from './compile-config';
import type { CompileInfo } from './compile-config';
import { CONFIG_ENTRY, EXTRAS_KEY, INPUT_LAYER_KEY, MAX_JSON_ENTRY_BYTES, MAX_WEIGHTS_ENTRY_BYTES, METADATA_ENTRY, WEIGHTS_ENTRY, formatError } from './format';
import { readVarsH5 } from './h5-store';
import type { DatasetInfo, VarsReader } from './h5-store';
import { planLayers, planSlots } from './layout';
import type { LayerPlan } from './layout';
import { modelFromKeras } from './model-config';
import { at } from './object-codec';
import { ZipArchive } from './zip-read';

/** Reads a `.keras` file; `source` (the file name) is quoted in every error. */
export async function decodeKerasArchive(bytes: Uint8Array, source: string): Promise<ModelArtifacts> {
  const zip = ZipArchive.open(bytes, source);
  const metadata = zip.entries.has(METADATA_ENTRY) ? readJsonObject(zip, METADATA_ENTRY, source) : undefined;
  const config = readJsonObject(zip, CONFIG_ENTRY, source);

  const root = { source, entry: CONFIG_ENTRY, path: '' };
  const decoded = modelFromKeras(config, root);
  const compile = compileFromKeras(decoded.compileConfig, at(root, 'compile_config'));
  const plans = planLayers(decoded.layers, decoded.inputShape);

  const weightsBytes = zip.read(WEIGHTS_ENTRY, MAX_WEIGHTS_ENTRY_BYTES);
  return readVarsH5(weightsBytes, source, (reader) => {
    const layers = readLayers(reader, plans, source);
    const artifacts: ModelArtifacts = { model: decoded.model, layers };
    if (metadata?.[INPUT_LAYER_KEY] === true && decoded.inputLayerName !== undefined) restoreInputLayer(artifacts, decoded.inputLayerName, decoded.inputShape);
    if (compile !== undefined) artifacts.training = readTraining(reader, plans, compile, metadata, source);
    return artifacts;
  });
}

/**
 * A model saved by keras-ts with an explicit `layers.Input` gets it back: the InputLayer first
 * (named as the file's InputLayer), the input shape on it rather than on the next layer.
 */
function restoreInputLayer(artifacts: ModelArtifacts, name: string, shape: readonly number[]): void {
  const layers = artifacts.model.config['layers'] as SerializedObject[];
  const first = layers[0];
  if (first !== undefined) delete first.config['inputShape'];
  layers.unshift({ className: 'InputLayer', config: { name, shape: [...shape] } });
  artifacts.layers.unshift({ layerName: name, className: 'InputLayer', weights: [] });
}

function readJsonObject(zip: ZipArchive, entry: string, source: string): Record<string, unknown> {
  const data = zip.read(entry, MAX_JSON_ENTRY_BYTES);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch (error) {
    throw formatError(source, entry, 'the entry is not UTF-8 text', 'UTF-8 encoded JSON', undefined, error);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw formatError(source, entry, 'the entry is not valid JSON', 'a JSON object', error instanceof Error ? error.message : String(error), error);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw formatError(source, entry, 'the entry is not a JSON object', 'a JSON object', Array.isArray(value) ? 'an array' : String(value));
  }
  return value as Record<string, unknown>;
}

const where = (path: string, index?: number): string => `${WEIGHTS_ENTRY}:/${path === '' ? '' : `${path}/`}vars${index === undefined ? '' : `/${index}`}`;

function readLayers(reader: VarsReader, plans: readonly LayerPlan[], source: string): LayerWeights[] {
  const expectedKeys = new Set(plans.map((plan) => plan.groupPath.slice('layers/'.length)));
  for (const key of reader.children('layers') ?? []) {
    if (!expectedKeys.has(key)) {
      throw formatError(source, `${WEIGHTS_ENTRY}:/layers/${key}`, 'the weights file has a layer the config does not have', `layer groups [${[...expectedKeys].join(', ')}]`, key);
    }
  }
  return plans.map((plan) => {
    const infos = reader.vars(plan.groupPath) ?? [];
    if (infos.length !== plan.weights.length) {
      throw formatError(
        source,
        where(plan.groupPath),
        `wrong number of weights for ${plan.spec.className} ${JSON.stringify(plan.name)}`,
        `${plan.weights.length} (${plan.weights.map((w) => w.name).join(', ') || 'none'})`,
        `${infos.length}`,
      );
    }
    const weights = plan.weights.map((weight, i): WeightValue => {
      checkFloat32(infos[i]!, weight.shape, where(plan.groupPath, i), `${plan.name}/${weight.name}`, source);
      return { name: weight.name, shape: [...weight.shape], values: copyFloat32(reader.read(plan.groupPath, i)) };
    });
    return { layerName: plan.name, className: plan.spec.className, weights };
  });
}

function readTraining(
  reader: VarsReader,
  plans: readonly LayerPlan[],
  compile: CompileInfo,
  metadata: Record<string, unknown> | undefined,
  source: string,
): TrainingState {
  const spec = findOptimizer(compile.optimizer.className)!; // resolved while reading the config
  const order = planSlots(plans, spec, compile.optimizer.config);
  const infos = reader.vars('optimizer');
  const training: TrainingState = { optimizer: compile.optimizer, iterations: 0, slots: [] };
  if (compile.loss !== undefined) training.compile = { loss: compile.loss, metrics: compile.metrics };
  const extras = metadata?.[EXTRAS_KEY];
  if (typeof extras === 'object' && extras !== null && !Array.isArray(extras)) training.extras = extras as Record<string, unknown>;
  // A compiled model whose optimizer was never built stores the step counter and learning rate only.
  if (infos === undefined) return training;
  if (infos.length !== 2 && infos.length !== 2 + order.keras.length) {
    throw formatError(
      source,
      where('optimizer'),
      `wrong number of optimizer variables for ${spec.className}`,
      `2 (not yet built) or ${2 + order.keras.length} (step counter, learning rate, ${order.keras.length} slots)`,
      `${infos.length}`,
    );
  }
  const counter = infos[0]!;
  if (counter.kind !== 'int' || counter.shape.length !== 0) {
    throw formatError(source, where('optimizer', 0), 'the step counter is not an integer scalar', 'an int64 scalar', `${counter.kind} of shape [${counter.shape.join(', ')}]`);
  }
  checkFloat32(infos[1]!, [], where('optimizer', 1), 'learning rate', source);
  const step = reader.read('optimizer', 0)[0];
  const iterations = Number(step ?? 0);
  if (!Number.isSafeInteger(iterations) || iterations < 0) {
    throw formatError(source, where('optimizer', 0), 'the step counter is out of range', 'an integer >= 0', String(step));
  }
  training.iterations = iterations;
  if (infos.length === 2) return training;
  const byName = new Map<string, WeightValue>();
  order.keras.forEach((slot, i) => {
    checkFloat32(infos[i + 2]!, slot.shape, where('optimizer', i + 2), slot.name, source);
    byName.set(slot.name, { name: slot.name, shape: [...slot.shape], values: copyFloat32(reader.read('optimizer', i + 2)) });
  });
  training.slots = order.ts.map((slot) => byName.get(slot.name)!);
  return training;
}

function checkFloat32(info: DatasetInfo, shape: readonly number[], entry: string, what: string, source: string): void {
  if (info.kind !== 'float' || info.size !== 4) {
    const received = info.kind === 'other' ? 'a non-numeric dataset' : `${info.kind}${info.size * 8}`;
    throw formatError(source, entry, `${what} is not float32`, 'float32 values', received);
  }
  if (info.shape.join(',') !== shape.join(',')) {
    throw formatError(source, entry, `${what} has the wrong shape for the config`, `shape [${shape.join(', ')}]`, `shape [${info.shape.join(', ')}]`);
  }
}

/** The reader already copies out of the wasm heap; int datasets never reach here (checked as float32). */
function copyFloat32(values: Float32Array | BigInt64Array): Float32Array {
  return values instanceof Float32Array ? values : Float32Array.from(values, Number);
}
