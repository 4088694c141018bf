import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Sequential, callbacks, layers, optimizers, tf } from '../src';
import type { CallbackModel, Logs } from '../src/training/callbacks';
import { pythonFloat } from '../src/training/callbacks/csv-logger';
import { expectNoLeak, useBackend } from './helpers';

beforeAll(() => useBackend('wasm'));

/** A stand-in model whose "weights" are the epoch they were saved at, with a real optimizer. */
function fakeModel(optimizer?: tf.Optimizer): CallbackModel & { epoch: number; restored: number | undefined } {
  const model = {
    stopTraining: false,
    epoch: 0,
    restored: undefined as number | undefined,
    getWeights() {
      return [tf.scalar(model.epoch)];
    },
    setWeights(ws: tf.Tensor[]) {
      model.restored = ws[0]!.dataSync()[0];
    },
  };
  return optimizer === undefined ? model : Object.assign(model, { optimizer });
}

type Driven = { onTrainBegin?(logs: Logs): unknown; onEpochBegin?(e: number, logs: Logs): unknown; onEpochEnd?(e: number, logs: Logs): unknown; onTrainEnd?(logs: Logs): unknown; setModel?(m: CallbackModel): void };

/** Feeds monitored values epoch by epoch; returns epochs run and each epoch's logs. */
function drive(cb: Driven, values: number[], key = 'val_loss', model = fakeModel()) {
  cb.setModel?.(model);
  cb.onTrainBegin?.({});
  const logs: Logs[] = [];
  for (const [epoch, value] of values.entries()) {
    model.epoch = epoch;
    cb.onEpochBegin?.(epoch, {});
    const l: Logs = { [key]: value };
    cb.onEpochEnd?.(epoch, l);
    logs.push(l);
    if (model.stopTraining) break;
  }
  cb.onTrainEnd?.({});
  return { ran: logs.length, logs, model };
}

describe('EarlyStopping (Keras 3)', () => {
  test('bestEpoch is 0 before training; best undefined', () => {
    const es = callbacks.EarlyStopping();
    expect(es.bestEpoch).toBe(0);
    expect(es.best).toBeUndefined();
  });

  test('baseline: the wait restarts only when the value beats the baseline', () => {
    // 0.9 is a new best but not better than 0.5: the wait is not reset, so 0.95 exhausts patience 2.
    const es = callbacks.EarlyStopping({ baseline: 0.5, patience: 2 });
    expect(drive(es, [0.9, 0.95, 0.96]).ran).toBe(2);
    expect([es.best, es.bestEpoch, es.stoppedEpoch]).toEqual([0.9, 0, 1]);
    expect(drive(callbacks.EarlyStopping({ patience: 2 }), [0.9, 0.95, 0.96]).ran).toBe(3); // without baseline
    // Beating the baseline restarts the wait; an improvement never stops training (Keras returns first).
    expect(drive(callbacks.EarlyStopping({ baseline: 0.5, patience: 2 }), [0.9, 0.8, 0.7, 0.6, 0.55]).ran).toBe(5);
    expect(drive(callbacks.EarlyStopping({ baseline: 0.5, patience: 2 }), [0.9, 0.4, 0.45, 0.46, 0.2]).ran).toBe(4);
  });

  test('negative minDelta is taken as its absolute value', () => {
    const es = callbacks.EarlyStopping({ minDelta: -0.1, patience: 1 });
    expect(es.minDelta).toBe(0.1);
    expect(drive(es, [1, 0.95, 0.5]).ran).toBe(2);
  });

  test('an unknown mode warns and falls back to auto', () => {
    const spy = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const es = callbacks.EarlyStopping({ mode: 'up' as never, monitor: 'val_auc', patience: 1 });
    expect(spy).toHaveBeenCalledWith('EarlyStopping mode up is unknown, fallback to auto mode.');
    spy.mockRestore();
    expect(es.mode).toBe('auto');
    expect(drive(es, [0.5, 0.6, 0.55], 'val_auc').ran).toBe(3); // auc maximized
  });

  test("auto: 'acc'/'auc' names maximize, others minimize; a compiled metric's direction wins", () => {
    expect(drive(callbacks.EarlyStopping({ monitor: 'acc', patience: 1 }), [0.5, 0.6, 0.55], 'acc').ran).toBe(3);
    expect(drive(callbacks.EarlyStopping({ monitor: 'mse', patience: 1 }), [0.5, 0.6, 0.55], 'mse').ran).toBe(2);
    const model = Object.assign(fakeModel(), { metricDirection: (name: string) => (name === 'precision' ? ('up' as const) : undefined) });
    expect(drive(callbacks.EarlyStopping({ monitor: 'val_precision', patience: 1 }), [0.5, 0.6, 0.55], 'val_precision', model).ran).toBe(3);
  });

  test('restoreBestWeights keeps the first watched weights until something improves; verbose prints', () => {
    const es = callbacks.EarlyStopping({ patience: 1, restoreBestWeights: true, verbose: 1, startFromEpoch: 1 });
    const printed: string[] = [];
    es.print = (m) => void printed.push(m);
    const { model } = drive(es, [5, 1, 2]);
    expect(model.restored).toBe(1);
    expect(printed).toEqual(['Epoch 3: early stopping', 'Restoring model weights from the end of the best epoch: 2.']);
  });
});

describe('ReduceLROnPlateau', () => {
  test('Keras defaults', () => {
    const r = callbacks.ReduceLROnPlateau();
    expect([r.monitor, r.factor, r.patience, r.mode, r.minDelta, r.cooldown, r.minLr]).toEqual(['val_loss', 0.1, 10, 'auto', 1e-4, 0, 0]);
    expect(() => callbacks.ReduceLROnPlateau({ factor: 1 })).toThrow(/factor >= 1.0 is not supported/);
  });

  test('reduces after patience, waits out the cooldown, stops at minLr, logs learning_rate', () => {
    const opt = optimizers.SGD({ learningRate: 1 });
    const r = callbacks.ReduceLROnPlateau({ patience: 2, factor: 0.5, cooldown: 1, minLr: 0.2 });
    // learning_rate is logged before any change of that epoch. 0: best; 1: wait 1; 2: wait 2 → 0.5, cooldown 1;
    // 3: cooldown ends, wait 1; 4: → 0.25; 5: wait 1; 6: → max(0.125, 0.2) = 0.2; later: not above minLr.
    const { logs } = drive(r, [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], 'val_loss', fakeModel(opt));
    expect(logs.map((l) => l['learning_rate'])).toEqual([1, 1, 1, 0.5, 0.5, 0.25, 0.25, 0.2, 0.2, 0.2, 0.2, 0.2]);
    expect(optimizers.getLearningRate(opt)).toBe(0.2);
    opt.dispose();
  });

  test('minDelta: a change smaller than 1e-4 is no improvement', () => {
    const opt = optimizers.Adam({ learningRate: 0.01 });
    drive(callbacks.ReduceLROnPlateau({ patience: 1 }), [1, 0.99995], 'val_loss', fakeModel(opt));
    expect(optimizers.getLearningRate(opt)).toBeCloseTo(0.001, 12);
    opt.dispose();
  });
});

test('LearningRateScheduler sets schedule(epoch, lr) at each epoch start and logs it', () => {
  const opt = optimizers.SGD({ learningRate: 0.1 });
  const seen: number[] = [];
  const s = callbacks.LearningRateScheduler((epoch, lr) => (seen.push(lr), epoch < 1 ? lr : lr * 0.5));
  const { logs } = drive(s, [1, 1, 1], 'loss', fakeModel(opt));
  expect(seen).toEqual([0.1, 0.1, 0.05]);
  expect(logs.map((l) => l['learning_rate'])).toEqual([0.1, 0.05, 0.025]);
  expect(() => drive(callbacks.LearningRateScheduler(() => NaN), [1], 'loss', fakeModel(opt))).toThrow(/finite number/);
  opt.dispose();
});

describe('CSVLogger', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csv-logger-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('epoch then sorted keys, Python float text, NA for missing keys; append keeps the header', () => {
    const file = path.join(dir, 'log.csv');
    const logger = callbacks.CSVLogger(file);
    logger.onTrainBegin();
    logger.onEpochEnd(0, { val_loss: 0.5, loss: 1, accuracy: 1e-5 });
    logger.onEpochEnd(1, { loss: 0.25, accuracy: NaN });
    logger.onTrainEnd();
    expect(fs.readFileSync(file, 'utf8')).toBe('epoch,accuracy,loss,val_loss\r\n0,1e-05,1.0,0.5\r\n1,nan,0.25,NA\r\n');
    const again = callbacks.CSVLogger(file, { append: true, separator: ';' });
    again.onTrainBegin();
    again.onEpochEnd(2, { loss: 0.125 });
    again.onTrainEnd();
    expect(fs.readFileSync(file, 'utf8').split('\r\n').slice(-2)).toEqual(['2;0.125', '']);
    expect(() => callbacks.CSVLogger(file, { separator: ';;' })).toThrow(/separator/);
  });

  test('pythonFloat writes floats as Python does', () => {
    expect([1, 0.1, 1e-7, 123456.5, 1e16, -Infinity, 0].map(pythonFloat)).toEqual(['1.0', '0.1', '1e-07', '123456.5', '1e+16', '-inf', '0.0']);
  });
});

test('TerminateOnNaN stops fit after the batch whose loss is NaN; fit returns', async () => {
  const model = new Sequential([layers.Dense({ units: 1, inputShape: [1] })]);
  // mse · y/y: NaN for the row whose label is 0.
  model.compile({ optimizer: 'sgd', loss: (yt, yp) => tf.mul(tf.mean(tf.square(tf.sub(yt, yp)), -1), tf.div(tf.reshape(yt, [-1]), tf.reshape(yt, [-1]))) });
  const x = tf.tensor2d([[1], [2], [3], [4]]);
  const y = tf.tensor2d([[1], [2], [0], [4]]);
  const printed: string[] = [];
  const stop = callbacks.TerminateOnNaN();
  stop.print = (m) => void printed.push(m);
  const batches: number[] = [];
  const h = await model.fit(x, y, { epochs: 3, batchSize: 1, shuffle: false, verbose: 0, callbacks: [stop, callbacks.LambdaCallback({ onBatchEnd: (b) => void batches.push(b) })] });
  expect(batches).toEqual([0, 1, 2]);
  expect(printed).toEqual(['Batch 2: Invalid loss, terminating training']);
  expect(h.epoch).toEqual([0]);
  expect(Number.isNaN(h.history['loss']![0])).toBe(true);
  tf.dispose([x, y]);
  model.dispose();
});

test('in fit: Callback subclasses get model and params; learning_rate reaches History; no leaks', async () => {
  const model = new Sequential([layers.Dense({ units: 2, inputShape: [3], activation: 'softmax' })]);
  model.compile({ optimizer: { className: 'SGD', config: { learningRate: 0.1 } }, loss: 'categoricalCrossentropy', metrics: ['accuracy', 'auc'] });
  const x = tf.randomNormal([12, 3], 0, 1, 'float32', 5);
  const y = tf.oneHot(tf.tensor1d([0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1], 'int32'), 2);
  class Recorder extends callbacks.Callback {
    seen: unknown[] = [];
    override onTrainBegin(): void {
      this.seen.push(this.params, this.model === model);
    }
  }
  const recorder = new Recorder();
  await model.fit(x, y, { epochs: 1, verbose: 0 }); // warm-up
  const h = await expectNoLeak(() =>
    model.fit(x, y, {
      epochs: 3, batchSize: 4, verbose: 0, validationSplit: 0.25,
      callbacks: [recorder, callbacks.LearningRateScheduler((e) => 0.1 / (e + 1)), callbacks.EarlyStopping({ monitor: 'val_auc', patience: 5, restoreBestWeights: true }), callbacks.ReduceLROnPlateau({ patience: 100 })],
    }),
  );
  expect(recorder.seen).toEqual([{ verbose: 0, epochs: 3, steps: 3 }, true]);
  expect(h.history['learning_rate']!.map((v) => +v.toFixed(6))).toEqual([0.1, 0.05, 0.033333]);
  tf.dispose([x, y]);
  model.dispose();
});

test('error paths leak no tensors', async () => {
  const model = new Sequential([layers.Dense({ units: 1, inputShape: [1] })]);
  model.compile({ optimizer: { className: 'SGD', config: { learningRate: { className: 'ExponentialDecay', config: { initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.5 } } } }, loss: 'mse' });
  const x = tf.ones([4, 1]);
  const y = tf.ones([4, 1]);
  await model.fit(x, y, { epochs: 1, verbose: 0 });
  await expectNoLeak(() => expect(model.fit(x, y, { epochs: 2, verbose: 0, callbacks: [callbacks.ReduceLROnPlateau({ monitor: 'loss', mode: 'max', patience: 0 })] })).rejects.toThrow(/not settable/));
  await expectNoLeak(() => expect(model.fit(x, y, { epochs: 2, verbose: 0, callbacks: [callbacks.LearningRateScheduler(() => 'x' as never)] })).rejects.toThrow(/finite number/));
  tf.dispose([x, y]);
  model.dispose();
});
