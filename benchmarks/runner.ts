/** Times trainers: warm-up, then repeats, with tensor counts and RSS around each. */
import { performance } from 'node:perf_hooks';
import { tf } from '../src';
import { summarize } from './stats';
import type { Summary } from './stats';
import { flopsPerSample } from './workload';
import type { EpochProbe, TrainerFactory, WorkloadSpec } from './workload';

export interface TimingPlan {
  /** Epochs of the untimed warm-up run (kernels compiled, caches filled). */
  warmupEpochs: number;
  repeats: number;
  /** Epochs per timed run. */
  epochs: number;
}

export interface MemoryRecord {
  tensorsBefore: number;
  tensorsAfter: number;
  rssBefore: number;
  rssAfter: number;
  /** Probes at each epoch end of every timed run, in order. */
  epochs: EpochProbe[];
}

export interface Result extends Summary {
  name: string;
  backend: string;
  repeats: number;
  warmupEpochs: number;
  epochs: number;
  rows: number;
  batchSize: number;
  seed: number;
  /** Raw wall-clock seconds of each timed run. */
  samples: number[];
  /** Rows trained per second at the median run. */
  samplesPerSecond: number;
  /** Matmul GFLOP/s at the median run (see flopsPerSample). */
  gflops: number;
  memory: MemoryRecord;
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export async function timeTrainer(
  name: string, factory: TrainerFactory, spec: WorkloadSpec, data: { x: tf.Tensor2D; y: tf.Tensor2D },
  initialWeights: tf.Tensor[], plan: TimingPlan,
): Promise<Result> {
  global.gc?.();
  await settle();
  const tensorsBefore = tf.memory().numTensors;
  const rssBefore = process.memoryUsage().rss;
  const trainer = factory(spec, initialWeights);
  const samples: number[] = [];
  const probes: EpochProbe[] = [];
  try {
    if (plan.warmupEpochs > 0) await trainer.train(data.x, data.y, plan.warmupEpochs);
    for (let r = 0; r < plan.repeats; r++) {
      await settle();
      const start = performance.now();
      probes.push(...(await trainer.train(data.x, data.y, plan.epochs)));
      samples.push((performance.now() - start) / 1000);
    }
  } finally {
    trainer.dispose();
  }
  global.gc?.();
  const stats = summarize(samples);
  const rows = data.x.shape[0];
  const rowsPerRun = rows * plan.epochs;
  return {
    name, backend: tf.getBackend(), repeats: plan.repeats, warmupEpochs: plan.warmupEpochs, epochs: plan.epochs,
    rows, batchSize: spec.batchSize, seed: spec.seed, samples, ...stats,
    samplesPerSecond: rowsPerRun / stats.median,
    gflops: (rowsPerRun * flopsPerSample(spec.units)) / stats.median / 1e9,
    memory: { tensorsBefore, tensorsAfter: tf.memory().numTensors, rssBefore, rssAfter: process.memoryUsage().rss, epochs: probes },
  };
}
