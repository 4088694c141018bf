/**
 * keras-ts' training loop. Per step, in one tf.tidy: the batch's rows, forward (dropout on), data
 * loss + penalty, gradients, optimizer update, constraints, and running sums kept on the device.
 * The host reads those sums once per epoch (and when a callback or the progress bar asks), never
 * per batch. A shuffled epoch gathers each batch's rows from the training set directly: no
 * shuffled copy of the whole set, and no slices (which copy the whole source on wasm).
 */
import { tf } from '../backend/tf';
import { nextGenerator } from '../backend/random';
import { takeBatch } from '../backend/rows';
import { TrainingError } from '../errors';
import type { TensorInput } from './data';
import type { Network } from '../models/network';
import { isModelAware } from './callbacks/callback';
import type { BatchLogs, Callback, Logs } from './callbacks/callback';
import { ProgressLogger } from './callbacks/progress';
import { evaluateTensors } from './evaluate';
import { resolveFitOptions } from './fit-options';
import type { FitOptions, ResolvedFitOptions } from './fit-options';
import { History } from './history';
import { prepareData } from './prepare-data';

interface TrainingSet {
  x: tf.Tensor;
  y: tf.Tensor;
  val: { x: tf.Tensor; y: tf.Tensor } | undefined;
  owned: tf.Tensor[];
}

/** Checks and splits everything before the first step; disposes what it made if anything fails. */
function prepareTrainingSet(model: Network, x: TensorInput, y: TensorInput, options: ResolvedFitOptions): TrainingSet {
  const train = prepareData(model, x, y);
  const owned = [...train.owned];
  try {
    if (options.validationData !== undefined) {
      const [vx, vy] = options.validationData;
      const val = prepareData(model, vx, vy, ['validationData[0]', 'validationData[1]']);
      owned.push(...val.owned);
      return { x: train.x, y: train.y, val: { x: val.x, y: val.y }, owned };
    }
    if (options.validationSplit !== undefined) {
      // Keras holds out the last rows, before any shuffling.
      const rows = train.x.shape[0]!;
      const valRows = Math.floor(rows * options.validationSplit);
      if (valRows < 1 || valRows >= rows) {
        throw new TrainingError(`validationSplit=${options.validationSplit} of ${rows} rows leaves ${valRows} validation rows; use a larger split or more data.`);
      }
      const parts = [
        tf.slice(train.x, 0, rows - valRows), tf.slice(train.y, 0, rows - valRows),
        tf.slice(train.x, rows - valRows, valRows), tf.slice(train.y, rows - valRows, valRows),
      ] as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
      owned.push(...parts);
      return { x: parts[0], y: parts[1], val: { x: parts[2], y: parts[3] }, owned };
    }
    return { x: train.x, y: train.y, val: undefined, owned };
  } catch (error) {
    for (const t of owned) t.dispose();
    throw error;
  }
}

/** Per-row loss weights from classWeight, or undefined. */
function rowWeights(yb: tf.Tensor, classWeight: Record<number, number> | undefined, sparse: boolean, units: number): tf.Tensor | undefined {
  if (classWeight === undefined) return undefined;
  const table = tf.tensor1d(Array.from({ length: Math.max(units, 2) }, (_, i) => classWeight[i] ?? 1));
  const labels = sparse ? tf.cast(tf.reshape(yb, [-1]), 'int32') : units === 1 ? tf.cast(tf.reshape(tf.greater(yb, 0.5), [-1]), 'int32') : tf.argMax(yb, -1);
  return tf.gather(table, labels);
}

/** Lazy batch logs: a metric's running mean is read from the device only if someone asks. */
function batchLogs(batch: number, size: number, names: string[], sums: tf.Tensor, rowsSeen: number): BatchLogs {
  const logs: Record<string, number> = { batch, size };
  let values: Float32Array | Int32Array | Uint8Array | undefined;
  names.forEach((name, i) =>
    Object.defineProperty(logs, name, { enumerable: true, get: () => (values ??= sums.dataSync())[i]! / rowsSeen }),
  );
  return logs as BatchLogs;
}

export async function fit(model: Network, x: TensorInput, y: TensorInput, options: FitOptions = {}): Promise<History> {
  const opts = resolveFitOptions(options);
  const compiled = model.compiled;
  const data = prepareTrainingSet(model, x, y, opts);
  const { loss, metrics, optimizer } = compiled;
  const rows = data.x.shape[0]!;
  const steps = Math.ceil(rows / opts.batchSize);
  const names = ['loss', 'penalty', ...metrics.map((m) => m.name)];
  const units = model.outputShapes()!.at(-1)!.at(-1)!;
  const variables = model.trainableVariables();
  const random = nextGenerator(); // shuffling stream, seeded by utils.setRandomSeed
  const history = new History();
  const callbacks: Callback[] = [history, ...opts.callbacks];
  if (opts.verbose > 0) callbacks.push(new ProgressLogger({ verbose: opts.verbose as 1 | 2, epochs: opts.epochs, stepsPerEpoch: steps }));
  for (const c of callbacks) if (isModelAware(c)) c.setModel(model);
  const run = async <K extends keyof Callback>(hook: K, ...args: Parameters<NonNullable<Callback[K]>>) => {
    for (const c of callbacks) await (c[hook] as ((...a: unknown[]) => unknown) | undefined)?.apply(c, args);
  };

  model.stopTraining = false;
  try {
    await run('onTrainBegin', {});
    for (let epoch = opts.initialEpoch; epoch < opts.epochs && !model.stopTraining; epoch++) {
      await run('onEpochBegin', epoch, {});
      const order = opts.shuffle ? random.permutation(rows) : undefined;
      let sums: tf.Tensor = tf.zeros([names.length]);
      try {
        for (let step = 0; step < steps; step++) {
          const start = step * opts.batchSize;
          const size = Math.min(opts.batchSize, rows - start);
          const next = tf.tidy(() => {
            const [xb, yb] = steps === 1 && order === undefined ? [data.x, data.y] : takeBatch([data.x, data.y], start, size, order) as [tf.Tensor, tf.Tensor];
            const weights = rowWeights(yb, opts.classWeight, loss.sparse, units);
            let kept: tf.Tensor[] = [];
            const { grads } = tf.variableGrads(() => {
              const { output, isLogits, activityPenalty } = model.forward(xb, true, true);
              let perRow = isLogits ? loss.fromLogits!(yb, output) : loss.perSample(yb, output);
              if (weights) perRow = tf.mul(perRow, weights);
              const penalty = activityPenalty ? tf.add(model.penaltyTensor(), activityPenalty) : model.penaltyTensor();
              const total = tf.add(tf.mean(perRow), penalty) as tf.Scalar;
              // Batch sums for the epoch logs; kept past variableGrads' own tidy.
              kept = [total, penalty, ...metrics.map((m) => tf.sum(m.perSample(yb, output, isLogits)))].map((t) => tf.keep(t));
              return total;
            }, variables);
            optimizer.applyGradients(grads as tf.NamedTensorMap);
            for (const layer of model.layers) layer.applyConstraints();
            const [total, penalty, ...metricSums] = kept;
            const batch = tf.stack([tf.mul(total!, size), tf.mul(penalty!, size), ...metricSums]);
            for (const t of kept) t.dispose();
            return tf.add(sums, batch);
          });
          sums.dispose();
          sums = next;
          await run('onBatchEnd', step, batchLogs(step, size, names, sums, Math.min(rows, start + size)));
        }
        const values = sums.dataSync();
        const logs: Logs = {};
        names.forEach((name, i) => (logs[name] = values[i]! / rows));
        if (!Number.isFinite(logs['loss'])) {
          throw new TrainingError(`The loss became ${logs['loss']} in epoch ${epoch + 1}; training stopped. Lower the learning rate, scale the inputs, or check the labels.`);
        }
        if (data.val) {
          const val = evaluateTensors(model, data.val.x, data.val.y, opts.batchSize);
          for (const [key, value] of Object.entries(val)) logs[`val_${key}`] = value;
        }
        await run('onEpochEnd', epoch, logs);
      } finally {
        sums.dispose();
      }
    }
    await run('onTrainEnd', {});
  } finally {
    for (const t of data.owned) t.dispose();
  }
  return history;
}
