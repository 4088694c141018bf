/** The tuner's pure parts: samplers, rungs, ASHA and median decisions, option errors. */
import { ConfigError } from '../src';
import { bestTrial, epochRungs, haltonPoint, medianPrunes, nextJob, radicalInverse, randomPoint } from '../src/study/tune';
import type { RungResult, SchedulerOptions } from '../src/study/tune';
import { resolveTuneConfig } from '../src/study/tune/config';
import { settingText } from '../src/study/tune/space';
import { trialPoint } from '../src/study/tune/search';

describe('samplers', () => {
  test('Halton: the first points are the radical inverses in bases 2 and 3', () => {
    expect([1, 2, 3, 4, 5].map((i) => radicalInverse(i, 2))).toEqual([0.5, 0.25, 0.75, 0.125, 0.625]);
    const expected = [[1 / 2, 1 / 3], [1 / 4, 2 / 3], [3 / 4, 1 / 9], [1 / 8, 4 / 9], [5 / 8, 7 / 9]];
    [0, 1, 2, 3, 4].forEach((i) => haltonPoint(i, 2).forEach((v, d) => expect(v).toBeCloseTo(expected[i]![d]!, 14)));
  });

  test('Halton covers [0, 1) evenly: 2^k − 1 points fill every cell of width 2^-k but one', () => {
    const cells = new Set(Array.from({ length: 15 }, (_, i) => Math.floor(haltonPoint(i, 1)[0]! * 16)));
    expect(cells.size).toBe(15);
  });

  test('random points are a pure function of (seed, stream, index), in [0, 1), and differ between streams', () => {
    expect(randomPoint(5, 1, 3, 2)).toEqual(randomPoint(5, 1, 3, 2));
    expect(randomPoint(5, 1, 3, 2)).not.toEqual(randomPoint(5, 2, 3, 2));
    const values = Array.from({ length: 200 }, (_, i) => randomPoint(0, 0, i, 1)[0]!);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    expect(values.filter((v) => v < 0.5).length).toBeGreaterThan(70);
    expect(values.filter((v) => v < 0.5).length).toBeLessThan(130);
  });

  test('strengths are log-uniform: the Halton midpoint of [1e-6, 1e-2] is 1e-4', () => {
    const config = resolveTuneConfig({ techniques: 'l2,dropout' }, { source: 'synthetic' });
    expect(trialPoint(config, 'l2', 0).params).toEqual({ l2: 1e-4 });
    expect(trialPoint(config, 'l2', 0).setting).toBe('l2=0.0001');
    expect(trialPoint(config, 'dropout', 0).params).toEqual({ dropout: 0.325 }); // uniform: (0.05 + 0.6) / 2
    expect(settingText('l2+dropout', new Map([['l2', 1e-4], ['dropout', 0.3]]))).toBe('l2=0.0001+dropout=0.3');
  });
});

describe('ASHA', () => {
  const o: SchedulerOptions = { pruner: 'asha', rungs: [1, 3, 9], maxTrials: 9, eta: 3 };
  const r = (trial: number, rung: number, value: number): RungResult => ({ trial, rung, value });

  test('rungs are r, rη, rη², … then the maximum', () => {
    expect(epochRungs('asha', 3, 27, 3)).toEqual([3, 9, 27]);
    expect(epochRungs('asha', 1, 10, 3)).toEqual([1, 3, 9, 10]);
    expect(epochRungs('none', 3, 27, 3)).toEqual([27]);
  });

  test('starts new trials until a rung has η results; then promotes the best of ⌊n/η⌋', () => {
    expect(nextJob([], o)).toEqual({ kind: 'new', trial: 0, toRung: 0 });
    expect(nextJob([r(0, 0, 0.5), r(1, 0, 0.4)], o)).toEqual({ kind: 'new', trial: 2, toRung: 0 });
    // Three at rung 0: ⌊3/3⌋ = 1 goes on, the best (trial 1).
    expect(nextJob([r(0, 0, 0.5), r(1, 0, 0.4), r(2, 0, 0.6)], o)).toEqual({ kind: 'continue', trial: 1, fromRung: 0, toRung: 1 });
    // Trial 1 promoted already; nothing else in the top third: a new trial.
    expect(nextJob([r(0, 0, 0.5), r(1, 0, 0.4), r(2, 0, 0.6), r(1, 1, 0.3)], o)).toEqual({ kind: 'new', trial: 3, toRung: 0 });
  });

  test('higher rungs are served first; a late good trial is promoted asynchronously', () => {
    // Six at rung 0 (top two: 4 and 1), three at rung 1 → the best of rung 1 goes to rung 2 first.
    const results = [r(0, 0, 0.5), r(1, 0, 0.4), r(2, 0, 0.6), r(3, 0, 0.7), r(4, 0, 0.1), r(5, 0, 0.8), r(1, 1, 0.35), r(4, 1, 0.2), r(0, 1, 0.3)];
    expect(nextJob(results, o)).toEqual({ kind: 'continue', trial: 4, fromRung: 1, toRung: 2 });
    expect(nextJob([...results, r(4, 2, 0.15)], o)).toEqual({ kind: 'new', trial: 6, toRung: 0 });
  });

  test('when every trial is started and nobody is promotable, the search is done; the pick is the best at the top rung', () => {
    const results = [r(0, 0, 0.5), r(1, 0, 0.4), r(2, 0, 0.6), r(1, 1, 0.3)];
    expect(nextJob(results, { ...o, maxTrials: 3 })).toBeUndefined();
    expect(bestTrial(results)).toEqual(r(1, 1, 0.3));
    expect(bestTrial([r(0, 0, Infinity)])).toBeUndefined();
  });
});

describe('median pruning', () => {
  const o: SchedulerOptions = { pruner: 'median', rungs: [1, 3, 9], maxTrials: 4, eta: 3 };
  const r = (trial: number, rung: number, value: number): RungResult => ({ trial, rung, value });

  test('a trial runs rung by rung; once two earlier trials reached a rung, a worse-than-median value stops it', () => {
    const earlier = [r(0, 0, 0.5), r(0, 1, 0.4), r(0, 2, 0.3), r(1, 0, 0.7), r(1, 1, 0.6), r(1, 2, 0.5)];
    expect(nextJob([r(0, 0, 0.5)], o)).toEqual({ kind: 'continue', trial: 0, fromRung: 0, toRung: 1 });
    // Trial 2 at rung 0 with 0.65 > median(0.5, 0.7) = 0.6: pruned, a new trial starts.
    expect(medianPrunes([...earlier, r(2, 0, 0.65)], 2, 0)).toBe(true);
    expect(nextJob([...earlier, r(2, 0, 0.65)], o)).toEqual({ kind: 'new', trial: 3, toRung: 0 });
    // 0.55 ≤ 0.6: it goes on.
    expect(nextJob([...earlier, r(2, 0, 0.55)], o)).toEqual({ kind: 'continue', trial: 2, fromRung: 0, toRung: 1 });
  });
});

describe('options', () => {
  const data = { source: 'synthetic' as const };
  test.each([
    [{ trails: 3 }, /Unknown option `trails` for study.tune: did you mean trials\?/],
    [{ trials: 0 }, /Invalid `trials` for study.tune: expected an integer >= 1. Received: trials=0/],
    [{ techniques: 'l2,l3' }, /unknown technique "l3"/],
    [{ techniques: 'l2,l2' }, /"l2" is listed twice/],
    [{ pruner: 'hyperband' }, /Invalid `pruner` for study.tune: expected one of asha, median, none/],
    [{ sampler: 'sobol' }, /Invalid `sampler`.*halton, random/],
    [{ ranges: { l2: [1e-2, 1e-5] } }, /Invalid `ranges.l2`: expected two numbers 0 < low < high/],
    [{ ranges: { dropout: [0.1, 1.5] } }, /Invalid `ranges.dropout`: expected two rates/],
    [{ ranges: { l3: [1, 2] } }, /unknown dimension "l3"/],
    [{ minEpochs: 30 }, /Invalid `minEpochs`.*at most epochs \(27\)/],
    [{ budgetMinutes: -1 }, /Invalid `budgetMinutes`/],
    [{ hidden: [0] }, /`hidden.0`/],
  ])('%j is a ConfigError', (options, message) => {
    expect(() => resolveTuneConfig(options as never, data)).toThrow(ConfigError);
    expect(() => resolveTuneConfig(options as never, data)).toThrow(message);
  });

  test('defaults: the baseline and l1, l2, dropout; 9 trials; 27 epochs from rung 3; ASHA with η = 3; Halton', () => {
    const c = resolveTuneConfig({}, data);
    expect(c).toMatchObject({ techniques: ['none', 'l1', 'l2', 'dropout'], trials: 9, epochs: 27, minEpochs: 3, reductionFactor: 3, pruner: 'asha', sampler: 'halton', repeats: 3, learningRate: false });
  });
});
