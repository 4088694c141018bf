/** compare with saveModels / --save-models: each setting's best trial as <out>/models/<setting>.keras, named in results.json and the reports. */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError, loadModel, tf } from '../src';
import { compare } from '../src/study';
import { loadDataset } from '../src/datasets/load';
import type { DatasetSpec } from '../src/datasets/types';
import { StudyResult } from '../src/study/result';
import { modelFileStems } from '../src/study/run/model-keeper';
import { TINY_STUDY } from './study-helpers';
import { useBackend } from './helpers';

beforeAll(() => useBackend('wasm'));

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-ts-save-models-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const HOSTILE = JSON.parse('{"none":{},"../x":{"kernelRegularizer":{"l2":0.001}},"toString":{"dropout":0.2},"__proto__":{"kernelRegularizer":{"l1":0.001}},"L2":{"kernelRegularizer":{"l2":0.01}},"l2":{"kernelRegularizer":{"l2":0.0001}}}') as Record<string, object>;

test('safe, distinct file names for hostile setting names', () => {
  const stems = modelFileStems(Object.keys(HOSTILE));
  expect(stems.get('none')).toBe('none');
  expect(stems.get('toString')).toBe('toString');
  expect(stems.get('__proto__')).toMatch(/^proto__-[0-9a-f]{8}$/);
  expect(stems.get('../x')).toMatch(/^x-[0-9a-f]{8}$/);
  expect(stems.get('L2')).not.toBe(stems.get('l2'));
  expect(new Set([...stems.values()].map((s) => s.toLowerCase())).size).toBe(stems.size);
  for (const stem of stems.values()) expect(stem).toMatch(/^[A-Za-z0-9][A-Za-z0-9._=+-]*$/);
  expect(modelFileStems(['con', 'a/b', ''.padEnd(3, '.')]).get('con')).toMatch(/^con-[0-9a-f]{8}$/);
});

test('each setting keeps its best trial; the file is the trial that was measured; results.json and the reports name it; a rerun keeps them', async () => {
  const out = path.join(tmp, 'hostile');
  const result = await compare({ ...TINY_STUDY, settings: HOSTILE as never, out, saveModels: true });
  const models = result.data.models!;
  expect(models.map((m) => m.setting)).toEqual(Object.keys(HOSTILE));
  const dataset = loadDataset(TINY_STUDY.data as DatasetSpec);
  for (const m of models) {
    const trials = result.trials.filter((t) => t.setting === m.setting);
    const best = trials.reduce((a, b) => (b.test.accuracy! > a.test.accuracy! ? b : a));
    expect(m.repeat).toBe(best.repeat);
    expect(m.file).toMatch(/^models\/[A-Za-z0-9][A-Za-z0-9._=+-]*\.keras$/);
    const model = await loadModel(path.join(out, m.file));
    const logs = await model.evaluate(dataset.test.x, dataset.test.y, { batchSize: 1024 });
    expect(logs['accuracy']).toBe(best.test.accuracy);
    model.dispose();
  }
  dataset.dispose();
  // Nothing outside models/, no temp files left.
  expect(fs.readdirSync(path.join(out, 'models')).sort()).toEqual([...models.map((m) => path.basename(m.file)), 'index.json'].sort());
  expect(fs.existsSync(path.join(tmp, 'x.keras'))).toBe(false);

  await result.write(out);
  const read = StudyResult.read(out);
  expect(read.data.models).toEqual(models);
  const md = fs.readFileSync(path.join(out, 'report.md'), 'utf8');
  expect(md).toContain('## Models');
  for (const m of models) expect(md).toContain(`(${m.file})`);
  const html = fs.readFileSync(path.join(out, 'report.html'), 'utf8');
  for (const m of models) expect(html).toContain(`<a href="${m.file}">`);

  // A rerun finds every trial done and reports the same models.
  const again = await compare({ ...TINY_STUDY, settings: HOSTILE as never, out, saveModels: true });
  expect(again.data.models).toEqual(models);
}, 240_000);

test('parallel workers save the same models as a serial run', async () => {
  const settings = 'none,l2=1e-3';
  const serial = await compare({ ...TINY_STUDY, settings, out: path.join(tmp, 'serial'), saveModels: true, parallel: 1 });
  const parallel = await compare({ ...TINY_STUDY, settings, out: path.join(tmp, 'parallel'), saveModels: true, parallel: 2 });
  expect(parallel.data.models).toEqual(serial.data.models);
  for (const m of serial.data.models!) {
    const a = await loadModel(path.join(tmp, 'serial', m.file));
    const b = await loadModel(path.join(tmp, 'parallel', m.file));
    const [wa, wb] = [a.getWeights(), b.getWeights()];
    expect(wb.map((t) => Array.from(t.dataSync()))).toEqual(wa.map((t) => Array.from(t.dataSync())));
    tf.dispose([...wa, ...wb]);
    a.dispose();
    b.dispose();
  }
}, 240_000);

test('saveModels needs out and a boolean; a hostile results.json models entry is refused', async () => {
  await expect(compare({ ...TINY_STUDY, saveModels: true })).rejects.toThrow(/`saveModels`.*give `out`/);
  await expect(compare({ ...TINY_STUDY, out: path.join(tmp, 'bad'), saveModels: 'yes' as never })).rejects.toThrow(ConfigError);
  const out = path.join(tmp, 'hostile');
  const json = JSON.parse(fs.readFileSync(path.join(out, 'results.json'), 'utf8')) as { models: { file: string }[] };
  json.models[0]!.file = 'models/../../etc/passwd.keras';
  const bad = path.join(tmp, 'edited');
  fs.mkdirSync(bad);
  fs.writeFileSync(path.join(bad, 'results.json'), JSON.stringify(json));
  expect(() => StudyResult.read(bad)).toThrow(/models\.0\.file/);
});

test('keras-ts compare --save-models prints and writes the models', () => {
  const out = path.join(tmp, 'cli');
  const run = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', path.resolve('src/cli/main.ts'), 'compare', '--train-size', '60', '--hidden', '8', '--epochs', '2', '--repeats', '2',
    '--settings', 'none,dropout=0.2', '--parallel', '1', '--backend', 'wasm', '--save-models', '--out', out], { encoding: 'utf8', env: { ...process.env, TS_NODE_PROJECT: path.resolve('tsconfig.json') } });
  expect(run.status).toBe(0);
  expect(run.stdout).toMatch(/Saved each setting's best model:\n {2}none \(repeat \d\): .*models\/none\.keras\n {2}dropout \(repeat \d\): .*models\/dropout\.keras/);
  expect(fs.existsSync(path.join(out, 'models', 'none.keras'))).toBe(true);
  const results = JSON.parse(fs.readFileSync(path.join(out, 'results.json'), 'utf8')) as { models: { setting: string; file: string }[] };
  expect(results.models.map((m) => m.file)).toEqual(['models/none.keras', 'models/dropout.keras']);
}, 240_000);
