/** Hostile inputs, "Unclear errors" and "Hangs": each bad input gets one message naming what is wrong. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { DataError, datasets, study, tf } from '../../src';
import { describeFsError } from '../../src/io/out-dir';
import { readStudyFile } from '../../src/study/config/resolve';
import { StudyResult } from '../../src/study/result';
import { QUICK_STUDY, cli, finishedStudy, runScript, tmp } from './helpers';

function idxFile(dims: number[]): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.set([0, 0, 8, dims.length]);
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, Buffer.alloc(dims.reduce((a, b) => a * b, 1))]);
}

function idxDir(trainRows: number, testRows: number): string {
  const dir = tmp();
  fs.writeFileSync(path.join(dir, 'train-images-idx3-ubyte'), idxFile([trainRows, 28, 28]));
  fs.writeFileSync(path.join(dir, 'train-labels-idx1-ubyte'), idxFile([trainRows]));
  fs.writeFileSync(path.join(dir, 't10k-images-idx3-ubyte'), idxFile([testRows, 28, 28]));
  fs.writeFileSync(path.join(dir, 't10k-labels-idx1-ubyte'), idxFile([testRows]));
  return dir;
}

function csv(text: string): string {
  const file = path.join(tmp(), 'data.csv');
  fs.writeFileSync(file, text);
  return file;
}

describe('hangs', () => {
  test('--out under /proc, /sys or /dev is refused at once (Node\'s recursive mkdir loops there)', async () => {
    for (const out of ['/proc/x', '/sys/kernel/keras-ts', '/dev/keras-ts/study']) {
      await expect(study.compare({ ...QUICK_STUDY, out })).rejects.toThrow(new RegExp(`Invalid output folder ${out}: it lies under /(proc|sys|dev), a system pseudo-filesystem`));
    }
  });

  test('wide CSV (200k columns × 5 rows) loads in linear time', () => {
    const columns = 200_000;
    const lines = [[...Array.from({ length: columns - 1 }, (_, i) => `x${i}`), 'label'].join(',')];
    for (let r = 0; r < 5; r++) lines.push([...Array.from({ length: columns - 1 }, (_, c) => (r + c) % 7), r % 2].join(','));
    const file = csv(lines.join('\n'));
    const started = performance.now();
    datasets.fromCsv(file, { kind: 'classification' }).dispose();
    // Quadratic header checking took 41 s here; linear loading takes a few seconds on a slow shared core.
    expect((performance.now() - started) / 1000).toBeLessThan(20);
  });
});

describe('--out errors', () => {
  test('--out being a file, or under a file: one clear line, no stack trace', () => {
    const file = path.join(tmp(), 'a-file');
    fs.writeFileSync(file, 'x');
    const run = cli(['compare', '--epochs', '1', '--repeats', '1', '--out', file]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`keras-ts: DataError: Invalid output folder ${file}: it is a file; expected a folder (or a path that does not exist yet).\n`);
    return expect(study.compare({ ...QUICK_STUDY, out: path.join(file, 'sub') })).rejects.toThrow(`Invalid output folder ${path.join(file, 'sub')}: ${file} is a file, so no folder can be created under it.`);
  });

  test('--out unwritable: a clear EACCES message', async () => {
    const dir = tmp();
    fs.chmodSync(dir, 0o500);
    if (process.getuid?.() === 0) {
      // root writes anywhere: check the message the check gives for EACCES.
      expect(describeFsError({ code: 'EACCES' }, dir, 'use --out')).toBe(`Cannot use --out ${dir}: permission denied.`);
    } else {
      await expect(study.compare({ ...QUICK_STUDY, out: path.join(dir, 'study') })).rejects.toThrow(/permission denied/);
    }
    fs.chmodSync(dir, 0o700);
  });

  test('report.html being a folder: a clear EISDIR message, the other files intact', async () => {
    const dir = await finishedStudy();
    fs.rmSync(path.join(dir, 'report.html'));
    fs.mkdirSync(path.join(dir, 'report.html'));
    const before = fs.statSync(path.join(dir, 'results.json')).mtimeMs;
    const result = StudyResult.read(dir);
    await expect(result.write(dir)).rejects.toThrow(`Cannot write ${path.join(dir, 'report.html')}: it is a folder; expected a file (remove or rename that folder).`);
    expect(fs.statSync(path.join(dir, 'results.json')).mtimeMs).toBe(before);
  });

  test('study.json being a folder: a clear EISDIR message', async () => {
    const out = tmp();
    fs.mkdirSync(path.join(out, 'study.json'));
    await expect(study.compare({ ...QUICK_STUDY, out })).rejects.toThrow(`Cannot read ${path.join(out, 'study.json')}: it is a folder`);
  });
});

describe('data errors', () => {
  test('CSV values beyond float32: error names file, column and line', () => {
    const file = csv('a,b,label\n1,2,0\n3,1e39,1\n4,5,0\n6,7,1\n8,9,0\n');
    expect(() => datasets.fromCsv(file)).toThrow(new DataError(`${file} line 3, column "b": 1e39 is beyond the float32 range tensors hold (±3.4028234663852886e+38); rescale that column.`));
  });

  test('huge regression labels (1e301): error names file, column and line', () => {
    const file = csv('a,y\n1,0.5\n2,1e301\n3,0.25\n4,2.5\n5,3.5\n');
    expect(() => datasets.fromCsv(file, { kind: 'regression' })).toThrow(new RegExp(`${file} line 3, column "y": 1e301 is beyond the float32 range`));
  });

  test('a ragged CSV row: error names file and line', () => {
    const file = csv('a,b,label\n1,2,0\n3,1\n4,5,0\n');
    expect(() => datasets.fromCsv(file)).toThrow(new RegExp(`${file} is not valid CSV: .*line 3`));
  });

  test('infinite strengths in JSON (1e999) or via the API name the field', async () => {
    const dir = tmp();
    const file = path.join(dir, 'study.json');
    fs.writeFileSync(file, '{ "settings": { "none": {}, "big": { "kernelRegularizer": { "l2": 1e999 } } } }');
    expect(() => readStudyFile(file)).toThrow(/`settings\.big\.kernelRegularizer\.config\.l2`: expected a finite number for `l2`, got Infinity/);
    await expect(
      study.compare({ ...QUICK_STUDY, settings: { none: {}, big: { kernelRegularizer: { className: 'L1', config: { l1: -Infinity } } } } }),
    ).rejects.toThrow(/`settings\.big\.kernelRegularizer\.config\.l1`: expected a finite number for `l1`, got -Infinity/);
  });

  test('early stopping with nothing to monitor is refused up front (no validation split; regression + val_accuracy)', async () => {
    const data = datasets.synthetic({ samples: 80, features: 4 });
    const { validation: _validation, ...noValidation } = data;
    const out = tmp();
    await expect(study.compare({ ...QUICK_STUDY, data: noValidation, earlyStopping: true, out })).rejects.toThrow(
      /Invalid `earlyStopping`: it monitors val_loss, but the dataset "synthetic" has no validation split/,
    );
    expect(fs.existsSync(path.join(out, 'study.json'))).toBe(false);
    data.dispose();
    await expect(
      study.compare({ ...QUICK_STUDY, data: { source: 'synthetic', kind: 'regression', samples: 80 }, earlyStopping: { monitor: 'val_accuracy' } }),
    ).rejects.toThrow(/it monitors val_accuracy, but "synthetic" is a regression dataset/);
  });

  test('a config file with a UTF-8 BOM is accepted', () => {
    const file = path.join(tmp(), 'study.json');
    fs.writeFileSync(file, `\ufeff${JSON.stringify({ epochs: 2 })}`);
    expect(readStudyFile(file)).toEqual({ epochs: 2 });
  });

  test('0-row IDX files: a clear error', () => {
    const dir = idxDir(0, 3);
    expect(() => datasets.fashionMnist({ dir })).toThrow(new RegExp(`${path.join(dir, 'train-images-idx3-ubyte')} holds no images \\(dims \\[0, 28, 28\\]\\)`));
  });

  test('in-memory datasets with wrong features or classes: a clear error', async () => {
    const data = datasets.synthetic({ samples: 80, features: 4 });
    await expect(study.compare({ ...QUICK_STUDY, data: { ...data, features: 5 } })).rejects.toThrow(
      /Invalid dataset for study.compare: `features` is 5 but train.x has 4 columns/,
    );
    await expect(study.compare({ ...QUICK_STUDY, data: { ...data, classes: 7 } })).rejects.toThrow(/`classes` is 7 but train.y has 3 columns/);
    const wrongY = { ...data, test: { x: data.test.x, y: tf.zeros([1, 3]) as tf.Tensor2D } };
    await expect(study.compare({ ...QUICK_STUDY, data: wrongY })).rejects.toThrow(/test.x and test.y must have the same number of rows/);
    wrongY.test.y.dispose();
    data.dispose();
  });

  test('the tfjs "install our node backend" banner is not printed by keras-ts', async () => {
    const child = runScript(
      "const k = require('./src'); k.backend.use('cpu').then(() => { k.datasets.synthetic({ samples: 40 }).dispose(); console.log('done'); });",
    );
    let output = '';
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    await new Promise((resolve) => child.on('close', resolve));
    expect(output).toBe('done\n');
  });
});

test('a gzip bomb stops decompressing at the size the IDX header declares', () => {
  const header = idxFile([10]).subarray(0, 8);
  const bomb = gzipSync(Buffer.concat([header, Buffer.alloc(10), Buffer.alloc(300e6)]));
  const dir = idxDir(2, 2);
  fs.writeFileSync(path.join(dir, 'train-labels-idx1-ubyte.gz'), bomb);
  const before = process.memoryUsage().rss;
  expect(() => datasets.fashionMnist({ dir })).toThrow(/decompresses to more than the 18 bytes its header declares \(extra data, or a gzip bomb\); decompression stopped there/);
  expect(process.memoryUsage().rss - before).toBeLessThan(100e6);
});

test('a folder given as a CSV path is a DataError, not a raw EISDIR', () => {
  const dir = tmp();
  expect(() => datasets.fromCsv(dir)).toThrow(DataError);
  expect(() => datasets.fromCsv(dir)).toThrow(/Cannot read the CSV file/);
});
