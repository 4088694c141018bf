/**
 * The tuner's execution layer: a training segment continued from its checkpoint equals one replayed
 * from the seed (what a queue worker without the file does); a tune on N worker processes gives the
 * same trials and answer as one in this process; the progress plan adds up; bad options are clear.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { datasets, tf } from '../src';
import { tune } from '../src/study';
import type { TuneEvent } from '../src/study';
import { parseStudyFile, resolveConfig } from '../src/study/config/resolve';
import { runSegment, searchView } from '../src/study/run/segment';
import { plannedEpochs } from '../src/study/tune/search';
import { resolveTuneConfig } from '../src/study/tune/config';
import { expectNoLeak, useBackend } from './helpers';
import { comparableTune } from './study-helpers';

beforeAll(() => useBackend('wasm'));

const DATA = { source: 'synthetic' as const, samples: 120 };
const TINY = { hidden: [8], epochs: 9, minEpochs: 1, trials: 3, repeats: 2, techniques: 'l2,dropout', backend: 'wasm' as const, batchSize: 16, dataset: DATA };
const tmp = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'keras-ts-tune-par-'));
const comparable = comparableTune;

describe('training segments', () => {
  const data = datasets.synthetic({ samples: 120, seed: 5 });
  const config = resolveConfig(parseStudyFile({ dataset: { source: 'synthetic' }, hidden: [8], settings: 'l2=1e-3+dropout=0.3', epochs: 6, batchSize: 16 }), { source: 'synthetic' });
  afterAll(() => data.dispose());

  test('continuing from a checkpoint and replaying from the seed give the same epochs, bit for bit, and leak nothing', async () => {
    const dir = tmp();
    const file = path.join(dir, 'e2.keras');
    const view = searchView(data);
    const first = await expectNoLeak(() => runSegment(config, view, { from: 0, to: 2, saveTo: file, key: 'a' }));
    expect(first.curves.val_loss).toHaveLength(2);
    const continued = await expectNoLeak(() => runSegment(config, view, { from: 2, to: 5, resumeFrom: file, key: 'b' }));
    const replayed = await expectNoLeak(() => runSegment(config, view, { from: 2, to: 5, resumeFrom: path.join(dir, 'missing.keras'), key: 'b' }));
    expect(continued.replayed).toBe(false);
    expect(replayed.replayed).toBe(true);
    expect(replayed.curves).toEqual(continued.curves);
    expect(continued.curves.val_loss).toHaveLength(3);
    // And both equal one uninterrupted run of 5 epochs.
    const whole = await runSegment(config, view, { from: 0, to: 5, key: 'c' });
    expect(whole.curves.val_loss.slice(2)).toEqual(continued.curves.val_loss);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the search view has no test split', () => {
    expect('test' in searchView(data)).toBe(false);
  });
});

test('a tune on 2 worker processes gives the trials and answer of one in this process', async () => {
  const events: TuneEvent[] = [];
  const parallel = await tune({ ...TINY, parallel: 2, out: tmp(), onProgress: (e) => void events.push(e) });
  const serial = await tune(TINY);
  expect(comparable(parallel.data)).toEqual(comparable(serial.data));
  // The plan counted what was trained: the search's epochs and the confirmation's, no more.
  const start = events.find((e) => e.type === 'search-start') as Extract<TuneEvent, { type: 'search-start' }>;
  const trained = events.reduce((n, e) => n + (e.type === 'segment-end' ? e.trained : e.type === 'confirm-trial' ? e.record.epochs : 0), 0);
  expect(trained).toBe(parallel.data.spent.epochs + parallel.data.trials.reduce((n, t) => n + t.epochs, 0));
  expect(trained).toBeLessThanOrEqual(start.plannedEpochs);
}, 240_000);

test('the plan: ASHA with η = 3 over rungs 1, 3, 9 trains 9 + 3·2 + 1·6 epochs per technique', () => {
  const config = resolveTuneConfig({ trials: 9, epochs: 9, minEpochs: 1, repeats: 2, techniques: 'l2' }, { source: 'synthetic' });
  // l2: 21; the baseline has nothing to search: one trial of 9; confirmation: 2 techniques × 2 repeats × 9.
  expect(plannedEpochs(config)).toBe(21 + 9 + 36);
  expect(plannedEpochs({ ...config, pruner: 'none' })).toBe(9 * 9 + 9 + 36);
});

test('bad execution options are clear errors', async () => {
  await expect(tune({ ...TINY, parallel: 0 })).rejects.toThrow(/Invalid `parallel` for study\.tune: expected a number of worker processes >= 1/);
  await expect(tune({ ...TINY, queue: 'http://x' })).rejects.toThrow(/Invalid `queue`: expected a Redis URL/);
  await expect(tune({ ...TINY, queue: 'redis://127.0.0.1:1', parallel: 2 })).rejects.toThrow(/Both `parallel` and `queue`/);
  const data = datasets.synthetic({ samples: 60, seed: 1 });
  await expect(tune({ ...TINY, dataset: data, queue: 'redis://127.0.0.1:1' })).rejects.toThrow(/needs its data as a spec/);
  data.dispose();
});

test('data that cannot load, or that the model cannot fit, leaves no tune.json behind and no tensors', async () => {
  const out = tmp();
  const before = tf.memory().numTensors;
  await expect(tune({ ...TINY, dataset: { source: 'fashion-mnist', dir: '/nonexistent/keras-ts-data' }, out })).rejects.toThrow(/\/nonexistent\/keras-ts-data/);
  expect(fs.existsSync(path.join(out, 'tune.json'))).toBe(false);
  await expect(tune({ ...TINY, dataset: { source: 'synthetic', samples: 20_000 }, hidden: [200_000], out })).rejects.toThrow(/Invalid `hidden`: evaluating \d+ rows through a 200000-unit layer/);
  expect(fs.existsSync(path.join(out, 'tune.json'))).toBe(false);
  expect(tf.memory().numTensors).toBe(before);
});
