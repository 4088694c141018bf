/**
 * One timing per speed lever, each next to the alternative it replaced (or was tried against), on
 * the workload's shapes (batch 128, 784-512-512-10). Prints median/min milliseconds per call and
 * writes benchmarks/results/levers-<date>.json. The numbers in benchmarks/README.md come from here.
 *
 *   npx ts-node --transpile-only benchmarks/levers.ts [--backend wasm] [--threads 1|2|auto]
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Command } from 'commander';
import { Sequential, backend, layers, tf } from '../src';
import type { BackendName } from '../src';
import { FusedAdam, FusedAdamW } from '../src/backend/fused-adam';
import { RandomGenerator } from '../src/backend/random';
import { columnSum, reluGradWithBias, transpose2d, transposeBiasActivation } from '../src/backend/layout-kernels';
import { takeBatch } from '../src/backend/rows';
import { writeFileAtomic } from '../src/io/atomic';
import { summarize } from './stats';

interface LeverTiming {
  lever: string;
  variant: string;
  /** Raw milliseconds per call. */
  samples: number[];
  median: number;
  min: number;
}

const timings: LeverTiming[] = [];

function time(lever: string, variant: string, fn: () => void, iterations = 30): void {
  for (let i = 0; i < 3; i++) tf.tidy(fn);
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    tf.tidy(fn);
    samples.push(performance.now() - start);
  }
  const { median, min } = summarize(samples);
  timings.push({ lever, variant, samples, median, min });
  console.log(`${lever.padEnd(34)} ${variant.padEnd(44)} ${median.toFixed(3).padStart(9)} ms  (min ${min.toFixed(3)})`);
}

/** A new tensor with the same values: the wasm matmul packs a new right operand on every call. */
const fresh = (v: tf.Variable): void => v.assign(tf.add(v, 0));

async function fitTime(onBatchEnd: boolean, x: tf.Tensor, y: tf.Tensor): Promise<number> {
  const model = new Sequential()
    .add(layers.Dense(512, { activation: 'relu', inputShape: [784] }))
    .add(layers.Dense(10, { activation: 'softmax' }));
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
  let read = 0;
  const callbacks = onBatchEnd ? [{ onBatchEnd: (_: number, logs: Record<string, number>) => void (read += logs['loss']!) }] : [];
  await model.fit(x, y, { epochs: 1, batchSize: 128, shuffle: false, verbose: 0, callbacks });
  const start = performance.now();
  await model.fit(x, y, { epochs: 2, batchSize: 128, shuffle: false, verbose: 0, callbacks });
  model.dispose();
  return (performance.now() - start) / 64; // ms per step
}

async function main(): Promise<void> {
  const opts = new Command('levers')
    .option('--backend <name>', 'wasm or cpu', 'wasm')
    .option('--threads <n>', "wasm threads: a count or 'auto'", (v: string) => (v === 'auto' ? 'auto' : Number(v)), 'auto')
    .parse(process.argv)
    .opts<{ backend: BackendName; threads: number | 'auto' }>();
  await backend.use(opts.backend, { threads: opts.threads });
  const random = new RandomGenerator(1);
  const x = tf.tensor2d(random.uniform(128 * 784), [128, 784]);
  const k1 = tf.variable(tf.tensor2d(random.uniform(784 * 512, -0.05, 0.05), [784, 512]));
  const k2 = tf.variable(tf.tensor2d(random.uniform(512 * 512, -0.05, 0.05), [512, 512]));
  const b = tf.variable(tf.tensor1d(random.uniform(512)));
  const dz = tf.variable(tf.tensor2d(random.uniform(128 * 512), [128, 512]));

  time('dW = xᵀ·dz', 'matMul(x, dz, transposeA) (tfjs gradient)', () => tf.matMul(x, dz, true, false), 10);
  time('dW = xᵀ·dz', 'matMul(transpose(x), dz) (keras-ts)', () => tf.matMul(tf.transpose(x), dz));
  time('dx = dz·Wᵀ (W fresh each step)', 'matMul(dz, W, transposeB) (tfjs gradient)', () => { fresh(k2); tf.matMul(dz, k2, false, true); }, 10);
  time('dx = dz·Wᵀ (W fresh each step)', 'matMul(dz, transpose(W)) (before)', () => { fresh(k2); tf.matMul(dz, tf.transpose(k2)); });
  time('dx = dz·Wᵀ (W fresh each step)', 'transpose(matMul(W, transpose(dz))) (now)', () => { fresh(k2); tf.transpose(tf.matMul(k2, tf.transpose(dz))); });
  time('forward x·W+b, relu (W fresh)', 'matMul, add, relu (3 kernels)', () => { fresh(k1); tf.relu(tf.add(tf.matMul(x, k1), b)); });
  time('forward x·W+b, relu (W fresh)', '_FusedMatMul with bias and relu (1 kernel)', () => {
    fresh(k1);
    tf.engine().runKernel('_FusedMatMul', { a: tf.reshape(x, [1, 128, 784]), b: tf.reshape(k1, [1, 784, 512]), bias: b },
      { transposeA: false, transposeB: false, activation: 'relu', leakyreluAlpha: 0 } as unknown as tf.NamedAttrMap);
  });
  time('forward x·W (W cached vs fresh)', 'same W every call (packed once)', () => tf.matMul(x, k1));
  time('forward x·W (W cached vs fresh)', 'W updated every call (packed every call)', () => { fresh(k1); tf.matMul(x, k1); });
  time('transpose 512×512', 'tf.transpose (before)', () => tf.transpose(k2));
  time('transpose 512×512', 'KerasTsTranspose2D (now)', () => transpose2d(k2));
  time('transpose 128×512', 'tf.transpose (before)', () => tf.transpose(dz));
  time('transpose 128×512', 'KerasTsTranspose2D (now)', () => transpose2d(dz));
  for (const [kernel, input, label] of [[k1, x, '784×512'], [k2, dz, '512×512']] as const) {
    const [rows, inputs, units] = [input.shape[0], kernel.shape[0], kernel.shape[1]];
    time(`forward relu(x·W+b), W fresh, ${label}`, `_FusedMatMul, packs W [${inputs}×${units}] (before)`, () => {
      fresh(kernel);
      tf.engine().runKernel('_FusedMatMul', { a: tf.reshape(input, [1, rows, inputs]), b: tf.reshape(kernel, [1, inputs, units]), bias: b },
        { transposeA: false, transposeB: false, activation: 'relu', leakyreluAlpha: 0 } as unknown as tf.NamedAttrMap);
    });
    time(`forward relu(x·W+b), W fresh, ${label}`, `zᵀ = Wᵀ·xᵀ, packs xᵀ [${inputs}×${rows}] (now)`, () => {
      fresh(kernel);
      transposeBiasActivation(tf.matMul(transpose2d(kernel), transpose2d(input as tf.Tensor2D)), b, 'relu');
    });
  }
  time('ReLU gradient + bias gradient 128×512', 'mul(dy, step(y)), sum(dz, 0) (before)', () => { const g = tf.mul(dz, tf.step(dz, 0)); tf.sum(g, 0); });
  time('ReLU gradient + bias gradient 128×512', 'KerasTsReluGrad, one pass (now)', () => reluGradWithBias(dz, dz));
  time('bias gradient 128×512 (linear)', 'tf.sum(dz, 0) (before)', () => tf.sum(dz, 0));
  time('bias gradient 128×512 (linear)', 'KerasTsColumnSum (now)', () => columnSum(dz));
  time('L1 subgradient sign(W) 784×512', 'tf.sign (before)', () => tf.sign(k1));
  time('L1 subgradient sign(W) 784×512', 'step(W) − step(−W) (now)', () => tf.sub(tf.step(k1, 0), tf.step(tf.neg(k1), 0)));
  time('L2 gradient 2·l2·W 512×512', 'tfjs autograd of l2·Σw²', () => tf.grad((w: tf.Tensor) => tf.mul(tf.sum(tf.square(w)), 1e-4))(k2));
  time('L2 gradient 2·l2·W 512×512', 'one multiply w·(l2·2) (now)', () => tf.mul(k2, tf.mul(tf.scalar(1e-4), 2)));

  const mask = new Float32Array(128 * 512);
  time('dropout mask 128×512', 'nextUint32() per entry (before)', () => { for (let i = 0; i < mask.length; i++) mask[i] = random.nextUint32() >= 858993459.2 ? 1.25 : 0; });
  time('dropout mask 128×512', 'fillKeepMask (now, same draws)', () => random.fillKeepMask(mask, 0.2, 1.25));
  time('dropout mask 128×512', 'JS mask + upload + multiply (now)', () => { random.fillKeepMask(mask, 0.2, 1.25); tf.mul(dz, tf.tensor2d(mask, [128, 512])); });
  time('dropout mask 128×512', 'tf.dropout (kernel RNG, not seedable across backends)', () => tf.dropout(dz, 0.2));

  const adam = tf.train.adam(1e-3, 0.9, 0.999, 1e-7);
  const sgd = tf.train.sgd(0.01);
  const weights = [k1, b, k2, b, tf.variable(tf.zeros([512, 10])), tf.variable(tf.zeros([10]))];
  const grads = Object.fromEntries(weights.map((w) => [w.name, tf.randomUniform(w.shape, -0.01, 0.01)])) as tf.NamedTensorMap;
  time('optimizer update, 669k weights', 'tf.train.adam (14 kernels per variable)', () => adam.applyGradients(grads as never));
  time('optimizer update, 669k weights', 'tf.train.sgd (2 kernels per variable)', () => sgd.applyGradients(grads as never));
  const fusedAdam = new FusedAdam({ learningRate: 1e-3 });
  const fusedAdamW = new FusedAdamW({ learningRate: 1e-3 });
  time('optimizer update, 669k weights', 'FusedAdam (1 KerasTsAdamUpdate kernel per variable)', () => fusedAdam.applyGradients(grads));
  time('optimizer update, 669k weights', 'FusedAdamW (1 kernel per variable)', () => fusedAdamW.applyGradients(grads));
  time('optimizer update, 669k weights', 'tf.train.adam (again, after the fused ones)', () => adam.applyGradients(grads as never));

  for (const rows of [4096, 60000]) {
    const bigX = tf.zeros([rows, 784]);
    const bigY = tf.zeros([rows, 10]);
    const order = random.permutation(rows);
    time(`batch of 128 rows from ${rows}`, 'tf.slice x and y (before)', () => { tf.slice(bigX, 256, 128); tf.slice(bigY, 256, 128); }, rows > 10000 ? 5 : 30);
    time(`batch of 128 rows from ${rows}`, 'tf.gather x and y', () => { const i = tf.tensor1d(order.subarray(0, 128), 'int32'); tf.gather(bigX, i); tf.gather(bigY, i); });
    time(`batch of 128 rows from ${rows}`, 'takeBatch contiguous (now)', () => takeBatch([bigX, bigY], 256, 128));
    time(`batch of 128 rows from ${rows}`, 'takeBatch shuffled (now)', () => takeBatch([bigX, bigY], 256, 128, order));
    tf.dispose([bigX, bigY]);
  }

  const fx = tf.tensor2d(random.uniform(4096 * 784), [4096, 784]);
  const fy = tf.tidy(() => tf.oneHot(tf.tensor1d(Array.from({ length: 4096 }, () => random.int(10)), 'int32'), 10));
  for (const [variant, read] of [['sums stay on the device (now)', false], ['loss read every batch (onBatchEnd reads logs.loss)', true]] as const) {
    const perStep = await fitTime(read, fx, fy);
    timings.push({ lever: 'loss sums per step (784-512-10 fit)', variant, samples: [perStep], median: perStep, min: perStep });
    console.log(`${'loss sums per step (784-512-10 fit)'.padEnd(34)} ${variant.padEnd(44)} ${perStep.toFixed(3).padStart(9)} ms per step`);
  }

  const out = path.join(__dirname, 'results', `levers-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileAtomic(out, `${JSON.stringify({
    schemaVersion: 1,
    context: { date: new Date().toISOString(), backend: tf.getBackend(), wasmThreads: backend.wasmThreadCount() ?? null, cpu: os.cpus()[0]?.model.trim(), cores: os.cpus().length, node: process.version, tfjs: tf.version.tfjs, loadAverage: os.loadavg()[0] },
    results: timings,
  }, null, 2)}\n`);
  console.log(`\nwritten ${path.relative(process.cwd(), out)}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
