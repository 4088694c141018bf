/**
 * What a tfjs-layers model.json cannot hold, kept where tfjs ignores it: the top-level
 * `userDefinedMetadata` field, under the key `"keras-ts"`. tfjs-layers loads such a model.json
 * (`LayersModel.setUserDefinedMetadata`) and writes the field back unchanged when it saves again.
 *
 *   "userDefinedMetadata": { "keras-ts": {
 *     "formatVersion": 1,
 *     "model":    { …the model config without `layers` }     only where tfjs' form loses something
 *     "inputLayer": true                                  the model starts with keras-ts' explicit
 *                                                          `layers.Input` (written as tfjs' InputLayer)
 *     "layers":   [{ "name": "dense", "config": { … } }]     layers whose keras-ts config tfjs' form
 *                                                          does not give back exactly: L1 or L2
 *                                                          (tfjs has only L1L2), an activity
 *                                                          regularizer (tfjs cannot build one),
 *                                                          'silu', options tfjs has no key for
 *                                                          (seeds, DropConnect), L1Prox (tfjs: L1),
 *                                                          OrthogonalRegularizer (tfjs: none); with
 *                                                          "className" for a layer tfjs lacks, written
 *                                                          as a stand-in that is the identity at
 *                                                          inference (SpatialDropout2D/3D → Dropout,
 *                                                          ActivityRegularization → Activation linear)
 *     "training": {
 *       "iterations": 120,                                the step count these entries belong to
 *       "optimizer":  { "className": "AdamW", … }          when trainingConfig cannot hold it
 *       "compile":    { "loss": "mse", "metrics": [ … ] }  when trainingConfig cannot hold it
 *       "slotNames":  [ … ]                                slot order, when not weight by weight
 *       "extras":     { … }                                keras-ts' own training extras
 *     } } }
 *
 * Every entry is an override of what the tfjs fields say, used only while it still agrees with
 * them: a layer's entry when converting it to tfjs' form gives the layer the file holds, the
 * optimizer's and compile's when they give the file's trainingConfig, the extras when the file's
 * `iter` still equals `iterations`. So a model that stock tfjs changed and saved again (the
 * metadata rides along untouched) is read as tfjs wrote it, never with stale keras-ts entries.
 */
import { z } from 'zod';
import { FormatError } from '../../errors';
import { isRecord } from './fields';
import type { JsonObject } from './fields';

/** The key under `userDefinedMetadata`. */
export const METADATA_KEY = 'keras-ts';

/** The version of the block's layout this code writes and reads. */
export const METADATA_VERSION = 1;

// JSON objects pass through as parsed (own keys only), never rebuilt key by key.
const jsonObject = z.custom<JsonObject>(isRecord, { message: 'expected an object' });

const serializedObject = z.object({ className: z.string(), config: jsonObject });

const metadataSchema = z.object({
  formatVersion: z.number().int().positive(),
  model: jsonObject.optional(),
  inputLayer: z.boolean().optional(),
  layers: z.array(z.object({ name: z.string(), className: z.string().optional(), config: jsonObject })).optional(),
  training: z
    .object({
      iterations: z.number().int().nonnegative(),
      optimizer: serializedObject.optional(),
      compile: z.object({ loss: z.string(), metrics: z.array(z.string()) }).optional(),
      slotNames: z.array(z.string()).optional(),
      extras: jsonObject.optional(),
    })
    .optional(),
});

export type KerasTsMetadata = z.infer<typeof metadataSchema>;

/** The keras-ts block of a model.json's userDefinedMetadata, or undefined when there is none. */
export function readMetadata(userDefinedMetadata: unknown, source: string): KerasTsMetadata | undefined {
  if (!isRecord(userDefinedMetadata) || !Object.hasOwn(userDefinedMetadata, METADATA_KEY)) return undefined;
  const parsed = metadataSchema.safeParse(userDefinedMetadata[METADATA_KEY]);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = issue === undefined ? '' : ` at ${['userDefinedMetadata', METADATA_KEY, ...issue.path.map(String)].join('.')}: ${issue.message}`;
    throw new FormatError(`Invalid keras-ts metadata in ${source}${at}`, { cause: parsed.error });
  }
  if (parsed.data.formatVersion > METADATA_VERSION) {
    throw new FormatError(
      `Unsupported keras-ts metadata in ${source}: expected formatVersion <= ${METADATA_VERSION}. Received: formatVersion=${parsed.data.formatVersion} (written by a newer keras-ts)`,
    );
  }
  return parsed.data;
}
