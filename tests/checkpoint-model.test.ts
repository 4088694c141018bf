/** ModelCheckpoint (Keras 3 semantics), its filepath placeholders, and BackupAndRestore in one process. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError, Sequential, callbacks, layers, loadModel, tf, utils } from '../src';
import { formatFilepath } from '../src/training/callbacks/filepath-format';
import { blobs, expectNoLeak, flat, useBackend } from './helpers';

beforeAll(() => useBackend('wasm'));

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-ts-ckpt-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function model(): Sequential {
  const m = new Sequential()
    .add(layers.Dense(8, { activation: 'relu', inputShape: [8] }))
    .add(layers.Dropout(0.2))
    .add(layers.Dense(3, { activation: 'softmax' }));
  m.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return m;
}

const INTS = new Set(['epoch', 'batch']);

describe('filepath placeholders (Python str.format subset)', () => {
  test.each([
    ['{epoch}', { epoch: 3 }, '3'],
    ['{epoch:02d}', { epoch: 3 }, '03'],
    ['{epoch:d}', { epoch: 12 }, '12'],
    ['{epoch:3d}', { epoch: 7 }, '  7'],
    ['{val_loss:.4f}', { val_loss: 0.123456 }, '0.1235'],
    ['{val_loss:.2f}', { val_loss: -1.005 }, '-1.00'],
    ['{loss}', { loss: 1 }, '1.0'],
    ['{loss}', { loss: 0.5 }, '0.5'],
    ['{loss:.2e}', { loss: 12345 }, '1.23e+04'],
    ['{epoch:.1f}', { epoch: 2 }, '2.0'],
    ['a{{b}}{epoch}', { epoch: 1 }, 'a{b}1'],
  ])('%s with %j → %s', (template, values, expected) => {
    expect(formatFilepath(template, values, INTS)).toBe(expected);
  });

  test('a missing field, an unsupported spec, a float with d and a lone brace are clear errors', () => {
    expect(() => formatFilepath('{val_acc:.2f}.keras', { epoch: 1, loss: 1 }, INTS)).toThrow(/no value named 'val_acc'.*Available: epoch, loss/);
    expect(() => formatFilepath('{loss:>10s}', { loss: 1 }, INTS)).toThrow(/Unsupported format spec ':>10s' for field 'loss'/);
    expect(() => formatFilepath('{loss:d}', { loss: 0.5 }, INTS)).toThrow(/'loss'.*not an integer/);
    expect(() => formatFilepath('a}b', {}, INTS)).toThrow(/single '}'/);
    expect(() => formatFilepath('{toString}', {}, INTS)).toThrow(/no value named 'toString'/);
  });
});

describe('ModelCheckpoint', () => {
  test('options are checked at construction, as Keras 3', () => {
    expect(() => callbacks.ModelCheckpoint({ filepath: 'w.keras', saveWeightsOnly: true })).toThrow(/must end in \.weights\.h5/);
    expect(() => callbacks.ModelCheckpoint({ filepath: 'm.h5' })).toThrow(ConfigError);
    expect(() => callbacks.ModelCheckpoint({ filepath: 'm.weights.h5' })).toThrow(/needs saveWeightsOnly/);
    expect(() => callbacks.ModelCheckpoint({ filepath: '' })).toThrow(/`filepath`/);
    expect(() => callbacks.ModelCheckpoint({ filepath: 'm.keras', saveFreq: 0 })).toThrow(/`saveFreq`/);
    expect(() => callbacks.ModelCheckpoint({ filepath: 'm.keras', saveFreq: 'batch' as never })).toThrow(/`saveFreq`/);
    expect(() => callbacks.ModelCheckpoint({ filepath: 'm.keras', initialValueThreshold: Number.NaN })).toThrow(/initialValueThreshold/);
    expect(() => callbacks.ModelCheckpoint({ filepath: 'm.keras', save_best_only: true } as never)).toThrow(/saveBestOnly/);
  });

  test('every epoch, {epoch:02d}-{val_loss:.4f}.keras: one file per epoch, each loadable, the last equal to the model; no leaks', async () => {
    utils.setRandomSeed(1);
    const m = model();
    const { x, y } = blobs(48);
    const dir = path.join(tmp, 'every');
    const ckpt = callbacks.ModelCheckpoint({ filepath: path.join(dir, '{epoch:02d}-{val_loss:.4f}.keras') });
    await m.fit(x, y, { epochs: 1, batchSize: 16, verbose: 0 }); // optimizer slots exist before the leak check
    const history = await expectNoLeak(() => m.fit(x, y, { epochs: 3, batchSize: 16, validationSplit: 0.25, verbose: 0, callbacks: [ckpt] }));
    const names = fs.readdirSync(dir).sort();
    expect(names).toEqual(history.history['val_loss']!.map((v, i) => `0${i + 1}-${v.toFixed(4)}.keras`));
    expect(ckpt.saved.map((f) => path.basename(f))).toEqual(names);
    const last = await loadModel(path.join(dir, names[2]!));
    expect(flat(last.getWeights())).toEqual(flat(m.getWeights()));
    expect(last.isCompiled).toBe(true); // .keras keeps the optimizer, as Keras
    last.dispose();
    m.dispose();
    tf.dispose([x, y]);
  });

  test('saveBestOnly with a fixed path keeps the best epoch; initialValueThreshold blocks worse ones; mode max for accuracy', async () => {
    utils.setRandomSeed(2);
    const m = model();
    const { x, y } = blobs(48);
    const file = path.join(tmp, 'best.keras');
    const seen: number[][][] = [];
    const ckpt = callbacks.ModelCheckpoint({ filepath: file, monitor: 'val_loss', saveBestOnly: true });
    const snapshot = { onEpochEnd: () => void seen.push(flat(m.getWeights())) };
    const history = await m.fit(x, y, { epochs: 4, batchSize: 16, validationSplit: 0.25, verbose: 0, callbacks: [ckpt, snapshot] });
    const losses = history.history['val_loss']!;
    const best = losses.indexOf(Math.min(...losses));
    expect(ckpt.best).toBe(losses[best]);
    const loaded = await loadModel(file);
    expect(flat(loaded.getWeights())).toEqual(seen[best]);
    loaded.dispose();

    const never = callbacks.ModelCheckpoint({ filepath: path.join(tmp, 'never.keras'), monitor: 'val_loss', saveBestOnly: true, initialValueThreshold: -1 });
    await m.fit(x, y, { epochs: 2, batchSize: 16, validationSplit: 0.25, verbose: 0, callbacks: [never] });
    expect(fs.existsSync(path.join(tmp, 'never.keras'))).toBe(false);

    const acc = callbacks.ModelCheckpoint({ filepath: path.join(tmp, 'acc.keras'), monitor: 'val_accuracy', saveBestOnly: true });
    const h = await m.fit(x, y, { epochs: 3, batchSize: 16, validationSplit: 0.25, verbose: 0, callbacks: [acc] });
    expect(acc.best).toBe(Math.max(...h.history['val_accuracy']!));
    m.dispose();
    tf.dispose([x, y]);
  });

  test('saveWeightsOnly writes .weights.h5 that loadWeights reads; a directory path writes tfjs-layers; saveFreq in batches with {batch}', async () => {
    utils.setRandomSeed(3);
    const m = model();
    const { x, y } = blobs(48);
    const weights = callbacks.ModelCheckpoint({ filepath: path.join(tmp, 'w-{epoch}.weights.h5'), saveWeightsOnly: true });
    const tfjsDir = callbacks.ModelCheckpoint({ filepath: path.join(tmp, 'tfjs-{epoch}') });
    const batches = callbacks.ModelCheckpoint({ filepath: path.join(tmp, 'b', 'e{epoch}-b{batch}.keras'), saveFreq: 2 });
    await m.fit(x, y, { epochs: 2, batchSize: 16, verbose: 0, callbacks: [weights, tfjsDir, batches] });
    const fresh = model();
    await fresh.loadWeights(path.join(tmp, 'w-2.weights.h5'));
    expect(flat(fresh.getWeights())).toEqual(flat(m.getWeights()));
    expect(fs.existsSync(path.join(tmp, 'tfjs-2', 'model.json'))).toBe(true);
    const fromDir = await loadModel(path.join(tmp, 'tfjs-2'));
    expect(flat(fromDir.getWeights())).toEqual(flat(m.getWeights()));
    // 3 batches per epoch, every 2 batches across epochs (Keras' count): e1-b2, e2-b1, e2-b3.
    expect(fs.readdirSync(path.join(tmp, 'b')).sort()).toEqual(['e1-b2.keras', 'e2-b1.keras', 'e2-b3.keras']);
    [fresh, fromDir, m].forEach((t) => t.dispose());
    tf.dispose([x, y]);
  });

  test('verbose messages as Keras', async () => {
    utils.setRandomSeed(4);
    const m = model();
    const { x, y } = blobs(32);
    const lines: string[] = [];
    const ckpt = callbacks.ModelCheckpoint({ filepath: path.join(tmp, 'v.keras'), saveBestOnly: true, monitor: 'loss', verbose: 1, initialValueThreshold: 100 });
    ckpt.print = (line) => void lines.push(line);
    await m.fit(x, y, { epochs: 1, batchSize: 16, verbose: 0, callbacks: [ckpt] });
    expect(lines[0]).toMatch(/^\nEpoch 1: loss improved from 100\.00000 to \d+\.\d{5}, saving model to .*v\.keras$/);
    m.dispose();
    tf.dispose([x, y]);
  });
});

describe('BackupAndRestore in one process', () => {
  test('an interrupted fit resumed by a new model with the same callback ends as an uninterrupted one; no leaks; backup removed', async () => {
    const { x, y } = blobs(48);
    const opts = { epochs: 5, batchSize: 16, validationSplit: 0.25, verbose: 0 as const };
    utils.setRandomSeed(9);
    const reference = model();
    const referenceBefore = tf.memory().numTensors;
    const full = await reference.fit(x, y, opts);
    // What a first fit leaves: the optimizer's slots, created at the first step.
    const optimizerTensors = tf.memory().numTensors - referenceBefore;

    const backupDir = path.join(tmp, 'backup');
    utils.setRandomSeed(9);
    const first = model();
    const crash = { onEpochEnd: (epoch: number) => { if (epoch === 2) throw new Error('simulated crash'); } };
    await expect(first.fit(x, y, { ...opts, callbacks: [callbacks.BackupAndRestore({ backupDir }), crash] })).rejects.toThrow('simulated crash');
    expect(fs.readdirSync(backupDir)).toEqual(['latest.keras']);
    first.dispose();

    utils.setRandomSeed(9);
    const second = model();
    const restore = callbacks.BackupAndRestore({ backupDir });
    const before = tf.memory().numTensors;
    const resumed = await second.fit(x, y, { ...opts, callbacks: [restore] });
    // The resumed fit leaves exactly what a first fit leaves (the slots, restored instead of created).
    expect(tf.memory().numTensors - before).toBe(optimizerTensors);
    expect(restore.restoredEpoch).toBe(3);
    expect(resumed.epoch).toEqual([3, 4]);
    expect(flat(second.getWeights())).toEqual(flat(reference.getWeights()));
    expect(resumed.history['val_loss']).toEqual(full.history['val_loss']!.slice(3));
    expect(fs.existsSync(backupDir)).toBe(false);
    // A second fit with nothing to restore starts at 0 and leaks nothing.
    await expectNoLeak(() => second.fit(x, y, { ...opts, epochs: 1, callbacks: [restore] }));
    expect(restore.restoredEpoch).toBe(0);
    [reference, second].forEach((m) => m.dispose());
    tf.dispose([x, y]);
  });

  test('options and bad backups are clear errors; deleteCheckpoint false keeps the backup; other files in backupDir are left alone', async () => {
    expect(() => callbacks.BackupAndRestore({ backupDir: '' })).toThrow(/`backupDir`/);
    expect(() => callbacks.BackupAndRestore({ backupDir: 'b', saveFreq: 10 as never })).toThrow(/`saveFreq`/);
    expect(() => callbacks.BackupAndRestore({ backupDir: 'b', deleteCheckpoint: 'yes' as never })).toThrow(/`deleteCheckpoint`/);
    const { x, y } = blobs(32);
    const keep = path.join(tmp, 'keep');
    utils.setRandomSeed(5);
    const m = model();
    fs.mkdirSync(keep, { recursive: true });
    fs.writeFileSync(path.join(keep, 'notes.txt'), 'mine');
    await m.fit(x, y, { epochs: 2, batchSize: 16, verbose: 0, callbacks: [callbacks.BackupAndRestore({ backupDir: keep, deleteCheckpoint: false })] });
    expect(fs.readdirSync(keep).sort()).toEqual(['latest.keras', 'notes.txt']);
    // Restoring into a model whose optimizer already has slots replaces them without leaking.
    await expectNoLeak(() => m.fit(x, y, { epochs: 3, batchSize: 16, verbose: 0, callbacks: [callbacks.BackupAndRestore({ backupDir: keep })] }));
    expect(fs.readdirSync(keep)).toEqual(['notes.txt']);

    const bad = path.join(tmp, 'bad');
    fs.mkdirSync(bad);
    fs.writeFileSync(path.join(bad, 'latest.keras'), 'not a zip');
    const weightsBefore = flat(m.getWeights());
    await expect(m.fit(x, y, { epochs: 2, verbose: 0, callbacks: [callbacks.BackupAndRestore({ backupDir: bad })] })).rejects.toThrow(/latest\.keras/);
    expect(flat(m.getWeights())).toEqual(weightsBefore);
    // A plain model file (no backup counters) is refused too.
    await m.save(path.join(bad, 'latest.keras'), { includeOptimizer: false });
    await expect(m.fit(x, y, { epochs: 2, verbose: 0, callbacks: [callbacks.BackupAndRestore({ backupDir: bad })] })).rejects.toThrow(/not a training backup/);
    m.dispose();
    tf.dispose([x, y]);
  });
});
