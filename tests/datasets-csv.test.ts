import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError, DataError } from '../src';
import { fromCsv, loadDataset } from '../src/datasets';
import { expectNoLeak, useBackend } from './helpers';

beforeAll(() => useBackend('cpu'));

const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-ts-csv-'));
afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));

function csvFile(name: string, text: string): string {
  const file = path.join(folder, name);
  fs.writeFileSync(file, text);
  return file;
}

/** rows rows of "a,code,species": a = i, code = i mod 3, species = the code's name. */
function irisLike(rows: number): string {
  const species = ['setosa', 'versicolor', 'virginica'];
  const lines = Array.from({ length: rows }, (_, i) => `${i},${i % 3},${species[i % 3]}`);
  return ['a,code,species', ...lines].join('\n');
}

describe('datasets.fromCsv', () => {
  test('string labels become sorted class ids; classNames keep them; split sizes follow the fractions', () => {
    const ds = fromCsv(csvFile('iris.csv', irisLike(30)), { seed: 1 });
    try {
      expect(ds.name).toBe('iris');
      expect(ds.task).toBe('classification');
      expect(ds.classNames).toEqual(['setosa', 'versicolor', 'virginica']);
      expect(ds.features).toBe(2);
      expect(ds.train.x.shape).toEqual([18, 2]);
      expect(ds.validation!.x.shape).toEqual([6, 2]);
      expect(ds.test.x.shape).toEqual([6, 2]);
      // Rows keep their labels: the class id of each row is the rank of its (standardized) code.
      const splits = [ds.train, ds.validation!, ds.test];
      const codesOf = (split: (typeof splits)[number]) => split.x.arraySync().map((row) => row[1]!);
      const ranks = [...new Set(splits.flatMap(codesOf))].sort((p, q) => p - q);
      expect(ranks).toHaveLength(3);
      for (const split of splits) {
        const ids = split.y.arraySync().map((row) => row.indexOf(1));
        expect(ids).toEqual(codesOf(split).map((c) => ranks.indexOf(c)));
      }
    } finally {
      ds.dispose();
    }
  });

  test('features are standardized with the training rows\' mean and std, in every split', () => {
    // The target repeats the feature unscaled, so each row shows its raw value next to the standardized one.
    const text = ['x,target', ...Array.from({ length: 20 }, (_, i) => `${i * i},${i * i}`)].join('\n');
    const ds = fromCsv(csvFile('square.csv', text), { kind: 'regression', testFraction: 0.25, validationFraction: 0.25, seed: 4 });
    try {
      const raw = (split: typeof ds.train) => split.y.arraySync().map((row) => row[0]!);
      const standardized = (split: typeof ds.train) => split.x.arraySync().map((row) => row[0]!);
      const train = raw(ds.train);
      const mean = train.reduce((s, v) => s + v, 0) / train.length;
      const std = Math.sqrt(train.reduce((s, v) => s + (v - mean) ** 2, 0) / train.length);
      for (const split of [ds.train, ds.validation!, ds.test]) {
        const expected = raw(split).map((v) => (v - mean) / std);
        standardized(split).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5));
      }
      expect(ds.test.x.shape).toEqual([5, 1]);
    } finally {
      ds.dispose();
    }
  });

  test('integer labels: numeric class order, label by index, and the same seed gives the same split', () => {
    const text = ['label,f1,f2', ...Array.from({ length: 40 }, (_, i) => `${[10, 2, 7][i % 3]},${i},${i * i}`)].join('\n');
    const file = csvFile('ints.csv', text);
    const a = fromCsv(file, { label: 0, seed: 5 });
    const b = fromCsv(file, { label: 'label', seed: 5 });
    const c = fromCsv(file, { label: 0, seed: 6 });
    try {
      expect(a.task).toBe('classification');
      expect(a.classNames).toEqual(['2', '7', '10']);
      expect(Array.from(a.train.x.dataSync())).toEqual(Array.from(b.train.x.dataSync()));
      expect(Array.from(a.test.y.dataSync())).toEqual(Array.from(b.test.y.dataSync()));
      expect(Array.from(a.test.x.dataSync())).not.toEqual(Array.from(c.test.x.dataSync()));
    } finally {
      for (const d of [a, b, c]) d.dispose();
    }
  });

  test('real-valued labels mean regression with y [n, 1]; kind overrides the guess', () => {
    const text = ['x1,x2,price', ...Array.from({ length: 25 }, (_, i) => `${i},${-i},${(i * 1.5).toFixed(1)}`)].join('\n');
    const ds = fromCsv(csvFile('prices.csv', text), { validationFraction: 0 });
    expect(ds.task).toBe('regression');
    expect(ds.validation).toBeUndefined();
    expect(ds.train.y.shape).toEqual([20, 1]);
    expect(ds.classes).toBeUndefined();
    ds.dispose();
    const ints = fromCsv(csvFile('counts.csv', ['x,n', ...Array.from({ length: 10 }, (_, i) => `${i},${i % 3}`)].join('\n')), { kind: 'regression' });
    expect(ints.task).toBe('regression');
    expect(ints.test.y.shape).toEqual([2, 1]);
    ints.dispose();
  });

  test('quoted cells, a byte-order mark, blank lines and spaces are parsed by csv-parse', () => {
    const text = '\ufeff"width, cm", height ,"kind"\n\n1.5, 2 ,"a, b"\n2.5,3,c\n3.5,4,"a, b"\n4.5,5,c\n5.5,6,c\n';
    const ds = fromCsv(csvFile('quoted.csv', text), { validationFraction: 0 });
    expect(ds.classNames).toEqual(['a, b', 'c']);
    expect(ds.train.x.shape).toEqual([4, 2]);
    ds.dispose();
  });

  test('dispose frees every tensor', async () => {
    const file = csvFile('leak.csv', irisLike(20));
    await expectNoLeak(() => fromCsv(file).dispose());
    await expectNoLeak(() => loadDataset({ source: 'csv', path: file, seed: 2 }).dispose());
  });
});

describe('datasets.fromCsv errors', () => {
  test('a missing header row is named as such', () => {
    const file = csvFile('noheader.csv', '1,2,0\n3,4,1\n5,6,0\n');
    expect(() => fromCsv(file)).toThrow(DataError);
    expect(() => fromCsv(file)).toThrow(/first row of .*noheader\.csv holds only numbers \(1, 2, 0\); a header row naming the columns is required/);
  });

  test('missing and non-numeric feature values name the column and line', () => {
    const missing = csvFile('missing.csv', 'a,b,y\n1,2,x\n3,,y\n5,6,x\n');
    expect(() => fromCsv(missing)).toThrow(/missing\.csv line 3: missing value in column "b"/);
    const text = csvFile('text.csv', 'a,color,y\n1,red,x\n3,blue,y\n5,red,x\n');
    expect(() => fromCsv(text)).toThrow(/Column "color" of .*text\.csv is not numeric \(line 2: "red"\)\. fromCsv reads numeric feature columns only/);
    const noLabel = csvFile('nolabel.csv', 'a,y\n1,x\n3,\n5,x\n');
    expect(() => fromCsv(noLabel)).toThrow(/nolabel\.csv line 3: missing label in column "y"/);
  });

  test('ragged rows, empty files, unknown labels, a single class and text regression targets', () => {
    expect(() => fromCsv(csvFile('ragged.csv', 'a,b,y\n1,2,x\n3,4\n'))).toThrow(/ragged\.csv is not valid CSV: Invalid Record Length: expect 3, got 2 on line 3/);
    expect(() => fromCsv(csvFile('empty.csv', ''))).toThrow(/empty\.csv is empty/);
    expect(() => fromCsv(csvFile('header-only.csv', 'a,b\n'))).toThrow(/header but no data rows/);
    expect(() => fromCsv(path.join(folder, 'absent.csv'))).toThrow(/Cannot read the CSV file .*absent\.csv/);
    const file = csvFile('few.csv', irisLike(12));
    expect(() => fromCsv(file, { label: 'kind' })).toThrow(ConfigError);
    expect(() => fromCsv(file, { label: 'kind' })).toThrow(/`label` for datasets\.fromCsv: expected a column of .*few\.csv: one of "a", "code", "species", or a 0-based index\. Received: label="kind"/);
    expect(() => fromCsv(file, { label: 3 })).toThrow(/`label`.*\[0, 2\].*Received: label=3/);
    expect(() => fromCsv(csvFile('one.csv', 'a,y\n1,k\n2,k\n3,k\n4,k\n5,k\n'))).toThrow(/single class \(k\)/);
    expect(() => fromCsv(file, { kind: 'regression' })).toThrow(/Regression needs numeric labels, but column "species" .* has "setosa" on line 2/);
  });

  test('fractions and options are checked', () => {
    const file = csvFile('opts.csv', irisLike(12));
    expect(() => fromCsv(file, { testFraction: 0.5, validationFraction: 0.5 })).toThrow(/`validationFraction`.*below 1 − testFraction = 0\.5/);
    expect(() => fromCsv(file, { testFraction: 0.01 })).toThrow(/`testFraction`.*at least one test row of the 12 data rows/);
    expect(() => fromCsv(file, { testFraction: 1.2 })).toThrow(/`testFraction`.*\[0, 1\)/);
    expect(() => fromCsv(file, { kind: 'ordinal' as never })).toThrow(/`kind`/);
    expect(() => fromCsv(file, { labels: 'species' } as never)).toThrow(/Unknown option `labels`.*did you mean label\?/);
    expect(() => loadDataset({ source: 'parquet' } as never)).toThrow(/`source` for loadDataset: expected one of 'synthetic', 'fashion-mnist', 'mnist', 'csv'\. Received: source="parquet"/);
  });
});
