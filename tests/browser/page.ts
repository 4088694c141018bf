/**
 * The browser page of tests/browser.test.ts (bundled by esbuild, run in headless Chromium): trains the
 * README example on each backend it is asked for, shows the losses, saves and loads the model through
 * `indexeddb://`, checks `.keras` saving is refused clearly, and posts what it saw to the test's server.
 */
import { KerasTsError, Sequential, backend, layers, loadModel, regularizers, tf, utils } from '../../src/browser';
import type { BackendName } from '../../src/browser';
import { wasmBackendOf } from '../../src/backend/kernel-buffers';
import { simdAdamFor } from '../../src/backend/adam-simd';
import { simdPenaltiesFor } from '../../src/backend/penalty-simd';
import { simdLayoutFor } from '../../src/backend/layout-simd';

interface BackendResult {
  backend: string;
  losses: number[];
  /** Largest |prediction difference| between the trained model and the one loaded from IndexedDB. */
  reloadMaxDiff: number;
  /** Tensors alive after training, saving and loading, minus before. */
  leakedTensors: number;
  /** On wasm: which of keras-ts' SIMD modules assembled on the backend's memory (else their JavaScript loops run). */
  simd?: { adam: boolean; penalties: boolean; layout: boolean };
  error?: string;
}

function simdModules(): BackendResult['simd'] {
  const wasm = wasmBackendOf(tf.backend());
  if (wasm === undefined) return undefined;
  return { adam: simdAdamFor(wasm.wasm) !== undefined, penalties: simdPenaltiesFor(wasm.wasm) !== undefined, layout: simdLayoutFor(wasm.wasm) !== undefined };
}

interface PageDocument {
  title: string;
  body: { insertAdjacentHTML(where: string, html: string): void };
}
const page = globalThis as unknown as { document: PageDocument; location: { search: string }; fetch(url: string, init: object): Promise<unknown> };

function show(html: string): void {
  page.document.body.insertAdjacentHTML('beforeend', html);
}

function exampleData(): { x: tf.Tensor2D; y: tf.Tensor2D } {
  let state = 12345;
  const next = (): number => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
  const rows = 240;
  const x = Float32Array.from({ length: rows * 20 }, next);
  const labels = Array.from({ length: rows }, (_, i) => (x[i * 20]! > 0.3 ? 0 : x[i * 20 + 1]! > 0 ? 1 : 2));
  return { x: tf.tensor2d(x, [rows, 20]), y: utils.toCategorical(labels, 3) };
}

async function run(name: BackendName): Promise<BackendResult> {
  await backend.use(name, { wasmPaths: '/wasm/' });
  const before = tf.memory().numTensors;
  utils.setRandomSeed(42);
  const { x, y } = exampleData();
  const model = new Sequential()
    .add(layers.Dense(64, { activation: 'relu', inputShape: [20], kernelRegularizer: regularizers.l1(0.001) }))
    .add(layers.Dropout(0.2))
    .add(layers.Dense(64, { activation: 'relu', kernelRegularizer: regularizers.l2(0.001) }))
    .add(layers.Dense(3, { activation: 'softmax' }));
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const history = await model.fit(x, y, { epochs: 8, batchSize: 32, verbose: 0 });
  const losses = history.history['loss'] as number[];
  show(`<h2>${name}</h2><ol class="loss">${losses.map((l) => `<li>${l.toFixed(4)}</li>`).join('')}</ol>`);

  await model.save(`indexeddb://keras-ts-${name}`);
  const loaded = await loadModel(`indexeddb://keras-ts-${name}`);
  const a = model.predict(x) as tf.Tensor;
  const b = loaded.predict(x) as tf.Tensor;
  const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))));
  const reloadMaxDiff = (await diff.data())[0]!;
  tf.dispose([diff, a, b, x, y]);
  model.dispose();
  loaded.dispose();
  show(`<p>saved to and loaded from indexeddb://keras-ts-${name}: max prediction difference ${reloadMaxDiff}</p>`);
  const simd = simdModules();
  return { backend: name, losses, reloadMaxDiff, leakedTensors: tf.memory().numTensors - before, ...(simd === undefined ? {} : { simd }) };
}

/** `.keras` files need Node: the browser build says so with a KerasTsError. */
async function kerasFileRefusal(): Promise<string> {
  const model = new Sequential().add(layers.Dense(2, { inputShape: [3] }));
  try {
    await model.save('model.keras');
    return 'saved?!';
  } catch (error) {
    return `${error instanceof KerasTsError ? 'KerasTsError' : 'other'}: ${(error as Error).message}`;
  } finally {
    model.dispose();
  }
}

async function main(): Promise<void> {
  const names = new URLSearchParams(page.location.search).get('backends')?.split(',') ?? ['webgl', 'wasm'];
  const results: BackendResult[] = [];
  for (const name of names) {
    try {
      results.push(await run(name as BackendName));
    } catch (error) {
      results.push({ backend: name, losses: [], reloadMaxDiff: NaN, leakedTensors: 0, error: String((error as Error).stack ?? error) });
    }
  }
  const keras = await kerasFileRefusal();
  page.document.title = 'done';
  await page.fetch('/result', { method: 'POST', body: JSON.stringify({ results, keras, available: backend.available() }) });
}

void main();
