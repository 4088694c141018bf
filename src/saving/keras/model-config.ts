/**
 * config.json ⇄ the model's SerializedObject. Keras 3.15.1 writes a Sequential as
 *
 *   { module: 'keras', class_name: 'Sequential',
 *     config: { name, trainable, dtype, layers: [InputLayer, …layers], build_input_shape },
 *     registered_name: null, build_config: { input_shape }, compile_config }
 *
 * keras-ts keeps no InputLayer: its input shape (Keras' `batch_shape` without the batch dimension)
 * rides on the first layer's config as `inputShape`.
 */
import { z } from 'zod';
import type { SerializedObject } from '../artifacts';
import { FormatError } from '../../errors';
import { FLOAT32_POLICY, LAYERS } from './classes/layers';
import { findLayer } from './classes/registry';
import type { LayerSpec } from './classes/spec';
import { at, configToKeras, kerasObjectSchema, objectFromKeras, readError, unknownClass, writeError } from './object-codec';
import type { ReadPlace } from './object-codec';
import type { PyJson } from './python-json';

export const INPUT_LAYER_NAME = 'input_layer';

export interface DecodedConfig {
  model: SerializedObject;
  /** The name of the file's InputLayer, when it has one. */
  inputLayerName?: string;
  layers: { spec: LayerSpec; object: SerializedObject }[];
  inputShape: number[];
  /** The raw compile_config, read by compile-config.ts. */
  compileConfig: unknown;
}

const batchShapeSchema = z.tuple([z.number().int().positive().nullable()], z.number().int().positive());

const sequentialSchema = z.looseObject({
  name: z.string(),
  layers: z.array(z.unknown()),
  build_input_shape: z.array(z.number().nullable()).nullable().optional(),
});

/** Reads and checks config.json's model. */
export function modelFromKeras(json: unknown, place: ReadPlace): DecodedConfig {
  const envelope = kerasObjectSchema.safeParse(json);
  if (!envelope.success) throw readError(place, 'is not a Keras model object', '{ module, class_name, config, registered_name }', json);
  if (envelope.data.class_name !== 'Sequential' || (envelope.data.registered_name ?? null) !== null) {
    throw readError(
      at(place, 'class_name'),
      `names model class ${JSON.stringify(envelope.data.class_name)}, which keras-ts cannot load`,
      'Sequential',
      envelope.data.class_name,
    );
  }
  const configPlace = at(place, 'config');
  const config = sequentialSchema.safeParse(envelope.data.config);
  if (!config.success) throw readError(configPlace, 'is not a Sequential config', '{ name, layers: [...] }', envelope.data.config);
  const layersPlace = at(configPlace, 'layers');

  let inputShape: number[] | undefined;
  let inputLayerName: string | undefined;
  const layers: DecodedConfig['layers'] = [];
  config.data.layers.forEach((raw, i) => {
    const layerPlace = at(layersPlace, i);
    const parsed = kerasObjectSchema.safeParse(raw);
    if (parsed.success && parsed.data.class_name === 'InputLayer') {
      if (i !== 0) throw readError(layerPlace, 'is an InputLayer after the first layer', 'the InputLayer first');
      inputShape = inputShapeOf(parsed.data.config, at(layerPlace, 'config'));
      const name = parsed.data.config['name'];
      if (typeof name === 'string') inputLayerName = name;
      return;
    }
    if (!parsed.success) throw readError(layerPlace, 'is not a Keras layer object', '{ module, class_name, config, registered_name }', raw);
    const spec = findLayer(parsed.data.class_name);
    if (spec === undefined || (parsed.data.registered_name ?? null) !== null) throw unknownClass('layer', parsed.data.class_name, layerPlace);
    layers.push({ spec, object: objectFromKeras('layer', raw, layerPlace) });
  });

  // Without an InputLayer, Keras still records the shape the model was built for.
  inputShape ??= withoutBatch(config.data.build_input_shape ?? buildShape(envelope.data['build_config']));
  if (inputShape === undefined) {
    throw readError(layersPlace, 'gives no input shape', 'an InputLayer first, or a build_input_shape');
  }
  const first = layers[0];
  if (first !== undefined) first.object.config['inputShape'] = [...inputShape];
  return {
    model: { className: 'Sequential', config: { name: config.data.name, layers: layers.map((l) => l.object) } },
    ...(inputLayerName === undefined ? {} : { inputLayerName }),
    layers,
    inputShape,
    compileConfig: envelope.data['compile_config'],
  };
}

function inputShapeOf(config: Record<string, unknown>, place: ReadPlace): number[] {
  // Keras 3 writes `batch_shape`; configs from tf.keras 2 wrote `batch_input_shape`.
  const key = config['batch_shape'] !== undefined ? 'batch_shape' : 'batch_input_shape';
  const parsed = batchShapeSchema.safeParse(config[key]);
  if (!parsed.success) throw readError(at(place, key), 'is not a usable input shape', '[batch or null, positive integers…]', config[key]);
  return parsed.data.slice(1) as number[];
}

function buildShape(buildConfig: unknown): unknown {
  return typeof buildConfig === 'object' && buildConfig !== null ? (buildConfig as Record<string, unknown>)['input_shape'] : undefined;
}

function withoutBatch(shape: unknown): number[] | undefined {
  const parsed = batchShapeSchema.safeParse(shape);
  return parsed.success ? (parsed.data.slice(1) as number[]) : undefined;
}

/** The checked keras-ts form of the model's layers, ready for planning and writing. */
export interface ModelToWrite {
  name: string;
  inputShape: number[];
  /** The name of keras-ts' explicit InputLayer (`layers.Input`), when the model starts with one. */
  inputLayerName?: string;
  layers: { spec: LayerSpec; object: SerializedObject }[];
}

/** Checks the artifacts' model and resolves each layer's class. */
export function modelToWrite(model: SerializedObject): ModelToWrite {
  if (model.className !== 'Sequential') throw writeError('model.className', 'Sequential (the only model keras-ts saves)', model.className);
  const name = model.config['name'] ?? 'sequential';
  if (typeof name !== 'string') throw writeError('model.config.name', 'a string', name);
  const allLayers = model.config['layers'];
  if (!Array.isArray(allLayers)) throw writeError('model.config.layers', 'an array of { className, config }', allLayers);
  // keras-ts' explicit InputLayer becomes Keras' InputLayer; the layers after it are the model's.
  const input = explicitInputLayer(allLayers[0]);
  const rawLayers = input === undefined ? allLayers : allLayers.slice(1);
  const offset = input === undefined ? 0 : 1;
  const layers = rawLayers.map((raw: unknown, j) => {
    const i = j + offset;
    const path = `model.config.layers[${i}]`;
    if (typeof raw !== 'object' || raw === null || typeof (raw as SerializedObject).className !== 'string') {
      throw writeError(path, '{ className, config }', raw);
    }
    const object = raw as SerializedObject;
    const spec = findLayer(object.className);
    if (spec === undefined) {
      throw writeError(`${path}.className`, `a layer class keras-ts can save as .keras (${LAYERS.map((l) => l.className).join(', ')})`, object.className);
    }
    if (typeof object.config !== 'object' || object.config === null) throw writeError(`${path}.config`, 'an object', object.config);
    refuseKerasTsOnly(object, path);
    return { spec, object };
  });
  if (input !== undefined) {
    return { name, inputShape: input.shape, inputLayerName: input.name, layers };
  }
  const inputShape = layers[0]?.object.config['inputShape'];
  if (!Array.isArray(inputShape) || !inputShape.every((d) => Number.isInteger(d) && (d as number) > 0)) {
    throw writeError('model.config.layers[0].config.inputShape', 'the input shape (positive integers, no batch dimension) on the first layer', inputShape);
  }
  return { name, inputShape: inputShape as number[], layers };
}

function explicitInputLayer(raw: unknown): { name: string; shape: number[] } | undefined {
  if (typeof raw !== 'object' || raw === null || (raw as SerializedObject).className !== 'InputLayer') return undefined;
  const config = (raw as SerializedObject).config ?? {};
  const shape = config['shape'];
  if (!Array.isArray(shape) || shape.length === 0 || !shape.every((d) => Number.isInteger(d) && (d as number) > 0)) {
    throw writeError('model.config.layers[0].config.shape', 'the input shape (positive integers, no batch dimension)', shape);
  }
  const name = config['name'] ?? INPUT_LAYER_NAME;
  if (typeof name !== 'string') throw writeError('model.config.layers[0].config.name', 'a string', name);
  return { name, shape: [...(shape as number[])] };
}

/**
 * keras-ts options Keras has no equivalent for. Keras could load the file, but would compute
 * something else (no DropConnect in training, a subgradient L1 instead of the proximal step), so
 * the save is refused rather than made lossy; the tfjs-layers format keeps them.
 */
function refuseKerasTsOnly(layer: SerializedObject, path: string): void {
  const dropConnect = layer.config['dropConnect'];
  if (dropConnect !== undefined && dropConnect !== null && dropConnect !== 0) {
    throw new FormatError(
      `Cannot save ${layer.className} ${JSON.stringify(layer.config['name'])} (\`${path}.config.dropConnect\` = ${String(dropConnect)}) as .keras: saving a model with DropConnect as .keras is not possible, Keras has no DropConnect; use the tfjs-layers format (a directory) instead.`,
    );
  }
  for (const [key, value] of Object.entries(layer.config)) {
    if (typeof value === 'object' && value !== null && (value as SerializedObject).className === 'L1Prox') {
      throw new FormatError(
        `Cannot save ${layer.className} ${JSON.stringify(layer.config['name'])} (\`${path}.config.${key}\` is L1Prox) as .keras: Keras has no proximal L1 regularizer; use the tfjs-layers format (a directory) instead, or regularizers.l1 for a Keras-loadable model.`,
      );
    }
  }
}

/** The Sequential's Keras object, layers with their build_config, without compile_config. */
export function modelToKeras(model: ModelToWrite, layerInputShapes: readonly number[][]): { [key: string]: PyJson } {
  const batchShape = [null, ...model.inputShape];
  const layers: PyJson[] = [
    {
      module: 'keras.layers',
      class_name: 'InputLayer',
      config: { batch_shape: batchShape, dtype: 'float32', sparse: false, ragged: false, name: model.inputLayerName ?? INPUT_LAYER_NAME, optional: false },
      registered_name: null,
    },
  ];
  model.layers.forEach(({ spec, object }, i) => {
    const config = configToKeras(spec, object.config, `model.config.layers[${i}].config`, ['inputShape']);
    const entry: { [key: string]: PyJson } = { module: spec.module, class_name: spec.className, config, registered_name: null };
    if (spec.hasBuildConfig) entry['build_config'] = { input_shape: [null, ...(layerInputShapes[i] ?? [])] };
    layers.push(entry);
  });
  return {
    module: 'keras',
    class_name: 'Sequential',
    config: { name: model.name, trainable: true, dtype: FLOAT32_POLICY, layers, build_input_shape: batchShape },
    registered_name: null,
    build_config: { input_shape: batchShape },
  };
}
