/**
 * The training half of a tfjs-layers model.json: `trainingConfig` (loss, metrics, optimizer_config,
 * as tfjs-layers 4.22 `LayersModel.getTrainingConfig` writes it) and the order of optimizer slots
 * in the `group: 'optimizer'` weights (tfjs-core optimizers' `getWeights`: `iter` first, then one
 * slot kind at a time, e.g. Adam's every `…/m`, then every `…/v`).
 */
import type { io } from '@tensorflow/tfjs';
import type { SerializedObject, WeightValue } from '../artifacts';
import { Fields, isRecord } from './fields';
import type { JsonObject } from './fields';

interface OptimizerCodec {
  /** keras-ts' (Keras') class name. */
  readonly keras: string;
  /** tfjs-core's registered class name. */
  readonly tfjs: string;
  /** keras-ts config → tfjs `getConfig()` (camelCase, as tfjs writes it). */
  toTfjs(f: Fields): JsonObject;
  /** tfjs config → keras-ts config. */
  fromTfjs(f: Fields): JsonObject;
}

/** Optimizers both sides have with the same update rule (keras-ts' are tfjs-core's, built with these arguments). */
const OPTIMIZERS: readonly OptimizerCodec[] = [
  {
    keras: 'SGD',
    tfjs: 'SGD',
    toTfjs: (f) => ({ learningRate: f.number('learningRate', 0.01) }),
    fromTfjs: (f) => ({ learningRate: f.number('learningRate') }),
  },
  {
    keras: 'Adam',
    tfjs: 'Adam',
    toTfjs: (f) => ({
      learningRate: f.number('learningRate', 0.001),
      beta1: f.number('beta1', 0.9),
      beta2: f.number('beta2', 0.999),
      epsilon: f.number('epsilon', 1e-7),
    }),
    fromTfjs: (f) => ({
      learningRate: f.number('learningRate'),
      beta1: f.number('beta1', 0.9),
      beta2: f.number('beta2', 0.999),
      epsilon: f.number('epsilon', 1e-7),
    }),
  },
  {
    keras: 'RMSprop',
    tfjs: 'RMSProp',
    toTfjs: (f) => ({
      learningRate: f.number('learningRate', 0.001),
      decay: f.number('rho', 0.9),
      momentum: f.number('momentum', 0),
      epsilon: f.number('epsilon', 1e-7),
      centered: f.boolean('centered', false),
    }),
    fromTfjs: (f) => ({
      learningRate: f.number('learningRate'),
      rho: f.number('decay', 0.9),
      momentum: f.number('momentum', 0),
      epsilon: f.number('epsilon', 1e-7),
      centered: f.boolean('centered', false),
    }),
  },
  {
    keras: 'Adagrad',
    tfjs: 'Adagrad',
    toTfjs: (f) => ({
      learningRate: f.number('learningRate', 0.001),
      initialAccumulatorValue: f.number('initialAccumulatorValue', 0.1),
    }),
    fromTfjs: (f) => ({
      learningRate: f.number('learningRate'),
      initialAccumulatorValue: f.number('initialAccumulatorValue', 0.1),
    }),
  },
];

/** keras-ts loss names; tfjs-layers has every one under the same camelCase name. */
const LOSSES: ReadonlyMap<string, string> = new Map([
  ['categoricalCrossentropy', 'categoricalCrossentropy'],
  ['sparseCategoricalCrossentropy', 'sparseCategoricalCrossentropy'],
  ['binaryCrossentropy', 'binaryCrossentropy'],
  ['meanSquaredError', 'meanSquaredError'],
  ['meanAbsoluteError', 'meanAbsoluteError'],
  ['mse', 'meanSquaredError'],
  ['mae', 'meanAbsoluteError'],
]);

/** keras-ts metric → the name tfjs-layers' `compile` resolves to the same metric (`metrics.ts` metricsMap). */
const METRICS_TO_TFJS: ReadonlyMap<string, string> = new Map([
  ['accuracy', 'accuracy'],
  ['acc', 'acc'],
  ['categoricalCrossentropy', 'categorical_crossentropy'],
  ['sparseCategoricalCrossentropy', 'sparse_categorical_crossentropy'],
  ['meanSquaredError', 'mse'],
  ['mse', 'mse'],
  ['meanAbsoluteError', 'mae'],
  ['mae', 'mae'],
]);

/** A metric name in a model.json → keras-ts' name. */
const METRICS_FROM_TFJS: ReadonlyMap<string, string> = new Map([
  ['accuracy', 'accuracy'],
  ['acc', 'acc'],
  ['categorical_crossentropy', 'categoricalCrossentropy'],
  ['sparse_categorical_crossentropy', 'sparseCategoricalCrossentropy'],
  ['binary_crossentropy', 'binaryCrossentropy'],
  ['mse', 'mse'],
  ['MSE', 'mse'],
  ['mean_squared_error', 'meanSquaredError'],
  ['mae', 'mae'],
  ['MAE', 'mae'],
  ['mean_absolute_error', 'meanAbsoluteError'],
]);

const snakeCase = (name: string): string => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
const camelCase = (name: string): string => name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const quoted = (names: Iterable<string>): string => [...names].map((n) => `"${n}"`).join(', ');

/** The compile settings a TrainingState carries. */
export interface CompileSettings {
  loss: string;
  metrics: string[];
}

/**
 * The `trainingConfig` stock tfjs compiles a loaded model with, or null when tfjs has no
 * equivalent optimizer or loss (the training state then lives in keras-ts' metadata only).
 * Metrics tfjs cannot compute are left out of it (they do not change training).
 */
export function trainingConfigToTfjs(optimizer: SerializedObject, compile: CompileSettings | undefined, where: string): io.TrainingConfig | null {
  const codec = OPTIMIZERS.find((c) => c.keras === optimizer.className);
  const loss = compile === undefined ? undefined : LOSSES.get(compile.loss);
  if (codec === undefined || compile === undefined || loss === undefined) return null;
  const config = codec.toTfjs(Fields.ofArtifacts(optimizer.config, `the optimizer (${optimizer.className}) of ${where}`));
  return {
    loss: snakeCase(loss),
    metrics: compile.metrics.flatMap((m) => METRICS_TO_TFJS.get(m) ?? []),
    optimizer_config: { class_name: codec.tfjs, config },
  };
}

/** The optimizer and compile settings a model.json's `trainingConfig` describes. */
export function trainingConfigFromTfjs(trainingConfig: unknown, where: string): { optimizer: SerializedObject; compile: CompileSettings } {
  const top = Fields.ofFile(isRecord(trainingConfig) ? trainingConfig : {}, `trainingConfig of ${where}`);
  if (!isRecord(trainingConfig)) throw top.error(`Invalid trainingConfig: expected an object. Received: ${JSON.stringify(trainingConfig)}`);
  const optimizerConfig = top.get('optimizer_config');
  if (!isRecord(optimizerConfig) || typeof optimizerConfig['class_name'] !== 'string') {
    throw top.invalid('optimizer_config', '{ class_name, config }');
  }
  const className = optimizerConfig['class_name'];
  const codec = OPTIMIZERS.find((c) => c.tfjs === className);
  if (codec === undefined) {
    throw top.error(`Unsupported optimizer class "${className}": keras-ts reads ${quoted(OPTIMIZERS.map((c) => c.tfjs))}`);
  }
  const rawConfig = isRecord(optimizerConfig['config']) ? optimizerConfig['config'] : {};
  // Keras-converted files spell the keys in snake_case; tfjs camel-cases them on load, so do we.
  const config = Object.fromEntries(Object.entries(rawConfig).map(([k, v]) => [camelCase(k), v]));
  const optimizer = { className: codec.keras, config: codec.fromTfjs(top.nested(config, `optimizer_config (${className}) of ${where}`)) };

  const lossName = top.string('loss');
  const loss = camelCase(lossName);
  if (!LOSSES.has(loss)) throw top.error(`Unsupported loss "${lossName}": keras-ts reads ${quoted([...LOSSES.keys()].map(snakeCase))}`);
  const metricsValue = top.get('metrics') ?? [];
  if (!Array.isArray(metricsValue) || !metricsValue.every((m) => typeof m === 'string')) {
    throw top.invalid('metrics', 'an array of metric names');
  }
  const metrics = (metricsValue as string[]).map((m) => {
    const keras = METRICS_FROM_TFJS.get(m);
    if (keras === undefined) throw top.error(`Unsupported metric "${m}": keras-ts reads ${quoted(METRICS_FROM_TFJS.keys())}`);
    return keras;
  });
  return { optimizer, compile: { loss, metrics } };
}

/** `dense/kernel/m` → [`dense/kernel`, `m`]. */
function splitSlotName(name: string): [string, string] {
  const cut = name.lastIndexOf('/');
  return cut < 0 ? ['', name] : [name.slice(0, cut), name.slice(cut + 1)];
}

/** Groups by `key` in order of first appearance, keeping order within each group. */
function groupBy(slots: readonly WeightValue[], key: (slot: WeightValue) => string): WeightValue[] {
  const groups = new Map<string, WeightValue[]>();
  for (const slot of slots) {
    const k = key(slot);
    const group = groups.get(k);
    if (group === undefined) groups.set(k, [slot]);
    else group.push(slot);
  }
  return [...groups.values()].flat();
}

/** keras-ts' order (weight by weight, each weight's slots) → tfjs' (slot kind by slot kind). */
export const slotsToTfjsOrder = (slots: readonly WeightValue[]): WeightValue[] => groupBy(slots, (s) => splitSlotName(s.name)[1]);

/** tfjs' order → keras-ts' order. */
export const slotsFromTfjsOrder = (slots: readonly WeightValue[]): WeightValue[] => groupBy(slots, (s) => splitSlotName(s.name)[0]);

/**
 * Stock tfjs names slots after its variables, which tfjs uniquifies per process (`dense/kernel_2/m`
 * when a second model was built first). When a file's slots are not named after the model's
 * weights but are laid out as tfjs lays them (each slot kind over the weights in model order, same
 * shapes), they are renamed `<layerName>/<weightName>/<slot>` by position; otherwise kept as found.
 */
export function nameSlotsByPosition(
  tfjsOrder: readonly WeightValue[],
  weights: ReadonlyArray<{ name: string; shape: readonly number[] }>,
): WeightValue[] {
  const n = weights.length;
  const names = new Set(weights.map((w) => w.name));
  if (n === 0 || tfjsOrder.length % n !== 0 || tfjsOrder.every((s) => names.has(splitSlotName(s.name)[0]))) return [...tfjsOrder];
  const renamed: WeightValue[] = [];
  for (const [i, slot] of tfjsOrder.entries()) {
    const weight = weights[i % n]!;
    const kind = splitSlotName(slot.name)[1];
    const blockKind = splitSlotName(tfjsOrder[i - (i % n)]!.name)[1];
    if (kind !== blockKind || slot.shape.length !== weight.shape.length || slot.shape.some((d, k) => d !== weight.shape[k])) {
      return [...tfjsOrder];
    }
    renamed.push({ ...slot, name: `${weight.name}/${kind}` });
  }
  return renamed;
}
