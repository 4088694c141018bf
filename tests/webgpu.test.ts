/**
 * The webgpu backend (tfjs-backend-webgpu on Dawn's Node bindings) trains the README example to the
 * same losses as wasm with the same seed, leaking no tensors. On a GPU-less machine Dawn runs through
 * OpenGL ES on Mesa's llvmpipe (EGL_PLATFORM=surfaceless in the environment: Mesa reads it from the
 * process's real environment, which a test cannot set). Skipped when no adapter can be created,
 * unless KERAS_TS_REQUIRE_WEBGPU=1 (CI sets it after installing Mesa).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BackendError, Sequential, backend, callbacks, layers, loadModel, regularizers, study, tf, utils } from '../src';
import { isSoftwareAdapter } from '../src/backend/adapter-kind';
import { webGpuAdapter } from '../src/backend/webgpu';

const required = process.env['KERAS_TS_REQUIRE_WEBGPU'] === '1';

/** 240 rows of 20 features, 3 classes by the sign pattern of two features; a fixed LCG. */
function exampleData(): { x: tf.Tensor2D; y: tf.Tensor2D } {
  let state = 12345;
  const next = (): number => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
  const rows = 240;
  const x = Float32Array.from({ length: rows * 20 }, next);
  const labels = Array.from({ length: rows }, (_, i) => (x[i * 20]! > 0.3 ? 0 : x[i * 20 + 1]! > 0 ? 1 : 2));
  return { x: tf.tensor2d(x, [rows, 20]), y: utils.toCategorical(labels, 3) };
}

function readmeModel(): Sequential {
  const model = new Sequential()
    .add(layers.Dense(64, { activation: 'relu', inputShape: [20], kernelRegularizer: regularizers.l1(0.001) }))
    .add(layers.Dropout(0.2))
    .add(layers.Dense(64, { activation: 'relu', kernelRegularizer: regularizers.l2(0.001) }))
    .add(layers.Dense(3, { activation: 'softmax' }));
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

/**
 * The README model, seed 42, 3 epochs of batches of 32 in order, through Keras' `train_step` seam
 * (`trainStep`); each batch's loss read with `await data()`, as WebGPU in Node allows. Returns the losses.
 */
async function trainReadmeExample(): Promise<number[]> {
  utils.setRandomSeed(42);
  const { x, y } = exampleData();
  const model = readmeModel();
  let afterFirstStep = 0; // the optimizer's slots exist from the first step on
  const losses: number[] = [];
  for (let epoch = 0; epoch < 3; epoch++) {
    for (let start = 0; start < x.shape[0]; start += 32) {
      const size = Math.min(32, x.shape[0] - start);
      const batch = { x: x.slice([start, 0], [size, -1]), y: y.slice([start, 0], [size, -1]) };
      const logs = tf.tidy(() => model.trainStep(batch)); // as the fit loop runs it
      losses.push((await logs['loss']!.data())[0]!);
      tf.dispose([batch.x, batch.y, ...Object.values(logs)]);
      if (losses.length === 1) afterFirstStep = tf.memory().numTensors;
    }
  }
  expect(tf.memory().numTensors).toBe(afterFirstStep);
  model.dispose();
  x.dispose();
  y.dispose();
  return losses;
}

/** Whether webgpu starts here; the reason when it does not. */
async function tryWebGpu(): Promise<string | undefined> {
  try {
    await backend.use('webgpu');
    return undefined;
  } catch (error) {
    return error instanceof Error ? `${error.message}${error.cause instanceof Error ? ` (${error.cause.message})` : ''}` : String(error);
  }
}

test('the README example trains on webgpu to the same losses as on wasm, without leaks', async () => {
  const reason = await tryWebGpu();
  if (reason !== undefined) {
    if (required) throw new Error(`KERAS_TS_REQUIRE_WEBGPU=1 but webgpu cannot start: ${reason}`);
    console.log(`webgpu test skipped: ${reason} (set KERAS_TS_REQUIRE_WEBGPU=1 to fail instead)`);
    return;
  }
  const adapter = webGpuAdapter();
  expect(adapter).toBeDefined();
  const onGpu = await trainReadmeExample();
  expect(tf.getBackend()).toBe('webgpu');

  await backend.use('wasm', { threads: 1 });
  const onWasm = await trainReadmeExample();

  expect(onGpu).toHaveLength(24);
  expect(onGpu.slice(-8).reduce((a, b) => a + b)).toBeLessThan(onGpu.slice(0, 8).reduce((a, b) => a + b));
  onGpu.forEach((loss, i) => expect(Math.abs(loss - onWasm[i]!)).toBeLessThan(1e-4 * Math.max(1, Math.abs(onWasm[i]!))));
});

/** The README example through `fit` (validation, progress bar, early stopping), then evaluate and predict: History and outputs. */
async function fitReadmeExample(): Promise<{ history: Record<string, number[]>; evaluated: number[]; predicted: number[] }> {
  utils.setRandomSeed(7);
  const { x, y } = exampleData();
  const model = readmeModel();
  const history = await model.fit(x, y, { epochs: 3, batchSize: 32, validationSplit: 0.25, shuffle: true, verbose: 0, callbacks: [callbacks.EarlyStopping({ patience: 5, restoreBestWeights: true })] });
  const logs = await model.evaluate(x, y);
  const first = x.slice([0, 0], [4, -1]);
  const out = model.predict(first);
  const predicted = Array.from(await out.data());
  tf.dispose([x, y, first, out]);
  model.dispose();
  return { history: history.history, evaluated: [logs.loss, logs['accuracy']!], predicted };
}

test('fit, evaluate and predict on webgpu in Node (no synchronous reads) match wasm, without leaks', async () => {
  if ((await tryWebGpu()) !== undefined) return; // the test above reports why
  const before = tf.memory().numTensors;
  const onGpu = await fitReadmeExample();
  expect(tf.getBackend()).toBe('webgpu');
  expect(tf.memory().numTensors).toBe(before);
  await backend.use('wasm', { threads: 1 });
  const onWasm = await fitReadmeExample();
  expect(tf.memory().numTensors).toBe(before);
  expect(Object.keys(onGpu.history).sort()).toEqual(['accuracy', 'loss', 'penalty', 'val_accuracy', 'val_loss', 'val_penalty']);
  for (const key of Object.keys(onWasm.history)) {
    onGpu.history[key]!.forEach((v, i) => expect(Math.abs(v - onWasm.history[key]![i]!)).toBeLessThan(1e-4 * Math.max(1, Math.abs(onWasm.history[key]![i]!))));
  }
  onGpu.evaluated.forEach((v, i) => expect(v).toBeCloseTo(onWasm.evaluated[i]!, 4));
  onGpu.predicted.forEach((v, i) => expect(v).toBeCloseTo(onWasm.predicted[i]!, 4));
});

test('on webgpu in Node: save and load (.keras with optimizer, tfjs folder) and a study trial, all with asynchronous reads', async () => {
  if ((await tryWebGpu()) !== undefined) return; // the first test reports why
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-ts-webgpu-'));
  utils.setRandomSeed(3);
  const { x, y } = exampleData();
  const model = readmeModel();
  await model.fit(x, y, { epochs: 1, batchSize: 32, verbose: 0 });
  const want = model.predict(x);
  for (const target of [path.join(dir, 'm.keras'), path.join(dir, 'tfjs')]) {
    await model.save(target, { includeOptimizer: target.endsWith('.keras') });
    const loaded = await loadModel(target);
    const got = loaded.predict(x);
    const [a, b] = [await want.data(), await got.data()];
    a.forEach((v, i) => expect(b[i]).toBeCloseTo(v, 5));
    got.dispose();
    loaded.dispose();
  }
  tf.dispose([x, y, want]);
  model.dispose();
  const result = await study.compare({ dataset: { source: 'synthetic', samples: 200 }, hidden: [8], settings: 'none,l1=1e-3', epochs: 2, repeats: 1, backend: 'webgpu' });
  expect(result.trials.map((t) => t.backend)).toEqual(['webgpu', 'webgpu']);
  expect(result.trials[1]!.penalty).toBeGreaterThan(0);
  fs.rmSync(dir, { recursive: true, force: true });
  await backend.use('wasm', { threads: 1 });
});

test('auto never picks a software adapter', async () => {
  expect(isSoftwareAdapter({ device: 'llvmpipe (LLVM 15.0.6, 256 bits)' })).toBe(true);
  expect(isSoftwareAdapter({ description: 'Google SwiftShader' })).toBe(true);
  expect(isSoftwareAdapter({ vendor: 'nvidia', device: 'NVIDIA H100', isFallbackAdapter: false })).toBe(false);
  expect(isSoftwareAdapter({ vendor: 'intel', isFallbackAdapter: true })).toBe(true);
  const picked = await backend.use('auto');
  if (picked === 'webgpu') expect(webGpuAdapter()?.software).toBe(false);
});

test('webgl outside a browser is a BackendError pointing at the browser entry', async () => {
  await expect(backend.use('webgl')).rejects.toThrow(BackendError);
  await expect(backend.use('webgl')).rejects.toThrow(/only in browsers/);
});
