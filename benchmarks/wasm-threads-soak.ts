/**
 * Soak run of multithreaded wasm: trains a seeded MLP with `fit` for a number of steps (or seconds),
 * every few epochs under `tf.profile` (the path that hung before), reading values back each epoch, and
 * then simply returns: the process must exit on its own. Prints one JSON line with a SHA-256 of the
 * final weights, so runs with different thread counts can be compared bit for bit.
 *
 *   npx ts-node --transpile-only benchmarks/wasm-threads-soak.ts --threads 2 --steps 3000
 *   npx ts-node --transpile-only benchmarks/wasm-threads-soak.ts --threads 2 --seconds 1800 --units 784,512,512,10
 *
 * tests/wasm-threads.test.ts runs it in a child process under a watchdog.
 */
import * as crypto from 'node:crypto';
import { Command } from 'commander';
import { FusedAdam, Sequential, backend, layers, regularizers, tf, utils } from '../src';
import { RandomGenerator } from '../src/backend/random';

interface SoakOptions {
  threads: number;
  steps: number;
  seconds?: number;
  units: number[];
  batchSize: number;
  rows: number;
  profileEvery: number;
  seed: number;
  optimizer: 'fused' | 'tfjs';
}

function parse(argv: string[]): SoakOptions {
  const int = (v: string): number => Number.parseInt(v, 10);
  return new Command()
    .option('--threads <n>', 'wasm threads', int, 2)
    .option('--steps <n>', 'training steps (batches)', int, 3000)
    .option('--seconds <s>', 'run for this long instead (whole epochs)', int)
    .option('--units <list>', 'layer widths, input first', (v: string) => v.split(',').map(int), [64, 128, 128, 10])
    .option('--batch-size <n>', 'rows per step', int, 32)
    .option('--rows <n>', 'training rows', int, 1024)
    .option('--profile-every <n>', 'run every n-th epoch inside tf.profile', int, 5)
    .option('--seed <n>', 'seed', int, 7)
    .option('--optimizer <name>', "'fused' (FusedAdam, the SIMD update kernel) or 'tfjs' (tf.train.adam, 14 kernels)", 'fused')
    .parse(argv)
    .opts<SoakOptions>();
}

function build(o: SoakOptions): Sequential {
  utils.setRandomSeed(o.seed);
  const [input, ...widths] = o.units;
  const model = new Sequential();
  widths.forEach((units, i) => {
    const last = i === widths.length - 1;
    model.add(layers.Dense(units, {
      activation: last ? 'softmax' : 'relu',
      ...(i === 0 ? { inputShape: [input!], kernelRegularizer: regularizers.l1(1e-5) } : { kernelRegularizer: regularizers.l2(1e-4) }),
    }));
    if (!last) model.add(layers.Dropout(0.2));
  });
  const optimizer = o.optimizer === 'tfjs' ? tf.train.adam(0.001, 0.9, 0.999, 1e-7) : new FusedAdam();
  model.compile({ optimizer, loss: 'categoricalCrossentropy' });
  return model;
}

async function main(): Promise<void> {
  const o = parse(process.argv);
  const started = Date.now();
  await backend.use('wasm', { threads: o.threads });
  const random = new RandomGenerator(o.seed);
  const features = o.units[0]!;
  const classes = o.units[o.units.length - 1]!;
  const labels = new Int32Array(o.rows).map(() => random.int(classes));
  const x = tf.tensor2d(random.uniform(o.rows * features), [o.rows, features]);
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), classes) as tf.Tensor2D);
  const model = build(o);
  const stepsPerEpoch = Math.ceil(o.rows / o.batchSize);
  let tensorsAfterSecondEpoch = -1; // optimizer state exists from the first step on
  let steps = 0;
  let epochs = 0;
  let profiled = 0;
  let lastLoss = NaN;
  const done = (): boolean => (o.seconds !== undefined ? Date.now() - started >= o.seconds * 1000 : steps >= o.steps);
  while (!done()) {
    const fitOnce = async (): Promise<tf.Tensor> => {
      const history = await model.fit(x, y, { epochs: 1, batchSize: o.batchSize, shuffle: true, verbose: 0 });
      lastLoss = history.history['loss']![0]!;
      return tf.tidy(() => tf.add(model.predict(tf.slice(x, 0, o.batchSize)) as tf.Tensor, 0));
    };
    if (o.profileEvery > 0 && epochs % o.profileEvery === 0) {
      const info = await tf.profile(fitOnce);
      for (const kernel of info.kernels) await kernel.kernelTimeMs; // the timing promises of every kernel
      tf.dispose(info.result as tf.Tensor);
      profiled++;
    } else {
      const out = await fitOnce();
      out.dataSync(); // a synchronous read between epochs
      out.dispose();
    }
    steps += stepsPerEpoch;
    epochs++;
    if (epochs === 2) tensorsAfterSecondEpoch = tf.memory().numTensors;
    if (process.env.SOAK_DEBUG) console.error(epochs, tf.memory().numTensors);
  }
  const tensorsAtEnd = tf.memory().numTensors;
  const hash = crypto.createHash('sha256');
  for (const w of model.getWeights()) hash.update(Buffer.from((w.dataSync() as Float32Array).buffer));
  const result = {
    threads: backend.wasmThreadCount(),
    steps, epochs, profiled, lastLoss,
    seconds: (Date.now() - started) / 1000,
    tensorsAfterSecondEpoch, tensorsAtEnd,
    weightsSha256: hash.digest('hex'),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  // No process.exit(): the process has to end on its own, with the pool threads still alive.
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
