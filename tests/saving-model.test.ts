/** model.save / loadModel through every format: same predictions, same config, training resumes bit for bit. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FormatError, Sequential, layers, loadModel, regularizers, constraints, tf, utils } from '../src';
import { fileSystemHandler } from '../src/saving/tfjs';
import { blobs, expectNoLeak, flat, useBackend } from './helpers';

beforeAll(() => useBackend('wasm'));

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-ts-save-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** The README example's model, compiled. */
function readmeModel(): Sequential {
  const model = new Sequential()
    .add(layers.Dense(16, { activation: 'relu', inputShape: [8], kernelRegularizer: regularizers.l1(0.001), kernelConstraint: constraints.maxNorm(3) }))
    .add(layers.Dropout(0.2))
    .add(layers.Dense(16, { activation: 'relu', kernelRegularizer: regularizers.l2(0.001), biasRegularizer: regularizers.l1l2({ l1: 0.01, l2: 0.02 }) }))
    .add(layers.Dense(3, { activation: 'softmax' }));
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

const values = (t: tf.Tensor): number[] => {
  const out = Array.from(t.dataSync());
  t.dispose();
  return out;
};

describe.each([
  ['.keras', 'model.keras'],
  ['tfjs-layers directory', 'model-dir'],
  ['file:// URL', 'file-url-dir'],
])('save and load as %s', (_format, name) => {
  test('predictions equal, config equal, regularizers and constraints kept, no tensor leaks', async () => {
    utils.setRandomSeed(4);
    const model = readmeModel();
    const { x, y } = blobs(64);
    await model.fit(x, y, { epochs: 2, batchSize: 16, verbose: 0 });
    const target = name === 'file-url-dir' ? `file://${path.join(tmp, name)}` : path.join(tmp, name);
    const loaded = await expectNoLeak(async () => {
      await model.save(target);
      const m = await loadModel(target);
      m.dispose();
      return null;
    }).then(() => loadModel(target));
    expect(loaded.getConfig()).toEqual(model.getConfig());
    expect(values(loaded.predict(x))).toEqual(values(model.predict(x)));
    expect(loaded.penalty()).toBe(model.penalty());
    tf.dispose([x, y]);
    model.dispose();
    loaded.dispose();
  });
});

test('stock tfjs-layers loads the tfjs-layers directory and predicts the same', async () => {
  utils.setRandomSeed(5);
  const model = readmeModel();
  const dir = path.join(tmp, 'for-stock');
  await model.save(dir);
  const stock = await tf.loadLayersModel(fileSystemHandler(dir));
  const x = tf.randomNormal([10, 8], 0, 1, 'float32', 3);
  const ours = values(model.predict(x));
  const theirs = values(stock.predict(x) as tf.Tensor);
  theirs.forEach((v, i) => expect(v).toBeCloseTo(ours[i]!, 6));
  const stockConfig = stock.layers.map((l) => l.getConfig());
  expect(stockConfig[1]).toMatchObject({ rate: 0.2 });
  tf.dispose([x]);
  stock.dispose();
  model.dispose();
});

describe('a .keras file written by Python Keras 3.15.1', () => {
  const dir = path.resolve(__dirname, 'fixtures/keras3');
  const fixture = path.join(dir, 'keras3_sequential.keras');
  const have = fs.existsSync(fixture);
  (have ? test : test.skip)('loads, predicts what Keras predicted, and has its penalties', async () => {
    const expected = JSON.parse(fs.readFileSync(path.join(dir, 'keras3_sequential.json'), 'utf8')) as {
      input: number[][]; expected_predictions: number[][]; losses: number[];
    };
    const model = await loadModel(fixture);
    const predictions = values(model.predict(expected.input));
    predictions.forEach((v, i) => expect(v).toBeCloseTo(expected.expected_predictions.flat()[i]!, 5));
    expect(model.penalty()).toBeCloseTo(expected.losses.reduce((a, b) => a + b, 0), 4);
    expect(model.layers.map((l) => l.className)).toEqual(['Dense', 'Dropout', 'Dense', 'Dense']);
    expect((model.layers[1] as layers.DropoutLayer).rate).toBe(0.2);
    model.dispose();
  });
});

describe('training resumes bit for bit', () => {
  async function run(split: boolean, format: string): Promise<{ weights: number[][]; loss: number[] }> {
    utils.setRandomSeed(21);
    const { x, y } = blobs(96);
    let model = readmeModel();
    let loss: number[];
    if (split) {
      const h1 = await model.fit(x, y, { epochs: 2, batchSize: 16, verbose: 0 });
      const target = path.join(tmp, `resume-${format}`);
      await model.save(target, { includeOptimizer: true });
      model.dispose();
      utils.setRandomSeed(999); // the loaded model must not depend on the process' seed
      model = await loadModel(target);
      const h2 = await model.fit(x, y, { epochs: 4, initialEpoch: 2, batchSize: 16, verbose: 0 });
      loss = [...h1.history['loss']!, ...h2.history['loss']!];
    } else {
      loss = (await model.fit(x, y, { epochs: 4, batchSize: 16, verbose: 0 })).history['loss']!;
    }
    const weights = flat(model.getWeights());
    tf.dispose([x, y]);
    model.dispose();
    return { weights, loss };
  }

  test.each(['model.keras', 'tfjs-dir'])('fit 2, save (%s), load, fit 2 more = fit 4', async (format) => {
    const whole = await run(false, format);
    const resumed = await run(true, format);
    expect(resumed.loss).toEqual(whole.loss);
    expect(resumed.weights).toEqual(whole.weights);
  });
});

describe('weights files and bad inputs', () => {
  test('saveWeights / loadWeights round trip; a file for another architecture is refused, the model untouched', async () => {
    utils.setRandomSeed(8);
    const a = readmeModel();
    const b = readmeModel();
    const file = path.join(tmp, 'w.weights.h5');
    await a.saveWeights(file);
    await b.loadWeights(file);
    expect(flat(b.getWeights())).toEqual(flat(a.getWeights()));
    const other = new Sequential().add(layers.Dense(4, { inputShape: [8] }));
    const before = flat(other.getWeights());
    await expect(other.loadWeights(file)).rejects.toThrow(FormatError);
    expect(flat(other.getWeights())).toEqual(before);
    [a, b, other].forEach((m) => m.dispose());
  });

  test.each([
    ['a missing .keras file', 'nope.keras', /Cannot read the model file .*nope\.keras.*no such file/],
    ['a text file named .keras', 'text.keras', /text\.keras/],
    ['a directory without model.json', 'empty-dir', /model\.json/],
  ])('%s is a clear error', async (_what, name, message) => {
    fs.writeFileSync(path.join(tmp, 'text.keras'), 'not a zip');
    fs.mkdirSync(path.join(tmp, 'empty-dir'), { recursive: true });
    await expectNoLeak(() => expect(loadModel(path.join(tmp, name))).rejects.toThrow(message));
  });

  test('a save that fails leaves the previous .keras file whole and no temp file', async () => {
    const model = readmeModel();
    const file = path.join(tmp, 'atomic.keras');
    await model.save(file);
    const before = fs.readFileSync(file);
    model.compile({ optimizer: tf.train.sgd(0.1), loss: 'categoricalCrossentropy' }); // an instance has no config form
    await expectNoLeak(() => expect(model.save(file, { includeOptimizer: true })).rejects.toThrow(/compiled with a tf.Optimizer instance/));
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    expect(fs.readdirSync(tmp).filter((f) => f.startsWith('atomic.keras.'))).toEqual([]);
    model.dispose();
  });
});
