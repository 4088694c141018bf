/**
 * A live model ⇄ the neutral ModelArtifacts every file format reads and writes: the config in
 * `{ className, config }` form, each layer's weights, and (when asked) the training state — the
 * optimizer's slots and step count, what compile was given, and keras-ts' random streams — so that
 * a model saved mid-training and loaded in a new process trains on bit for bit as if never stopped.
 * The inverse pieces (weights and training state → a live model) are here too, for loadModel and
 * for restoring into a model that already exists (BackupAndRestore).
 */
import { tf } from '../backend/tf';
import { FormatError } from '../errors';
import type { LayerWeights, ModelArtifacts, TrainingState, WeightValue } from '../saving/artifacts';
import { configOfOptimizer } from '../training/optimizers';
import type { Sequential } from './sequential';

/** keras-ts' extras in TrainingState: where its random streams stand. */
export interface RandomExtras {
  shuffle?: number[];
  layers?: Record<string, Record<string, number[]>>;
}

/**
 * Slot names in saved files are Keras' ('momentum', 'velocity', …); tfjs' optimizers call them
 * m, v, rms, mg. Files written by stock tfjs carry tfjs' names; both are read.
 */
const KERAS_SLOT: Record<string, string> = { m: 'momentum', v: 'velocity', rms: 'velocity', mg: 'average_gradient', momentum: 'momentum', accumulator: 'accumulator' };
export const kerasSlotName = (name: string): string => {
  const cut = name.lastIndexOf('/');
  const kind = name.slice(cut + 1);
  return `${name.slice(0, cut)}/${KERAS_SLOT[kind] ?? kind}`;
};

/** A weight's values, read asynchronously so saving works on every backend (webgpu in Node too). */
async function weightValue(name: string, tensor: tf.Tensor): Promise<WeightValue> {
  return { name, shape: [...tensor.shape], values: Float32Array.from(await tensor.data()) };
}

/** `<layer>/<weight>` for each trainable variable, keyed by the tfjs variable name. */
export function trainableNames(model: Sequential): Map<string, string> {
  const names = new Map<string, string>();
  for (const layer of model.layers) for (const w of layer.trainableWeights) names.set(w.variable.name, `${layer.name}/${w.name}`);
  return names;
}

/**
 * The optimizer's slots named `<layer>/<weight>/<slot>` in tfjs' slot names (Adam: m, v), weight
 * by weight. tfjs keeps slots by position in the variable list the step passes, which is the
 * model's trainable-variable order.
 */
async function optimizerSlots(model: Sequential): Promise<{ iterations: number; slots: WeightValue[] }> {
  const named = await model.optimizer.getWeights();
  const [iter, ...rest] = named;
  const iterations = iter === undefined ? 0 : (await iter.tensor.data())[0]!;
  const byVariable = trainableNames(model);
  const slots: WeightValue[] = await Promise.all(rest.map(({ name, tensor }) => {
    const cut = name.lastIndexOf('/');
    const variable = name.slice(0, cut);
    return weightValue(kerasSlotName(`${byVariable.get(variable) ?? variable}/${name.slice(cut + 1)}`), tensor);
  }));
  // getWeights hands out the optimizer's own slot variables (only `iter` is a fresh tensor): keep them.
  if (iter !== undefined) iter.tensor.dispose();
  // Weight by weight, each weight's slots in the optimizer's order (m, then v).
  const order = [...byVariable.values()];
  const position = (s: WeightValue) => order.indexOf(s.name.slice(0, s.name.lastIndexOf('/')));
  return { iterations, slots: slots.map((s, i) => [s, i] as const).sort((a, b) => position(a[0]) - position(b[0]) || a[1] - b[1]).map(([s]) => s) };
}

export async function modelToArtifacts(model: Sequential, options: { includeOptimizer: boolean }): Promise<ModelArtifacts> {
  model.assertUsable();
  const config = model.getConfig();
  // The first layer carries the input shape, so the file rebuilds a built model.
  const first = config.layers[0];
  if (first !== undefined && first.config['inputShape'] === undefined && model.inputShape !== undefined) {
    first.config = { ...first.config, inputShape: [...model.inputShape] };
  }
  const layers: LayerWeights[] = await Promise.all(model.layers.map(async (layer) => ({
    layerName: layer.name,
    className: layer.className,
    weights: await Promise.all(layer.weights.map((w) => weightValue(w.name, w.variable))),
  })));
  const artifacts: ModelArtifacts = { model: { className: 'Sequential', config: config as unknown as Record<string, unknown> }, layers };
  if (options.includeOptimizer && model.isCompiled) {
    const optimizer = configOfOptimizer(model.optimizer);
    if (optimizer === undefined) throw new FormatError('Cannot save the optimizer state: the model was compiled with a tf.Optimizer instance, which has no config form; compile with a name or { className, config }, or save with includeOptimizer: false.');
    const { loss, metrics } = model.compiled.options;
    const { iterations, slots } = await optimizerSlots(model);
    const random: RandomExtras = {
      shuffle: model.shuffleStream().getState(),
      layers: Object.fromEntries(model.layers.map((l) => [l.name, l.getRandomState()])),
    };
    const training: TrainingState = { optimizer, iterations, slots, extras: { random } };
    if (typeof loss === 'string') training.compile = { loss, metrics: metrics.filter((m): m is Extract<typeof m, string> => typeof m === 'string') };
    artifacts.training = training;
  }
  return artifacts;
}

function checkShape(source: string, where: string, expected: readonly number[], got: readonly number[]): void {
  if (expected.length !== got.length || expected.some((d, i) => d !== got[i])) {
    throw new FormatError(`${source}: ${where} has shape [${got.join(', ')}]; the model expects [${expected.join(', ')}].`);
  }
}

/** Sets the model's weights from the artifacts, after checking every count and shape; the model is untouched on error. */
export function setWeightsFromArtifacts(model: Sequential, artifacts: ModelArtifacts, source: string): void {
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
}

/** Keras' slot names → tfjs' for each optimizer. */
const TFJS_SLOT: Record<string, Record<string, string>> = {
  Adam: { momentum: 'm', velocity: 'v' },
  AdamW: { momentum: 'm', velocity: 'v' },
  RMSprop: { velocity: 'rms', momentum: 'momentum', average_gradient: 'mg' },
};

/** Sets the compiled optimizer's slots and step count and the random streams from saved training state (the compile settings are the model's own). */
export async function restoreOptimizerAndStreams(model: Sequential, training: TrainingState, source: string): Promise<void> {
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
