/** The options of `fit`, checked up front with messages that name the option. */
import { DataError, describe, invalidArgument } from '../errors';
import { readOptions } from '../options';
import type { TensorInput } from './data';
import { checkBatchSize } from './data';
import type { Callback } from './callbacks/callback';

export interface FitOptions {
  /** Epochs to train (default 1); with initialEpoch, the index of the last epoch + 1, as in Keras. */
  epochs?: number;
  /** Rows per gradient step (default 32). */
  batchSize?: number;
  /** Fraction in (0, 1) of the rows, taken from the end before shuffling, held out for validation. */
  validationSplit?: number;
  /** [x, y] evaluated after each epoch (takes precedence over validationSplit). */
  validationData?: [TensorInput, TensorInput];
  /** Shuffle the training rows each epoch (default true). */
  shuffle?: boolean;
  /** Callbacks, e.g. `callbacks.EarlyStopping(...)` or `{ onEpochEnd(epoch, logs) {…} }`. */
  callbacks?: Callback[];
  /** 0 silent, 1 progress bar, 2 one line per epoch (default 1). */
  verbose?: 0 | 1 | 2;
  /** Epoch to start at, for resuming (default 0). */
  initialEpoch?: number;
  /** Weight of each class index in the loss, e.g. { 0: 1, 1: 5 } (default all 1). */
  classWeight?: Record<number, number>;
}

export type ResolvedFitOptions = Required<Omit<FitOptions, 'validationSplit' | 'validationData' | 'classWeight'>> & {
  validationSplit: number | undefined;
  validationData: [TensorInput, TensorInput] | undefined;
  classWeight: Record<number, number> | undefined;
};

const KNOWN: readonly (keyof FitOptions)[] = ['epochs', 'batchSize', 'validationSplit', 'validationData', 'shuffle', 'callbacks', 'verbose', 'initialEpoch', 'classWeight'];

export function resolveFitOptions(given: FitOptions | null | undefined): ResolvedFitOptions {
  const options = readOptions('fit', given, KNOWN);
  const epochs = options.epochs ?? 1;
  if (!Number.isInteger(epochs) || epochs < 1) throw invalidArgument('epochs', 'fit', 'a positive integer', epochs);
  const initialEpoch = options.initialEpoch ?? 0;
  if (!Number.isInteger(initialEpoch) || initialEpoch < 0 || initialEpoch >= epochs) {
    throw invalidArgument('initialEpoch', 'fit', `an integer in [0, epochs=${epochs})`, initialEpoch);
  }
  const batchSize = checkBatchSize(options.batchSize ?? 32);
  const { validationSplit, validationData, classWeight } = options;
  if (validationSplit !== undefined && !(typeof validationSplit === 'number' && validationSplit > 0 && validationSplit < 1)) {
    throw new DataError(`Invalid \`validationSplit\` for fit: expected a number in (0, 1). Received: validationSplit=${describe(validationSplit)}`);
  }
  if (validationData !== undefined && !(Array.isArray(validationData) && validationData.length === 2)) {
    throw new DataError(`Invalid \`validationData\` for fit: expected [xVal, yVal]. Received: ${describe(validationData)}`);
  }
  const verbose = options.verbose ?? 1;
  if (verbose !== 0 && verbose !== 1 && verbose !== 2) throw invalidArgument('verbose', 'fit', '0, 1 or 2', verbose);
  const shuffle = options.shuffle ?? true;
  if (typeof shuffle !== 'boolean') throw invalidArgument('shuffle', 'fit', 'true or false', shuffle);
  const callbacks = options.callbacks ?? [];
  if (!Array.isArray(callbacks) || callbacks.some((c) => c === null || typeof c !== 'object')) {
    throw invalidArgument('callbacks', 'fit', 'an array of callback objects', callbacks);
  }
  if (classWeight !== undefined) {
    const entries = Object.entries(classWeight ?? {});
    if (typeof classWeight !== 'object' || entries.some(([k, w]) => !/^\d+$/.test(k) || !(typeof w === 'number' && Number.isFinite(w) && w >= 0))) {
      throw invalidArgument('classWeight', 'fit', 'an object of class index → finite weight >= 0, e.g. { 0: 1, 1: 5 }', classWeight);
    }
  }
  return { epochs, initialEpoch, batchSize, verbose, shuffle, callbacks, validationSplit, validationData, classWeight };
}
