/**
 * The study's MLP for one setting. Every setting of a repeat gets the same initial weights: each
 * layer's random streams derive from the repeat's seed and the layer's index among the model's
 * layers of its class, so adding dropout layers never shifts the Dense layers' draws.
 */
import * as constraints from '../../constraints';
import * as layers from '../../layers';
import type { DenseOptions } from '../../layers';
import { Sequential } from '../../models/sequential';
import * as regularizers from '../../regularizers';
import type { StudyConfig } from '../config/resolve';
import type { SettingSpec } from '../config/settings';

/** Dropout rate after hidden layer i (0 = no dropout layer). */
export function dropoutRate(spec: SettingSpec, i: number): number {
  const { dropout } = spec;
  if (dropout === undefined) return 0;
  return Array.isArray(dropout) ? (dropout[i] ?? 0) : dropout;
}

/** A hidden layer's options from a setting: the spec's `{ className, config }` objects resolve as Dense options do. */
function hiddenOptions(spec: SettingSpec): DenseOptions {
  return {
    kernelRegularizer: regularizers.get(spec.kernelRegularizer) ?? null,
    biasRegularizer: regularizers.get(spec.biasRegularizer) ?? null,
    activityRegularizer: regularizers.get(spec.activityRegularizer) ?? null,
    kernelConstraint: constraints.get(spec.kernelConstraint) ?? null,
    biasConstraint: constraints.get(spec.biasConstraint) ?? null,
    dropConnect: spec.dropConnect ?? null,
  };
}

/**
 * Builds and compiles the MLP. Call `utils.setRandomSeed(seed)` first: every layer's streams come
 * from that seed. Layers are named hidden_1…, dropout_1…, output, the same in every process.
 */
export function buildModel(config: StudyConfig, spec: SettingSpec, inputs: number, outputs: number, classification: boolean): Sequential {
  const model = new Sequential();
  config.hidden.forEach((units, i) => {
    model.add(layers.Dense(units, { ...hiddenOptions(spec), activation: config.activation, name: `hidden_${i + 1}`, ...(i === 0 ? { inputShape: [inputs] } : {}) }));
    if (spec.batchNormalization === true) model.add(layers.BatchNormalization({ name: `batch_normalization_${i + 1}` }));
    if (spec.gaussianNoise !== undefined && spec.gaussianNoise > 0) model.add(layers.GaussianNoise(spec.gaussianNoise, { name: `gaussian_noise_${i + 1}` }));
    if (spec.alphaDropout !== undefined && spec.alphaDropout > 0) model.add(layers.AlphaDropout(spec.alphaDropout, { name: `alpha_dropout_${i + 1}` }));
    const rate = dropoutRate(spec, i);
    if (rate > 0) model.add(layers.Dropout(rate, { name: `dropout_${i + 1}` }));
  });
  model.add(layers.Dense(outputs, { activation: classification ? 'softmax' : 'linear', name: 'output' }));
  model.compile({
    optimizer: config.optimizer,
    loss: classification ? 'categoricalCrossentropy' : 'meanSquaredError',
    metrics: classification ? ['accuracy'] : [],
  });
  return model;
}
