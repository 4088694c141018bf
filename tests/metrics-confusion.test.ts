import { Sequential, layers, metrics, tf } from '../src';
import type { MetricIdentifier } from '../src';
import { expectNoLeak, useBackend } from './helpers';

beforeAll(() => useBackend('wasm'));

/** A model whose output is its input (identity kernel, zero bias, linear), so predictions are hand-set. */
function identityModel(units: number, loss: 'mse' | 'sparseCategoricalCrossentropy', metricList: MetricIdentifier[]): Sequential {
  const model = new Sequential([layers.Dense({ units, inputShape: [units] })]);
  model.compile({ optimizer: { className: 'SGD', config: { learningRate: 1e-30 } }, loss, metrics: metricList });
  model.setWeights([tf.eye(units), tf.zeros([units])]);
  return model;
}

// Binary: scores and labels of a hand-made confusion matrix at threshold 0.5:
// predicted positive rows 0, 1, 3, 5, 7 → tp = 3 (0, 1, 5), fp = 2 (3, 7), fn = 1 (2), tn = 2 (4, 6).
const scores = [0.9, 0.8, 0.3, 0.6, 0.2, 0.7, 0.1, 0.55];
const labels = [1, 1, 1, 0, 0, 1, 0, 0];

test('binary precision, recall, F1 and AUC from counts summed over batches (evaluate and fit agree)', async () => {
  const model = identityModel(1, 'mse', ['precision', 'recall', metrics.F1Score({ threshold: 0.5 }), 'auc', metrics.AUC({ curve: 'PR', name: 'pr_auc' })]);
  const x = tf.tensor2d(scores, [8, 1]);
  const y = tf.tensor2d(labels, [8, 1]);
  const expected = { precision: 3 / 5, recall: 3 / 4, f1_score: (2 * 0.6 * 0.75) / 1.35, auc: 14 / 16 }; // AUC: 14 of 16 (pos, neg) pairs ordered
  const logs = await expectNoLeak(() => model.evaluate(x, y, { batchSize: 3 }));
  for (const [name, value] of Object.entries(expected)) expect(logs[name]).toBeCloseTo(value, 4);
  expect(logs['pr_auc']).toBeGreaterThan(0.5);
  expect(logs['pr_auc']).toBeLessThanOrEqual(1);
  // One batch gives the same counts as three.
  const whole = await model.evaluate(x, y, { batchSize: 8 });
  for (const name of Object.keys(expected)) expect(whole[name]).toBeCloseTo(logs[name]!, 6);

  await model.fit(x, y, { epochs: 1, batchSize: 3, verbose: 0, shuffle: false }); // warm-up
  const history = await expectNoLeak(() => model.fit(x, y, { epochs: 1, batchSize: 3, verbose: 0, shuffle: false }));
  for (const [name, value] of Object.entries(expected)) expect(history.history[name]![0]).toBeCloseTo(value, 4);
  tf.dispose([x, y]);
  model.dispose();
});

// Multi-class: true [0, 0, 1, 1, 2, 2], argmax [0, 1, 1, 1, 2, 0].
const rows = [[0.8, 0.15, 0.05], [0.3, 0.6, 0.1], [0.1, 0.8, 0.1], [0.2, 0.7, 0.1], [0.1, 0.1, 0.8], [0.5, 0.4, 0.1]];
const classes = [0, 0, 1, 1, 2, 2];
const macroF1 = (0.5 + 0.8 + 2 / 3) / 3; // per class: p .5 r .5; p 2/3 r 1; p 1 r .5

test.each(['mse', 'sparseCategoricalCrossentropy'] as const)('multi-class F1 (macro, micro, weighted), precision, recall, top-k (%s labels)', async (loss) => {
  const model = identityModel(3, loss, [
    metrics.F1Score({ average: 'macro', name: 'f1_macro' }),
    metrics.F1Score({ average: 'micro', name: 'f1_micro' }),
    metrics.F1Score({ average: 'weighted', name: 'f1_weighted' }),
    'precision', 'recall',
    metrics.TopKCategoricalAccuracy({ k: 1, name: 'top1' }),
    metrics.TopKCategoricalAccuracy({ k: 2, name: 'top2' }),
    'topKCategoricalAccuracy',
  ]);
  const x = tf.tensor2d(rows);
  const y = loss === 'mse' ? tf.oneHot(tf.tensor1d(classes, 'int32'), 3) : tf.tensor2d(classes, [6, 1]);
  const logs = await expectNoLeak(() => model.evaluate(x, y, { batchSize: 4 }));
  expect(logs['f1_macro']).toBeCloseTo(macroF1, 4);
  expect(logs['f1_micro']).toBeCloseTo(2 / 3, 4);
  expect(logs['f1_weighted']).toBeCloseTo(macroF1, 4); // equal supports
  expect(logs['precision']).toBeCloseTo(4 / 5, 5); // 0.5 in row 5 is not > 0.5
  expect(logs['recall']).toBeCloseTo(4 / 6, 5);
  expect(logs['top1']).toBeCloseTo(4 / 6, 5);
  expect(logs['top2']).toBeCloseTo(5 / 6, 5);
  expect(logs['topKCategoricalAccuracy']).toBe(1); // k = 5 > 3 classes
  tf.dispose([x, y]);
  model.dispose();
});

test('hinge maps 0/1 labels to −1/1', async () => {
  const model = identityModel(1, 'mse', ['hinge']);
  const x = tf.tensor2d([[0.3], [-0.5]]);
  const logs = await model.evaluate(x, tf.tensor2d([[1], [0]]));
  expect(logs['hinge']).toBeCloseTo((0.7 + 0.5) / 2, 5);
  expect((await model.evaluate(x, tf.tensor2d([[1], [-1]])))['hinge']).toBeCloseTo(0.6, 5);
  model.dispose();
});

test('metric options are checked', () => {
  expect(() => identityModel(3, 'mse', ['f1Score'])).toThrow(/average.*'micro', 'macro' or 'weighted'/);
  expect(() => identityModel(1, 'mse', [metrics.Precision({ thresholds: 2 })])).toThrow(/thresholds/);
  expect(() => identityModel(1, 'mse', [metrics.AUC({ numThresholds: 1 })])).toThrow(/numThresholds/);
  expect(() => identityModel(1, 'mse', [{ className: 'AUC', config: { num_thresholds: 5 } }])).toThrow(/did you mean numThresholds/);
});
