/**
 * The model's `compile_config`: what `compile` was given, as Keras 3.15.1's
 * `Trainer.get_compile_config` writes it (`{}` for a model never compiled):
 *
 *   { optimizer: {Keras object}, loss: 'categorical_crossentropy', loss_weights: null,
 *     metrics: ['accuracy'], weighted_metrics: null, run_eagerly: false,
 *     steps_per_execution: 1, jit_compile: false }
 *
 * Loss and metric names are Keras' snake_case there and keras-ts' camelCase in the artifacts.
 */
import { z } from 'zod';
import type { SerializedObject } from '../artifacts';
import { camelToSnake, snakeToCamel } from './names';
import { at, objectFromKeras, objectToKeras, readError } from './object-codec';
import type { ReadPlace } from './object-codec';
import type { PyJson } from './python-json';

export interface CompileInfo {
  optimizer: SerializedObject;
  /** keras-ts loss name, or undefined when compiled without a loss. */
  loss: string | undefined;
  metrics: string[];
}

const compileSchema = z.looseObject({
  optimizer: z.unknown().optional(),
  loss: z.string().nullable().optional(),
  loss_weights: z.null().optional(),
  metrics: z.array(z.string()).nullable().optional(),
  weighted_metrics: z.null().optional(),
});

/** Reads a compile_config; undefined when the model was not compiled (`{}`, absent or no optimizer). */
export function compileFromKeras(value: unknown, place: ReadPlace): CompileInfo | undefined {
  if (value === undefined || value === null) return undefined;
  const parsed = compileSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = issue?.path.map(String).join('.') ?? '';
    throw readError(
      key === '' ? place : at(place, key),
      'cannot be loaded by keras-ts',
      'a loss name, a list of metric names, no loss weights and no weighted metrics',
      key === '' ? value : (value as Record<string, unknown>)[issue?.path[0] as string],
    );
  }
  const config = parsed.data;
  if (config.optimizer === undefined || config.optimizer === null) return undefined;
  return {
    optimizer: objectFromKeras('optimizer', config.optimizer, at(place, 'optimizer')),
    loss: config.loss == null ? undefined : snakeToCamel(config.loss),
    metrics: (config.metrics ?? []).map(snakeToCamel),
  };
}

/** Writes a compile_config. `jit_compile: false` is our choice: it is valid on every Keras backend. */
export function compileToKeras(info: CompileInfo): { [key: string]: PyJson } {
  return {
    optimizer: objectToKeras('optimizer', info.optimizer, 'training.optimizer'),
    loss: info.loss === undefined ? null : camelToSnake(info.loss),
    loss_weights: null,
    metrics: info.metrics.map(camelToSnake),
    weighted_metrics: null,
    run_eagerly: false,
    steps_per_execution: 1,
    jit_compile: false,
  };
}
