/**
 * The threads lever: the same measurements in child processes with 1 and with n wasm threads,
 * alternating (1, n, 1, n, …) so that a busy spell on the shared machine hits both alike. The thread
 * count is fixed per process, hence the children. Writes benchmarks/results/threads-<date>.json.
 *
 *   npx ts-node --transpile-only benchmarks/threads.ts [--threads 2] [--rounds 3]
 *
 * Each child measures (min and median of its samples): a 128×784×512 matmul with cached weights,
 * one Adam update of the workload's 669k weights (tfjs' and FusedAdam), and one epoch of the
 * benchmark workload (4096 rows, batch 128) with keras-ts' 'adam' (FusedAdam) and with tf.train.adam.
 */
import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Command } from 'commander';
import { backend, tf } from '../src';
import { FusedAdam } from '../src/backend/fused-adam';
import { RandomGenerator } from '../src/backend/random';
import { writeFileAtomic } from '../src/io/atomic';
import { summarize } from './stats';
import { DEFAULT_SPEC, makeData } from './workload';
import { buildKerasTsModel } from './workloads/keras-ts';

type Measures = Record<string, number[]>;

function sample(fn: () => void, n: number): number[] {
  for (let i = 0; i < 3; i++) tf.tidy(fn);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    tf.tidy(fn);
    out.push(performance.now() - t);
  }
  return out;
}

async function child(threads: number): Promise<Measures> {
  await backend.use('wasm', { threads });
  const random = new RandomGenerator(1);
  const x = tf.tensor2d(random.uniform(128 * 784), [128, 784]);
  const k = tf.variable(tf.tensor2d(random.uniform(784 * 512, -0.05, 0.05), [784, 512]));
  const measures: Measures = { 'matmul 128×784×512 (ms)': sample(() => tf.matMul(x, k), 40) };
  const weights = [[784, 512], [512], [512, 512], [512], [512, 10], [10]].map((s) => tf.variable(tf.zeros(s)));
  const grads = Object.fromEntries(weights.map((w) => [w.name, tf.randomUniform(w.shape, -0.01, 0.01)])) as tf.NamedTensorMap;
  const adam = tf.train.adam(1e-3, 0.9, 0.999, 1e-7);
  const fused = new FusedAdam({ epsilonPlacement: 'tfjs' });
  measures['Adam update, 669k weights: tf.train.adam (ms)'] = sample(() => adam.applyGradients(grads as never), 20);
  measures['Adam update, 669k weights: FusedAdam (ms)'] = sample(() => fused.applyGradients(grads), 20);
  const spec = { ...DEFAULT_SPEC, epochs: 1 };
  const data = makeData(spec);
  for (const [label, tfjsAdam] of [['keras-ts epoch (FusedAdam), 4096 rows (s)', false], ['keras-ts epoch with tf.train.adam, 4096 rows (s)', true]] as const) {
    const model = buildKerasTsModel(spec, tfjsAdam);
    await model.fit(data.x, data.y, { epochs: 1, batchSize: spec.batchSize, shuffle: false, verbose: 0 });
    const times: number[] = [];
    for (let r = 0; r < 2; r++) {
      const t = performance.now();
      await model.fit(data.x, data.y, { epochs: 1, batchSize: spec.batchSize, shuffle: false, verbose: 0 });
      times.push((performance.now() - t) / 1000);
    }
    measures[label] = times;
    model.dispose();
  }
  return measures;
}

async function main(): Promise<void> {
  const opts = new Command('threads')
    .option('--threads <n>', 'threads to compare with 1', (v: string) => Number(v), Math.min(8, os.availableParallelism()))
    .option('--rounds <n>', 'alternations of the two children', (v: string) => Number(v), 3)
    .option('--child <n>', 'internal: measure in this process with n threads', (v: string) => Number(v))
    .parse(process.argv)
    .opts<{ threads: number; rounds: number; child?: number }>();
  if (opts.child !== undefined) {
    process.stdout.write(`${JSON.stringify(await child(opts.child))}\n`);
    return;
  }
  const runs: { threads: number; round: number; measures: Measures }[] = [];
  const loadStart = os.loadavg()[0];
  for (let round = 0; round < opts.rounds; round++) {
    for (const threads of [1, opts.threads]) {
      const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', __filename, '--child', String(threads)], { cwd: path.join(__dirname, '..'), encoding: 'utf8', timeout: 300_000 });
      if (r.status !== 0) throw new Error(`child with ${threads} threads failed (${r.status ?? r.signal}): ${r.stderr}`);
      const measures = JSON.parse(r.stdout.trim().split('\n').pop()!) as Measures;
      runs.push({ threads, round, measures });
      console.error(`round ${round} threads ${threads}: ${Object.entries(measures).map(([k, v]) => `${k} min ${Math.min(...v).toFixed(3)}`).join('; ')}`);
    }
  }
  const results = Object.keys(runs[0]!.measures).flatMap((measure) =>
    [1, opts.threads].map((threads) => {
      const samples = runs.filter((r) => r.threads === threads).flatMap((r) => r.measures[measure]!);
      const { median, min } = summarize(samples);
      return { measure, threads, samples, median, min };
    }),
  );
  const record = {
    schemaVersion: 1,
    context: { date: new Date().toISOString(), cpu: os.cpus()[0]?.model.trim(), cores: os.cpus().length, node: process.version, tfjs: tf.version.tfjs, loadAverage: [loadStart, os.loadavg()[0]], command: `benchmarks/threads.ts ${process.argv.slice(2).join(' ')}`.trim() },
    results,
  };
  for (const measure of Object.keys(runs[0]!.measures)) {
    const [one, many] = [1, opts.threads].map((t) => results.find((r) => r.measure === measure && r.threads === t)!);
    console.log(`${measure.padEnd(46)} 1 thread ${one!.median.toFixed(3)} (min ${one!.min.toFixed(3)})  ${opts.threads} threads ${many!.median.toFixed(3)} (min ${many!.min.toFixed(3)})  speed-up ${(one!.median / many!.median).toFixed(2)}× (min ${(one!.min / many!.min).toFixed(2)}×)`);
  }
  const out = path.join(__dirname, 'results', `threads-${record.context.date.replace(/[:.]/g, '-')}.json`);
  writeFileAtomic(out, `${JSON.stringify(record, null, 2)}\n`);
  console.log(`written ${path.relative(process.cwd(), out)}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
