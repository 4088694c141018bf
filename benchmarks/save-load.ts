/**
 * Save and load times of the workload's 784-512-512-10 model (Adam, after one step so the optimizer
 * has its slots) in each format: `.keras` (optimizer included, Keras' default) and the tfjs-layers
 * directory (weights only, tfjs' default), to a temp folder. One untimed round first, then the
 * median of `repeats`. `npm run bench` runs it after the throughput table; alone:
 *
 *   ts-node --transpile-only benchmarks/save-load.ts [--repeats 7]
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { backend, loadModel, tf } from '../src';
import { summarize } from './stats';
import type { Summary } from './stats';
import { DEFAULT_SPEC, makeData } from './workload';
import { buildKerasTsModel } from './workloads/keras-ts';

/** One timed operation: its raw samples (s) and their summary. */
export interface SaveLoadResult extends Summary {
  name: string;
  format: 'keras' | 'tfjs-layers';
  operation: 'save' | 'load';
  /** Bytes on disk after the save. */
  bytes: number;
  samples: number[];
}

/** Target from issue 8: each save and each load under 0.3 s. */
export const SAVE_LOAD_TARGET_S = 0.3;

function sizeOf(target: string): number {
  const stat = fs.statSync(target);
  if (!stat.isDirectory()) return stat.size;
  return fs.readdirSync(target).reduce((n, f) => n + fs.statSync(path.join(target, f)).size, 0);
}

export async function timeSaveLoad(repeats = 5): Promise<SaveLoadResult[]> {
  const spec = { ...DEFAULT_SPEC, samples: DEFAULT_SPEC.batchSize, epochs: 1 };
  const model = buildKerasTsModel(spec);
  const data = makeData(spec);
  await model.fit(data.x, data.y, { epochs: 1, batchSize: spec.batchSize, verbose: 0 });
  tf.dispose([data.x, data.y]);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-ts-bench-save-'));
  const results: SaveLoadResult[] = [];
  try {
    for (const [format, target] of [['keras', path.join(dir, 'model.keras')], ['tfjs-layers', path.join(dir, 'model-dir')]] as const) {
      const save: number[] = [];
      const load: number[] = [];
      for (let r = 0; r <= repeats; r++) {
        let start = performance.now();
        await model.save(target);
        const saved = (performance.now() - start) / 1000;
        start = performance.now();
        const loaded = await loadModel(target);
        const loadedIn = (performance.now() - start) / 1000;
        loaded.dispose();
        if (r === 0) continue; // warm-up: wasm/h5wasm start-up, first allocations
        save.push(saved);
        load.push(loadedIn);
      }
      const bytes = sizeOf(target);
      results.push({ name: `save ${format}`, format, operation: 'save', bytes, samples: save, ...summarize(save) });
      results.push({ name: `load ${format}`, format, operation: 'load', bytes, samples: load, ...summarize(load) });
    }
  } finally {
    model.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return results;
}

export function formatSaveLoad(results: readonly SaveLoadResult[]): string {
  const lines = results.map((r) => {
    const verdict = r.median < SAVE_LOAD_TARGET_S ? 'ok' : 'over target';
    return `${r.name.padEnd(18)} median ${r.median.toFixed(3)} s  min ${r.min.toFixed(3)} s  (${(r.bytes / 1e6).toFixed(1)} MB, ${r.samples.length} runs)  ${verdict}`;
  });
  return [`save / load of the ${DEFAULT_SPEC.units.join('-')} model (target < ${SAVE_LOAD_TARGET_S} s each)`, ...lines].join('\n');
}

if (require.main === module) {
  const at = process.argv.indexOf('--repeats');
  const repeats = at > 0 ? Number(process.argv[at + 1]) : 5;
  (async () => {
    await backend.use('wasm', { threads: 1 });
    console.log(formatSaveLoad(await timeSaveLoad(repeats)));
  })().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
