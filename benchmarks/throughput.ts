/**
 * Training throughput of keras-ts next to stock tfjs-layers and a plain tfjs loop, on every backend
 * that loads, in one process. Prints a table and writes benchmarks/results/throughput-<date>.json.
 *
 *   npm run bench -- --repeats 5 --backends wasm --fashion-mnist
 *
 * Then the save / load times of the same model in each format (benchmarks/save-load.ts), on wasm.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { Command, Option } from 'commander';
import { backend, tf } from '../src';
import type { BackendName } from '../src';
import { writeFileAtomic } from '../src/io/atomic';
import { fashionEpochData } from './fashion';
import { SCHEMA_VERSION, compare, formatRecord, makeContext } from './report';
import type { BenchmarkRecord, Comparison } from './report';
import { timeTrainers } from './runner';
import type { Result } from './runner';
import { DEFAULT_SPEC, makeData } from './workload';
import type { TrainerFactory, WorkloadSpec } from './workload';
import { buildKerasTsModel, kerasTsTfjsAdamTrainer, kerasTsTrainer } from './workloads/keras-ts';
import { plainSameKernelsTrainer, plainTfjsTrainer } from './workloads/plain-loop';
import { tfjsLayersTrainer } from './workloads/tfjs-layers';
import { matmulFloorTrainer } from './workloads/matmul-floor';
import { formatSaveLoad, timeSaveLoad } from './save-load';
import { defaultPython, runNumpyReference } from './numpy-reference';
import type { NumpyReference } from './numpy-reference';
import type { SaveLoadResult } from './save-load';

const TRAINERS = {
  'keras-ts': kerasTsTrainer,
  'keras-ts-tfjs-adam': kerasTsTfjsAdamTrainer,
  'tfjs-layers': tfjsLayersTrainer,
  'plain-tfjs': plainTfjsTrainer,
  'plain-same-kernels': plainSameKernelsTrainer,
  'matmul-floor': matmulFloorTrainer,
} satisfies Record<string, TrainerFactory>;
type TrainerName = keyof typeof TRAINERS;

/** Default rows on the cpu backend: the same model at 1/8 of the data keeps `npm run bench` short. */
const CPU_SAMPLES = 512;

const positiveInt = (name: string) => (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`Invalid --${name}: expected a positive integer. Received: ${value}`);
  return n;
};
const list = <T extends string>(name: string, allowed: readonly T[]) => (value: string): T[] => {
  const items = value.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = items.filter((s) => !allowed.includes(s as T));
  if (bad.length > 0 || items.length === 0) throw new Error(`Invalid --${name}: expected a comma list of ${allowed.join(', ')}. Received: ${value}`);
  return items as T[];
};

interface CliOptions {
  repeats: number;
  warmup: number;
  backends?: BackendName[];
  trainers: TrainerName[];
  samples?: number;
  epochs: number;
  batchSize: number;
  fashionMnist: boolean;
  fashionRepeats: number;
  out?: string;
  quiet: boolean;
  wasmThreads: number | 'auto';
  saveLoad: boolean;
  saveLoadRepeats: number;
  numpy: boolean;
  python: string;
}

function parseArgs(argv: string[]): CliOptions {
  const trainerNames = Object.keys(TRAINERS) as TrainerName[];
  return new Command('throughput')
    .description('Training throughput of keras-ts vs stock tfjs-layers vs a plain tfjs loop')
    .option('--repeats <n>', 'timed runs per trainer and backend', positiveInt('repeats'), 3)
    .option('--warmup <epochs>', 'untimed warm-up epochs before the timed runs', (v) => Number(v), 1)
    .addOption(new Option('--backends <list>', 'comma list of wasm, cpu, tensorflow, webgpu (default: all that load)').argParser(list('backends', ['wasm', 'cpu', 'tensorflow', 'webgpu'] as const)))
    .option('--trainers <list>', `comma list of ${trainerNames.join(', ')}`, list('trainers', trainerNames), trainerNames)
    .option('--samples <n>', `training rows (default ${DEFAULT_SPEC.samples}; ${CPU_SAMPLES} on cpu, whose pure-JS matmul is ~15x slower)`, positiveInt('samples'))
    .option('--epochs <n>', 'epochs per timed run', positiveInt('epochs'), DEFAULT_SPEC.epochs)
    .option('--batch-size <n>', 'rows per step', positiveInt('batch-size'), DEFAULT_SPEC.batchSize)
    .option('--fashion-mnist', 'also time one 60k-row Fashion-MNIST epoch of keras-ts, not on cpu (random rows if the data is missing)', false)
    .option('--fashion-repeats <n>', 'timed 60k-row epochs', positiveInt('fashion-repeats'), 2)
    .option('--out <file>', 'JSON output (default benchmarks/results/throughput-<date>.json)')
    .option('--quiet', 'print only the final table', false)
    .option('--no-save-load', 'skip the save / load timings of the model in each format')
    .option('--no-numpy', 'skip the numpy reference (benchmarks/numpy_reference.py)')
    .option('--python <path>', 'interpreter for the numpy reference', defaultPython())
    .option('--save-load-repeats <n>', 'timed save + load rounds per format', positiveInt('save-load-repeats'), 5)
    .option('--wasm-threads <n>', "wasm backend threads: a count or 'auto' (the cores this process may use)", (v: string) => (v === 'auto' ? 'auto' : positiveInt('wasm-threads')(v)), 'auto')
    .parse(argv)
    .opts<CliOptions>();
}

/**
 * Starts a backend for the trainers; returns why it cannot run them (no GPU adapter, or no synchronous
 * reads, which every trainer's fit does: tfjs-backend-webgpu in Node has none), or undefined.
 */
async function startBackend(name: BackendName, threads: number | 'auto'): Promise<string | undefined> {
  try {
    await backend.use(name, { threads });
  } catch (error) {
    return (error as Error).message;
  }
  try {
    // Large enough that GPU backends run it on the GPU rather than forwarding it to the CPU.
    tf.tidy(() => tf.matMul(tf.ones([64, 64]), tf.ones([64, 64])).dataSync());
  } catch (error) {
    return `its tensors cannot be read synchronously here, as fit does (${(error as Error).message})`;
  }
  return undefined;
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv);
  const loadStart = os.loadavg()[0]!;
  const backends = opts.backends ?? backend.available();
  const log = (line: string) => { if (!opts.quiet) console.error(line); };
  const results: Result[] = [];
  // Threaded wasm results are labelled apart so they never mix with single-threaded ones.
  const label = (name: BackendName): string => {
    const threads = name === 'wasm' ? backend.wasmThreadCount() ?? 1 : 1;
    return threads > 1 ? `wasm-${threads}-threads` : name;
  };
  const measured: BackendName[] = [];
  for (const name of backends) {
    const skip = await startBackend(name, opts.wasmThreads);
    if (skip !== undefined) {
      log(`backend ${name}: skipped, ${skip}`);
      continue;
    }
    measured.push(name);
    if (name === 'wasm') log(`wasm with ${backend.wasmThreadCount()} thread(s)`);
    const spec: WorkloadSpec = { ...DEFAULT_SPEC, samples: opts.samples ?? (name === 'cpu' ? CPU_SAMPLES : DEFAULT_SPEC.samples), epochs: opts.epochs, batchSize: opts.batchSize };
    log(`backend ${name}: ${spec.samples} rows × ${spec.epochs} epochs, batch ${spec.batchSize}`);
    const data = makeData(spec);
    const seedModel = buildKerasTsModel(spec);
    const initialWeights = seedModel.getWeights();
    seedModel.dispose();
    const plan = { warmupEpochs: opts.warmup, repeats: opts.repeats, epochs: spec.epochs };
    const group = opts.trainers.map((trainer) => ({ name: trainer, factory: TRAINERS[trainer] }));
    for (const result of await timeTrainers(group, spec, data, initialWeights, plan)) {
      log(`  ${result.name}: median ${result.median.toFixed(3)} s (${result.samples.map((s) => s.toFixed(3)).join(', ')})`);
      results.push({ ...result, backend: label(name) });
    }
    data.x.dispose();
    data.y.dispose();
    if (opts.fashionMnist && name === 'cpu') log('  60k epoch skipped on cpu (about 8 minutes per epoch there)');
    if (opts.fashionMnist && name !== 'cpu') {
      const epochData = fashionEpochData(spec);
      const name60k = `keras-ts ${epochData.source === 'fashion-mnist' ? 'fashion-mnist' : 'random'} 60k`;
      const [timed] = await timeTrainers([{ name: name60k, factory: kerasTsTrainer }], spec, epochData, initialWeights, { warmupEpochs: 0, repeats: opts.fashionRepeats, epochs: 1 });
      const result = { ...timed!, backend: label(name) };
      log(`  ${name60k}: median ${result.median.toFixed(3)} s (${result.samples.map((s) => s.toFixed(3)).join(', ')})`);
      results.push(result);
      epochData.dispose();
    }
    tf.dispose(initialWeights);
  }
  let reference: NumpyReference | undefined;
  if (opts.numpy) {
    const spec = { ...DEFAULT_SPEC, samples: opts.samples ?? DEFAULT_SPEC.samples, epochs: opts.epochs, batchSize: opts.batchSize };
    log(`numpy reference: ${spec.samples} rows × ${spec.epochs} epochs, batch ${spec.batchSize}`);
    const run = runNumpyReference(spec, opts.repeats, opts.python);
    if ('skipped' in run) log(`numpy reference: skipped, ${run.skipped}`);
    else {
      reference = run;
      log(`  numpy: median ${run.median.toFixed(3)} s (${run.samples.map((s) => s.toFixed(3)).join(', ')}), ${run.blas}, ${run.threads} thread(s)`);
    }
  }
  let saveLoad: SaveLoadResult[] | undefined;
  if (opts.saveLoad && backend.available().includes('wasm')) {
    await backend.use('wasm', { threads: opts.wasmThreads });
    log('save / load of the model in each format on wasm');
    saveLoad = await timeSaveLoad(opts.saveLoadRepeats);
  }
  // saveLoad: an extra field (readers ignore unknown fields).
  const comparisons = compare(results, [
    ['tfjs-layers', 'keras-ts'],
    ['plain-tfjs', 'keras-ts'],
    ['keras-ts', 'plain-same-kernels'],
    ['keras-ts-tfjs-adam', 'keras-ts'],
    ['keras-ts', 'matmul-floor'],
  ]);
  if (reference !== undefined) comparisons.push(...compareWithNumpy(results, reference));
  const record: BenchmarkRecord & { saveLoad?: SaveLoadResult[] } = {
    schemaVersion: SCHEMA_VERSION,
    context: makeContext(measured.map(label), loadStart, `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim()),
    results,
    comparisons,
    ...(reference === undefined ? {} : { reference }),
    ...(saveLoad === undefined ? {} : { saveLoad }),
  };
  const out = opts.out ?? path.join(__dirname, 'results', `throughput-${record.context.date.replace(/[:.]/g, '-')}.json`);
  writeFileAtomic(out, `${JSON.stringify(record, null, 2)}\n`);
  console.log(formatRecord(record));
  if (saveLoad !== undefined) console.log(`\n${formatSaveLoad(saveLoad)}`);
  console.log(`\nwritten ${path.relative(process.cwd(), out)}`);
}

/** keras-ts ÷ numpy on each backend where keras-ts trained the same rows, epochs and batch size. */
function compareWithNumpy(results: Result[], numpy: NumpyReference): Comparison[] {
  return results
    .filter((r) => r.name === 'keras-ts' && r.rows === numpy.rows && r.epochs === numpy.epochs && r.batchSize === numpy.batchSize)
    .map((r) => ({ backend: r.backend, label: 'keras-ts / numpy', numerator: 'keras-ts', denominator: 'numpy', min: r.min / numpy.min, median: r.median / numpy.median }));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
