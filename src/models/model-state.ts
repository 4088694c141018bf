/**
 * A live model ⇄ the neutral ModelArtifacts every file format reads and writes: the config in
 * `{ className, config }` form, each layer's weights, and (when asked) the training state — the
 * optimizer's slots and step count, what compile was given, and keras-ts' random streams — so that
 * a model saved mid-training and loaded in a new process trains on bit for bit as if never stopped.
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

function weightValue(name: string, tensor: tf.Tensor): WeightValue {
  return { name, shape: [...tensor.shape], values: Float32Array.from(tensor.dataSync()) };
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
  const iterations = iter === undefined ? 0 : iter.tensor.dataSync()[0]!;
  const byVariable = trainableNames(model);
  const slots: WeightValue[] = rest.map(({ name, tensor }) => {
    const cut = name.lastIndexOf('/');
    const variable = name.slice(0, cut);
    return weightValue(kerasSlotName(`${byVariable.get(variable) ?? variable}/${name.slice(cut + 1)}`), tensor);
  });
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
  const layers: LayerWeights[] = model.layers.map((layer) => ({
    layerName: layer.name,
    className: layer.className,
    weights: layer.weights.map((w) => weightValue(w.name, w.variable)),
  }));
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

