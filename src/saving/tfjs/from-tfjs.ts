/**
 * tfjs-layers artifacts (what stock tfjs-layers 4.22 `LayersModel.save` writes, or what
 * `artifactsToTfjs` wrote) → keras-ts artifacts. Reads Sequential models of the layer classes in
 * layers.ts, with an optional leading InputLayer; Keras-converted files' `model_config` wrapper
 * is unwrapped as tfjs does. keras-ts metadata entries replace the tfjs fields they agree with.
 */
import type { io } from '@tensorflow/tfjs';
import { ConfigError, FormatError } from '../../errors';
import type { LayerWeights, ModelArtifacts, SerializedObject, TrainingState, WeightValue } from '../artifacts';
import { Fields, cloneJson, deepEqual, isRecord } from './fields';
import type { JsonObject } from './fields';
import { inputShapeFromTfjs, layerFromTfjs, layerToTfjs } from './layers';
import { readMetadata } from './metadata';
import type { KerasTsMetadata } from './metadata';
import { TFJS_FORMAT } from './to-tfjs';
import { nameSlotsByPosition, slotsFromTfjsOrder, trainingConfigFromTfjs, trainingConfigToTfjs } from './training';
import type { CompileSettings } from './training';
import { locateEntries, readFloat32, readInt32, weightBytes } from './weights';
import type { LocatedEntry } from './weights';

/** The Sequential topology's name and layer list, unwrapped from the forms tfjs accepts. */
function sequentialTopology(artifacts: io.ModelArtifacts, source: string): { name: string; layers: unknown[] } {
  const top = Fields.ofFile(artifacts as unknown as JsonObject, source);
  if (artifacts.format !== undefined && artifacts.format !== TFJS_FORMAT) {
    throw top.invalid('format', `"${TFJS_FORMAT}" (a tfjs-layers model; graph models cannot be read)`);
  }
  let topology: unknown = artifacts.modelTopology;
  if (isRecord(topology) && isRecord(topology['model_config'])) topology = topology['model_config'];
  if (!isRecord(topology)) throw top.invalid('modelTopology', 'a JSON object { class_name, config }');
  const f = top.nested(topology, `modelTopology of ${source}`);
  if (topology['class_name'] !== 'Sequential') throw f.invalid('class_name', '"Sequential" (keras-ts reads Sequential models)');
  const config = topology['config'];
  if (Array.isArray(config)) return { name: 'sequential', layers: config }; // Keras 1's list form
  if (!isRecord(config) || !Array.isArray(config['layers'])) throw f.invalid('config', '{ name, layers: [...] }');
  return { name: f.nested(config, `modelTopology.config of ${source}`).string('name', 'sequential'), layers: config['layers'] };
}

/** The layers as keras-ts configs; a leading InputLayer becomes the first layer's inputShape. */
function readLayers(layers: readonly unknown[], source: string, keepInputLayer: boolean): SerializedObject[] {
  let pendingShape: number[] | null = null;
  const out: SerializedObject[] = [];
  layers.forEach((layer, i) => {
    const where = `layer ${i} of ${source}`;
    if (!isRecord(layer) || typeof layer['class_name'] !== 'string' || !isRecord(layer['config'])) {
      throw new FormatError(`Invalid layer: expected { class_name, config }. Received: ${JSON.stringify(layer)} (in ${where})`);
    }
    if (layer['class_name'] === 'InputLayer') {
      if (i !== 0) throw new FormatError(`Unsupported InputLayer after the first layer (in ${where})`);
      const f = Fields.ofFile(layer['config'], `${where} (InputLayer)`);
      const shape = inputShapeFromTfjs(f);
      // keras-ts' own `layers.Input` (marked in its metadata) stays a layer; any other InputLayer
      // becomes the first layer's input shape.
      if (keepInputLayer && shape !== null) out.push({ className: 'InputLayer', config: { name: f.string('name'), shape } });
      else pendingShape = shape;
      return;
    }
    const read = layerFromTfjs(layer['class_name'], layer['config'], where);
    if (pendingShape !== null && read.config['inputShape'] === undefined) read.config['inputShape'] = pendingShape;
    pendingShape = null;
    out.push(read);
  });
  return out;
}

/** The layer as keras-ts' form converted to tfjs and back: what the file would hold for it. */
function canonicalLayer(layer: SerializedObject, where: string): SerializedObject {
  const tfjs = layerToTfjs(layer, where);
  return layerFromTfjs(tfjs.class_name, tfjs.config, where);
}

/** A metadata entry is used only while it still describes what the tfjs fields say. */
function applyLayerOverrides(layers: SerializedObject[], metadata: KerasTsMetadata | undefined, source: string): SerializedObject[] {
  return layers.map((layer) => {
    const entry = metadata?.layers?.find((o) => o.name === layer.config['name']);
    if (entry === undefined || layer.className === 'InputLayer') return layer;
    const candidate = { className: entry.className ?? layer.className, config: cloneJson(entry.config) };
    const where = `keras-ts metadata of layer "${entry.name}" in ${source}`;
    return deepEqual(asFileError(() => canonicalLayer(candidate, where)), layer) ? candidate : layer;
  });
}

/** Bad metadata written by hand is a problem with the file, not with the caller's arguments. */
function asFileError<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof ConfigError) throw new FormatError(error.message, { cause: error });
    throw error;
  }
}

/** Each model weight assigned to its layer: `<layerName>/<weightName>`, longest matching layer name. */
function readLayerWeights(layers: readonly SerializedObject[], located: readonly LocatedEntry[], bytes: Uint8Array, source: string): LayerWeights[] {
  const out: LayerWeights[] = layers.map((l) => ({ layerName: String(l.config['name']), className: l.className, weights: [] }));
  for (const at of located) {
    const { name, shape } = at.entry;
    const owner = out
      .filter((l) => name.startsWith(`${l.layerName}/`))
      .reduce<LayerWeights | undefined>((best, l) => (best === undefined || l.layerName.length > best.layerName.length ? l : best), undefined);
    if (owner === undefined) {
      throw new FormatError(`Weight "${name}" belongs to no layer of the model (layers: ${out.map((l) => `"${l.layerName}"`).join(', ')}) (in ${source})`);
    }
    owner.weights.push({ name: name.slice(owner.layerName.length + 1), shape: [...shape], values: float32Values(at, bytes, source) });
  }
  return out;
}

function float32Values(at: LocatedEntry, bytes: Uint8Array, source: string): Float32Array {
  const { name, dtype, quantization } = at.entry;
  if (dtype !== 'float32' || quantization !== undefined) {
    const received = quantization === undefined ? dtype : `${dtype} quantized to ${quantization.dtype}`;
    throw new FormatError(`Unsupported dtype of weight "${name}": expected float32 (keras-ts weights are float32). Received: ${received} (in ${source})`);
  }
  return readFloat32(bytes, at);
}

/** Optimizer steps from tfjs' `iter` weight (an int32 scalar; a float32 one is accepted). */
function readIterations(at: LocatedEntry, bytes: Uint8Array, source: string): number {
  const { dtype, shape, quantization } = at.entry;
  const value = shape.length === 0 && quantization === undefined && (dtype === 'int32' || dtype === 'float32')
    ? (dtype === 'int32' ? readInt32(bytes, at) : readFloat32(bytes, at))[0]
    : undefined;
  if (value === undefined || !Number.isInteger(value) || value < 0) {
    throw new FormatError(`Invalid optimizer weight "iter": expected an int32 scalar >= 0. Received: dtype=${dtype}, shape=[${shape.join(', ')}], value=${value} (in ${source})`);
  }
  return value;
}

/** The optimizer: metadata's when it agrees with trainingConfig (or there is none), else trainingConfig's. */
function chooseTraining(
  fromFile: { optimizer: SerializedObject; compile: CompileSettings } | undefined,
  saved: NonNullable<KerasTsMetadata['training']> | undefined,
  source: string,
): { optimizer: SerializedObject; compile: CompileSettings | undefined } | undefined {
  if (fromFile === undefined) {
    return saved?.optimizer === undefined ? undefined : { optimizer: cloneJson(saved.optimizer), compile: cloneJson(saved.compile) };
  }
  let optimizer = fromFile.optimizer;
  let compile: CompileSettings | undefined = fromFile.compile;
  if (saved !== undefined) {
    const savedOptimizer = saved.optimizer ?? fromFile.optimizer;
    const savedCompile = saved.compile ?? fromFile.compile;
    const config = asFileError(() => trainingConfigToTfjs(savedOptimizer, savedCompile, `keras-ts metadata in ${source}`));
    const again = config === null ? undefined : trainingConfigFromTfjs(config, `keras-ts metadata in ${source}`);
    if (again !== undefined && deepEqual(again.optimizer, fromFile.optimizer)) optimizer = cloneJson(savedOptimizer);
    if (again !== undefined && deepEqual(again.compile, fromFile.compile)) compile = cloneJson(savedCompile);
  }
  return { optimizer, compile };
}

function readTraining(
  artifacts: io.ModelArtifacts,
  layers: readonly LayerWeights[],
  optimizerEntries: readonly LocatedEntry[],
  bytes: Uint8Array,
  metadata: KerasTsMetadata | undefined,
  source: string,
): TrainingState | undefined {
  const fromFile = artifacts.trainingConfig == null ? undefined : trainingConfigFromTfjs(artifacts.trainingConfig, source);
  // Without tfjs' trainingConfig, metadata alone counts only while the optimizer weights are there.
  const saved = optimizerEntries.length > 0 || fromFile !== undefined ? metadata?.training : undefined;
  const chosen = chooseTraining(fromFile, saved, source);
  if (chosen === undefined) return undefined;

  const [first, ...rest] = optimizerEntries;
  const hasIter = first !== undefined && first.entry.name === 'iter';
  const iterations = hasIter ? readIterations(first, bytes, source) : 0;
  const slotEntries = hasIter ? rest : optimizerEntries;
  const tfjsOrder: WeightValue[] = slotEntries.map((at) => ({ name: at.entry.name, shape: [...at.entry.shape], values: float32Values(at, bytes, source) }));
  const modelWeights = layers.flatMap((l) => l.weights.map((w) => ({ name: `${l.layerName}/${w.name}`, shape: w.shape })));
  let slots = slotsFromTfjsOrder(nameSlotsByPosition(tfjsOrder, modelWeights));
  const order = saved?.slotNames;
  if (order !== undefined && deepEqual([...order].sort(), slots.map((s) => s.name).sort())) {
    slots = order.map((name) => slots.find((s) => s.name === name)!);
  }
  const training: TrainingState = { optimizer: chosen.optimizer, iterations, slots };
  if (chosen.compile !== undefined) training.compile = chosen.compile;
  if (saved?.extras !== undefined && saved.iterations === iterations) training.extras = cloneJson(saved.extras);
  return training;
}

function checkUniqueNames(located: readonly LocatedEntry[], source: string): void {
  const seen = new Set<string>();
  for (const { entry } of located) {
    if (seen.has(entry.name)) throw new FormatError(`Duplicate weight name "${entry.name}" in the weights manifest (in ${source})`);
    seen.add(entry.name);
  }
}

/**
 * tfjs-layers artifacts as keras-ts artifacts. `source` names where they came from (a path or
 * URL) in every error message.
 */
export function tfjsToArtifacts(tfjsArtifacts: io.ModelArtifacts, source: string): ModelArtifacts {
  const metadata = readMetadata(tfjsArtifacts.userDefinedMetadata, source);
  const topology = sequentialTopology(tfjsArtifacts, source);
  const layers = applyLayerOverrides(readLayers(topology.layers, source, metadata?.inputLayer === true), metadata, source);
  let modelConfig: JsonObject = { name: topology.name, layers };
  if (metadata?.model !== undefined && deepEqual(metadata.model['name'], topology.name)) {
    modelConfig = { ...cloneJson(metadata.model), layers };
  }

  const bytes = weightBytes(tfjsArtifacts.weightData);
  const specs = tfjsArtifacts.weightSpecs ?? [];
  if (!Array.isArray(specs)) throw new FormatError(`Invalid weightSpecs: expected an array (in ${source})`);
  const located = locateEntries(specs, bytes.byteLength, (message) => new FormatError(`${message} (in ${source})`));
  checkUniqueNames(located, source);
  const modelEntries = located.filter((at) => at.entry.group !== 'optimizer');
  const optimizerEntries = located.filter((at) => at.entry.group === 'optimizer');

  const artifacts: ModelArtifacts = {
    model: { className: 'Sequential', config: modelConfig },
    layers: readLayerWeights(layers, modelEntries, bytes, source),
  };
  const training = readTraining(tfjsArtifacts, artifacts.layers, optimizerEntries, bytes, metadata, source);
  if (training !== undefined) artifacts.training = training;
  return artifacts;
}
