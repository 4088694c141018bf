import { Sequential, backend, layers, regularizers, tf, utils } from '../src';
import type { BackendName } from '../src';
import { blobs, flat } from './helpers';

async function seededRun(seed: number): Promise<{ weights: number[][]; history: Record<string, number[]> }> {
  utils.setRandomSeed(seed);
  const { x, y } = blobs(120);
  const model = new Sequential()
    .add(layers.Dense(16, { activation: 'relu', inputShape: [8], kernelRegularizer: regularizers.l1(0.001) }))
    .add(layers.Dropout(0.3))
    .add(layers.Dense(3, { activation: 'softmax' }));
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const h = await model.fit(x, y, { epochs: 3, batchSize: 16, validationSplit: 0.2, verbose: 0 });
  const ws = model.getWeights();
  const weights = flat(ws);
  tf.dispose([x, y, ...ws]);
  model.dispose();
  return { weights, history: h.history };
}

describe.each(['wasm', 'cpu'] as BackendName[])('on %s', (name) => {
  beforeAll(() => backend.use(name));

  test('the same seed gives bit-identical weights and history', async () => {
    const a = await seededRun(7);
    const b = await seededRun(7);
    expect(b.weights).toEqual(a.weights);
    expect(b.history).toEqual(a.history);
  });

  test('another seed gives other weights', async () => {
    const a = await seededRun(7);
    const c = await seededRun(8);
    expect(c.weights).not.toEqual(a.weights);
  });
});

test('initial weights are the same on every backend (drawn in JS)', async () => {
  const init = async (name: BackendName) => {
    await backend.use(name);
    utils.setRandomSeed(3);
    const model = new Sequential().add(layers.Dense(5, { inputShape: [4] }));
    const ws = model.getWeights();
    const out = flat(ws);
    tf.dispose(ws);
    model.dispose();
    return out;
  };
  expect(await init('cpu')).toEqual(await init('wasm'));
});
