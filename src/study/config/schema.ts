/**
 * The study configuration, defined once: this zod schema is what a `--config study.json` file and
 * `study.compare(options)` share; the TypeScript types below are derived from it, and the CLI's
 * `--config` help lists its fields. Regularizers and constraints take keras-ts' one config form,
 * `{ className, config }` (e.g. `{ className: 'L2', config: { l2: 1e-4 } }`); the older shorthand
 * `{ l1, l2 }` / `{ name: 'maxNorm', … }` is accepted and normalized to it. Errors point at the
 * field and the value (see resolve.ts).
 */
import { z } from 'zod';
import { ACTIVATION_NAMES } from '../../activations';
import { BACKEND_CHOICES } from '../../backend/backends';
import * as constraints from '../../constraints';
import { ConfigError } from '../../errors';
import * as regularizers from '../../regularizers';
import type { SerializedObject } from '../../serialization';
import { OPTIMIZER_NAMES } from '../../training/optimizers';

const strength = z.number().finite().nonnegative();
const positiveInt = z.number().int().positive();
const fraction = z.number().gt(0).lt(1);
const seed = z.number().int().gte(0).lte(0xffffffff);

const serialized = z.strictObject({ className: z.string().min(1), config: z.record(z.string(), z.unknown()).optional() });

/** `{ className, config }` that `get` of a namespace accepts: built once here, so a bad value fails at its field. */
function buildable(kind: string, build: (object: SerializedObject) => unknown) {
  return serialized.transform((value, ctx): SerializedObject => {
    const object = { className: value.className, config: value.config ?? {} };
    const nonFinite = Object.entries(object.config).filter(([, v]) => typeof v === 'number' && !Number.isFinite(v));
    for (const [key, v] of nonFinite) ctx.addIssue({ code: 'custom', path: ['config', key], message: `expected a finite number for \`${key}\`, got ${v}` });
    if (nonFinite.length > 0) return z.NEVER;
    try {
      build(object);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: error instanceof ConfigError ? error.message : `not a valid ${kind}` });
      return z.NEVER;
    }
    return object;
  });
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Legacy `{ l1, l2 }` → `{ className: 'L1' | 'L2' | 'L1L2', config }` (the class then checks the values). */
function regularizerShorthand(v: unknown): unknown {
  if (!isPlainObject(v) || 'className' in v) return v;
  const keys = Object.keys(v);
  if (keys.length === 0 || keys.some((k) => k !== 'l1' && k !== 'l2')) return v;
  if (keys.length === 2) return { className: 'L1L2', config: { ...v } };
  return { className: keys[0] === 'l1' ? 'L1' : 'L2', config: { ...v } };
}

/** Legacy `{ name: 'maxNorm', maxValue, axis }` → `{ className: 'MaxNorm', config: { maxValue, axis } }`. */
function constraintShorthand(v: unknown): unknown {
  if (!isPlainObject(v) || 'className' in v || typeof v['name'] !== 'string') return v;
  const { name, ...config } = v;
  return { className: (name as string).charAt(0).toUpperCase() + (name as string).slice(1), config };
}

const regularizerSpec = z.preprocess(regularizerShorthand, buildable('regularizer', (o) => regularizers.get(o)));
const constraintSpec = z.preprocess(constraintShorthand, buildable('constraint', (o) => constraints.get(o)));

const dropoutRate = z.number().gte(0).lt(1);

export const settingSpecSchema = z.strictObject({
  kernelRegularizer: regularizerSpec.optional().describe('penalty on every hidden layer\'s kernel'),
  biasRegularizer: regularizerSpec.optional().describe('penalty on every hidden layer\'s bias'),
  activityRegularizer: regularizerSpec.optional().describe('penalty on every hidden layer\'s output'),
  dropout: z.union([dropoutRate, z.array(dropoutRate).min(1)]).optional().describe('dropout rate after each hidden layer (one, or one per layer)'),
  kernelConstraint: constraintSpec.optional().describe('constraint on every hidden layer\'s kernel'),
  biasConstraint: constraintSpec.optional().describe('constraint on every hidden layer\'s bias'),
  dropConnect: dropoutRate.optional().describe('DropConnect rate on every hidden layer\'s kernel'),
  batchNormalization: z.boolean().optional().describe('BatchNormalization after each hidden layer'),
  gaussianNoise: z.number().gte(0).finite().optional().describe('GaussianNoise stddev after each hidden layer'),
  alphaDropout: dropoutRate.optional().describe('AlphaDropout rate after each hidden layer (meant for selu)'),
});

export const datasetSpecSchema = z.discriminatedUnion('source', [
  z.strictObject({
    source: z.literal('synthetic'),
    kind: z.enum(['classification', 'regression']).optional(),
    samples: positiveInt.optional(),
    features: positiveInt.optional(),
    informative: positiveInt.optional(),
    classes: z.number().int().gte(2).optional(),
    labelNoise: z.number().gte(0).lt(1).optional(),
    trainFraction: fraction.optional(),
    validationFraction: fraction.optional(),
    seed: seed.optional(),
  }),
  z.strictObject({
    source: z.enum(['fashion-mnist', 'mnist']),
    dir: z.string().min(1).optional(),
    trainSize: positiveInt.optional(),
    validationSize: z.number().int().nonnegative().optional(),
    testSize: positiveInt.optional(),
    seed: seed.optional(),
  }),
  z.strictObject({
    source: z.literal('csv'),
    path: z.string().min(1),
    label: z.union([z.string().min(1), z.number().int().nonnegative()]).optional(),
    kind: z.enum(['classification', 'regression']).optional(),
    testFraction: fraction.optional(),
    validationFraction: fraction.optional(),
    seed: seed.optional(),
  }),
]);

// A bare name is shorthand for { name } / { source }: normalizing first lets errors point inside the object.
const named = (key: string) => (value: unknown) => (typeof value === 'string' ? { [key]: value } : value);

export const optimizerSchema = z.preprocess(
  named('name'),
  z.strictObject({
    name: z.enum(OPTIMIZER_NAMES),
    learningRate: z.number().finite().positive().optional(),
    weightDecay: strength.optional(),
  }),
);

export const EARLY_STOPPING_MONITORS = ['val_loss', 'loss', 'val_accuracy', 'accuracy'] as const;

export const earlyStoppingSchema = z.union([
  z.boolean(),
  z.strictObject({
    monitor: z.enum(EARLY_STOPPING_MONITORS).optional(),
    patience: z.number().int().nonnegative().optional(),
    minDelta: strength.optional(),
  }),
]);

const namedSettingSchema = z.strictObject({ name: z.string().min(1), spec: settingSpecSchema });

/**
 * Settings: the compact string, a list of named settings, or an object of name → spec. The object
 * form is read into a Map first, so names such as `__proto__`, `constructor` or `toString` are
 * settings like any other.
 */
const settingMapSchema = z
  .map(z.string().min(1), settingSpecSchema)
  .refine((map) => map.size > 0, { message: 'expected at least one setting, e.g. { "none": {}, "l2": { "kernelRegularizer": { "l2": 1e-4 } } }' });

const settingsUnion = z.union([z.string().min(1), z.array(namedSettingSchema).min(1), settingMapSchema]);

export const settingsSchema = z.preprocess(
  (value) => (value instanceof Map || !isPlainObject(value) ? value : new Map(Object.entries(value))),
  settingsUnion,
) as unknown as z.ZodType<z.output<typeof settingsUnion>, string | z.input<typeof namedSettingSchema>[] | Record<string, SettingSpecInput>>;

/** Every serializable field of a study: the `--config` file, and `study.compare`'s options besides data, out and onProgress. */
export const studyFileSchema = z.strictObject({
  dataset: z.preprocess(named('source'), datasetSpecSchema).optional().describe('synthetic | fashion-mnist | mnist | { source: "csv", path, label } …'),
  hidden: z.array(positiveInt).min(1).optional().describe('hidden layer sizes (default [64, 64])'),
  activation: z.enum(ACTIVATION_NAMES).optional().describe("hidden activation (default 'relu')"),
  settings: settingsSchema.optional().describe('"none,l1=1e-4,…", [{ name, spec }] or { name: spec }'),
  epochs: positiveInt.optional().describe('epochs per trial (default 40)'),
  batchSize: positiveInt.optional().describe('rows per gradient step (default 32)'),
  optimizer: optimizerSchema.optional().describe("'adam' or { name, learningRate, weightDecay } (default 'adam')"),
  repeats: positiveInt.optional().describe('repeats per setting (default 3)'),
  seed: seed.optional().describe('study seed (default 0)'),
  earlyStopping: earlyStoppingSchema.optional().describe('true or { monitor, patience, minDelta } (default false)'),
  parallel: positiveInt.optional().describe('trials at once in worker processes'),
  backend: z.enum(BACKEND_CHOICES).optional().describe("'auto' | 'tensorflow' | 'wasm' | 'cpu'"),
  baseline: z.string().min(1).optional().describe("setting the others are compared with (default 'none')"),
});

/** The fields of a study file, in schema order (the CLI's --config help lists them). */
export const STUDY_FILE_FIELDS = Object.keys(studyFileSchema.shape) as (keyof z.infer<typeof studyFileSchema>)[];

/** A validated study file (regularizers and constraints normalized to `{ className, config }`). */
export type StudyFile = z.infer<typeof studyFileSchema>;
/** What one setting changes in the study's MLP (validated form). */
export type SettingSpec = z.infer<typeof settingSpecSchema>;
/** A setting as users may write it (shorthands included). */
export type SettingSpecInput = z.input<typeof settingSpecSchema>;
export type EarlyStoppingSpec = Exclude<z.infer<typeof earlyStoppingSchema>, boolean>;
export type OptimizerSpec = z.infer<typeof optimizerSchema>;
