/**
 * The study's MLP for one setting. Every setting of a repeat gets the same initial weights: Dense
 * kernels are drawn from the global seeded stream in layer order, and dropout layers take explicit
 * seeds from a stream of their own, so adding dropout never shifts the weight draws.
 */
import { RandomGenerator } from '../../backend/random';
import * as constraints from '../../constraints';
import type { Constraint } from '../../constraints';
import * as layers from '../../layers';
import * as regularizers from '../../regularizers';
import type { Regularizer } from '../../regularizers';
import { Sequential } from '../../models/sequential';
import type { StudyConfig } from '../config/resolve';
import type { ConstraintSpec, RegularizerSpec, SettingSpec } from '../config/settings';

function regularizerOf(spec: RegularizerSpec | undefined): Regularizer | undefined {
  if (spec === undefined) return undefined;
  const { l1, l2 } = spec;
  if (l1 !== undefined && l2 !== undefined) return regularizers.l1l2({ l1, l2 });
  if (l1 !== undefined) return regularizers.l1(l1);
  if (l2 !== undefined) return regularizers.l2(l2);
  return undefined;
}

function constraintOf(spec: ConstraintSpec | undefined): Constraint | undefined {
  if (spec === undefined) return undefined;
  const { name, ...options } = spec;
  switch (name) {
    case 'maxNorm':
      return constraints.maxNorm(options);
    case 'nonNeg':
      return constraints.nonNeg();
    case 'unitNorm':
      return constraints.unitNorm(options);
    case 'minMaxNorm':
      return constraints.minMaxNorm(options);
  }
}

/** Dropout rate after hidden layer i (0 = no dropout layer). */
export function dropoutRate(spec: SettingSpec, i: number): number {
  const { dropout } = spec;
  if (dropout === undefined) return 0;
  return Array.isArray(dropout) ? (dropout[i] ?? 0) : dropout;
}

/**
 * Builds and compiles the MLP. Call `utils.setRandomSeed(seed)` first: the kernels come from that
 * stream. Layers are named hidden_1…, dropout_1…, output, the same in every process.
 */
export function buildModel(config: StudyConfig, spec: SettingSpec, seed: number, inputs: number, outputs: number, classification: boolean): Sequential {
  const dropoutSeeds = new RandomGenerator(seed ^ 0x5bd1e995);
  const model = new Sequential();
  config.hidden.forEach((units, i) => {
    const kernelRegularizer = regularizerOf(spec.kernelRegularizer);
    const biasRegularizer = regularizerOf(spec.biasRegularizer);
    const activityRegularizer = regularizerOf(spec.activityRegularizer);
    const kernelConstraint = constraintOf(spec.kernelConstraint);
    const biasConstraint = constraintOf(spec.biasConstraint);
    model.add(
      layers.Dense(units, {
        activation: config.activation,
        name: `hidden_${i + 1}`,
        ...(i === 0 ? { inputShape: [inputs] } : {}),
        ...(kernelRegularizer ? { kernelRegularizer } : {}),
        ...(biasRegularizer ? { biasRegularizer } : {}),
        ...(activityRegularizer ? { activityRegularizer } : {}),
        ...(kernelConstraint ? { kernelConstraint } : {}),
        ...(biasConstraint ? { biasConstraint } : {}),
      }),
    );
    const dropoutSeed = dropoutSeeds.nextUint32(); // drawn for every layer, so seeds do not depend on the setting
    const rate = dropoutRate(spec, i);
    if (rate > 0) model.add(layers.Dropout(rate, { seed: dropoutSeed, name: `dropout_${i + 1}` }));
  });
  model.add(layers.Dense(outputs, { activation: classification ? 'softmax' : 'linear', name: 'output' }));
  model.compile({
    optimizer: config.optimizer,
    loss: classification ? 'categoricalCrossentropy' : 'meanSquaredError',
    metrics: classification ? ['accuracy'] : [],
  });
  return model;
}
