/** Times trainers: warm-up, then interleaved repeats, with tensor counts and RSS around the group. */
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

/** Tensor count and RSS before the group of trainers was built and after all were disposed. */
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

/**
 * Times several trainers on one backend. All are built and warmed up first, then the timed runs go
 * round-robin (the order rotating each round), so a busy spell on a shared machine lands on every
 * trainer alike and the ratios stay fair. Tensor counts and RSS are taken around the whole group
 * (before any trainer exists, after all are disposed); each trainer's epoch-end probes show
 * whether its count stays flat from epoch to epoch.
 */
export async function timeTrainers(
  trainers: { name: string; factory: TrainerFactory }[], spec: WorkloadSpec, data: { x: tf.Tensor2D; y: tf.Tensor2D },
  initialWeights: tf.Tensor[], plan: TimingPlan,
): Promise<Result[]> {
  global.gc?.();
  await settle();
  const tensorsBefore = tf.memory().numTensors;
  const rssBefore = process.memoryUsage().rss;
  const built = trainers.map((t) => ({ ...t, trainer: t.factory(spec, initialWeights), samples: [] as number[], probes: [] as EpochProbe[] }));
  try {
    for (const t of built) if (plan.warmupEpochs > 0) await t.trainer.train(data.x, data.y, plan.warmupEpochs);
    for (let r = 0; r < plan.repeats; r++) {
      for (let i = 0; i < built.length; i++) {
        const t = built[(i + r) % built.length]!;
        await settle();
        const start = performance.now();
        t.probes.push(...(await t.trainer.train(data.x, data.y, plan.epochs)));
        t.samples.push((performance.now() - start) / 1000);
      }
    }
  } finally {
    for (const t of built) t.trainer.dispose();
  }
  global.gc?.();
  const tensorsAfter = tf.memory().numTensors;
  const rssAfter = process.memoryUsage().rss;
  const rows = data.x.shape[0];
  const rowsPerRun = rows * plan.epochs;
  return built.map((t) => {
    const stats = summarize(t.samples);
    return {
      name: t.name, backend: tf.getBackend(), repeats: plan.repeats, warmupEpochs: plan.warmupEpochs, epochs: plan.epochs,
      rows, batchSize: spec.batchSize, seed: spec.seed, samples: t.samples, ...stats,
      samplesPerSecond: rowsPerRun / stats.median,
      gflops: (rowsPerRun * flopsPerSample(spec.units)) / stats.median / 1e9,
      memory: { tensorsBefore, tensorsAfter, rssBefore, rssAfter, epochs: t.probes },
    };
  });
}
