import { ConfigError, tf } from '../src';
import { compare } from '../src/study';
import type { StudyEvent } from '../src/study';
import { synthetic } from '../src/datasets';
import { parseStudyFile, resolveConfig } from '../src/study/config/resolve';
import { buildModel } from '../src/study/run/model-for-setting';
import { setRandomSeed } from '../src/backend/random';
import { parseSettings } from '../src/study/config/settings';
import { expectNoLeak, flat, useBackend } from './helpers';
import { TINY_STUDY, withoutTiming } from './study-helpers';

beforeAll(() => useBackend('wasm'));

test('every setting of a repeat starts from the same initial weights', () => {
  const config = resolveConfig(parseStudyFile({ hidden: [8, 6] }), { source: 'synthetic' });
  const weightsOf = (settings: string) =>
    parseSettings(settings).map(({ spec }) => {
      setRandomSeed(7);
      const model = buildModel(config, spec, 5, 3, true);
      const values = flat(model.getWeights());
      model.dispose();
      return values;
    });
  const [none, ...others] = weightsOf('none,l1,l2,dropout=0.5,l2+dropout=0.3,maxnorm=2');
  for (const w of others) expect(w).toEqual(none);
});

test('a zero-strength regularizer reproduces the baseline bit for bit (same split, batches, weights)', async () => {
  const result = await compare({ ...TINY_STUDY, settings: 'none,l1=0,l2=0', repeats: 1 });
  const [none, l1, l2] = result.trials.map(withoutTiming);
  expect({ ...l1, setting: 'none' }).toEqual(none);
  expect({ ...l2, setting: 'none' }).toEqual(none);
});

test('records: curves per epoch, inference-mode scores, gap, kernels, penalty', async () => {
  const result = await compare(TINY_STUDY);
  expect(result.trials.map((t) => `${t.setting}/${t.repeat}/${t.seed}`)).toEqual([
    'none/0/11', 'l1/0/11', 'dropout/0/11', 'none/1/12', 'l1/1/12', 'dropout/1/12',
  ]);
  for (const t of result.trials) {
    expect(t.backend).toBe('wasm');
    expect(t.epochs).toBe(3);
    for (const key of ['loss', 'penalty', 'accuracy', 'val_loss', 'val_accuracy'] as const) expect(t.curves[key]).toHaveLength(3);
    expect(t.gap.loss).toBeCloseTo(t.test.loss - t.train.loss, 10);
    expect(t.gap.accuracy).toBeCloseTo(t.train.accuracy! - t.test.accuracy!, 10);
    expect(t.weights.map((w) => w.layer)).toEqual(['hidden_1', 'output']);
    expect(t.bestEpoch).toBe(t.curves.val_loss!.indexOf(Math.min(...t.curves.val_loss!)));
    expect(t.secondsPerEpoch).toBeGreaterThan(0);
    expect(t.samplesPerSecond).toBeGreaterThan(0);
  }
  const l1 = result.trials[1]!;
  // The final penalty is l1·Σ|w| over the regularized (hidden) kernel.
  expect(l1.penalty).toBeCloseTo(1e-3 * l1.weights[0]!.l1Norm, 6);
  expect(result.trials[0]!.penalty).toBe(0);
  expect(result.trials[0]!.curves.penalty.every((p) => p === 0)).toBe(true);
  // Repeats differ by seed.
  expect(result.trials[3]!.curves.loss).not.toEqual(result.trials[0]!.curves.loss);
  expect(result.settings.map((s) => s.setting)).toEqual(['none', 'l1', 'dropout']);
  expect(result.data.summary.baseline).toBe('none');
  expect(result.data.context).toMatchObject({ backend: 'wasm', tfjsVersion: tf.version.tfjs });
});

test('the same study twice gives identical records', async () => {
  const a = await compare({ ...TINY_STUDY, repeats: 1 });
  const b = await compare({ ...TINY_STUDY, repeats: 1 });
  expect(b.trials.map(withoutTiming)).toEqual(a.trials.map(withoutTiming));
});

test('in-memory data: the same numbers as its spec, no leaked tensors, the data left intact', async () => {
  const spec = TINY_STUDY.data as { source: 'synthetic' } & Record<string, unknown>;
  const { source, ...options } = spec;
  void source;
  const data = synthetic(options);
  const events: StudyEvent['type'][] = [];
  const fromMemory = await expectNoLeak(() => compare({ ...TINY_STUDY, repeats: 1, data, onProgress: (e) => events.push(e.type) }));
  const fromSpec = await compare({ ...TINY_STUDY, repeats: 1 });
  expect(fromMemory.trials.map(withoutTiming)).toEqual(fromSpec.trials.map(withoutTiming));
  expect(fromMemory.data.config['data']).toMatchObject({ source: 'in-memory', name: 'synthetic', fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/) });
  expect(data.train.x.isDisposed).toBe(false);
  expect(events.filter((e) => e === 'epoch')).toHaveLength(9);
  expect(events[0]).toBe('study-start');
  data.dispose();
});

test('bad options are ConfigErrors naming the option', async () => {
  await expect(compare({ ...TINY_STUDY, epochs: -1 })).rejects.toThrow(/`epochs`.*Received: epochs=-1/);
  await expect(compare({ ...TINY_STUDY, settings: 'none,l4' })).rejects.toThrow(/unknown technique "l4"/);
  await expect(compare({ ...TINY_STUDY, repeat: 2 } as never)).rejects.toThrow(ConfigError);
  await expect(compare({ ...TINY_STUDY, repeat: 2 } as never)).rejects.toThrow(/Unknown option `repeat` for study.compare/);
});
