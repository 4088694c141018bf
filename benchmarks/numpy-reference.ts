/**
 * The numpy reference of the workload (`numpy_reference.py`): the same training written directly in
 * numpy, run with Debian's python3-numpy where it is installed. Its time is what the BLAS on this
 * machine plus numpy's elementwise work cost; keras-ts ÷ numpy is one of the benchmark's ratios.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { WorkloadSpec } from './workload';

export interface NumpyReference {
  name: 'numpy';
  rows: number;
  epochs: number;
  batchSize: number;
  /** Seconds of each timed run. */
  samples: number[];
  median: number;
  min: number;
  numpy: string;
  /** The BLAS library the process loaded (OpenBLAS' own config string where it is OpenBLAS). */
  blas: string;
  threads: number | string;
  python: string;
}

/** Debian's interpreter first (its numpy), then whatever `python3` is on the PATH. */
export function defaultPython(): string {
  return fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
}

/** Runs the reference; resolves to its record, or to the reason it could not run (no python3, no numpy). */
export function runNumpyReference(spec: WorkloadSpec, repeats: number, python = defaultPython()): NumpyReference | { skipped: string } {
  const script = path.join(__dirname, 'numpy_reference.py');
  const args = [script, '--repeats', String(repeats), '--rows', String(spec.samples), '--epochs', String(spec.epochs), '--batch-size', String(spec.batchSize)];
  const run = spawnSync(python, args, { encoding: 'utf8', timeout: 20 * 60 * 1000 });
  if (run.error !== undefined) return { skipped: `${python} could not start (${run.error.message})` };
  if (run.status !== 0) {
    const why = run.stderr.includes("No module named 'numpy'") ? 'numpy is not installed (Debian: apt install python3-numpy)' : run.stderr.trim().split('\n').pop();
    return { skipped: `${python} ${path.basename(script)} failed: ${why ?? `exit ${run.status}`}` };
  }
  const line = run.stdout.trim().split('\n').pop() ?? '';
  try {
    return { ...(JSON.parse(line) as Omit<NumpyReference, 'python'>), python };
  } catch {
    return { skipped: `${path.basename(script)} printed no result line: ${line.slice(0, 200)}` };
  }
}
