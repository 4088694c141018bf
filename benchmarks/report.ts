/**
 * The benchmark's record: versioned JSON (`{ schemaVersion, context, results, comparisons }`) and a
 * plain-text table printed from that same record. Readers ignore fields they do not know.
 */
import * as os from 'node:os';
import { tf } from '../src';
import type { Result } from './runner';

export const SCHEMA_VERSION = 1;

export interface Context {
  date: string;
  versions: { kerasTs: string; tfjs: string; node: string };
  backends: string[];
  cpu: string;
  cores: number;
  node: string;
  /** 1-minute load average at start and end: the machine is shared, so this says how quiet it was. */
  loadAverage: { start: number; end: number };
  command: string;
}

/** One ratio of medians (and of minimums) between two results on one backend. */
export interface Comparison {
  backend: string;
  /** e.g. "tfjs-layers / keras-ts": how many times longer the first takes than the second. */
  label: string;
  numerator: string;
  denominator: string;
  min: number;
  median: number;
}

/** The numpy reference's timing (benchmarks/numpy-reference.ts), where it ran. */
export interface ReferenceTiming {
  rows: number;
  epochs: number;
  batchSize: number;
  median: number;
  min: number;
  numpy: string;
  blas: string;
  threads: number | string;
}

export interface BenchmarkRecord {
  schemaVersion: number;
  context: Context;
  results: Result[];
  comparisons: Comparison[];
  reference?: ReferenceTiming;
}

export function makeContext(backends: string[], loadStart: number, command: string): Context {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pkg = require('../package.json') as { version: string };
  return {
    date: new Date().toISOString(),
    versions: { kerasTs: pkg.version, tfjs: tf.version.tfjs, node: process.version },
    backends,
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
    cores: os.cpus().length,
    node: process.version,
    loadAverage: { start: loadStart, end: os.loadavg()[0]! },
    command,
  };
}

/** Ratios numerator/denominator of every pair in `pairs` found on each backend. */
export function compare(results: Result[], pairs: [string, string][]): Comparison[] {
  const out: Comparison[] = [];
  for (const backend of [...new Set(results.map((r) => r.backend))]) {
    for (const [num, den] of pairs) {
      const a = results.find((r) => r.backend === backend && r.name === num);
      const b = results.find((r) => r.backend === backend && r.name === den);
      if (a && b) out.push({ backend, label: `${num} / ${den}`, numerator: num, denominator: den, min: a.min / b.min, median: a.median / b.median });
    }
  }
  return out;
}

const mb = (bytes: number): string => (bytes / 2 ** 20).toFixed(0);
const pad = (s: string, n: number): string => s.padEnd(n);
const lpad = (s: string, n: number): string => s.padStart(n);

/** Whether every epoch-end probe of a result shows the same tensor count. */
export function tensorsFlat(r: Result): boolean {
  const counts = r.memory.epochs.map((p) => p.numTensors);
  return counts.every((c) => c === counts[0]);
}

/** RSS growth from the first to the last epoch-end probe, in MB. */
export function rssGrowthMb(r: Result): number {
  const e = r.memory.epochs;
  return e.length < 2 ? 0 : (e[e.length - 1]!.rssBytes - e[0]!.rssBytes) / 2 ** 20;
}

export function formatRecord(record: BenchmarkRecord): string {
  const c = record.context;
  const lines = [`${c.cpu}, ${c.cores} cores, node ${c.node}, tfjs ${c.versions.tfjs}, load ${c.loadAverage.start.toFixed(2)} → ${c.loadAverage.end.toFixed(2)}`];
  for (const backend of c.backends) {
    const rs = record.results.filter((r) => r.backend === backend);
    if (rs.length === 0) continue;
    lines.push('', `backend ${backend}`);
    lines.push(`  ${pad('trainer', 28)}${lpad('median s', 10)}${lpad('min s', 9)}${lpad('sd s', 8)}${lpad('rows/s', 9)}${lpad('GFLOP/s', 9)}  tensors: group before→after (epoch ends)  RSS MB: group before→after (Δ first→last epoch)`);
    for (const r of rs) {
      const ends = r.memory.epochs.map((p) => p.numTensors);
      const endText = tensorsFlat(r) ? `flat ${ends[0] ?? '-'}` : `varies ${Math.min(...ends)}-${Math.max(...ends)}`;
      lines.push(`  ${pad(`${r.name} (${r.rows}×${r.epochs})`, 28)}${lpad(r.median.toFixed(3), 10)}${lpad(r.min.toFixed(3), 9)}${lpad(r.sd.toFixed(3), 8)}`
        + `${lpad(r.samplesPerSecond.toFixed(0), 9)}${lpad(r.gflops.toFixed(1), 9)}  ${pad(`${r.memory.tensorsBefore}→${r.memory.tensorsAfter} (${endText})`, 35)}`
        + `${mb(r.memory.rssBefore)}→${mb(r.memory.rssAfter)} (${rssGrowthMb(r) >= 0 ? '+' : ''}${rssGrowthMb(r).toFixed(0)})`);
    }
    for (const cmp of record.comparisons.filter((x) => x.backend === backend)) {
      lines.push(`  ${pad(cmp.label, 40)} median ${cmp.median.toFixed(2)}×   min ${cmp.min.toFixed(2)}×`);
    }
  }
  const ref = record.reference;
  if (ref !== undefined) {
    lines.push('', `numpy ${ref.numpy} reference (${ref.rows}×${ref.epochs}, batch ${ref.batchSize}): median ${ref.median.toFixed(3)} s, min ${ref.min.toFixed(3)} s`);
    lines.push(`  BLAS: ${ref.blas}; threads: ${ref.threads}`);
  }
  return lines.join('\n');
}
