/**
 * The zod schema of a study configuration: the shape a `--config study.json` file and
 * `study.compare(options)` share. Errors point at the bad field and value (see config.ts).
 */
import { z } from 'zod';
import { ACTIVATION_NAMES } from '../../activations';
import type { ActivationIdentifier } from '../../activations';

const strength = z.number().finite().nonnegative();
const positiveInt = z.number().int().positive();
const fraction = z.number().gt(0).lt(1);

const regularizerSpec = z.strictObject({ l1: strength.optional(), l2: strength.optional() });

const constraintSpec = z.discriminatedUnion('name', [
  z.strictObject({ name: z.literal('maxNorm'), maxValue: strength.optional(), axis: z.number().int().optional() }),
  z.strictObject({ name: z.literal('nonNeg') }),
  z.strictObject({ name: z.literal('unitNorm'), axis: z.number().int().optional() }),
  z.strictObject({
    name: z.literal('minMaxNorm'),
    minValue: strength.optional(),
    maxValue: strength.optional(),
    rate: z.number().gt(0).lte(1).optional(),
    axis: z.number().int().optional(),
  }),
]);

const dropoutRate = z.number().gte(0).lt(1);

export const settingSpecSchema = z.strictObject({
  kernelRegularizer: regularizerSpec.optional(),
  biasRegularizer: regularizerSpec.optional(),
  activityRegularizer: regularizerSpec.optional(),
  dropout: z.union([dropoutRate, z.array(dropoutRate).min(1)]).optional(),
  kernelConstraint: constraintSpec.optional(),
  biasConstraint: constraintSpec.optional(),
});

const seed = z.number().int().gte(0).lte(0xffffffff);

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
    name: z.enum(['sgd', 'adam', 'adamw', 'rmsprop', 'adagrad']),
    learningRate: z.number().finite().positive().optional(),
    weightDecay: strength.optional(),
  }),
);

export const earlyStoppingSchema = z.union([
  z.boolean(),
  z.strictObject({
    monitor: z.enum(['val_loss', 'loss', 'val_accuracy', 'accuracy']).optional(),
    patience: z.number().int().nonnegative().optional(),
    minDelta: strength.optional(),
  }),
]);

/** Settings: the compact string, a list of named settings, or an object of name → spec. */
export const settingsSchema = z.union([
  z.string().min(1),
  z.array(z.strictObject({ name: z.string().min(1), spec: settingSpecSchema })).min(1),
  z.record(z.string().min(1), settingSpecSchema),
]);

/** Every serializable field of a study (the `--config` file; `compare` adds `data`, `out`, `onProgress`). */
export const studyFileSchema = z.strictObject({
  dataset: z.preprocess(named('source'), datasetSpecSchema).optional(),
  hidden: z.array(positiveInt).min(1).optional(),
  activation: z.enum(ACTIVATION_NAMES as [ActivationIdentifier, ...ActivationIdentifier[]]).optional(),
  settings: settingsSchema.optional(),
  epochs: positiveInt.optional(),
  batchSize: positiveInt.optional(),
  optimizer: optimizerSchema.optional(),
  repeats: positiveInt.optional(),
  seed: seed.optional(),
  earlyStopping: earlyStoppingSchema.optional(),
  parallel: positiveInt.optional(),
  backend: z.enum(['auto', 'tensorflow', 'wasm', 'cpu']).optional(),
  baseline: z.string().min(1).optional(),
});

export type StudyFile = z.infer<typeof studyFileSchema>;
