import { summarize } from '../src/study/analysis/summarize';
import { kernelStats } from '../src/study/analysis';
import type { SettingSummary, StudySummary } from '../src/study/records';
import { makeTrial } from './fixtures/study-data';

function setting(summary: StudySummary, name: string): SettingSummary {
  const found = summary.settings.find((s) => s.setting === name);
  if (!found) throw new Error(`no setting ${name}`);
  return found;
}

/** Three repeats of a classification setting with the given test accuracies and loss gaps. */
function classification(name: string, accuracies: number[], gaps: number[]) {
  return accuracies.map((accuracy, repeat) =>
    makeTrial({ setting: name, repeat, train: { loss: 0.2, accuracy: 0.95 }, test: { loss: 0.2 + gaps[repeat]!, accuracy } }),
  );
}

describe('summarize: aggregates', () => {
  it('gives n, mean, sample std, min and max of every final metric', () => {
    const trials = [0.8, 0.82, 0.84].map((accuracy, repeat) =>
      makeTrial({
        repeat,
        train: { loss: 0.1, accuracy: 0.9 },
        test: { loss: 0.5 + 0.1 * repeat, accuracy },
        weights: [kernelStats('dense', [repeat, 0, -1, 0.0001]), kernelStats('dense_1', [2])],
        secondsPerEpoch: 1 + repeat,
        bestEpoch: repeat,
      }),
    );
    const { metrics } = summarize(trials).settings[0]!;
    expect(metrics['test.accuracy']!.n).toBe(3);
    expect(metrics['test.accuracy']!.mean).toBeCloseTo(0.82, 12);
    expect(metrics['test.accuracy']!.std).toBeCloseTo(0.02, 12); // sqrt((0.02² + 0 + 0.02²) / 2)
    expect(metrics['test.accuracy']!.min).toBe(0.8);
    expect(metrics['test.accuracy']!.max).toBe(0.84);
    expect(metrics['test.loss']!.std).toBeCloseTo(0.1, 12);
    expect(metrics['gap.loss']!.mean).toBeCloseTo(0.5, 12); // test 0.5, 0.6, 0.7 − train 0.1
    expect(metrics['gap.accuracy']!.mean).toBeCloseTo(0.08, 12);
    // Kernel 0 L1 norms: |r| + 1 + 0.0001 for r = 0, 1, 2.
    expect(metrics['weights.0.l1Norm']!.mean).toBeCloseTo(2.0001, 12);
    expect(metrics['weights.0.l1Norm']!.std).toBeCloseTo(1, 12);
    expect(metrics['weights.0.zeroFraction']!.mean).toBeCloseTo((2 / 4 + 1 / 4 + 1 / 4) / 3, 12);
    expect(metrics['weights.0.nearZeroFraction']!.mean).toBeCloseTo((3 / 4 + 2 / 4 + 2 / 4) / 3, 12); // zeros and 0.0001
    expect(metrics['weights.1.l2Norm']).toEqual({ n: 3, mean: 2, std: 0, min: 2, max: 2 });
    expect(metrics['secondsPerEpoch']).toEqual({ n: 3, mean: 2, std: 1, min: 1, max: 3 });
    expect(metrics['bestEpoch']!.max).toBe(2);
    for (const key of ['train.loss', 'train.accuracy', 'penalty', 'samplesPerSecond', 'weights.0.l2Norm']) expect(metrics[key]).toBeDefined();
  });

  it('reports std 0 for a single repeat', () => {
    const { metrics } = summarize([makeTrial({ test: { loss: 0.7, accuracy: 0.6 } })]).settings[0]!;
    expect(metrics['test.loss']).toEqual({ n: 1, mean: 0.7, std: 0, min: 0.7, max: 0.7 });
  });
});

describe('summarize: ranking and baseline', () => {
  it('ranks classification by mean test accuracy, higher first; ties share a rank', () => {
    const trials = [
      ...classification('none', [0.8, 0.8], [0.3, 0.3]),
      ...classification('l1', [0.9, 0.86], [0.2, 0.2]), // mean 0.88
      ...classification('l2', [0.84, 0.84], [0.2, 0.2]),
      ...classification('dropout', [0.86, 0.9], [0.2, 0.2]), // mean 0.88, tie with l1
    ];
    const summary = summarize(trials);
    expect(summary.rankedBy).toBe('test.accuracy');
    expect(summary.settings.map((s) => [s.setting, s.rank])).toEqual([['none', 4], ['l1', 1], ['l2', 3], ['dropout', 1]]);
  });

  it('ranks regression by mean test loss, lower first, and has no accuracy metrics', () => {
    const trials = [
      makeTrial({ setting: 'none', train: { loss: 1 }, test: { loss: 3 } }),
      makeTrial({ setting: 'l2', train: { loss: 1.5 }, test: { loss: 2 } }),
      makeTrial({ setting: 'l1', train: { loss: 1.2 }, test: { loss: 2.5 } }),
    ];
    const summary = summarize(trials);
    expect(summary.rankedBy).toBe('test.loss');
    expect(summary.settings.map((s) => s.rank)).toEqual([3, 1, 2]);
    expect(summary.settings[0]!.metrics['test.accuracy']).toBeUndefined();
    expect(summary.settings[0]!.metrics['gap.accuracy']).toBeUndefined();
  });

  it('uses "none" as the default baseline, else the first setting, and follows settingOrder', () => {
    const a = makeTrial({ setting: 'l2' });
    const b = makeTrial({ setting: 'none' });
    const c = makeTrial({ setting: 'dropout' });
    expect(summarize([a, b, c]).baseline).toBe('none');
    expect(summarize([a, c]).baseline).toBe('l2');
    expect(summarize([a, b, c], { baseline: 'dropout' }).baseline).toBe('dropout');
    const ordered = summarize([a, b, c], { settingOrder: ['none', 'missing', 'dropout'] });
    expect(ordered.settings.map((s) => s.setting)).toEqual(['none', 'dropout', 'l2']);
  });

  it('rejects an unknown baseline, duplicate repeats and an empty study', () => {
    expect(() => summarize([makeTrial()], { baseline: 'l1' })).toThrow(/`baseline` for summarize.*"none".*Received: baseline="l1"/);
    expect(() => summarize([makeTrial(), makeTrial()])).toThrow(/`trials`.*one record per \(setting, repeat\).*repeat 0/);
    expect(() => summarize([])).toThrow(/`trials`.*at least one/);
  });
});

describe('summarize: verdicts from paired differences', () => {
  // Baseline gaps 0.2, 0.3, 0.25 (mean 0.25); accuracies 80, 82, 84 %.
  const none = classification('none', [0.8, 0.82, 0.84], [0.2, 0.3, 0.25]);

  it('states the relative gap change and the accuracy difference in points, ± the paired std', () => {
    // Paired gap differences −0.1, −0.2, −0.15 → mean −60% ± 20% of 0.25; accuracy +1, +1, +2 pt.
    const dropout = classification('dropout', [0.81, 0.83, 0.86], [0.1, 0.1, 0.1]);
    const summary = summarize([...none, ...dropout.reverse()]); // pairing goes by repeat index, not order
    const s = setting(summary, 'dropout');
    expect(s.verdict).toBe('dropout: loss gap \u221260% \u00b1 20%, test accuracy +1.3 \u00b1 0.6 pt');
    expect(s.withinSpread).toBe(false);
  });

  it('says "within spread" when |mean difference| ≤ std of the differences', () => {
    // Accuracy differences +2, −2, +1 pt: mean 0.33, std 2.08. Gap differences 0, 0, 0.
    const l2 = classification('l2', [0.82, 0.8, 0.85], [0.2, 0.3, 0.25]);
    const s = setting(summarize([...none, ...l2]), 'l2');
    expect(s.verdict).toBe('l2: loss gap 0.0% \u00b1 0.0%, test accuracy +0.3 \u00b1 2.1 pt (within spread)');
    expect(s.withinSpread).toBe(true);
  });

  it('notes a single repeat has no spread', () => {
    const trials = [...classification('none', [0.8], [0.4]), ...classification('l1', [0.79], [0.1])];
    const s = setting(summarize(trials), 'l1');
    expect(s.verdict).toBe('l1: loss gap \u221275%, test accuracy \u22121.0 pt (1 repeat: no spread)');
    expect(s.withinSpread).toBe(true);
  });

  it('uses the relative test loss change for regression', () => {
    const regression = (name: string, tests: number[], gaps: number[]) =>
      tests.map((loss, repeat) => makeTrial({ setting: name, repeat, train: { loss: loss - gaps[repeat]! }, test: { loss } }));
    // Test loss differences −0.1, −0.2 of a 1.1 mean → −13.6% ± 6.4%; gap differences −0.1, −0.2 of 0.3 → −50% ± 23.6%.
    const trials = [...regression('none', [1.0, 1.2], [0.2, 0.4]), ...regression('l2', [0.9, 1.0], [0.1, 0.2])];
    const summary = summarize(trials);
    expect(setting(summary, 'l2').verdict).toBe('l2: loss gap \u221250% \u00b1 24%, test loss \u221214% \u00b1 6%');
    expect(setting(summary, 'none').verdict).toBe('none: baseline (loss gap 0.300, test loss 1.10, 2 repeats)');
  });

  it('describes the baseline as the baseline', () => {
    const s = setting(summarize(none), 'none');
    expect(s.verdict).toBe('none: baseline (loss gap 0.250, test accuracy 82.0%, 3 repeats)');
    expect(s.withinSpread).toBe(true);
  });

  it('says so when a setting shares no repeat with the baseline', () => {
    const trials = [makeTrial({ setting: 'none', repeat: 0 }), makeTrial({ setting: 'l1', repeat: 1 })];
    expect(setting(summarize(trials), 'l1').verdict).toBe('l1: no repeat in common with the baseline');
  });
});
