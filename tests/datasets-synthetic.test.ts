import { Sequential, layers, regularizers, tf, utils } from '../src';
import { generateSynthetic, synthetic } from '../src/datasets/synthetic';
import { expectNoLeak, useBackend } from './helpers';

beforeAll(() => useBackend('wasm'));

const small = { samples: 400, features: 30, informative: 4, classes: 3, seed: 7 } as const;

describe('generateSynthetic', () => {
  test('the same seed gives identical arrays; another seed differs', () => {
    const a = generateSynthetic(small);
    const b = generateSynthetic(small);
    const c = generateSynthetic({ ...small, seed: 8 });
    expect(Array.from(a.x)).toEqual(Array.from(b.x));
    expect(Array.from(a.y)).toEqual(Array.from(b.y));
    expect(Array.from(a.x)).not.toEqual(Array.from(c.x));
    expect(Array.from(a.y)).not.toEqual(Array.from(c.y));
  });

  test('replaces exactly round(labelNoise·samples) labels, each by a different class', () => {
    for (const labelNoise of [0, 0.05, 0.3]) {
      const data = generateSynthetic({ ...small, samples: 1000, labelNoise });
      let flipped = 0;
      data.y.forEach((label, i) => (flipped += label === data.clean[i] ? 0 : 1));
      expect(flipped).toBe(Math.round(labelNoise * 1000));
    }
  });

  test('classes are balanced and every label is a valid class id', () => {
    const data = generateSynthetic({ ...small, samples: 600, labelNoise: 0 });
    const counts = [0, 0, 0];
    for (const label of data.clean) counts[label]! += 1;
    expect(counts).toEqual([200, 200, 200]);
  });

  test('only the informative columns relate to the label; every column has unit scale', () => {
    const data = generateSynthetic({ ...small, samples: 3000, labelNoise: 0 });
    const { features } = data.options;
    // Spread of the per-class column means: large for informative columns, ~0 for noise ones.
    const classMeanSpread = (column: number): number => {
      const sums = [0, 0, 0];
      const counts = [0, 0, 0];
      data.clean.forEach((label, r) => {
        sums[label]! += data.x[r * features + column]!;
        counts[label]! += 1;
      });
      const means = sums.map((s, c) => s / counts[c]!);
      return Math.max(...means) - Math.min(...means);
    };
    const meanSquare = (column: number): number => {
      let variance = 0;
      for (let r = 0; r < data.options.samples; r++) variance += data.x[r * features + column]! ** 2;
      return variance / data.options.samples;
    };
    for (let j = 0; j < features; j++) {
      expect(meanSquare(j)).toBeGreaterThan(0.85);
      expect(meanSquare(j)).toBeLessThan(1.15);
      if (j >= small.informative) expect(classMeanSpread(j)).toBeLessThan(0.15);
    }
    const informativeSpread = Array.from({ length: small.informative }, (_, j) => classMeanSpread(j));
    expect(Math.max(...informativeSpread)).toBeGreaterThan(0.4);
  });

  test('regression targets: standardized signal plus the requested share of noise variance', () => {
    const data = generateSynthetic({ ...small, kind: 'regression', samples: 4000, labelNoise: 0.2 });
    let residual = 0;
    let total = 0;
    data.y.forEach((y, i) => {
      residual += (y - Math.sqrt(0.8) * data.clean[i]!) ** 2;
      total += y ** 2;
    });
    expect(residual / data.y.length).toBeCloseTo(0.2, 1);
    expect(total / data.y.length).toBeCloseTo(1, 1);
  });

  test('invalid options name the argument', () => {
    expect(() => generateSynthetic({ features: 5, informative: 6 })).toThrow(/`informative` for datasets\.synthetic.*\[1, 5\].*informative=6/);
    expect(() => generateSynthetic({ trainFraction: 0.7, validationFraction: 0.3 })).toThrow(/`validationFraction`.*test rows remain.*validationFraction=0\.3/);
    expect(() => generateSynthetic({ labelNoise: 1 })).toThrow(/`labelNoise`.*\[0, 1\)/);
    expect(() => generateSynthetic({ classes: 1 })).toThrow(/`classes`/);
    expect(() => generateSynthetic({ samples: 10, validationFraction: 0.01 })).toThrow(/`validationFraction`.*at least one row/);
    expect(() => generateSynthetic({ seed: -1 })).toThrow(/`seed`/);
    expect(() => generateSynthetic({ kind: 'ranking' as never })).toThrow(/`kind`.*'classification' or 'regression'/);
    expect(() => generateSynthetic({ sample: 100 } as never)).toThrow(/Unknown option `sample`.*did you mean samples/);
  });
});

describe('datasets.synthetic', () => {
  test('splits have the documented shapes and one-hot labels', () => {
    const ds = synthetic(small);
    try {
      expect(ds.task).toBe('classification');
      expect(ds.classes).toBe(3);
      expect(ds.informativeFeatures).toEqual([0, 1, 2, 3]);
      expect(ds.train.x.shape).toEqual([100, 30]);
      expect(ds.validation!.x.shape).toEqual([60, 30]);
      expect(ds.test.x.shape).toEqual([240, 30]);
      expect(ds.train.y.shape).toEqual([100, 3]);
      const rowSums = tf.tidy(() => ds.test.y.sum(1).dataSync());
      expect(Array.from(rowSums).every((s) => s === 1)).toBe(true);
    } finally {
      ds.dispose();
    }
  });

  test('regression gives y of shape [n, 1]', () => {
    const ds = synthetic({ ...small, kind: 'regression' });
    expect(ds.task).toBe('regression');
    expect(ds.classes).toBeUndefined();
    expect(ds.validation!.y.shape).toEqual([60, 1]);
    ds.dispose();
  });

  test('the splits hold the generated rows in order: train, validation, test', () => {
    const data = generateSynthetic(small);
    const ds = synthetic(small);
    const x = [ds.train.x, ds.validation!.x, ds.test.x].flatMap((t) => Array.from(t.dataSync()));
    expect(x).toEqual(Array.from(data.x));
    ds.dispose();
  });

  test('dispose frees every tensor it made', async () => {
    await expectNoLeak(() => synthetic(small).dispose());
  });

  // What the generator is for: an unregularized MLP overfits; L1 finds the informative inputs.
  test('an unregularized MLP overfits it; L1 moves first-layer weight onto the informative rows', async () => {
    const ds = synthetic({ seed: 3 });
    const train = async (kernelRegularizer?: regularizers.Regularizer): Promise<{ gap: number; ratio: number }> => {
      utils.setRandomSeed(1);
      const reg = kernelRegularizer === undefined ? {} : { kernelRegularizer };
      const model = new Sequential()
        .add(layers.Dense(64, { activation: 'relu', inputShape: [ds.features], ...reg }))
        .add(layers.Dense(64, { activation: 'relu', ...reg }))
        .add(layers.Dense(ds.classes!, { activation: 'softmax' }));
      model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
      await model.fit(ds.train.x, ds.train.y, { epochs: 30, batchSize: 32, verbose: 0 });
      const trainLogs = await model.evaluate(ds.train.x, ds.train.y);
      const valLogs = await model.evaluate(ds.validation!.x, ds.validation!.y);
      const kernel = model.getWeights()[0]!.arraySync() as number[][]; // [features, 64]
      const meanAbs = (rows: number[][]): number => rows.flat().reduce((s, w) => s + Math.abs(w), 0) / rows.flat().length;
      const informative = ds.informativeFeatures!.length;
      const ratio = meanAbs(kernel.slice(0, informative)) / meanAbs(kernel.slice(informative));
      return { gap: valLogs.loss - valLogs.penalty - (trainLogs.loss - trainLogs.penalty), ratio };
    };
    try {
      const none = await train();
      const l1 = await train(regularizers.l1(0.01));
      expect(none.gap).toBeGreaterThan(0.3);
      expect(l1.gap).toBeLessThan(none.gap / 2);
      expect(none.ratio).toBeLessThan(2);
      expect(l1.ratio).toBeGreaterThan(4);
    } finally {
      ds.dispose();
    }
  });
});
