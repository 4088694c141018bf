/** Hostile inputs, "Crashes": no raw TypeError/RangeError/vega error; every bad input is named. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError, DataError, study } from '../../src';
import { StudyResult } from '../../src/study/result';
import { QUICK_STUDY, cli, finishedStudy, tmp } from './helpers';

let finished: string;
beforeAll(async () => {
  finished = await finishedStudy();
});

test('setting names that are Object.prototype members run, report, and rebuild with `keras-ts report`', async () => {
  const settings = JSON.parse('{"none":{},"toString":{},"constructor":{"dropout":0.1},"hasOwnProperty":{},"valueOf":{},"__proto__":{"dropout":0.2}}') as Record<string, object>;
  const out = tmp();
  const result = await study.compare({ ...QUICK_STUDY, settings, out });
  expect(result.settings.map((s) => s.setting)).toEqual(['none', 'toString', 'constructor', 'hasOwnProperty', 'valueOf', '__proto__']);
  await result.write(out);
  const reread = StudyResult.read(out);
  const files = await reread.write(out);
  expect(files).toHaveLength(7);
  const svg = fs.readFileSync(path.join(out, 'gap.svg'), 'utf8');
  for (const name of ['toString', 'constructor', '__proto__']) expect(svg).toContain(`>${name}<`);
  expect(fs.readFileSync(path.join(out, 'report.md'), 'utf8')).toContain('\\_\\_proto\\_\\_');
});

test('`settings: {}` is a clear error', async () => {
  await expect(study.compare({ ...QUICK_STUDY, settings: {} })).rejects.toThrow(/`settings`: expected at least one setting/);
});

test('sizes that overflow typed arrays (--train-size 100000000) are refused up front, saying what fits', async () => {
  const out = tmp();
  await expect(study.compare({ ...QUICK_STUDY, data: { source: 'synthetic', samples: 400_000_000 }, out })).rejects.toThrow(
    /Invalid `samples` for datasets\.synthetic: .*at most 10737418 rows of 100 fit/,
  );
  expect(fs.readdirSync(out).filter((f) => f !== '.keras-ts.lock')).toEqual([]);
});

test('a hidden layer too large for one tensor (hidden: [1e9]) is refused before training, saying what fits', async () => {
  const out = tmp();
  await expect(study.compare({ ...QUICK_STUDY, hidden: [1e9], out })).rejects.toThrow(/Invalid `hidden`: layer 1 would need a 6 × 1000000000 kernel .* at most 178956970 units fit/);
  expect(fs.existsSync(path.join(out, 'study.json'))).toBe(false);
});

test.each([
  ['empty', ''],
  ['null', 'null'],
  ['corrupt', '{"schemaVersion": 1, "config": '],
  ['without config', '{"schemaVersion": 1, "createdAt": "x", "backend": "cpu"}'],
])('a %s study.json is a clear error naming the file', async (_, text) => {
  const dir = tmp();
  fs.cpSync(finished, dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'study.json'), text);
  const before = fs.readFileSync(path.join(dir, 'trials.jsonl'), 'utf8');
  const error = await study.compare({ ...QUICK_STUDY, out: dir }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(DataError);
  expect((error as Error).message).toContain(path.join(dir, 'study.json'));
  expect(fs.readFileSync(path.join(dir, 'trials.jsonl'), 'utf8')).toBe(before);
});

/** Damages of results.json `keras-ts report` must refuse without touching any file. */
const damages: [string, (r: Record<string, unknown>) => unknown, RegExp][] = [
  ['summary {}', (r) => (r['summary'] = {}), /`summary\.baseline`/],
  ['settings "x"', (r) => ((r['summary'] as Record<string, unknown>)['settings'] = 'x'), /`summary\.settings`/],
  ['trials [1,2,3]', (r) => (r['trials'] = [1, 2, 3]), /`trials\.0`/],
  ['config deleted', (r) => delete r['config'], /`config`/],
  ['context deleted', (r) => delete r['context'], /`context`/],
  ['weights deleted', (r) => delete (r['trials'] as Record<string, unknown>[])[0]!['weights'], /`trials\.0\.weights`/],
  ['a bad histogram', (r) => (((r['trials'] as Record<string, unknown[]>[])[0]!['weights']![0] as Record<string, unknown>)['histogram'] = { edges: [0], counts: [1, 2] }), /`trials\.0\.weights\.0\.histogram\.edges`/],
  ['a summary of a setting no trial has', (r) => (((r['summary'] as Record<string, unknown[]>)['settings']![0] as Record<string, unknown>)['setting'] = 'l9'), /`summary\.settings\.0\.setting` is "l9", which no trial records/],
  ['null', () => null, /`\(root\)`/],
];

test.each(damages)('keras-ts report on a results.json with %s: error names file and field, nothing rewritten', (_, damage, field) => {
  const dir = tmp();
  fs.cpSync(finished, dir, { recursive: true });
  const file = path.join(dir, 'results.json');
  const json = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  const replaced = damage(json);
  fs.writeFileSync(file, JSON.stringify(replaced === null ? null : json));
  const before = new Map(fs.readdirSync(dir).map((f) => [f, fs.readFileSync(path.join(dir, f))]));
  const error = (() => {
    try {
      StudyResult.read(dir);
    } catch (e) {
      return e;
    }
    return undefined;
  })();
  expect(error).toBeInstanceOf(DataError);
  expect((error as Error).message).toContain(file);
  expect((error as Error).message).toMatch(field);
  for (const [name, bytes] of before) expect(fs.readFileSync(path.join(dir, name)).equals(bytes)).toBe(true);
});

test('keras-ts report on a malformed results.json prints the error without a stack trace and rewrites nothing', () => {
  const dir = tmp();
  fs.cpSync(finished, dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'results.json'), JSON.stringify({ schemaVersion: 1, trials: [1, 2, 3], summary: {} }));
  const csv = fs.readFileSync(path.join(dir, 'results.csv'));
  const run = cli(['report', dir]);
  expect(run.code).toBe(1);
  expect(run.stderr).toMatch(/^keras-ts: DataError: .*results\.json is not a valid keras-ts results file/);
  expect(run.stderr).not.toMatch(/\n\s+at /);
  expect(fs.readFileSync(path.join(dir, 'results.csv')).equals(csv)).toBe(true);
});

test('a constraint axis outside the kernel\'s rank is refused before study.json is written', async () => {
  const out = tmp();
  await expect(
    study.compare({ ...QUICK_STUDY, settings: { none: {}, bad: { kernelConstraint: { className: 'MaxNorm', config: { maxValue: 2, axis: 3 } } } }, out }),
  ).rejects.toThrow(new ConfigError('Invalid `settings.bad.kernelConstraint.config.axis`: expected an axis of the 2-D kernel, an integer in [-2, 1]. Received: axis=3'));
  expect(fs.existsSync(path.join(out, 'study.json'))).toBe(false);
});
