/**
 * zod schemas of the files a study folder holds (trials.jsonl records, study.json, results.json):
 * every file is validated with these before anything is built from it or written next to it, and
 * an error names the file, the line where there is one, and the field.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { canonicalJson, formatIssues } from './config/resolve';

const finite = z.number().finite();
const nonNegative = finite.nonnegative();
const count = z.number().int().nonnegative();

const splitScore = z.looseObject({ loss: finite, accuracy: finite.gte(0).lte(1).optional() });
const histogram = z
  .looseObject({ edges: z.array(finite).min(2), counts: z.array(count).min(1) })
  .refine((h) => h.edges.length === h.counts.length + 1, { message: 'expected one more edge than counts', path: ['edges'] });
const kernelStats = z.looseObject({
  layer: z.string(),
  l1Norm: nonNegative,
  l2Norm: nonNegative,
  nearZeroFraction: finite.gte(0).lte(1),
  zeroFraction: finite.gte(0).lte(1),
  histogram,
});
// Curves may hold a non-finite value: a trial that diverged is still a trial (JSON writes NaN as null).
const curve = z.array(z.number().nullable()).min(1);

export const trialRecordSchema = z.looseObject({
  setting: z.string().min(1),
  repeat: count,
  seed: count,
  backend: z.string().min(1),
  epochs: z.number().int().positive(),
  bestEpoch: count,
  curves: z.looseObject({
    loss: curve,
    penalty: curve,
    accuracy: curve.optional(),
    val_loss: curve.optional(),
    val_penalty: curve.optional(),
    val_accuracy: curve.optional(),
  }),
  train: splitScore,
  test: splitScore,
  gap: z.looseObject({ loss: finite, accuracy: finite.optional() }),
  penalty: nonNegative,
  weights: z.array(kernelStats).min(1),
  secondsPerEpoch: nonNegative,
  samplesPerSecond: nonNegative,
});

const aggregate = z.looseObject({ n: z.number().int().positive(), mean: finite, std: nonNegative, min: finite, max: finite });

export const studySummarySchema = z.looseObject({
  baseline: z.string().min(1),
  rankedBy: z.string().min(1),
  settings: z
    .array(
      z.looseObject({
        setting: z.string().min(1),
        metrics: z.record(z.string(), aggregate),
        rank: z.number().int().positive(),
        verdict: z.string(),
        withinSpread: z.boolean(),
      }),
    )
    .min(1),
});

export const studyContextSchema = z.looseObject({
  date: z.string(),
  kerasTsVersion: z.string(),
  tfjsVersion: z.string(),
  backend: z.string(),
  cpu: z.string(),
  cores: count,
  node: z.string(),
});

export const resultsFileSchema = z.looseObject({
  schemaVersion: z.number().int().positive(),
  context: studyContextSchema,
  config: z.looseObject({}),
  trials: z.array(trialRecordSchema).min(1),
  summary: studySummarySchema,
  // Relative paths under models/ only: reports link to them.
  models: z.array(z.looseObject({ setting: z.string().min(1), repeat: count, file: z.string().regex(/^models\/[A-Za-z0-9][A-Za-z0-9._=+-]*\.keras$/) })).optional(),
});

export const studyFileContentsSchema = z.looseObject({
  schemaVersion: z.number().int().positive(),
  createdAt: z.string(),
  config: z.looseObject({ settings: z.array(z.looseObject({ name: z.string().min(1) })).min(1) }),
  backend: z.string().min(1),
});

/** sha256 of a record's canonical JSON (sorted keys, the checksum field left out). */
export function recordChecksum(record: Record<string, unknown>): string {
  const { checksum: _checksum, ...rest } = record;
  return createHash('sha256').update(canonicalJson(rest)).digest('hex');
}

/** The issues of a failed parse as one line per field (`trials.0.test.loss`: …). */
export function describeIssues(error: z.ZodError, input: unknown, prefix = ''): string {
  return formatIssues(error, input, prefix);
}
