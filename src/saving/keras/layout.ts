/**
 * Where each weight lives in model.weights.h5, derived from the model's config alone.
 *
 * Keras' `_save_state` walks the model: the model's own `vars` at the root, then `model.layers`
 * (without the InputLayer) as a container whose entries are keyed by the snake_case class name
 * plus a per-class counter (`dense`, `dense_1`, `dropout`), never by layer names; then the
 * optimizer under `optimizer`. Its variables: the step counter, the learning rate, then the slots
 * in the order its `build` creates them.
 */
import type { SerializedObject } from '../artifacts';
import { kerasSnakeCase } from './names';
import type { LayerSpec, OptimizerSpec, WeightSpec } from './classes/spec';

export interface LayerPlan {
  spec: LayerSpec;
  name: string;
  /** keras-ts config. */
  config: Record<string, unknown>;
  /** Input shape without the batch dimension. */
  inputShape: number[];
  weights: WeightSpec[];
  /** The layer's group in the weights file: 'layers/dense_1'. */
  groupPath: string;
}

/** Plans each layer in model order; `layers` are already checked keras-ts configs with their specs. */
export function planLayers(layers: { spec: LayerSpec; object: SerializedObject }[], inputShape: readonly number[]): LayerPlan[] {
  const counters = new Map<string, number>();
  let shape = [...inputShape];
  return layers.map(({ spec, object }) => {
    const base = kerasSnakeCase(spec.className);
    const seen = counters.get(base);
    counters.set(base, seen === undefined ? 0 : seen + 1);
    const key = seen === undefined ? base : `${base}_${seen + 1}`;
    const plan: LayerPlan = {
      spec,
      name: object.config['name'] as string,
      config: object.config,
      inputShape: shape,
      weights: spec.weights(object.config, shape),
      groupPath: `layers/${key}`,
    };
    shape = spec.outputShape(object.config, shape);
    return plan;
  });
}

/** One optimizer slot variable. */
export interface SlotPlan {
  /** `<layerName>/<weightName>/<slot>`, as TrainingState names slots. */
  name: string;
  shape: number[];
}

export interface SlotOrders {
  /** keras-ts' order: per trainable weight, each slot. */
  ts: SlotPlan[];
  /** Keras' order in `optimizer/vars` (after the step counter and the learning rate). */
  keras: SlotPlan[];
}

export function planSlots(plans: readonly LayerPlan[], optimizer: OptimizerSpec, config: Readonly<Record<string, unknown>>): SlotOrders {
  const trainable = plans.flatMap((plan) => plan.weights.filter((w) => w.trainable).map((w) => ({ prefix: `${plan.name}/${w.name}`, shape: w.shape })));
  const groups = optimizer.slotGroups(config);
  const slotNames = groups.flat();
  return {
    ts: trainable.flatMap((w) => slotNames.map((slot) => ({ name: `${w.prefix}/${slot}`, shape: w.shape }))),
    keras: groups.flatMap((group) => trainable.flatMap((w) => group.map((slot) => ({ name: `${w.prefix}/${slot}`, shape: w.shape })))),
  };
}
