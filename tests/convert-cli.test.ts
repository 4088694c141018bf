/** `keras-ts convert <in> <out>` from the shell: .keras ⇄ tfjs-layers directory, optimizer state kept, clear errors. */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Sequential, layers, loadModel, tf, utils } from '../src';
import { blobs, flat, useBackend } from './helpers';

beforeAll(() => useBackend('wasm'));

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-ts-convert-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function cli(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', path.resolve('src/cli/main.ts'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, TS_NODE_PROJECT: path.resolve('tsconfig.json') },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('a Python Keras 3 .keras file becomes a tfjs-layers directory that predicts what Keras predicted', async () => {
  const fixtures = path.resolve(__dirname, 'fixtures/keras3');
  const expected = JSON.parse(fs.readFileSync(path.join(fixtures, 'keras3_sequential.json'), 'utf8')) as { input: number[][]; expected_predictions: number[][] };
  const out = path.join(tmp, 'from-python');
  const run = cli(['convert', path.join(fixtures, 'keras3_sequential.keras'), out]);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/^Wrote tfjs-layers directory .*from-python: 4 layers, \d+ weights; /);
  expect(fs.readdirSync(out).sort()).toEqual(['model.json', 'weights.bin']);
  const model = await loadModel(out);
  const prediction = model.predict(tf.tensor2d(expected.input));
  const got = prediction.arraySync() as number[][];
  got.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(expected.expected_predictions[i]![j]!, 5)));
  prediction.dispose();
  model.dispose();
}, 120_000);

test('.keras → tfjs directory → .keras keeps weights and the optimizer state: training goes on bit for bit', async () => {
  utils.setRandomSeed(21);
  const model = new Sequential().add(layers.Dense(8, { activation: 'relu', inputShape: [8] })).add(layers.Dense(3, { activation: 'softmax' }));
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const { x, y } = blobs(32);
  await model.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0 });
  const source = path.join(tmp, 'trained.keras');
  await model.save(source);
  const dir = path.join(tmp, 'trained-web');
  const toDir = cli(['convert', source, `file://${dir}`]);
  expect(toDir.code).toBe(0);
  expect(toDir.stdout).toMatch(/Wrote tfjs-layers directory .*trained-web: 2 layers, 99 weights; optimizer state kept \(Adam, 8 steps\)\./);
  const back = path.join(tmp, 'back.keras');
  const toKeras = cli(['convert', dir, back]);
  expect(toKeras.code).toBe(0);
  expect(toKeras.stdout).toMatch(/Wrote Keras 3 \.keras file .*back\.keras: 2 layers, 99 weights; optimizer state kept \(Adam, 8 steps\)\./);

  const a = await loadModel(source);
  const b = await loadModel(back);
  expect(flat(b.getWeights())).toEqual(flat(a.getWeights()));
  await a.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
  await b.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
  expect(flat(b.getWeights())).toEqual(flat(a.getWeights()));
  [model, a, b].forEach((m) => m.dispose());
  tf.dispose([x, y]);
}, 120_000);

test('bad inputs exit 1 with a message naming the path', () => {
  const missing = cli(['convert', path.join(tmp, 'nope.keras'), path.join(tmp, 'out-dir')]);
  expect(missing.code).toBe(1);
  expect(missing.stderr).toMatch(/^keras-ts: FormatError: Cannot read the model file .*nope\.keras.*no such file/);
  const weights = cli(['convert', path.join(tmp, 'trained.keras'), path.join(tmp, 'w.weights.h5')]);
  expect(weights.code).toBe(1);
  expect(weights.stderr).toMatch(/Cannot convert to .*w\.weights\.h5.*weights only/);
  const same = cli(['convert', path.join(tmp, 'trained.keras'), `file://${path.join(tmp, 'trained.keras')}`]);
  expect(same.code).toBe(1);
  expect(same.stderr).toMatch(/onto itself/);
}, 120_000);
