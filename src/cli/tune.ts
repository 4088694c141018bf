/** `keras-ts tune`: flags → study.tune options, a progress line per segment, the summary and the files. */
import * as os from 'node:os';
import * as path from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import { BACKEND_CHOICES } from '../backend/backends';
import type { BackendChoice } from '../backend/backends';
import type { DatasetSpec } from '../datasets/types';
import { tune } from '../study/tune';
import type { TuneEvent, TuneOptions } from '../study/tune';
import { formatTuneSummary } from '../study/tune/report';
import { TECHNIQUE_NAMES } from '../study/tune/space';
import { PRUNER_NAMES } from '../study/tune/scheduler';
import { SAMPLER_NAMES } from '../study/tune/sampler';
import type { PrunerName } from '../study/tune/scheduler';
import type { SamplerName } from '../study/tune/sampler';
import { intList, nonNegativeInt, positiveInt, positiveNumber } from './parse';

interface TuneFlags {
  dataset?: string;
  techniques?: string;
  trials?: number;
  budgetMinutes?: number;
  epochs?: number;
  minEpochs?: number;
  reductionFactor?: number;
  pruner?: PrunerName;
  sampler?: SamplerName;
  learningRate?: boolean;
  hidden?: number[];
  batchSize?: number;
  repeats?: number;
  patience?: number;
  seed?: number;
  trainSize?: number;
  backend?: BackendChoice;
  parallel?: number;
  queue?: string;
  out: string;
}

function datasetOf(flags: TuneFlags): DatasetSpec | undefined {
  const name = flags.dataset;
  if (name === undefined || name === 'synthetic') return flags.trainSize === undefined ? undefined : { source: 'synthetic', samples: flags.trainSize * 4 };
  if (name === 'fashion-mnist' || name === 'mnist') return { source: name, ...(flags.trainSize === undefined ? {} : { trainSize: flags.trainSize }) };
  return { source: 'csv', path: name };
}

/** "~3 min left" from the epochs done so far in this run and the plan's remaining epochs. */
function etaText(progress: { started: number; planned: number; doneAtStart: number; done: number }): string {
  const doneHere = progress.done - progress.doneAtStart;
  if (doneHere <= 0) return '';
  const secondsPerEpoch = (performance.now() - progress.started) / 1000 / doneHere;
  const left = Math.max(0, progress.planned - progress.done) * secondsPerEpoch;
  return ` | at most ~${left < 90 ? `${Math.ceil(left)} s` : `${Math.ceil(left / 60)} min`} left`;
}

/** Progress on stderr: one line per finished segment (best validation loss per technique so far, an ETA) and per confirmation run. */
function progressReporter(): (event: TuneEvent) => string | undefined {
  const progress = { started: performance.now(), planned: 0, doneAtStart: 0, done: 0 };
  return (event) => {
    if (event.type === 'search-start') {
      Object.assign(progress, { planned: event.plannedEpochs, doneAtStart: event.doneEpochs, done: event.doneEpochs, started: performance.now() });
      return event.resumed > 0 ? `resuming: ${event.resumed} segments already logged` : undefined;
    }
    if (event.type === 'segment-end') {
      progress.done += event.trained;
      const r = event.record;
      const best = [...event.best.values()].map((b) => `${b.technique} ${b.valLoss === null ? '—' : b.valLoss.toFixed(3)}`).join(', ');
      return `${r.technique} #${r.trial} → ${r.epochs} ep, val loss ${r.valLoss === null ? 'diverged' : r.valLoss.toFixed(3)} | best: ${best}${etaText(progress)}`;
    }
    if (event.type === 'confirm-start') return `confirming on test: ${event.trials} runs${event.resumed > 0 ? ` (${event.resumed} logged)` : ''}`;
    if (event.type === 'confirm-trial') {
      progress.done += event.record.epochs;
      const score = event.record.test.accuracy === undefined ? `loss ${event.record.test.loss.toFixed(4)}` : `accuracy ${(event.record.test.accuracy * 100).toFixed(1)}%`;
      return `  ${event.technique} repeat ${event.record.repeat}: test ${score}${etaText(progress)}`;
    }
    return undefined;
  };
}

export async function runTune(flags: TuneFlags): Promise<void> {
  const progress = progressReporter();
  const dataset = datasetOf(flags);
  const options: TuneOptions = {
    ...(dataset === undefined ? {} : { dataset }),
    ...(flags.techniques === undefined ? {} : { techniques: flags.techniques }),
    ...(flags.trials === undefined ? {} : { trials: flags.trials }),
    ...(flags.budgetMinutes === undefined ? {} : { budgetMinutes: flags.budgetMinutes }),
    ...(flags.epochs === undefined ? {} : { epochs: flags.epochs }),
    ...(flags.minEpochs === undefined ? {} : { minEpochs: flags.minEpochs }),
    ...(flags.reductionFactor === undefined ? {} : { reductionFactor: flags.reductionFactor }),
    ...(flags.pruner === undefined ? {} : { pruner: flags.pruner }),
    ...(flags.sampler === undefined ? {} : { sampler: flags.sampler }),
    ...(flags.learningRate === undefined ? {} : { learningRate: flags.learningRate }),
    ...(flags.hidden === undefined ? {} : { hidden: flags.hidden }),
    ...(flags.batchSize === undefined ? {} : { batchSize: flags.batchSize }),
    ...(flags.repeats === undefined ? {} : { repeats: flags.repeats }),
    ...(flags.patience === undefined ? {} : { patience: flags.patience }),
    ...(flags.seed === undefined ? {} : { seed: flags.seed }),
    ...(flags.backend === undefined ? {} : { backend: flags.backend }),
    ...(flags.queue === undefined ? { parallel: flags.parallel ?? os.availableParallelism() } : { queue: flags.queue }),
    out: flags.out,
    onProgress: (event) => {
      const line = progress(event);
      if (line !== undefined) process.stderr.write(`${line}\n`);
    },
  };
  const started = performance.now();
  const result = await tune(options);
  const files = await result.write(flags.out);
  process.stdout.write(`\n${formatTuneSummary(result.data, result.confirmation().data)}\n`);
  process.stdout.write(`\nFinished in ${((performance.now() - started) / 1000).toFixed(1)} s. Wrote ${files.length} files to ${path.resolve(flags.out)}.\n`);
}

export function registerTune(program: Command): void {
  program
    .command('tune')
    .description('Search each technique\'s strength on validation (pruning bad ones early), then confirm the best of each against the tuned baseline on test.')
    .option('--dataset <name>', 'synthetic | fashion-mnist | mnist | path to a .csv file (default: synthetic)')
    .option('--techniques <list>', `techniques to tune, e.g. "l1,l2,dropout,l2+dropout" (known: ${TECHNIQUE_NAMES.join(', ')}; default: l1,l2,dropout); the baseline is always tuned`)
    .option('--trials <n>', 'trials each technique may start (default: 9)', positiveInt)
    .option('--budget-minutes <m>', 'stop searching after this many minutes, then confirm (default: no limit)', positiveNumber)
    .option('--epochs <n>', 'most epochs a trial trains (default: 27)', positiveInt)
    .option('--min-epochs <n>', 'epochs at the first pruning rung (default: 3)', positiveInt)
    .option('--reduction-factor <n>', 'ASHA η: the best 1/η of a rung go on (default: 3)', positiveInt)
    .addOption(new Option('--pruner <name>', 'pruning (default: asha)').choices(PRUNER_NAMES))
    .addOption(new Option('--sampler <name>', 'sampler (default: halton)').choices(SAMPLER_NAMES))
    .option('--learning-rate', 'also search the learning rate in [1e-4, 1e-2] (every technique and the baseline)')
    .option('--hidden <sizes>', 'hidden layer sizes, e.g. 512,512 (default: 64,64)', intList)
    .option('--batch-size <n>', 'rows per gradient step (default: 32)', positiveInt)
    .option('--repeats <n>', 'fresh seeds each pick is confirmed with on test (default: 3)', positiveInt)
    .option('--patience <n>', 'early-stopping patience of the confirmation runs (default: 5)', nonNegativeInt)
    .option('--seed <n>', 'search seed (default: 0)', nonNegativeInt)
    .option('--train-size <n>', 'training rows (fashion-mnist/mnist: from the 60k file)', positiveInt)
    .addOption(new Option('--backend <name>', 'tfjs backend (default: auto)').choices(BACKEND_CHOICES))
    .option('--parallel <n>', 'worker processes; techniques search side by side, the answer does not change (default: one per core)', positiveInt)
    .option('--queue <url>', 'Redis URL: segments and confirmation runs go to `keras-ts worker --queue <url>` processes on any machine')
    .option('--out <dir>', 'output folder; rerunning with the same folder resumes an interrupted search', './keras-ts-tune')
    .addHelpText('after', `
Within a technique, segments run one after another (each decided from the finished ones), so the
trials and the answer are the same for any --parallel or --queue. Writes to the output folder: tune.json, tune-log.jsonl (appended as
each segment ends), checkpoints/, results.json, results.csv, report.md, report.html, strength.svg,
complexity.svg, and confirm/ (compare's report of the confirmation runs).

Examples:
  keras-ts tune
  keras-ts tune --techniques l1,l2,dropout,l2+dropout --trials 27 --budget-minutes 30
  keras-ts tune --queue redis://10.0.0.5:6379      # and on each machine: keras-ts worker --queue redis://10.0.0.5:6379`)
    .action(runTune);
}
