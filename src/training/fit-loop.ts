/**
 * keras-ts' training loop. Per step, in one tf.tidy: the batch's rows, the model's `trainStep`
 * (forward with dropout on, loss + penalty, gradients, update, constraints), and running sums kept
 * on the device. The host reads those sums once per epoch (and when a callback or the progress bar
 * asks), never per batch. A shuffled epoch gathers each batch's rows from the training set
 * directly: no shuffled copy of the whole set, and no slices (which copy the whole source on wasm).
 */
import { tf } from '../backend/tf';
import { takeBatch } from '../backend/rows';
import { syncReadsWork } from '../backend/sync-reads';
import { DataError, TrainingError } from '../errors';
import { isModelAware } from './callbacks/callback';
import type { BatchLogs, Callback, Logs } from './callbacks/callback';
import { ProgressLogger } from './callbacks/progress';
import type { TensorInput } from './data';
import { evaluateTensors } from './evaluate';
import { resolveFitOptions } from './fit-options';
import type { FitOptions, ResolvedFitOptions } from './fit-options';
import { History } from './history';
import { prepareData } from './prepare-data';
import type { Objective } from './objective';
import type { Batch, Trainer } from './trainer';

interface TrainingSet {
  x: tf.Tensor;
  y: tf.Tensor;
  val: { x: tf.Tensor; y: tf.Tensor } | undefined;
  owned: tf.Tensor[];
}

/** Checks and splits everything before the first step; disposes what it made if anything fails. */
async function prepareTrainingSet(model: Trainer, x: TensorInput, y: TensorInput, options: ResolvedFitOptions): Promise<TrainingSet> {
  const train = await prepareData(model, x, y);
  const owned = [...train.owned];
  try {
    if (options.validationData !== undefined) {
      const [vx, vy] = options.validationData;
      const val = await prepareData(model, vx, vy, ['validationData[0]', 'validationData[1]']);
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

/** Every class in classWeight must be one the model outputs (Keras raises for others too). */
function checkClassWeight(classWeight: Record<number, number> | undefined, units: number, owned: tf.Tensor[]): void {
  if (classWeight === undefined) return;
  const classes = Math.max(units, 2);
  const outside = Object.keys(classWeight).filter((k) => Number(k) >= classes);
  if (outside.length > 0) {
    tf.dispose(owned);
    throw new DataError(`Invalid \`classWeight\` for fit: the model has ${classes} classes (0…${classes - 1}). Received weights for class ${outside.join(', ')}.`);
  }
}

/** Per-row loss weights from classWeight, or undefined. */
function rowWeights(yb: tf.Tensor, classWeight: Record<number, number> | undefined, sparse: boolean, units: number): tf.Tensor | undefined {
  if (classWeight === undefined) return undefined;
  const table = tf.tensor1d(Array.from({ length: Math.max(units, 2) }, (_, i) => classWeight[i] ?? 1));
  const labels = sparse ? tf.cast(tf.reshape(yb, [-1]), 'int32') : units === 1 ? tf.cast(tf.reshape(tf.greater(yb, 0.5), [-1]), 'int32') : tf.argMax(yb, -1);
  return tf.gather(table, labels);
}

/**
 * Lazy batch logs: the running values are read from the device only if someone asks. Where the
 * backend cannot read synchronously (webgpu in Node), they are `known`: the last values the loop
 * read asynchronously (at most BATCH_READ_MS old).
 */
function batchLogs(batch: number, size: number, objective: Objective, sums: tf.Tensor, rowsSeen: number, known?: Record<string, number>): BatchLogs {
  const logs: Record<string, number> = { batch, size };
  let values = known;
  objective.logNames.forEach((name) =>
    Object.defineProperty(logs, name, { enumerable: true, get: () => (values ??= objective.readLogs(sums.dataSync(), rowsSeen))[name]! }),
  );
  return logs as BatchLogs;
}

/**
 * Lets the event loop run (timers, I/O, signal handlers) once per epoch. Training awaits only
 * settled promises, which never leave the microtask queue, so without this a SIGINT handler (a
 * study's cleanup, Ctrl-C) or a lock renewal would wait for the whole fit to end.
 */
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));

/** How often batch logs are refreshed where reads must be asynchronous. */
const BATCH_READ_MS = 250;

/** One step inside a tidy: the batch, trainStep, and the running sums plus this batch's (sums · size). */
function step(model: Trainer, data: TrainingSet, opts: ResolvedFitOptions, sums: tf.Tensor, start: number, size: number, order: Int32Array | undefined, single: boolean): tf.Tensor {
  const { objective } = model.compiled;
  return tf.tidy(() => {
    const [xb, yb] = single ? [data.x, data.y] : (takeBatch([data.x, data.y], start, size, order) as [tf.Tensor, tf.Tensor]);
    const sampleWeight = rowWeights(yb, opts.classWeight, objective.loss.sparse, model.outputUnits()!);
    const batch: Batch = sampleWeight === undefined ? { x: xb, y: yb } : { x: xb, y: yb, sampleWeight };
    const logs = model.trainStep(batch);
    const values = objective.logNames.map((name) => {
      const value = logs[name];
      if (value === undefined) throw new TrainingError(`trainStep returned no \`${name}\`; it must return every log of compile: ${objective.logNames.join(', ')}.`);
      return value;
    });
    const next = tf.add(sums, objective.stepSums(values, size));
    tf.dispose(Object.values(logs)); // a step may keep() its logs past inner scopes
    return next;
  });
}

export async function runFit(model: Trainer, x: TensorInput, y: TensorInput, options: FitOptions = {}): Promise<History> {
  const opts = resolveFitOptions(options);
  const { objective } = model.compiled;
  const data = await prepareTrainingSet(model, x, y, opts);
  const syncReads = syncReadsWork();
  checkClassWeight(opts.classWeight, model.outputUnits()!, data.owned);
  const rows = data.x.shape[0]!;
  const steps = Math.ceil(rows / opts.batchSize);
  const random = model.shuffleStream();
  const history = new History();
  // Keras' order: the user's callbacks, then History and the progress bar, so that values a
  // callback adds to the logs (learning_rate) reach History.
  const callbacks: Callback[] = [...opts.callbacks, history];
  if (opts.verbose > 0) callbacks.push(new ProgressLogger({ verbose: opts.verbose as 1 | 2, epochs: opts.epochs, stepsPerEpoch: steps }));
  for (const c of callbacks) {
    if (isModelAware(c)) c.setModel(model);
    if (typeof c.setParams === 'function') c.setParams({ verbose: opts.verbose, epochs: opts.epochs, steps });
  }
  type Hook = 'onTrainBegin' | 'onEpochBegin' | 'onBatchEnd' | 'onEpochEnd' | 'onTrainEnd';
  const run = async <K extends Hook>(hook: K, ...args: Parameters<NonNullable<Callback[K]>>) => {
    for (const c of callbacks) await (c[hook] as ((...a: unknown[]) => unknown) | undefined)?.apply(c, args);
  };

  model.stopTraining = false;
  model.resumeAtEpoch = undefined;
  try {
    await run('onTrainBegin', {});
    // A callback that restored a backup (BackupAndRestore) says where to go on.
    const first = model.resumeAtEpoch ?? opts.initialEpoch;
    model.resumeAtEpoch = undefined;
    for (let epoch = first; epoch < opts.epochs && !model.stopTraining; epoch++) {
      await run('onEpochBegin', epoch, {});
      const order = opts.shuffle ? random.permutation(rows) : undefined;
      let sums: tf.Tensor = tf.zeros([objective.slotSizes.reduce((a, b) => a + b, 0)]);
      let rowsSeen = 0;
      let known: { logs: Record<string, number>; at: number } | undefined;
      // The weights at the epoch's start: if the loss turns NaN, the model goes back to them.
      const lastFinite = model.getWeights();
      try {
        for (let s = 0; s < steps && !model.stopTraining; s++) {
          const start = s * opts.batchSize;
          const size = Math.min(opts.batchSize, rows - start);
          const next = step(model, data, opts, sums, start, size, order, steps === 1 && order === undefined);
          sums.dispose();
          sums = next;
          rowsSeen = start + size;
          if (!syncReads && (known === undefined || performance.now() - known.at >= BATCH_READ_MS)) {
            known = { logs: objective.readLogs(await sums.data(), rowsSeen), at: performance.now() };
          }
          await run('onBatchEnd', s, batchLogs(s, size, objective, sums, rowsSeen, known?.logs));
        }
        const logs: Logs = objective.readLogs(await sums.data(), rowsSeen);
        // A callback that stopped training (TerminateOnNaN) gets the epoch's logs as they are.
        if (!Number.isFinite(logs['loss']) && !model.stopTraining) {
          model.setWeights(lastFinite);
          throw new TrainingError(
            `The loss became ${logs['loss']} in epoch ${epoch + 1}; training stopped and the weights are back to those at the start of that epoch (the last finite ones). Lower the learning rate, scale the inputs, or check the labels and any custom regularizer or loss.`,
          );
        }
        if (data.val) {
          const val = await evaluateTensors(model, data.val.x, data.val.y, opts.batchSize);
          for (const [key, value] of Object.entries(val)) logs[`val_${key}`] = value;
        }
        await run('onEpochEnd', epoch, logs);
        await yieldToEventLoop();
      } finally {
        sums.dispose();
        tf.dispose(lastFinite);
      }
    }
    await run('onTrainEnd', {});
  } finally {
    for (const t of data.owned) t.dispose();
  }
  return history;
}
