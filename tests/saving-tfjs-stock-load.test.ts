/**
 * Stock tfjs-layers (the independent reader) loads what keras-ts writes: same predictions as plain
 * math, same regularizers/constraints/initializers/dropout rate, the optimizer state in its Adam,
 * and its own re-save reads back to the very same artifacts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tf } from '../src/backend/tf';
import type { ModelArtifacts } from '../src/saving/artifacts';
import { artifactsToTfjs, fileSystemHandler, tfjsToArtifacts } from '../src/saving/tfjs';
import { INPUT_DIM, adamTraining, sampleArtifacts, tempDir, values } from './saving-tfjs-fixtures';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

async function writeAndLoad(artifacts: ModelArtifacts): Promise<{ dir: string; model: tf.LayersModel }> {
  const dir = tempDir('stock-load');
  await fileSystemHandler(dir).save(artifactsToTfjs(artifacts));
  return { dir, model: await tf.loadLayersModel(fileSystemHandler(dir)) };
}

/** x·W + b, row by row, in doubles. */
function affine(x: number[][], w: Float32Array, b: Float32Array, units: number): number[][] {
  return x.map((row) =>
    Array.from({ length: units }, (_, j) => row.reduce((sum, xi, i) => sum + xi * w[i * units + j]!, b[j]!)),
  );
}

const softmax = (row: number[]): number[] => {
  const max = Math.max(...row);
  const e = row.map((v) => Math.exp(v - max));
  const total = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / total);
};

describe('stock tfjs loads keras-ts files', () => {
  test('predictions equal relu(x·W1+b1)·W2+b2 → softmax to 1e-6', async () => {
    const artifacts = sampleArtifacts();
    const { model } = await writeAndLoad(artifacts);
    const x = Array.from({ length: 3 }, (_, r) => Array.from(values(INPUT_DIM, 50 + r)));
    const [k1, b1] = artifacts.layers[0]!.weights;
    const [k2, b2] = artifacts.layers[2]!.weights;
    const hidden = affine(x, k1!.values, b1!.values, 4).map((row) => row.map((v) => Math.max(0, v)));
    const expected = affine(hidden, k2!.values, b2!.values, 3).map(softmax);

    const input = tf.tensor2d(x);
    const output = model.predict(input) as tf.Tensor;
    const actual = output.arraySync() as number[][];
    tf.dispose([input, output]);
    actual.forEach((row, r) => row.forEach((v, j) => expect(Math.abs(v - expected[r]![j]!)).toBeLessThan(1e-6)));
    model.dispose();
  });

  test('weights arrive bit for bit (no constraint)', async () => {
    const artifacts = sampleArtifacts({ kernelConstraint: null });
    const { model } = await writeAndLoad(artifacts);
    const loaded = model.getWeights().map((w) => w.dataSync() as Float32Array);
    const written = artifacts.layers.flatMap((l) => l.weights.map((w) => w.values));
    expect(loaded).toEqual(written);
    model.dispose();
  });

  test('regularizer, constraint, initializers, activation and dropout rate come through', async () => {
    const { model } = await writeAndLoad(sampleArtifacts());
    expect(model.layers.map((l) => l.getClassName())).toEqual(['Dense', 'Dropout', 'Dense']);
    expect(model.layers.map((l) => l.name)).toEqual(['dense', 'dropout', 'dense_1']);
    const dense = model.layers[0]!.getConfig();
    expect(dense['units']).toBe(4);
    expect(dense['activation']).toBe('relu');
    expect(dense['kernelRegularizer']).toEqual({ className: 'L1L2', config: { l1: 0.01, l2: 0 } });
    expect(dense['kernelConstraint']).toEqual({ className: 'MaxNorm', config: { maxValue: 2, axis: 0 } });
    expect(dense['kernelInitializer']).toEqual({
      className: 'VarianceScaling',
      config: { scale: 1, mode: 'fanAvg', distribution: 'uniform', seed: null },
    });
    expect(dense['biasInitializer']).toEqual({ className: 'Zeros', config: {} });
    expect(dense['batchInputShape']).toEqual([null, INPUT_DIM]);
    expect(model.layers[1]!.getConfig()['rate']).toBe(0.2);
    expect(model.layers[2]!.getConfig()['activation']).toBe('softmax');
    // The regularizer is live: tfjs adds l1·Σ|W| as the layer's loss.
    const penalty = model.layers[0]!.losses.map((fn) => fn() as tf.Scalar);
    const kernel = sampleArtifacts().layers[0]!.weights[0]!.values;
    expect(penalty).toHaveLength(1);
    expect(penalty[0]!.dataSync()[0]).toBeCloseTo(0.01 * kernel.reduce((s, v) => s + Math.abs(v), 0), 5);
    tf.dispose(penalty);
    model.dispose();
  });

  test('model.json has tfjs-node layout and carries the keras-ts metadata', async () => {
    // L1L2 with l2 = 0 is what tfjs writes for L1 too: only the metadata keeps it an L1L2.
    const artifacts = sampleArtifacts({ kernelRegularizer: { className: 'L1L2', config: { l1: 0.3, l2: 0 } } });
    const { dir, model } = await writeAndLoad(artifacts);
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
    expect(Object.keys(json)).toEqual(['modelTopology', 'weightsManifest', 'format', 'generatedBy', 'convertedBy', 'userDefinedMetadata']);
    expect(json.weightsManifest[0].paths).toEqual(['weights.bin']);
    expect(json.format).toBe('layers-model');
    expect(json.modelTopology.keras_version).toBe('tfjs-layers 4.22.0');
    expect(json.modelTopology.backend).toBe('tensor_flow.js');
    expect(json.weightsManifest[0].weights.map((w: { name: string }) => w.name)).toEqual([
      'dense/kernel',
      'dense/bias',
      'dense_1/kernel',
      'dense_1/bias',
    ]);
    // tfjs keeps the metadata on the loaded model
    const meta = model.getUserDefinedMetadata() as Record<string, { layers: unknown[] }>;
    expect(meta['keras-ts']!.layers).toEqual([{ name: 'dense', config: (artifacts.model.config['layers'] as { config: unknown }[])[0]!.config }]);
    expect(fs.statSync(path.join(dir, 'weights.bin')).size).toBe((INPUT_DIM * 4 + 4 + 4 * 3 + 3) * 4);
    model.dispose();
  });

  test('an activity regularizer is kept in metadata; stock tfjs still loads the model', async () => {
    const artifacts = sampleArtifacts({ activityRegularizer: { className: 'L1L2', config: { l1: 0.1, l2: 0.2 } } });
    const { dir, model } = await writeAndLoad(artifacts);
    expect(model.layers[0]!.getConfig()['activityRegularizer']).toBeNull();
    const back = tfjsToArtifacts(await fileSystemHandler(dir).load(), dir);
    expect(back).toEqual(artifacts);
    model.dispose();
  });

  test('optimizer state: stock tfjs compiles Adam and holds the saved moments', async () => {
    const artifacts = { ...sampleArtifacts(), training: adamTraining() };
    const { model } = await writeAndLoad(artifacts);
    expect(model.optimizer.getClassName()).toBe('Adam');
    expect(model.optimizer.getConfig()).toEqual({ learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
    expect(model.loss).toBe('categoricalCrossentropy');
    const state = await model.optimizer.getWeights();
    expect(state[0]!.name).toBe('iter');
    expect(state[0]!.tensor.dataSync()[0]).toBe(7);
    const slots = artifacts.training.slots;
    const tfjsOrder = [...slots.filter((s) => s.name.endsWith('/m')), ...slots.filter((s) => s.name.endsWith('/v'))];
    expect(state.slice(1).map((w) => w.name)).toEqual(tfjsOrder.map((s) => s.name));
    expect(state.slice(1).map((w) => w.tensor.dataSync())).toEqual(tfjsOrder.map((s) => s.values));
    tf.dispose(state.map((w) => w.tensor));
    model.dispose();
  });

  test('weights.bin holds the exact values; stock tfjs itself projects constrained weights on load', async () => {
    const artifacts = sampleArtifacts();
    const { dir, model } = await writeAndLoad(artifacts);
    const kernel = artifacts.layers[0]!.weights[0]!.values;
    const bytes = fs.readFileSync(path.join(dir, 'weights.bin'));
    expect(new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + kernel.byteLength))).toEqual(kernel);
    // tfjs-layers' LayerVariable.write applies the constraint: w · clip(‖w‖, 0, 2) / (‖w‖ + 1e-7)
    const loaded = model.layers[0]!.getWeights()[0]!.dataSync();
    for (let j = 0; j < 4; j++) {
      let norm = 0;
      for (let i = 0; i < INPUT_DIM; i++) norm += kernel[i * 4 + j]! ** 2;
      norm = Math.sqrt(norm);
      for (let i = 0; i < INPUT_DIM; i++) {
        expect(loaded[i * 4 + j]).toBeCloseTo((kernel[i * 4 + j]! * Math.min(norm, 2)) / (norm + 1e-7), 6);
      }
    }
    model.dispose();
  });

  test("stock tfjs' own re-save (includeOptimizer) reads back to the same artifacts", async () => {
    const artifacts = { ...sampleArtifacts({ kernelConstraint: null }), training: adamTraining() };
    const { model } = await writeAndLoad(artifacts);
    const resaved = tempDir('stock-resave');
    await model.save(fileSystemHandler(resaved), { includeOptimizer: true });
    expect(tfjsToArtifacts(await fileSystemHandler(resaved).load(), resaved)).toEqual(artifacts);
    model.dispose();
  });

  test('stock tfjs trains on after loading: one Adam step from the saved moments', async () => {
    const training = adamTraining();
    const artifacts = { ...sampleArtifacts(), training };
    const { model } = await writeAndLoad(artifacts);
    const xs = tf.tensor2d([Array.from(values(INPUT_DIM, 90))]);
    const ys = tf.tensor2d([[0, 1, 0]]);
    await model.fit(xs, ys, { epochs: 1, verbose: 0 });
    const state = await model.optimizer.getWeights();
    expect(state[0]!.tensor.dataSync()[0]).toBe(8);
    tf.dispose([xs, ys, ...state.map((w) => w.tensor)]);
    model.dispose();
  });
});
