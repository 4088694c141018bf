/** Hostile inputs, "Silent accepts that are defects": each is now an error or escaped output. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError, datasets, study, tf, utils } from '../../src';
import { nonNegativeInt, positiveInt, positiveNumber } from '../../src/cli/parse';
import { studyOptionsFromFlags } from '../../src/cli/study-options';
import { parseSettings } from '../../src/study/config/settings';
import { csvField } from '../../src/study/report/results-csv';
import { QUICK_STUDY, tmp } from './helpers';

test('report.md escapes Markdown and HTML in setting names', async () => {
  const out = tmp();
  const name = '<img src=x onerror=alert(1)> **bold** [link](http://x) `code` |pipe| ```';
  const result = await study.compare({ ...QUICK_STUDY, settings: { none: {}, [name]: { dropout: 0.1 } }, out });
  await result.write(out);
  const md = fs.readFileSync(path.join(out, 'report.md'), 'utf8');
  // Outside the configuration's code block (where text is literal), no raw HTML.
  expect(md.slice(0, md.indexOf('## Configuration'))).not.toContain('<img');
  expect(md).toContain('&lt;img src=x onerror=alert(1)&gt; \\*\\*bold\\*\\* \\[link\\](http://x) \\`code\\` \\|pipe\\| \\`\\`\\`');
  // The configuration's code fence is longer than any backtick run inside it.
  expect(md).toMatch(/\n````json\n/);
});

test('results.csv neutralizes a leading = + - @ (formula injection)', () => {
  expect(csvField('=HYPERLINK("http://x","y")')).toBe('"\'=HYPERLINK(""http://x"",""y"")"');
  expect(csvField('+1')).toBe("'+1");
  expect(csvField('-cmd')).toBe("'-cmd");
  expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
  expect(csvField(-0.5)).toBe('-0.5');
  expect(csvField('l2+dropout')).toBe('l2+dropout');
});

test('utils.toCategorical rejects out-of-range, negative, fractional and NaN labels', () => {
  expect(() => utils.toCategorical([0, 3], 3)).toThrow(new ConfigError('Invalid `labels` for utils.toCategorical: expected class ids that are integers in [0, 2]. Received: labels[1]=3'));
  expect(() => utils.toCategorical([0, -1])).toThrow(/integers >= 0\. Received: labels\[1\]=-1/);
  expect(() => utils.toCategorical([0, 1.5], 3)).toThrow(/labels\[1\]=1\.5/);
  expect(() => utils.toCategorical([NaN], 3)).toThrow(/labels\[0\]=NaN/);
  const before = tf.memory().numTensors;
  const t = tf.tensor1d([0, 2.5]);
  expect(() => utils.toCategorical(t, 3)).toThrow(/labels\[1\]=2\.5/);
  t.dispose();
  expect(tf.memory().numTensors).toBe(before);
  const ok = utils.toCategorical([2, 0], 3);
  expect(ok.arraySync()).toEqual([[0, 0, 1], [1, 0, 0]]);
  ok.dispose();
});

test.each([
  ['l1_l2=1e-5:1e-4:5', /l1_l2 takes one strength or l1:l2, got 3 values/],
  ['l1=', /a value is missing after '='/],
  ['l1=0x10', /"0x10" is not a number >= 0 \(plain decimal, e.g. 1e-4\)/],
  ['l2=Infinity', /"Infinity" is not a number >= 0/],
  ['maxnorm=0', /"0" is not a number > 0/],
  ['dropout=', /a value is missing after '='/],
])('settings string %s is an error', (text, message) => {
  expect(() => parseSettings(`none,${text}`)).toThrow(message);
});

test('settings strings still take decimals and defaults', () => {
  expect(parseSettings('l1_l2=1e-5:2e-4,maxnorm,l1=.5').map((s) => s.spec)).toEqual([
    { kernelRegularizer: { className: 'L1L2', config: { l1: 1e-5, l2: 2e-4 } } },
    { kernelConstraint: { className: 'MaxNorm', config: { maxValue: 3 } } },
    { kernelRegularizer: { className: 'L1', config: { l1: 0.5 } } },
  ]);
});

test('--epochs 0x2 and other non-decimal flag values are errors (decimal only in CLI parsers)', () => {
  for (const bad of ['0x2', '0b10', '0o7', '1e3', ' 2', '2.0', '', 'Infinity']) expect(() => positiveInt(bad)).toThrow(/expected a positive integer/);
  expect(() => nonNegativeInt('0x0')).toThrow(/expected an integer >= 0/);
  expect(() => positiveNumber('0x1')).toThrow(/expected a positive number/);
  expect(positiveInt('12')).toBe(12);
  expect(positiveNumber('1e-3')).toBe(0.001);
});

test('--label 2: a column named "2" wins over index 2; digits that name no column are an index', () => {
  const file = path.join(tmp(), 'data.csv');
  const rows = Array.from({ length: 10 }, (_, i) => `${i % 2},${i},${i * 10},${i % 3}`);
  fs.writeFileSync(file, `2,a,b,c\n${rows.join('\n')}\n`);
  const options = studyOptionsFromFlags({ dataset: file, label: '2', out: 'x' });
  expect(options.data).toEqual({ source: 'csv', path: file, label: '2' });
  const byName = datasets.fromCsv(file, { label: '2' });
  expect(byName.classes).toBe(2);
  expect(byName.features).toBe(3);
  byName.dispose();
  fs.writeFileSync(file, `x,a,b,c\n${rows.join('\n')}\n`);
  const byIndex = datasets.fromCsv(file, { label: '3' });
  expect(byIndex.classes).toBe(3);
  byIndex.dispose();
});

test('seeds do not wrap: seed + repeat beyond 2^32 − 1 is an error', async () => {
  await expect(study.compare({ ...QUICK_STUDY, seed: 4294967295, repeats: 2 })).rejects.toThrow(
    /Invalid `seed`: repeat r uses seed \+ r, so seed \+ repeats − 1 must be at most 4294967295 .* the seed can be at most 4294967294/,
  );
});
