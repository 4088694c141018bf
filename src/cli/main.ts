#!/usr/bin/env node
/**
 * `keras-ts`: run regularization studies from the shell.
 *   keras-ts compare [options]   train and compare settings, write results and reports
 *   keras-ts tune [options]      search regularization strengths, confirm the best on test
 *   keras-ts report <dir>        rebuild the reports of a study folder from its results.json
 *   keras-ts convert <in> <out>  convert a model between .keras and a tfjs-layers directory
 *   keras-ts worker --queue URL  run the trials of queue studies
 *   keras-ts status --queue URL  show the queue studies and who runs what
 */
import { Command, Option } from 'commander';
import { ACTIVATION_NAMES } from '../activations';
import { BACKEND_CHOICES } from '../backend/backends';
import { KerasTsError } from '../errors';
import { STUDY_FILE_FIELDS } from '../study/config/schema';
import { OPTIMIZER_NAMES } from '../training/optimizers';
import { kerasTsVersion } from '../study/run/context';
import { runCompare, runReport } from './commands';
import { runConvert } from './convert';
import { runStatus, runWorker } from './queue-commands';
import { intList, nonNegativeInt, positiveInt, positiveNumber } from './parse';
import { registerTune } from './tune';

const program = new Command();
program
  .name('keras-ts')
  .description('Keras-style regularization studies on TensorFlow.js: which of L1, L2 and dropout fights overfitting best on your data?')
  .version(kerasTsVersion());

program
  .command('compare')
  .description('Train the same MLP under each regularization setting (× repeats) and compare them fairly.')
  .option('--dataset <name>', 'synthetic | fashion-mnist | mnist | path to a .csv file (default: synthetic)')
  .option('--settings <list>', 'settings to compare, e.g. "none,l1=1e-4,l2=1e-4,l1_l2=1e-4:1e-4,dropout=0.3,l2=1e-4+dropout=0.2,maxnorm=3"; ' +
    'bare names use l1/l2 1e-3, dropout 0.2, maxnorm 3 (default: none,l1,l2,l1_l2,dropout)')
  .option('--config <file>', `study.json with any of: ${STUDY_FILE_FIELDS.join(', ')}; flags override it`)
  .option('--hidden <sizes>', 'hidden layer sizes, e.g. 512,512 (default: 64,64)', intList)
  .addOption(new Option('--activation <name>', 'hidden activation (default: relu)').choices(ACTIVATION_NAMES))
  .option('--epochs <n>', 'epochs per trial (default: 40)', positiveInt)
  .option('--batch-size <n>', 'rows per gradient step (default: 32)', positiveInt)
  .addOption(new Option('--optimizer <name>', 'optimizer (default: adam)').choices(OPTIMIZER_NAMES))
  .option('--learning-rate <x>', 'optimizer step size (default: Keras\' default for the optimizer)', positiveNumber)
  .option('--repeats <n>', 'repeats per setting; repeat r uses seed + r for every setting (default: 3)', positiveInt)
  .option('--seed <n>', 'study seed: data split, initial weights, dropout masks, batch order (default: 0)', nonNegativeInt)
  .option('--train-size <n>', 'training rows (fashion-mnist/mnist: taken from the 60k file; synthetic: sets the sample count)', positiveInt)
  .option('--validation-size <n>', 'validation rows held out of the training file (fashion-mnist/mnist, default: 5000)', nonNegativeInt)
  .option('--test-size <n>', 'test rows (fashion-mnist/mnist, default: 10000)', positiveInt)
  .option('--label <column>', 'label column of a CSV dataset, by name or 0-based index (default: last)')
  .option('--early-stopping [patience]', 'stop a trial when val_loss stops improving and keep its best weights (default patience: 5)', positiveInt)
  .option('--parallel <n>', 'trials at once, each in its own worker process (default: number of cores)', positiveInt)
  .addOption(new Option('--backend <name>', 'tfjs backend (default: auto = tensorflow, else wasm, else cpu)').choices(BACKEND_CHOICES))
  .option('--out <dir>', 'output folder; rerunning with the same folder resumes an interrupted study', './keras-ts-study')
  .option('--save-models', "save each setting's best trial as <out>/models/<setting>.keras (named in results.json and the reports)")
  .option('--queue <url>', 'run trials as jobs in this Redis (redis://host:port[/db] or rediss://…) on `keras-ts worker` processes, instead of local workers')
  .addHelpText('after', `
Writes to the output folder: trials.jsonl (one line per finished trial, appended as it ends), study.json,
results.json, results.csv, report.md, report.html, learning-curves.svg, gap.svg, weight-histograms.svg.

Examples:
  keras-ts compare
  keras-ts compare --dataset fashion-mnist --hidden 512,512 --epochs 15 --settings none,l1=1e-5,l2=1e-4,dropout=0.3
  keras-ts compare --dataset data.csv --label species --repeats 5 --out iris-study`)
  .action(runCompare);

registerTune(program);

program
  .command('report')
  .description('Rebuild report.md, report.html, results.csv and the plots of a study folder from its results.json.')
  .argument('<dir>', 'a folder written by keras-ts compare')
  .action(runReport);

program
  .command('convert')
  .description('Convert a model between a Keras 3 .keras file and a tfjs-layers directory (model.json + weights.bin); the optimizer state is kept when the input has it.')
  .argument('<in>', 'a .keras file (keras-ts or Python Keras 3), a tfjs-layers directory or file://dir')
  .argument('<out>', 'a path ending in .keras, or a directory / file://dir for the tfjs-layers format')
  .addHelpText('after', `
Examples:
  keras-ts convert model.keras web-model          # serve web-model/model.json with stock tfjs
  keras-ts convert file://web-model model.keras   # load model.keras in Python with keras.saving.load_model`)
  .action(runConvert);

program
  .command('worker')
  .description('Run the trials of queue studies (compare --queue) from a Redis queue, each in a child process; stop with Ctrl-C.')
  .requiredOption('--queue <url>', 'the Redis of the studies: redis://host:port[/db] or rediss://user:password@host:port')
  .option('--concurrency <n>', 'trials at once per study (default: number of cores)', positiveInt)
  .option('--lock-duration <ms>', 'a trial whose worker stops renewing its lock this long is rerun elsewhere (default: 30000)', positiveInt)
  .option('--quiet', 'print nothing')
  .addHelpText('after', `
Anyone who can write to the Redis can make this worker train models on the data it can read (never run code): keep Redis private.`)
  .action(runWorker);

program
  .command('status')
  .description('Show each queue study: trials waiting, active, completed and failed, and which worker runs which.')
  .requiredOption('--queue <url>', 'the Redis of the studies')
  .option('--json', 'print JSON')
  .action(runStatus);

program.parseAsync(process.argv).catch((error: unknown) => {
  // keras-ts errors already say what is wrong and how to fix it: no stack trace for those.
  const message = error instanceof KerasTsError ? `${error.name}: ${error.message}` : error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`keras-ts: ${message}\n`);
  process.exitCode = 1;
});
