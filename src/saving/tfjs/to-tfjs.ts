/**
 * keras-ts artifacts → the artifacts stock tfjs-layers 4.22 `LayersModel.save` hands an IOHandler
 * (tfjs-layers src/engine/training.ts `save`): modelTopology (container.ts `toJSON`), format,
 * generatedBy, convertedBy, trainingConfig and the optimizer weight group when the training state
 * is saved (`includeOptimizer`), weightSpecs and weightData. What tfjs cannot hold goes to
 * `userDefinedMetadata["keras-ts"]` (see metadata.ts).
 */
import type { io } from '@tensorflow/tfjs';
import { tf } from '../../backend/tf';
import { ConfigError } from '../../errors';
import type { ModelArtifacts, SerializedObject, TrainingState, WeightValue } from '../artifacts';
import { Fields, cloneJson, deepEqual, isRecord } from './fields';
import type { JsonObject } from './fields';
import { layerFromTfjs, layerToTfjs } from './layers';
import { METADATA_KEY, METADATA_VERSION } from './metadata';
import type { KerasTsMetadata } from './metadata';
import { slotsFromTfjsOrder, slotsToTfjsOrder, trainingConfigFromTfjs, trainingConfigToTfjs } from './training';
import { sizeOf, encodeEntries } from './weights';

/** tfjs' `LAYERS_MODEL_FORMAT_NAME`. */
export const TFJS_FORMAT = 'layers-model';
/** What stock tfjs-layers writes as `generatedBy` (keras-ts writes its files in exactly that format). */
export const TFJS_GENERATED_BY = `TensorFlow.js tfjs-layers v${tf.version_layers}`;

const WHERE = 'the model artifacts';
const MAX_INT32 = 2 ** 31 - 1;

type Entry = { entry: io.WeightsManifestEntry; values: Float32Array | Int32Array };

function weightEntry(prefix: string, weight: WeightValue, group: io.WeightGroup | undefined, where: string): Entry {
  const f = Fields.ofArtifacts(weight as unknown as JsonObject, where);
  const name = `${prefix}${f.string('name')}`;
  const shape = weight.shape;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) throw f.invalid('shape', 'an array of integers >= 0');
  if (!(weight.values instanceof Float32Array)) throw f.invalid('values', 'a Float32Array');
  if (weight.values.length !== sizeOf(shape)) {
    throw f.error(`Weight "${name}" has ${weight.values.length} values, but its shape [${shape.join(', ')}] needs ${sizeOf(shape)}`);
  }
  const entry: io.WeightsManifestEntry = { name, shape: [...shape], dtype: 'float32' };
  if (group !== undefined) entry.group = group;
  return { entry, values: weight.values };
}

function modelLayers(model: SerializedObject): unknown[] {
  if (!isRecord(model) || model.className !== 'Sequential' || !isRecord(model.config) || !Array.isArray(model.config['layers'])) {
    throw new ConfigError(
      `Invalid model in ${WHERE}: expected { className: "Sequential", config: { name, layers: [...] } }. Received: className=${JSON.stringify(isRecord(model) ? model.className : model)}`,
    );
  }
  return model.config['layers'];
}

/** The layers' weights, checked against the model's layers (same names, same order). */
function layerWeightEntries(artifacts: ModelArtifacts, layers: readonly { class_name: string; config: JsonObject }[], originals: readonly unknown[]): Entry[] {
  if (!Array.isArray(artifacts.layers) || artifacts.layers.length !== layers.length) {
    throw new ConfigError(
      `Invalid \`layers\` in ${WHERE}: expected one weights entry per model layer (${layers.length}). Received: ${Array.isArray(artifacts.layers) ? artifacts.layers.length : typeof artifacts.layers}`,
    );
  }
  return artifacts.layers.flatMap((owner, i) => {
    const layer = layers[i]!;
    const className = (originals[i] as SerializedObject | undefined)?.className;
    if (owner.layerName !== layer.config['name'] || owner.className !== className) {
      throw new ConfigError(
        `Invalid \`layers[${i}]\` in ${WHERE}: expected the weights of layer "${String(layer.config['name'])}" (${String(className)}). Received: layerName=${JSON.stringify(owner.layerName)}, className=${JSON.stringify(owner.className)}`,
      );
    }
    return owner.weights.map((w, j) => weightEntry(`${owner.layerName}/`, w, undefined, `weight ${j} of layer "${owner.layerName}" in ${WHERE}`));
  });
}

/** The training state: trainingConfig when tfjs has the optimizer and loss, the optimizer weight group, and metadata. */
function trainingParts(training: TrainingState): { trainingConfig: io.TrainingConfig | null; entries: Entry[]; metadata: NonNullable<KerasTsMetadata['training']> } {
  const { optimizer, iterations, slots, compile, extras } = training;
  if (!Number.isInteger(iterations) || iterations < 0 || iterations > MAX_INT32) {
    throw new ConfigError(`Invalid \`training.iterations\` in ${WHERE}: expected an integer in [0, ${MAX_INT32}]. Received: iterations=${iterations}`);
  }
  const trainingConfig = trainingConfigToTfjs(optimizer, compile, WHERE);
  const recovered = trainingConfig === null ? null : trainingConfigFromTfjs(trainingConfig, WHERE);
  const tfjsOrder = slotsToTfjsOrder(slots);
  const entries: Entry[] = [
    { entry: { name: 'iter', shape: [], dtype: 'int32', group: 'optimizer' }, values: Int32Array.of(iterations) },
    ...tfjsOrder.map((s, i) => weightEntry('', s, 'optimizer', `optimizer slot ${i} in ${WHERE}`)),
  ];
  const metadata: NonNullable<KerasTsMetadata['training']> = { iterations };
  if (recovered === null || !deepEqual(recovered.optimizer, optimizer)) metadata.optimizer = cloneJson(optimizer);
  if (compile !== undefined && (recovered === null || !deepEqual(recovered.compile, compile))) metadata.compile = cloneJson(compile);
  const names = slots.map((s) => s.name);
  if (!deepEqual(slotsFromTfjsOrder(tfjsOrder).map((s) => s.name), names)) metadata.slotNames = names;
  if (extras !== undefined) metadata.extras = cloneJson(extras);
  return { trainingConfig, entries, metadata };
}

function checkUniqueNames(entries: readonly Entry[]): void {
  const seen = new Set<string>();
  for (const { entry } of entries) {
    if (seen.has(entry.name)) {
      throw new ConfigError(`Duplicate weight name "${entry.name}" in ${WHERE}: tfjs identifies weights by name, so each must be unique`);
    }
    seen.add(entry.name);
  }
}

/** keras-ts' artifacts as the tfjs-layers artifacts stock `LayersModel.save` produces. */
export function artifactsToTfjs(artifacts: ModelArtifacts): io.ModelArtifacts {
  const originalLayers = modelLayers(artifacts.model);
  const modelFields = Fields.ofArtifacts(artifacts.model.config, `the model config of ${WHERE}`);
  const name = modelFields.string('name');
  const layers = originalLayers.map((layer, i) => layerToTfjs(layer, `layer ${i} of ${WHERE}`));

  const metadata: KerasTsMetadata = { formatVersion: METADATA_VERSION };
  const { layers: _layers, ...modelRest } = artifacts.model.config;
  if (!deepEqual(modelRest, { name })) metadata.model = cloneJson(modelRest);
  if (layers[0]?.class_name === 'InputLayer') metadata.inputLayer = true;
  const overrides = layers.flatMap((tfjsLayer, i) => {
    const original = originalLayers[i] as SerializedObject;
    if (original.className === 'InputLayer') return [];
    const canonical = layerFromTfjs(tfjsLayer.class_name, tfjsLayer.config, `layer ${i} of ${WHERE}`);
    if (deepEqual(canonical, original)) return [];
    const entry: NonNullable<KerasTsMetadata['layers']>[number] = { name: String(tfjsLayer.config['name']), config: cloneJson(original.config) };
    if (canonical.className !== original.className) entry.className = original.className;
    return [entry];
  });
  if (overrides.length > 0) metadata.layers = overrides;

  const entries = layerWeightEntries(artifacts, layers, originalLayers);
  let trainingConfig: io.TrainingConfig | null = null;
  if (artifacts.training !== undefined) {
    const training = trainingParts(artifacts.training);
    trainingConfig = training.trainingConfig;
    entries.push(...training.entries);
    metadata.training = training.metadata;
  }
  checkUniqueNames(entries);
  const { weightSpecs, weightData } = encodeEntries(entries);

  const result: io.ModelArtifacts = {
    modelTopology: {
      class_name: 'Sequential',
      config: { name, layers },
      keras_version: `tfjs-layers ${tf.version_layers}`,
      backend: 'tensor_flow.js',
    },
    format: TFJS_FORMAT,
    generatedBy: TFJS_GENERATED_BY,
    convertedBy: null,
  };
  if (trainingConfig !== null) result.trainingConfig = trainingConfig;
  result.userDefinedMetadata = { [METADATA_KEY]: metadata };
  result.weightData = weightData;
  result.weightSpecs = weightSpecs;
  return result;
}
