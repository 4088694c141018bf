/**
 * ModelArtifacts → the bytes of a `.keras` file, laid out as Keras 3.15.1's `saving_lib.py` writes
 * one: a stored zip of metadata.json, config.json and model.weights.h5.
 */
import { ConfigError, ShapeError, describe } from '../../errors';
import type { LayerWeights, ModelArtifacts, TrainingState, WeightValue } from '../artifacts';
import { findOptimizer } from './classes/registry';
import { isKerasOnly } from './classes/spec';
import { compileToKeras } from './compile-config';
import { CONFIG_ENTRY, EXTRAS_KEY, INPUT_LAYER_KEY, KERAS_FORMAT_VERSION, METADATA_ENTRY, WEIGHTS_ENTRY, kerasDate } from './format';
import { writeVarsH5 } from './h5-store';
import type { StoredArray, VarsGroup } from './h5-store';
import { planLayers, planSlots } from './layout';
import type { LayerPlan } from './layout';
import { modelToKeras, modelToWrite } from './model-config';
import { tsKey } from './object-codec';
import { PyFloat, dumps } from './python-json';
import type { PyJson } from './python-json';
import { ZIP_EPOCH, writeArchive } from './zip-write';

export interface EncodeKerasOptions {
  /**
   * Save the optimizer's state and the compile config when the artifacts carry them (default true).
   * With false, the file is what Keras writes for a model that was never compiled.
   */
  includeOptimizer?: boolean;
  /** The time recorded as `date_saved` and as the weights entry's date (default: now). */
  date?: Date;
}

export async function encodeKerasArchive(artifacts: ModelArtifacts, options: EncodeKerasOptions = {}): Promise<Uint8Array> {
  const date = options.date ?? new Date();
  const model = modelToWrite(artifacts.model);
  const plans = planLayers(model.layers, model.inputShape);
  const layerArrays = checkLayers(withoutInputLayer(artifacts.layers, model.inputLayerName), plans);

  const config = modelToKeras(model, plans.map((plan) => plan.inputShape));
  const training = options.includeOptimizer === false ? undefined : artifacts.training;
  const groups: VarsGroup[] = [
    { path: '', name: model.name, arrays: [] },
    ...plans.map((plan, i) => ({ path: plan.groupPath, name: plan.name, arrays: layerArrays[i] ?? [] })),
  ];
  if (training === undefined) {
    config['compile_config'] = {};
  } else {
    const compile = compileToKeras({
      optimizer: training.optimizer,
      loss: training.compile?.loss,
      metrics: training.compile?.metrics ?? [],
    });
    config['compile_config'] = compile;
    groups.push(optimizerGroup(training, compile['optimizer'], plans));
  }

  const metadata: { [key: string]: PyJson } = { keras_version: KERAS_FORMAT_VERSION, date_saved: kerasDate(date) };
  if (model.inputLayerName !== undefined) metadata[INPUT_LAYER_KEY] = true;
  if (training?.extras !== undefined) metadata[EXTRAS_KEY] = jsonValue(training.extras, 'training.extras');

  const text = new TextEncoder();
  return writeArchive([
    { name: METADATA_ENTRY, data: text.encode(dumps(metadata)), mtime: ZIP_EPOCH() },
    { name: CONFIG_ENTRY, data: text.encode(dumps(config)), mtime: ZIP_EPOCH() },
    { name: WEIGHTS_ENTRY, data: await writeVarsH5(groups), mtime: date },
  ]);
}

/** The layers' weights without the explicit InputLayer's (empty) entry, which Keras does not store. */
function withoutInputLayer(layers: readonly LayerWeights[], inputLayerName: string | undefined): readonly LayerWeights[] {
  if (inputLayerName === undefined) return layers;
  const first = layers[0];
  if (first === undefined || first.className !== 'InputLayer' || first.layerName !== inputLayerName || first.weights.length !== 0) {
    throw new ConfigError(
      `Invalid model artifacts at \`layers[0]\`: expected the InputLayer ${JSON.stringify(inputLayerName)} without weights. Received: ${describe(first === undefined ? undefined : { className: first.className, layerName: first.layerName, weights: first.weights.length })}`,
    );
  }
  return layers.slice(1);
}

/** Checks each layer's weights against what its config implies; returns them as stored arrays. */
function checkLayers(layers: readonly LayerWeights[], plans: readonly LayerPlan[]): StoredArray[][] {
  if (layers.length !== plans.length) {
    throw new ConfigError(
      `Invalid model artifacts: expected one weights entry per layer (${plans.length}, layers without weights included). Received: ${layers.length}`,
    );
  }
  return plans.map((plan, i) => {
    const given = layers[i]!;
    const where = `layers[${i}]`;
    if (given.layerName !== plan.name || given.className !== plan.spec.className) {
      throw new ConfigError(
        `Invalid model artifacts at \`${where}\`: expected the weights of ${plan.spec.className} ${JSON.stringify(plan.name)} (model order). Received: ${given.className} ${JSON.stringify(given.layerName)}`,
      );
    }
    const names = given.weights.map((w) => w.name);
    const expected = plan.weights.map((w) => w.name);
    if (names.join('/') !== expected.join('/')) {
      throw new ConfigError(`Invalid model artifacts at \`${where}.weights\`: expected ${describe(expected)} for ${plan.name}. Received: ${describe(names)}`);
    }
    return given.weights.map((w, j) => floatArray(w, plan.weights[j]!.shape, `${where}.weights[${j}] (${plan.name}/${w.name})`));
  });
}

function floatArray(weight: WeightValue, shape: readonly number[], where: string): StoredArray {
  const size = shape.reduce((a, b) => a * b, 1);
  if (weight.shape.join(',') !== shape.join(',')) {
    throw new ShapeError(`Invalid model artifacts at \`${where}\`: expected shape ${describe([...shape])} from the layer's config. Received: shape=${describe(weight.shape)}`);
  }
  if (!(weight.values instanceof Float32Array) || weight.values.length !== size) {
    throw new ShapeError(`Invalid model artifacts at \`${where}\`: expected a Float32Array of ${size} values. Received: ${describe(weight.values?.length)} values`);
  }
  return { shape: [...shape], data: weight.values };
}

/** `optimizer/vars`: step counter (int64), learning rate (float32), then the slots in Keras' order. */
function optimizerGroup(training: TrainingState, optimizerJson: PyJson | undefined, plans: readonly LayerPlan[]): VarsGroup {
  const spec = findOptimizer(training.optimizer.className)!; // objectToKeras already resolved it
  const kerasConfig = (optimizerJson as { config: { [key: string]: PyJson } }).config;
  const name = kerasConfig['name'] as string;
  const learningRate = (kerasConfig['learning_rate'] as PyFloat).value;
  // The slot plan needs the optimizer's settings in keras-ts form (amsgrad, momentum, centered).
  const settings: Record<string, unknown> = {};
  for (const key of spec.keys) {
    if (isKerasOnly(key)) continue;
    const value = kerasConfig[key.keras];
    settings[tsKey(key)] = value instanceof PyFloat ? value.value : value;
  }
  if (!Number.isSafeInteger(training.iterations) || training.iterations < 0) {
    throw new ConfigError(`Invalid model artifacts at \`training.iterations\`: expected an integer >= 0. Received: ${describe(training.iterations)}`);
  }
  const arrays: StoredArray[] = [
    { shape: [], data: BigInt64Array.of(BigInt(training.iterations)) },
    { shape: [], data: Float32Array.of(learningRate) },
  ];
  // An optimizer that never took a step has no slots yet; Keras saves such an optimizer the same way.
  if (training.slots.length > 0) {
    const order = planSlots(plans, spec, settings);
    const names = training.slots.map((s) => s.name);
    if (names.join('|') !== order.ts.map((s) => s.name).join('|')) {
      throw new ConfigError(
        `Invalid model artifacts at \`training.slots\`: expected ${order.ts.length} slots for ${spec.className} named ${describe(order.ts.map((s) => s.name))}. Received: ${describe(names)}`,
      );
    }
    const byName = new Map(training.slots.map((slot, i) => [slot.name, floatArray(slot, order.ts[i]!.shape, `training.slots[${i}] (${slot.name})`)]));
    for (const slot of order.keras) arrays.push(byName.get(slot.name)!);
  }
  return { path: 'optimizer', name, arrays };
}

/** Checks that `value` is plain JSON (finite numbers, no functions or undefined). */
function jsonValue(value: unknown, path: string): PyJson {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (Array.isArray(value)) return value.map((v, i) => jsonValue(v, `${path}[${i}]`));
  if (Object.prototype.toString.call(value) === '[object Object]') {
    const out = Object.create(null) as { [key: string]: PyJson };
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = jsonValue(v, `${path}.${k}`);
    return out;
  }
  throw new ConfigError(`Invalid model artifacts at \`${path}\`: expected plain JSON (objects, arrays, strings, finite numbers, booleans, null). Received: ${describe(value)}`);
}
